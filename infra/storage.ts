// Storage: the shared folders (media, sitemaps, exports; never pub/static) on EFS or on the estate's NFS server, and
// the stack's buckets, the only ones the servers' S3 endpoint lets them write.
import * as pulumi from "@pulumi/pulumi";
import { AgentMetrics } from "../components/compute/cloudwatch-agent";
import { releaseBuildObjects } from "../components/release/build-access";
import { Buckets } from "../components/storage/buckets";
import { EfsStorage } from "../components/storage/efs";
import { NfsStorage } from "../components/storage/nfs";
import { NfsSync, NfsSyncAccess } from "../components/storage/nfs-sync";
import { SharedStorage } from "../components/storage/shared-storage";
import { MAGENTO_SHARES } from "../components/storage/shares";
import { StackContext } from "./context";
import { NetworkLayer } from "./network";
import { Keys } from "./security";
import { SingleServers } from "./servers";
import { ServerTiers } from "./tiers";

export interface StorageLayer {
    /** The shared folders the servers mount. */
    readonly shared: SharedStorage;
    readonly buckets: Buckets;
    /** The storage's own servers by label (the NFS server's, source or target): the dashboard draws them. */
    readonly servers: Readonly<Record<string, AgentMetrics>>;
}

export function storage(
    stack: StackContext,
    net: NetworkLayer,
    tiers: ServerTiers,
    keys: Keys,
    singleServer: SingleServers,
): StorageLayer {
    const { config, prefix, accountId } = stack;
    const { network: vpc, internalZone } = net;
    const tags = config.tags;
    // While the estate moves in, DataSync copies its NFS shares into EFS (docs/migration.md).
    const source = config.nfsSource;
    const copyAccess = source && new NfsSyncAccess(`${prefix}-nfs-sync-access`, { vpcId: vpc.vpcId, accountId, tags });
    const build: Record<typeof config.sharedStorage, () => SharedStorage> = {
        efs: () => {
            const efs = new EfsStorage(`${prefix}-shared`, {
                vpcId: vpc.vpcId,
                subnetIdsByAz: vpc.privateSubnetIdsByAz,
                formerMountOrder: config.network.availabilityZones,
                clients: tiers.magento,
                shares: MAGENTO_SHARES,
                kmsKeyArn: keys.storage,
                tags,
                copiedInBy: copyAccess?.client,
            });
            if (source && copyAccess) {
                new NfsSync(`${prefix}-nfs-sync`, {
                    source,
                    shares: efs.shares,
                    access: copyAccess,
                    fileSystemArn: efs.fileSystemArn,
                    accessPointArns: efs.accessPointArns,
                    subnetArn: pulumi.interpolate`arn:aws:ec2:${config.region}:${accountId}:subnet/${vpc.privateSubnetIdsByAz[config.network.operationsAz]}`,
                    storage: efs,
                    tags,
                });
            }
            return efs;
        },
        nfs: () =>
            new NfsStorage(`${prefix}-shared`, {
                ...singleServer(tiers.tier("nfs", "NFS server of the shared folders"), "private"),
                vpcCidr: config.network.vpcCidr,
                clients: tiers.magento,
                shares: MAGENTO_SHARES,
                volumeGb: { media: 200, sitemap: 5, exports: 20 },
                dns: internalZone.dns,
            }),
    };
    const shared = build[config.sharedStorage]();
    // A switch's first phase (docs/migrations.md): the target, empty, under the name it keeps after the switch; no server uses it yet.
    const target = config.sharedStorageTarget === undefined ? undefined : build[config.sharedStorageTarget]();
    const servers = { ...target?.servers, ...shared.servers };

    const buckets = new Buckets(`${prefix}-buckets`, {
        kmsKeyArn: keys.storage,
        accountId,
        region: config.region,
        logRetentionDays: config.accessLogRetentionDays,
        logsDisposable: !config.production,
        tempExpiryDays: config.tempExpiryDays,
        tags,
    });
    // What servers read and write; and, in the stack that builds release images, what the build reads and logs.
    vpc.limitS3To(
        [buckets.configBucketArn, buckets.tempBucketArn],
        config.region,
        config.release.builds ? releaseBuildObjects(buckets) : undefined,
    );
    return { shared, buckets, servers };
}
