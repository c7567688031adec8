// The data tier's and storage's keys together: the database's storage headroom, the search domain's AZs, the shared
// storage being switched to; and StackConfig's databases, caches, search, shared storage and buckets.
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import { DATASYNC_AGENT_ARN, NfsSourceSetting } from "../schema";
import type { StackContext } from "./concern";
import type { Concern } from "./concern";

export interface DatabaseConfig {
    readonly instanceClass: string;
    readonly allocatedStorageGb: number;
    readonly maxAllocatedStorageGb: number;
    readonly backupRetentionDays: number;
    readonly sideInstanceClass: string;
    /** The manual snapshots the shop's and the side applications' databases are created from; undefined: empty ones. */
    readonly snapshotIdentifier: string | undefined;
    readonly sideSnapshotIdentifier: string | undefined;
}

export interface DataSettings {
    readonly database: DatabaseConfig;
    /** Database and Redis changes apply in this update rather than in the maintenance window. */
    readonly applyImmediately: boolean;
    readonly cache: { readonly nodeType: string; readonly separateSessions: boolean };
    readonly search: {
        readonly instanceType: string;
        readonly masterInstanceType: string | undefined;
        readonly volumeGb: number;
    };
    readonly sharedStorage: "efs" | "nfs";
    /** The other storage, built beside the current one for the copy before a switch; undefined: none. */
    readonly sharedStorageTarget: "efs" | "nfs" | undefined;
    readonly tempExpiryDays: number;
    readonly accessLogRetentionDays: number;
    /** The estate's NFS server the shares are copied from into EFS; undefined: no copy. */
    readonly nfsSource: NfsSourceSetting | undefined;
}

export function data(v: Settings, ctx: StackContext): Concern<DataSettings> {
    const problems: ConfigProblem[] = [];
    if (v.dbMaxAllocatedStorageGb <= v.dbAllocatedStorageGb) {
        problems.push({
            path: qualified("dbMaxAllocatedStorageGb"),
            message: `must exceed the allocated ${v.dbAllocatedStorageGb} GiB, or storage autoscaling has no headroom (got ${v.dbMaxAllocatedStorageGb})`,
        });
    }
    // Production's search domain spans every AZ of the stack, and OpenSearch spreads a domain over 2 or 3 AZs only, one
    // subnet each (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_ZoneAwarenessConfig.html).
    const azs = v.availabilityZones;
    if (v.profile === "production" && azs !== undefined && (azs.length < 2 || azs.length > 3)) {
        problems.push({
            path: qualified("availabilityZones"),
            message: `lists ${azs.length} AZs, but production's search domain spans every AZ of the stack and OpenSearch allows 2 or 3; list 3`,
        });
    }
    if (v.sharedStorageTarget === v.sharedStorage) {
        problems.push({
            path: qualified("sharedStorageTarget"),
            message: `is the current ${qualified("sharedStorage")} (${v.sharedStorage}); it names the other storage to build beside it, and is removed in the update that switches`,
        });
    }
    problems.push(...checkNfsSource(v, ctx));
    return {
        problems,
        config: () => ({
            database: {
                instanceClass: v.dbInstanceClass,
                allocatedStorageGb: v.dbAllocatedStorageGb,
                maxAllocatedStorageGb: v.dbMaxAllocatedStorageGb,
                backupRetentionDays: v.dbBackupRetentionDays,
                sideInstanceClass: v.sideDbInstanceClass,
                snapshotIdentifier: v.dbSnapshotIdentifier,
                sideSnapshotIdentifier: v.sideDbSnapshotIdentifier,
            },
            applyImmediately: v.applyImmediately ?? false,
            cache: { nodeType: v.cacheNodeType, separateSessions: v.cacheLayout === "split" },
            search: {
                instanceType: v.searchInstanceType,
                // Dedicated masters go with zone awareness: production only, whatever the key says elsewhere.
                masterInstanceType: v.profile === "production" ? v.searchMasterInstanceType || undefined : undefined,
                volumeGb: v.searchVolumeGb,
            },
            sharedStorage: v.sharedStorage,
            sharedStorageTarget: v.sharedStorageTarget,
            tempExpiryDays: v.tempExpiryDays,
            accessLogRetentionDays: v.accessLogRetentionDays,
            nfsSource: v.nfsSource,
        }),
    };
}

/** The copy writes into EFS (the current storage or the one being built), through an agent of the stack's region. */
function checkNfsSource(v: Settings, ctx: StackContext): ConfigProblem[] {
    if (v.nfsSource === undefined) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    if (v.sharedStorage !== "efs" && v.sharedStorageTarget !== "efs") {
        problems.push({
            path: qualified("nfsSource"),
            message: `copies the estate's shares into EFS, but ${qualified("sharedStorage")} is ${v.sharedStorage}; set it (or sharedStorageTarget) to efs`,
        });
    }
    const region = DATASYNC_AGENT_ARN.exec(v.nfsSource.agentArn)?.[1];
    if (ctx.region !== undefined && region !== undefined && region !== ctx.region) {
        problems.push({
            path: `${qualified("nfsSource")}.agentArn`,
            message: `is an agent of ${region}; activate it in the stack's region ${ctx.region}, where its tasks run`,
        });
    }
    return problems;
}
