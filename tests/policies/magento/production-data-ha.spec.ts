// production-data-ha, asked over the analyzer protocol: production's database, Redis and search domain survive losing
// an AZ; each HA setting removed fails with its own message; preproduction is single-AZ on purpose.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { ELASTICACHE_REPLICATION_GROUP, OPENSEARCH_DOMAIN, RDS_INSTANCE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

/** The production data tier as a preview sees it: subnet groups, security groups and secrets are still unknown. */
const HA: Record<string, Record<string, unknown>> = {
    [RDS_INSTANCE]: {
        engine: "mysql",
        instanceClass: "db.r6g.xlarge",
        multiAz: true,
        dbSubnetGroupName: UNKNOWN,
        password: UNKNOWN,
    },
    [ELASTICACHE_REPLICATION_GROUP]: {
        engine: "redis",
        numCacheClusters: 2,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        subnetGroupName: UNKNOWN,
        authToken: UNKNOWN,
    },
    [OPENSEARCH_DOMAIN]: {
        clusterConfig: {
            instanceCount: 3,
            zoneAwarenessEnabled: true,
            zoneAwarenessConfig: { availabilityZoneCount: 3 },
            dedicatedMasterEnabled: true,
            dedicatedMasterCount: 3,
        },
        vpcOptions: { subnetIds: [UNKNOWN, UNKNOWN, UNKNOWN] },
    },
};

function dataService(type: string, change: Record<string, unknown> = {}, stack = "prod"): StateResource[] {
    const b = new StackBuilder(stack);
    b.add(type, "magento-data", defined({ ...HA[type], ...change }));
    return b.resources;
}

/** Props without the keys a change set to undefined (a resource that leaves the property out). */
const defined = (props: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
const searchCluster = (change: Record<string, unknown>) => ({
    clusterConfig: defined({ ...(HA[OPENSEARCH_DOMAIN].clusterConfig as object), ...change }),
});

describe("magento / production-data-ha", () => {
    it("keeps: a Multi-AZ database, Redis with a replica and failover, a search domain over 3 AZs (while ids are unknown)", async () => {
        for (const type of [RDS_INSTANCE, ELASTICACHE_REPLICATION_GROUP, OPENSEARCH_DOMAIN]) {
            assert.deepStrictEqual(await violations("production-data-ha", dataService(type)), [], type);
        }
        assert.deepStrictEqual(
            await violations(
                "production-data-ha",
                dataService(ELASTICACHE_REPLICATION_GROUP, {
                    numCacheClusters: undefined,
                    numNodeGroups: 2,
                    replicasPerNodeGroup: 1,
                }),
            ),
            [],
        );
    });

    it("breaks: a database without a Multi-AZ standby", async () => {
        assert.deepStrictEqual(await violations("production-data-ha", dataService(RDS_INSTANCE, { multiAz: false })), [
            "mandatory: Production database magento-data has no standby in another AZ; set multiAz: true (a synchronous standby that RDS fails over to).",
        ]);
    });

    it("breaks: Redis without automatic failover, without Multi-AZ, or without a replica", async () => {
        assert.deepStrictEqual(
            await violations(
                "production-data-ha",
                dataService(ELASTICACHE_REPLICATION_GROUP, { automaticFailoverEnabled: false }),
            ),
            [
                "mandatory: Production Redis magento-data does not fail over by itself; set automaticFailoverEnabled: true.",
            ],
        );
        assert.deepStrictEqual(
            await violations(
                "production-data-ha",
                dataService(ELASTICACHE_REPLICATION_GROUP, { multiAzEnabled: false }),
            ),
            [
                "mandatory: Production Redis magento-data may keep its replica in the primary's AZ; set multiAzEnabled: true.",
            ],
        );
        assert.deepStrictEqual(
            await violations("production-data-ha", dataService(ELASTICACHE_REPLICATION_GROUP, { numCacheClusters: 1 })),
            [
                "mandatory: Production Redis magento-data has no replica to fail over to; set numCacheClusters: 2 or more (or replicasPerNodeGroup: 1 or more).",
            ],
        );
    });

    it("breaks: a search domain in one AZ, over two, or without dedicated masters", async () => {
        const oneAz = await violations(
            "production-data-ha",
            dataService(OPENSEARCH_DOMAIN, searchCluster({ zoneAwarenessEnabled: false })),
        );
        assert.deepStrictEqual(oneAz, [
            "mandatory: Production search domain magento-data keeps every node in one AZ; " +
                "set clusterConfig.zoneAwarenessEnabled: true with zoneAwarenessConfig.availabilityZoneCount: 3.",
        ]);
        assert.deepStrictEqual(
            await violations(
                "production-data-ha",
                dataService(OPENSEARCH_DOMAIN, searchCluster({ zoneAwarenessConfig: { availabilityZoneCount: 2 } })),
            ),
            [
                "mandatory: Production search domain magento-data spans 2 AZs; production needs 3 (clusterConfig.zoneAwarenessConfig.availabilityZoneCount).",
            ],
        );
        assert.match(
            (
                await violations(
                    "production-data-ha",
                    dataService(OPENSEARCH_DOMAIN, searchCluster({ zoneAwarenessConfig: undefined })),
                )
            )[0],
            /spans 2 AZs; production needs 3/,
        );
        assert.match(
            (
                await violations(
                    "production-data-ha",
                    dataService(OPENSEARCH_DOMAIN, searchCluster({ dedicatedMasterEnabled: false })),
                )
            )[0],
            /^mandatory: Production search domain magento-data has no dedicated master nodes; set clusterConfig\.dedicatedMasterEnabled: true/,
        );
    });

    it("does not apply to preproduction, which is single-AZ on purpose, unless the pack config names it production", async () => {
        const single = {
            [RDS_INSTANCE]: { multiAz: false },
            [ELASTICACHE_REPLICATION_GROUP]: {
                numCacheClusters: 1,
                automaticFailoverEnabled: false,
                multiAzEnabled: false,
            },
            [OPENSEARCH_DOMAIN]: { clusterConfig: {} },
        };
        for (const [type, change] of Object.entries(single)) {
            assert.deepStrictEqual(
                await violations("production-data-ha", dataService(type, change, "preprod")),
                [],
                type,
            );
        }
        assert.strictEqual(
            (
                await violations(
                    "production-data-ha",
                    dataService(ELASTICACHE_REPLICATION_GROUP, single[ELASTICACHE_REPLICATION_GROUP], "preprod"),
                    { config: { productionStacks: ["preprod"] } },
                )
            ).length,
            3,
        );
    });

    it("follows minAvailabilityZones from the pack config", async () => {
        assert.deepStrictEqual(
            await violations(
                "production-data-ha",
                dataService(OPENSEARCH_DOMAIN, searchCluster({ zoneAwarenessConfig: { availabilityZoneCount: 2 } })),
                { config: { minAvailabilityZones: 2 } },
            ),
            [],
        );
    });
});
