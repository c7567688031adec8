// redis-encryption-and-auth, asked over the analyzer protocol. The AUTH token comes from a generated secret, unknown
// in preview: the rule reads only that it is there, and so decides without an advisory.
import * as assert from "assert";
import { SECRET_SIG, SIG_KEY, StateResource } from "../../../offline/state";
import { ELASTICACHE_CLUSTER, ELASTICACHE_REPLICATION_GROUP } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const REDIS = {
    description: "Magento sessions and cache",
    engine: "redis",
    nodeType: "cache.t4g.small",
    numCacheClusters: 1,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken: UNKNOWN,
    subnetGroupName: UNKNOWN,
    securityGroupIds: [UNKNOWN],
    kmsKeyId: UNKNOWN,
};

function redis(type: string, props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("preprod");
    b.add(type, "redis", props);
    return b.resources;
}

describe("aws-baseline / redis-encryption-and-auth", () => {
    it("keeps: encrypted at rest and in transit with a generated AUTH token (unknown in preview)", async () => {
        assert.deepStrictEqual(
            await violations("redis-encryption-and-auth", redis(ELASTICACHE_REPLICATION_GROUP, REDIS)),
            [],
        );
    });

    it("keeps: an AUTH token passed as a Pulumi secret, known or not, without reading its text", async () => {
        for (const token of [UNKNOWN, "offline-secret-placeholder"]) {
            const secret = { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(token) };
            assert.deepStrictEqual(
                await violations(
                    "redis-encryption-and-auth",
                    redis(ELASTICACHE_REPLICATION_GROUP, { ...REDIS, authToken: secret }),
                ),
                [],
            );
        }
    });

    it("keeps: RBAC user groups instead of a token", async () => {
        const { authToken: _, ...rbac } = REDIS;
        assert.deepStrictEqual(
            await violations(
                "redis-encryption-and-auth",
                redis(ELASTICACHE_REPLICATION_GROUP, { ...rbac, userGroupIds: [UNKNOWN] }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "redis-encryption-and-auth",
                redis(ELASTICACHE_REPLICATION_GROUP, { ...rbac, userGroupIds: UNKNOWN }),
            ),
            [],
        );
    });

    it("breaks: not encrypted at rest", async () => {
        assert.deepStrictEqual(
            await violations(
                "redis-encryption-and-auth",
                redis(ELASTICACHE_REPLICATION_GROUP, { ...REDIS, atRestEncryptionEnabled: false }),
            ),
            ["mandatory: Redis replication group redis is not encrypted at rest; set atRestEncryptionEnabled: true."],
        );
    });

    it("breaks: not encrypted in transit", async () => {
        assert.deepStrictEqual(
            await violations(
                "redis-encryption-and-auth",
                redis(ELASTICACHE_REPLICATION_GROUP, { ...REDIS, transitEncryptionEnabled: false }),
            ),
            [
                "mandatory: Redis replication group redis is not encrypted in transit; set transitEncryptionEnabled: true.",
            ],
        );
    });

    it("breaks: no AUTH token and no user groups (an empty list is none)", async () => {
        const { authToken: _, ...open } = REDIS;
        const expected =
            "mandatory: Redis replication group redis lets any client in without AUTH; " +
            "set authToken (from a generated secret) or userGroupIds (RBAC).";
        assert.deepStrictEqual(
            await violations("redis-encryption-and-auth", redis(ELASTICACHE_REPLICATION_GROUP, open)),
            [expected],
        );
        assert.deepStrictEqual(
            await violations(
                "redis-encryption-and-auth",
                redis(ELASTICACHE_REPLICATION_GROUP, { ...open, userGroupIds: [] }),
            ),
            [expected],
        );
    });

    it("breaks: Redis as a standalone cache cluster; memcached is not this rule's concern", async () => {
        const found = await violations(
            "redis-encryption-and-auth",
            redis(ELASTICACHE_CLUSTER, {
                engine: "redis",
                nodeType: "cache.t4g.small",
                numCacheNodes: 1,
                subnetGroupName: UNKNOWN,
            }),
        );
        assert.strictEqual(found.length, 1);
        assert.match(
            found[0],
            /^mandatory: Cache cluster redis runs Redis as a standalone cluster, .* use an aws\.elasticache\.ReplicationGroup/,
        );
        assert.deepStrictEqual(
            await violations(
                "redis-encryption-and-auth",
                redis(ELASTICACHE_CLUSTER, { engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 1 }),
            ),
            [],
        );
    });

    it("breaks: Valkey (ElastiCache's Redis OSS successor, the stacks' engine) as a standalone cache cluster", async () => {
        const found = await violations(
            "redis-encryption-and-auth",
            redis(ELASTICACHE_CLUSTER, {
                engine: "valkey",
                engineVersion: "8.1",
                nodeType: "cache.t4g.small",
                numCacheNodes: 1,
            }),
        );
        assert.strictEqual(found.length, 1);
        assert.match(
            found[0],
            /^mandatory: Cache cluster redis runs Valkey as a standalone cluster, .* use an aws\.elasticache\.ReplicationGroup/,
        );
    });
});
