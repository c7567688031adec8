// The data tier's engines as an operator plans them: versions Magento 2.4.8 supports and inside AWS's standard
// support, parameter groups of the matching family, no paid Extended Support, and a major upgrade of a deployed stack
// that RDS and ElastiCache can apply in place (docs/engine-versions.md).
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { ELASTICACHE_REPLICATION_GROUP, OPENSEARCH_DOMAIN, RDS_INSTANCE } from "../../../policies/lib/types";
import { named } from "../../helpers/reachability";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";

const paramsOf = (r: readonly StateResource[], x: StateResource) => via(r, x, "parameterGroupName")[0];

describe("engine versions", () => {
    prefetch(["prod"], ["preprod"]);

    for (const stack of ["prod", "preprod"]) {
        it(`${stack}: every database is MySQL 8.4 on a mysql8.4 parameter group, opted out of Extended Support`, async () => {
            const r = await stackResources(stack);
            const dbs = ofType(r, RDS_INSTANCE);
            assert.strictEqual(dbs.length, 2);
            for (const db of dbs) {
                const i = db.inputs!;
                assert.deepStrictEqual(
                    [i.engine, i.engineVersion, i.engineLifecycleSupport],
                    ["mysql", "8.4", "open-source-rds-extended-support-disabled"],
                    db.urn,
                );
                assert.strictEqual(paramsOf(r, db).inputs!.family, "mysql8.4");
            }
        });

        it(`${stack}: sessions and cache run Valkey 8.1 on valkey8 parameter groups that keep their eviction policy`, async () => {
            const r = await stackResources(stack);
            for (const group of ofType(r, ELASTICACHE_REPLICATION_GROUP)) {
                assert.deepStrictEqual(
                    [group.inputs!.engine, group.inputs!.engineVersion],
                    ["valkey", "8.1"],
                    group.urn,
                );
                const params = paramsOf(r, group).inputs!;
                assert.strictEqual(params.family, "valkey8");
                assert.ok((params.parameters as { name: string }[]).some((p) => p.name === "maxmemory-policy"));
            }
        });

        it(`${stack}: catalog search runs OpenSearch 2.19`, async () => {
            assert.deepStrictEqual(
                ofType(await stackResources(stack), OPENSEARCH_DOMAIN).map((d) => d.inputs!.engineVersion),
                ["OpenSearch_2.19"],
            );
        });
    }

    it("a major upgrade of a deployed stack goes through: allowed on the instance, old parameter groups kept until the window", async () => {
        const r = await stackResources("prod");
        const db = named(r, RDS_INSTANCE, "mysql-db");
        assert.strictEqual(db.inputs!.allowMajorVersionUpgrade, true);
        // Enrolment is fixed when RDS creates an instance: a deployed one is not re-planned for it.
        // Likewise the managed master secret's key (docs/access.md, "Moving the secrets"), and what a snapshot decides
        // at creation (docs/migration.md, "Restoring the databases").
        assert.deepStrictEqual(db.ignoreChanges, [
            "engineLifecycleSupport",
            "masterUserSecretKmsKeyId",
            "snapshotIdentifier",
            "username",
            "dbName",
        ]);
        // RDS and ElastiCache refuse to delete a parameter group an instance still uses (it moves in its maintenance
        // window), so a replaced group of the old family is left in AWS rather than failing the update.
        for (const x of [db, ...ofType(r, ELASTICACHE_REPLICATION_GROUP)]) {
            assert.strictEqual(paramsOf(r, x).retainOnDelete, true, x.urn);
        }
    });
    it("an engine upgrade creates the groups of the new family beside the old ones instead of replacing the ones in use", async () => {
        const r = await stackResources("prod");
        const groups = [...ofType(r, RDS_INSTANCE), ...ofType(r, ELASTICACHE_REPLICATION_GROUP)].flatMap((x) => [
            paramsOf(r, x),
            ...via(r, x, "optionGroupName"),
        ]);
        assert.strictEqual(groups.length, 6); // each database's parameter and option group, each Redis group's parameter group
        for (const g of groups) {
            // Named by family: 8.4 -> 9.x is a new resource (created, the instance moved to it, the old one retained),
            // not a replacement of the group the instance still holds. (The alias from the name before, `-params` or
            // `-audit`, is not recorded offline: the capture keeps alias URNs only, the SDK sends alias specs.)
            const family = String(g.inputs!.family ?? `mysql${g.inputs!.majorEngineVersion}`).replace(/\./g, "-");
            assert.ok(g.urn.endsWith(`-${family}`), g.urn);
            assert.strictEqual(g.retainOnDelete, true, g.urn);
        }
    });
});
