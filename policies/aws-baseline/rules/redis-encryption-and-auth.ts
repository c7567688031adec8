// Redis (Valkey on ElastiCache) holds Magento's sessions and cache: encrypted at rest and in transit, and no client
// without AUTH. Only a replication group takes an AUTH token or RBAC user groups, so Redis is never a standalone cache
// cluster.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ELASTICACHE_CLUSTER, ELASTICACHE_REPLICATION_GROUP } from "../../lib/types";
import { isSet, knownString } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

/** Redis OSS and Valkey, its drop-in successor on ElastiCache (docs/engine-versions.md): the same risks, the same rule. */
const REDIS_ENGINES = new Map([
    ["redis", "Redis"],
    ["valkey", "Valkey"],
]);

/** AUTH is on with a token (which the program may generate, so unknown in preview: only its presence is read) or RBAC. */
function requiresAuth(props: Record<string, unknown>): boolean {
    return isSet(props, "authToken") || isSet(props, "authTokenWo") || isSet(props, "userGroupIds");
}

export const redisEncryptionAndAuth: ResourceValidationPolicy = {
    name: "redis-encryption-and-auth",
    description:
        "Redis (and Valkey) runs as a replication group encrypted at rest and in transit, with AUTH (token or RBAC user groups).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const engine = knownString(args.props, "engine")?.toLowerCase();
        if (args.type === ELASTICACHE_CLUSTER && engine !== undefined && REDIS_ENGINES.has(engine)) {
            reportViolation(
                `Cache cluster ${args.name} runs ${REDIS_ENGINES.get(engine)} as a standalone cluster, which cannot require AUTH with ` +
                    "encryption in transit and at rest; use an aws.elasticache.ReplicationGroup (one node in preproduction).",
            );
        }
        if (args.type !== ELASTICACHE_REPLICATION_GROUP) {
            return;
        }
        if (args.props.atRestEncryptionEnabled !== true) {
            reportViolation(
                `Redis replication group ${args.name} is not encrypted at rest; set atRestEncryptionEnabled: true.`,
            );
        }
        if (args.props.transitEncryptionEnabled !== true) {
            reportViolation(
                `Redis replication group ${args.name} is not encrypted in transit; set transitEncryptionEnabled: true.`,
            );
        }
        if (!requiresAuth(args.props)) {
            reportViolation(
                `Redis replication group ${args.name} lets any client in without AUTH; set authToken ` +
                    "(from a generated secret) or userGroupIds (RBAC).",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_CLUSTER],
    decides:
        "Decides during preview from atRestEncryptionEnabled, transitEncryptionEnabled, and whether an authToken or userGroupIds is set (a generated token counts while unknown).",
    remediation:
        "Run Redis as a replication group with atRestEncryptionEnabled and transitEncryptionEnabled true, and an authToken (or RBAC user groups).",
    controls: controls({
        securityHub: ["ElastiCache.4", "ElastiCache.5", "ElastiCache.6"],
        checkov: ["CKV_AWS_29", "CKV_AWS_30", "CKV_AWS_31"],
        trivy: ["AVD-AWS-0045", "AVD-AWS-0051"],
    }),
};
