// data-audit-logs, asked over the analyzer protocol: a MySQL instance exporting its audit log with an option group,
// and a domain publishing AUDIT_LOGS, pass while their wiring is unknown; each without it fails.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { OPENSEARCH_DOMAIN, RDS_INSTANCE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const DATABASE = {
    engine: "mysql",
    optionGroupName: UNKNOWN,
    enabledCloudwatchLogsExports: ["error", "slowquery", "audit"],
    storageEncrypted: true,
};
const SEARCH = {
    engineVersion: "OpenSearch_2.19",
    logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: UNKNOWN, enabled: true }],
};

function dataService(type: string, props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(type, "magento-data", props);
    return b.resources;
}

describe("aws-baseline / data-audit-logs", () => {
    it("keeps: MySQL exporting audit with an option group, a domain publishing AUDIT_LOGS; PostgreSQL is not its business", async () => {
        assert.deepStrictEqual(await violations("data-audit-logs", dataService(RDS_INSTANCE, DATABASE)), []);
        assert.deepStrictEqual(await violations("data-audit-logs", dataService(OPENSEARCH_DOMAIN, SEARCH)), []);
        assert.deepStrictEqual(
            await violations(
                "data-audit-logs",
                dataService(RDS_INSTANCE, { engine: "postgres", enabledCloudwatchLogsExports: ["postgresql"] }),
            ),
            [],
        );
    });

    it("breaks: MySQL without the audit export or without an option group", async () => {
        assert.deepStrictEqual(
            await violations(
                "data-audit-logs",
                dataService(RDS_INSTANCE, { ...DATABASE, enabledCloudwatchLogsExports: ["error"] }),
            ),
            [
                'mandatory: Database magento-data does not export its audit log; add "audit" to enabledCloudwatchLogsExports.',
            ],
        );
        const { optionGroupName: _, ...withoutOptions } = DATABASE;
        assert.deepStrictEqual(await violations("data-audit-logs", dataService(RDS_INSTANCE, withoutOptions)), [
            "mandatory: Database magento-data has no option group, so no audit plugin; give it one holding the MARIADB_AUDIT_PLUGIN option.",
        ]);
    });

    it("breaks: a domain without audit logs, or with them switched off", async () => {
        const expected = [
            "mandatory: Search domain magento-data does not publish audit logs; add logPublishingOptions " +
                "{logType: AUDIT_LOGS, cloudwatchLogGroupArn, enabled: true} (with fine-grained access control on).",
        ];
        assert.deepStrictEqual(
            await violations("data-audit-logs", dataService(OPENSEARCH_DOMAIN, { engineVersion: "OpenSearch_2.19" })),
            expected,
        );
        assert.deepStrictEqual(
            await violations(
                "data-audit-logs",
                dataService(OPENSEARCH_DOMAIN, {
                    logPublishingOptions: [{ ...SEARCH.logPublishingOptions[0], enabled: false }],
                }),
            ),
            expected,
        );
    });
});
