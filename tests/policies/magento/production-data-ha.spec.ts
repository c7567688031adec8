// production-data-ha, asked over the analyzer protocol: production's database, Redis and search domain survive losing
// an AZ; each HA setting removed fails with its own message; preproduction is single-AZ on purpose.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const DATABASE = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const SEARCH = "aws:opensearch/domain:Domain";

/** The production data tier as a preview sees it: subnet groups, security groups and secrets are still unknown. */
const HA: Record<string, Record<string, unknown>> = {
    [DATABASE]: { engine: "mysql", instanceClass: "db.r6g.xlarge", multiAz: true, dbSubnetGroupName: UNKNOWN, password: UNKNOWN },
    [REDIS]: {
        engine: "redis", numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true,
        subnetGroupName: UNKNOWN, authToken: UNKNOWN,
    },
    [SEARCH]: {
        clusterConfig: {
            instanceCount: 3, zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 3 },
            dedicatedMasterEnabled: true, dedicatedMasterCount: 3,
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
const defined = (props: Record<string, unknown>) => Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
const searchCluster = (change: Record<string, unknown>) => ({ clusterConfig: defined({ ...(HA[SEARCH].clusterConfig as object), ...change }) });

describe("magento / production-data-ha", () => {
    it("keeps: a Multi-AZ database, Redis with a replica and failover, a search domain over 3 AZs (while ids are unknown)", async () => {
        for (const type of [DATABASE, REDIS, SEARCH]) {
            assert.deepStrictEqual(await violations("production-data-ha", dataService(type)), [], type);
        }
        assert.deepStrictEqual(await violations("production-data-ha", dataService(REDIS, { numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 1 })), []);
    });

    it("breaks: a database without a Multi-AZ standby", async () => {
        assert.deepStrictEqual(await violations("production-data-ha", dataService(DATABASE, { multiAz: false })), [
            "mandatory: Production database magento-data has no standby in another AZ; set multiAz: true (a synchronous standby that RDS fails over to).",
        ]);
    });

    it("breaks: Redis without automatic failover, without Multi-AZ, or without a replica", async () => {
        assert.deepStrictEqual(await violations("production-data-ha", dataService(REDIS, { automaticFailoverEnabled: false })), [
            "mandatory: Production Redis magento-data does not fail over by itself; set automaticFailoverEnabled: true.",
        ]);
        assert.deepStrictEqual(await violations("production-data-ha", dataService(REDIS, { multiAzEnabled: false })), [
            "mandatory: Production Redis magento-data may keep its replica in the primary's AZ; set multiAzEnabled: true.",
        ]);
        assert.deepStrictEqual(await violations("production-data-ha", dataService(REDIS, { numCacheClusters: 1 })), [
            "mandatory: Production Redis magento-data has no replica to fail over to; set numCacheClusters: 2 or more (or replicasPerNodeGroup: 1 or more).",
        ]);
    });

    it("breaks: a search domain in one AZ, over two, or without dedicated masters", async () => {
        const oneAz = await violations("production-data-ha", dataService(SEARCH, searchCluster({ zoneAwarenessEnabled: false })));
        assert.deepStrictEqual(oneAz, ["mandatory: Production search domain magento-data keeps every node in one AZ; " +
            "set clusterConfig.zoneAwarenessEnabled: true with zoneAwarenessConfig.availabilityZoneCount: 3."]);
        assert.deepStrictEqual(await violations("production-data-ha", dataService(SEARCH, searchCluster({ zoneAwarenessConfig: { availabilityZoneCount: 2 } }))), [
            "mandatory: Production search domain magento-data spans 2 AZs; production needs 3 (clusterConfig.zoneAwarenessConfig.availabilityZoneCount).",
        ]);
        assert.match((await violations("production-data-ha", dataService(SEARCH, searchCluster({ zoneAwarenessConfig: undefined }))))[0], /spans 2 AZs; production needs 3/);
        assert.match((await violations("production-data-ha", dataService(SEARCH, searchCluster({ dedicatedMasterEnabled: false }))))[0],
            /^mandatory: Production search domain magento-data has no dedicated master nodes; set clusterConfig\.dedicatedMasterEnabled: true/);
    });

    it("does not apply to preproduction, which is single-AZ on purpose, unless the pack config names it production", async () => {
        const single = { [DATABASE]: { multiAz: false }, [REDIS]: { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false }, [SEARCH]: { clusterConfig: {} } };
        for (const [type, change] of Object.entries(single)) {
            assert.deepStrictEqual(await violations("production-data-ha", dataService(type, change, "preprod")), [], type);
        }
        assert.strictEqual((await violations("production-data-ha", dataService(REDIS, single[REDIS], "preprod"), { config: { productionStacks: ["preprod"] } })).length, 3);
    });

    it("follows minAvailabilityZones from the pack config", async () => {
        assert.deepStrictEqual(await violations("production-data-ha", dataService(SEARCH, searchCluster({ zoneAwarenessConfig: { availabilityZoneCount: 2 } })), { config: { minAvailabilityZones: 2 } }), []);
    });
});
