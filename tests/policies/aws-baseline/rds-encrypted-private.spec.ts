// rds-encrypted-private, asked over the analyzer protocol: an encrypted private database passes, one property
// flipped fails, and the rule decides in preview while subnet groups, security groups and the password are unknown.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

/** A MySQL instance as a preview sees it: what it is wired to is other resources' outputs, not known yet. */
const DATABASE = {
    engine: "mysql",
    instanceClass: "db.r6g.large",
    allocatedStorage: 100,
    storageEncrypted: true,
    publiclyAccessible: false,
    dbSubnetGroupName: UNKNOWN,
    vpcSecurityGroupIds: [UNKNOWN],
    password: UNKNOWN,
    kmsKeyId: UNKNOWN,
};

function database(type: string, props: Record<string, unknown>, stack = "preprod"): StateResource[] {
    const b = new StackBuilder(stack);
    b.add(type, "magento-db", props);
    return b.resources;
}

describe("aws-baseline / rds-encrypted-private", () => {
    it("keeps: an encrypted database reachable only from the VPC, decided while its wiring is unknown", async () => {
        assert.deepStrictEqual(await violations("rds-encrypted-private", database(RDS_INSTANCE, DATABASE)), []);
        assert.deepStrictEqual(
            await violations(
                "rds-encrypted-private",
                database(RDS_CLUSTER, { engine: "aurora-mysql", storageEncrypted: true, masterPassword: UNKNOWN }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "rds-encrypted-private",
                database(RDS_CLUSTER_INSTANCE, {
                    clusterIdentifier: UNKNOWN,
                    instanceClass: "db.r6g.large",
                    publiclyAccessible: false,
                }),
            ),
            [],
        );
    });

    it("breaks: storage left unencrypted, on an instance and on an Aurora cluster", async () => {
        const expected =
            "mandatory: Database magento-db stores its data unencrypted; set storageEncrypted: true " +
            "(RDS encrypts only at creation: an existing database needs an encrypted snapshot copy and a restore).";
        assert.deepStrictEqual(
            await violations("rds-encrypted-private", database(RDS_INSTANCE, { ...DATABASE, storageEncrypted: false })),
            [expected],
        );
        assert.deepStrictEqual(
            await violations(
                "rds-encrypted-private",
                database(RDS_CLUSTER, { engine: "aurora-mysql", masterPassword: UNKNOWN }),
            ),
            [expected],
        );
    });

    it("breaks: a publicly accessible instance or Aurora instance, in every stack", async () => {
        const found = await violations(
            "rds-encrypted-private",
            database(RDS_INSTANCE, { ...DATABASE, publiclyAccessible: true }),
        );
        assert.deepStrictEqual(found, [
            "mandatory: Database magento-db is publicly accessible; databases are reached only from " +
                "inside the VPC: set publiclyAccessible: false and admit the application's security groups.",
        ]);
        const aurora = await violations(
            "rds-encrypted-private",
            database(RDS_CLUSTER_INSTANCE, { clusterIdentifier: UNKNOWN, publiclyAccessible: true }, "prod"),
        );
        assert.match(aurora[0], /^mandatory: Database magento-db is publicly accessible/);
    });
});
