// data-audit-logs, asked over the analyzer protocol: a MySQL instance exporting its audit log with an option group,
// and a domain publishing AUDIT_LOGS, pass while their wiring is unknown; each without it fails.
import * as assert from "assert";
import { check, StackBuilder, UNKNOWN } from "../../helpers/packs";

const POLICY = "data-audit-logs";
const INSTANCE = "aws:rds/instance:Instance";
const DOMAIN = "aws:opensearch/domain:Domain";
const DATABASE = { engine: "mysql", optionGroupName: UNKNOWN, enabledCloudwatchLogsExports: ["error", "slowquery", "audit"], storageEncrypted: true };
const SEARCH = { engineVersion: "OpenSearch_2.19", logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: UNKNOWN, enabled: true }] };

async function violations(type: string, props: Record<string, unknown>): Promise<string[]> {
    const b = new StackBuilder("prod");
    b.add(type, "magento-data", props);
    return (await check("aws-baseline", b.resources)).filter((d) => d.policy === POLICY).map((d) => `${d.level}: ${d.message.replace(`${d.description}\n`, "")}`);
}

describe("aws-baseline / data-audit-logs", () => {
    it("keeps: MySQL exporting audit with an option group, a domain publishing AUDIT_LOGS; PostgreSQL is not its business", async () => {
        assert.deepStrictEqual(await violations(INSTANCE, DATABASE), []);
        assert.deepStrictEqual(await violations(DOMAIN, SEARCH), []);
        assert.deepStrictEqual(await violations(INSTANCE, { engine: "postgres", enabledCloudwatchLogsExports: ["postgresql"] }), []);
    });

    it("breaks: MySQL without the audit export or without an option group", async () => {
        assert.deepStrictEqual(await violations(INSTANCE, { ...DATABASE, enabledCloudwatchLogsExports: ["error"] }),
            ['mandatory: Database magento-data does not export its audit log; add "audit" to enabledCloudwatchLogsExports.']);
        const { optionGroupName: _, ...withoutOptions } = DATABASE;
        assert.deepStrictEqual(await violations(INSTANCE, withoutOptions),
            ["mandatory: Database magento-data has no option group, so no audit plugin; give it one holding the MARIADB_AUDIT_PLUGIN option."]);
    });

    it("breaks: a domain without audit logs, or with them switched off", async () => {
        const expected = ["mandatory: Search domain magento-data does not publish audit logs; add logPublishingOptions " +
            "{logType: AUDIT_LOGS, cloudwatchLogGroupArn, enabled: true} (with fine-grained access control on)."];
        assert.deepStrictEqual(await violations(DOMAIN, { engineVersion: "OpenSearch_2.19" }), expected);
        assert.deepStrictEqual(await violations(DOMAIN, { logPublishingOptions: [{ ...SEARCH.logPublishingOptions[0], enabled: false }] }), expected);
    });
});
