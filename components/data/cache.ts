// A Valkey replication group (ElastiCache's Redis OSS successor) for Magento's sessions or cache: encrypted at rest and in transit, AUTH required (the
// token generated and kept in Secrets Manager), and in production a replica in another AZ with automatic failover.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Client, serviceSecurityGroup } from "../network/clients";
import { familyLogicalName, finalSnapshotName } from "./final-snapshot";
import { GeneratedSecret } from "../security/generated-secret";

/** What the group holds decides what Redis may evict when full. */
export type CacheUsage = "sessions" | "cache" | "shared";

const EVICTION: Record<CacheUsage, string> = {
    sessions: "noeviction", // evicting a session logs a shopper out and empties the cart
    cache: "allkeys-lru", // Magento's cache can always be rebuilt
    shared: "volatile-lru", // sessions carry no TTL-less keys to lose; cache entries have TTLs
};

export interface CacheArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets of every AZ, so a replica can live away from the primary. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly clients: readonly Client[];
    readonly usage: CacheUsage;
    readonly nodeType: string;
    /** Primary plus a replica in another AZ with automatic failover (production). */
    readonly highlyAvailable: boolean;
    readonly snapshotRetentionDays: number;
    /** Modifications apply in this update, not in the maintenance window. */
    readonly applyImmediately: boolean;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The key of its secrets (docs/access.md, "Keys"): apart from its data's. */
    readonly secretsKmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

export const REDIS_PORT = 6379;
/** Valkey 8.1: Magento 2.4.8 supports Valkey 8, ElastiCache's Redis OSS stops at 7.1 (docs/engine-versions.md). */
const CACHE_ENGINE = { engine: "valkey", version: "8.1", parameterFamily: "valkey8" } as const;

export class Cache extends pulumi.ComponentResource {
    public readonly primaryEndpoint: pulumi.Output<string>;
    public readonly port: number;
    public readonly authTokenSecretArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** Member cluster ids: per-node metrics (CPU, memory, evictions) are reported per member, not per group. */
    public readonly memberClusters: pulumi.Output<string[]>;
    /** The same ids one output per node (the count is known at preview), for a per-node alarm each. */
    public readonly memberClusterIds: pulumi.Output<string>[];

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:data:Cache", name, {}, opts);
        const child = { parent: this };
        const tags = { ...args.tags, Name: name, Usage: args.usage };
        const group = serviceSecurityGroup(this, name, {
            vpcId: args.vpcId,
            port: REDIS_PORT,
            clients: args.clients,
            description: `Redis ${name}`,
            tags: args.tags,
        });
        const subnets = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { subnetIds: args.subnetIds, description: name, tags },
            child,
        );
        const parameters = new aws.elasticache.ParameterGroup(
            familyLogicalName(`${name}-params`, CACHE_ENGINE.parameterFamily),
            {
                family: CACHE_ENGINE.parameterFamily,
                description: `Magento ${args.usage}`,
                parameters: [{ name: "maxmemory-policy", value: EVICTION[args.usage] }],
                tags,
            },
            { ...child, retainOnDelete: true, aliases: [{ name: `${name}-params` }] },
        ); // by family, as the database's (docs/engine-versions.md)
        const token = new GeneratedSecret(
            `${name}-auth`,
            {
                description: `Redis AUTH token of ${name}`,
                length: 48,
                specials: "",
                kmsKeyArn: args.secretsKmsKeyArn,
                tags: args.tags,
            },
            child,
        );

        const nodeCount = args.highlyAvailable ? 2 : 1;
        // The inputs set here whose change replaces the group: they name its final snapshot's life (final-snapshot.ts).
        const replacedBy = {
            port: REDIS_PORT,
            subnetGroupName: subnets.name,
            kmsKeyId: args.kmsKeyArn,
            atRestEncryptionEnabled: true,
        };
        const replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-redis`,
            {
                ...replacedBy,
                // Both replace the group only conditionally (a downgrade to redis; transit below engine 7.0.5).
                engine: CACHE_ENGINE.engine,
                transitEncryptionEnabled: true,
                description: `Magento ${args.usage} (${name})`,
                // Redis OSS 7.1 -> Valkey is an in-place upgrade that keeps the endpoints (docs/engine-versions.md).
                engineVersion: CACHE_ENGINE.version,
                nodeType: args.nodeType,
                numCacheClusters: nodeCount,
                automaticFailoverEnabled: args.highlyAvailable,
                multiAzEnabled: args.highlyAvailable,
                securityGroupIds: [group.id],
                parameterGroupName: parameters.name,
                authToken: token.value,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                finalSnapshotIdentifier: finalSnapshotName(this, name, replacedBy), // deleting it leaves the sessions in a snapshot
                snapshotWindow: "02:00-03:00",
                maintenanceWindow: "sun:04:00-sun:05:00",
                autoMinorVersionUpgrade: true,
                applyImmediately: args.applyImmediately,
                tags,
            },
            { ...child, protect: true },
        );

        this.primaryEndpoint = replicationGroup.primaryEndpointAddress;
        this.port = REDIS_PORT;
        this.authTokenSecretArn = token.secretArn;
        this.securityGroupId = group.id;
        this.memberClusters = replicationGroup.memberClusters;
        // Sorted: AWS returns the members as a set, and an alarm should keep watching the same node.
        this.memberClusterIds = Array.from({ length: nodeCount }, (_, i) =>
            replicationGroup.memberClusters.apply((ids) => [...ids].sort()[i]),
        );
        this.registerOutputs({ primaryEndpoint: this.primaryEndpoint, authTokenSecretArn: this.authTokenSecretArn });
    }
}
