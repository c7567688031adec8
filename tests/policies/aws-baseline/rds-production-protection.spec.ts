// rds-production-protection, asked over the analyzer protocol: a protected production database passes, each of
// the three protections removed fails with its own message, and preproduction is not held to it.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { RDS_CLUSTER, RDS_INSTANCE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const PROTECTED = {
    engine: "mysql",
    storageEncrypted: true,
    multiAz: true,
    deletionProtection: true,
    backupRetentionPeriod: 7,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "magento-prod-db-final",
    dbSubnetGroupName: UNKNOWN,
    password: UNKNOWN,
};

function database(props: Record<string, unknown>, opts: { stack?: string; type?: string } = {}): StateResource[] {
    const b = new StackBuilder(opts.stack ?? "prod");
    b.add(opts.type ?? RDS_INSTANCE, "magento-prod-db", props);
    return b.resources;
}

describe("aws-baseline / rds-production-protection", () => {
    it("keeps: a production database with deletion protection, a week of backups and a final snapshot", async () => {
        assert.deepStrictEqual(await violations("rds-production-protection", database(PROTECTED)), []);
        assert.deepStrictEqual(
            await violations(
                "rds-production-protection",
                database({ ...PROTECTED, engine: "aurora-mysql" }, { type: RDS_CLUSTER }),
            ),
            [],
        );
    });

    it("breaks: backups kept 3 days", async () => {
        assert.deepStrictEqual(
            await violations("rds-production-protection", database({ ...PROTECTED, backupRetentionPeriod: 3 })),
            [
                "mandatory: Database magento-prod-db keeps backups 3 days; production needs at least 7 (backupRetentionPeriod).",
            ],
        );
    });

    it("breaks: backup retention left to the AWS default", async () => {
        const { backupRetentionPeriod: _, ...unset } = PROTECTED;
        assert.match(
            (await violations("rds-production-protection", database(unset)))[0],
            /keeps backups the default 1 day; production needs at least 7/,
        );
    });

    it("breaks: no deletion protection, on a cluster too", async () => {
        const found = await violations(
            "rds-production-protection",
            database({ ...PROTECTED, deletionProtection: false }, { type: RDS_CLUSTER }),
        );
        assert.deepStrictEqual(found, [
            "mandatory: Production database magento-prod-db has no deletion protection; " +
                "set deletionProtection: true so that a destroy or a replacement cannot drop its data.",
        ]);
    });

    it("breaks: the final snapshot skipped", async () => {
        const found = await violations(
            "rds-production-protection",
            database({ ...PROTECTED, skipFinalSnapshot: true }),
        );
        assert.strictEqual(found.length, 1);
        assert.match(
            found[0],
            /^mandatory: Production database magento-prod-db skips the final snapshot on delete; set skipFinalSnapshot: false/,
        );
    });

    it("does not apply to preproduction, unless the pack config names it production", async () => {
        const bare = { engine: "mysql", skipFinalSnapshot: true, backupRetentionPeriod: 1 };
        assert.deepStrictEqual(await violations("rds-production-protection", database(bare, { stack: "preprod" })), []);
        assert.strictEqual(
            (
                await violations("rds-production-protection", database(bare, { stack: "preprod" }), {
                    config: { productionStacks: ["preprod"] },
                })
            ).length,
            3,
        );
    });

    it("follows minBackupDays from the pack config", async () => {
        const found = await violations("rds-production-protection", database(PROTECTED), {
            config: { minBackupDays: 14 },
        });
        assert.match(found[0], /keeps backups 7 days; production needs at least 14/);
    });
});
