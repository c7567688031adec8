// The Magento estate of one environment, in the order of the architecture: network, the identities of the server
// tiers, then the data tier that admits them.
import * as aws from "@pulumi/aws";
import { AppParameters } from "../components/app-parameters";
import { Buckets } from "../components/buckets";
import { Cache, CacheUsage } from "../components/cache";
import { DataKey } from "../components/data-key";
import { Database } from "../components/database";
import { EfsStorage } from "../components/efs-storage";
import { GeneratedSecret } from "../components/generated-secret";
import { amazonLinuxOrPinned } from "../components/images";
import { InternalZone } from "../components/internal-zone";
import { Network } from "../components/network";
import { NfsStorage } from "../components/nfs-storage";
import { Search } from "../components/search";
import { ServerTier } from "../components/server-tier";
import { MAGENTO_SHARES } from "../components/shares";
import { readStackConfig } from "../stacks";
import { edgeCertificates, publicEdge } from "./edge";

const config = readStackConfig();
const prefix = `magento-${config.stack}`;
const tags = config.tags;
const accountId = aws.getCallerIdentityOutput().accountId;

// Network
const network = new Network(prefix, { ...config.network, region: config.region, tags });
const vpcId = network.vpcId;
const privateSubnetIds = network.privateSubnetIds;
const internalZone = new InternalZone(`${prefix}-internal`, { domain: config.internalDomain, vpcId, tags });
const internalDns = internalZone.dns;

// Who will run where: each tier's security group and role exist before the services that admit them.
const tier = (name: string, purpose: string) => new ServerTier(`${prefix}-${name}`, { vpcId, purpose, tags });
const web = tier("web", "Magento front-end servers");
const backOffice = tier("backoffice", "Magento back-office server: admin, cron, indexers, imports");
const rundeck = tier("rundeck", "Rundeck: one-button deployment jobs");
const sideApps = tier("sideapps", "Side applications: PIM, order connector, payments connector");
const magento = [web.asClient("web"), backOffice.asClient("backoffice")];

// Data: everything here is encrypted with the stack's key and reachable only from the tiers named.
const dataKey = new DataKey(`${prefix}-data`, { alias: `${prefix}-data`, tags });
const kmsKeyArn = dataKey.keyArn;

const database = new Database(`${prefix}-mysql`, {
    vpcId, subnetIds: privateSubnetIds, clients: [...magento, rundeck.asClient("rundeck")],
    databaseName: "magento",
    instanceClass: config.database.instanceClass,
    allocatedStorageGb: config.database.allocatedStorageGb,
    maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
    backupRetentionDays: config.database.backupRetentionDays,
    multiAz: config.production,
    kmsKeyArn, tags,
});
const sideDatabase = new Database(`${prefix}-sideapps`, {
    vpcId, subnetIds: privateSubnetIds, clients: [sideApps.asClient("sideapps")],
    databaseName: "sideapps",
    instanceClass: config.database.sideInstanceClass,
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    backupRetentionDays: config.database.backupRetentionDays,
    multiAz: config.production,
    kmsKeyArn, tags,
});

const cacheUsages: CacheUsage[] = config.cache.separateSessions ? ["sessions", "cache"] : ["shared"];
const caches = Object.fromEntries(cacheUsages.map((usage) => [usage, new Cache(`${prefix}-${usage}`, {
    vpcId, subnetIds: privateSubnetIds, clients: magento,
    usage,
    nodeType: config.cache.nodeType,
    highlyAvailable: config.production,
    snapshotRetentionDays: config.production ? 7 : 1,
    kmsKeyArn, tags,
})]));

const search = new Search(`${prefix}-search`, {
    vpcId, subnetIds: privateSubnetIds, clients: magento,
    domainName: prefix,
    instanceType: config.search.instanceType,
    masterInstanceType: config.search.masterInstanceType,
    volumeGb: config.search.volumeGb,
    region: config.region, accountId, kmsKeyArn, tags,
});

// Shared folders (media, sitemaps, exports; never pub/static) on EFS, or on the estate's NFS server.
const sharedStorage = config.sharedStorage === "efs"
    ? new EfsStorage(`${prefix}-shared`, { vpcId, subnetIds: privateSubnetIds, clients: magento, shares: MAGENTO_SHARES, kmsKeyArn, tags })
    : nfsStorage();

function nfsStorage(): NfsStorage {
    const server = tier("nfs", "NFS server of the shared folders");
    return new NfsStorage(`${prefix}-shared`, {
        vpcId, vpcCidr: config.network.vpcCidr,
        privateSubnetIdsByAz: network.privateSubnetIdsByAz,
        availabilityZone: config.network.availabilityZones[0],
        clients: magento,
        shares: MAGENTO_SHARES,
        volumeGb: { media: 200, sitemap: 5, exports: 20 },
        serverSecurityGroupId: server.securityGroupId,
        instanceProfileName: server.instanceProfileName,
        ...amazonLinuxOrPinned(config.opsAmiId, config.instanceTypes.ops),
        instanceType: config.instanceTypes.ops,
        kmsKeyArn, dns: internalDns, tags,
    });
}

const buckets = new Buckets(`${prefix}-buckets`, {
    kmsKeyArn, accountId, region: config.region,
    logRetentionDays: config.accessLogRetentionDays,
    tempExpiryDays: config.tempExpiryDays,
    tags,
});

// Edge, before the load balancer: public zones and certificates (its listener's), and the secret CloudFront proves
// itself with to the load balancer on the CDN paths.
const edge = edgeCertificates(prefix, config);
const originVerify = new GeneratedSecret(`${prefix}-origin-verify`, { description: "Header value CloudFront adds to origin requests; the ALB serves CDN paths only with it", length: 32, specials: "", kmsKeyArn, tags });

// What servers read at boot, under /magento/<stack>/: endpoints and the ARNs of secrets, never secret values.
const parameters = new AppParameters(`${prefix}-parameters`, {
    stack: config.stack, region: config.region, accountId, tags,
    values: {
        "db/host": database.address,
        "db/name": "magento",
        "db/secret-arn": database.masterSecretArn,
        ...Object.fromEntries(Object.entries(caches).flatMap(([usage, cache]) => [
            [`redis/${usage}/host`, cache.primaryEndpoint],
            [`redis/${usage}/auth-secret-arn`, cache.authTokenSecretArn],
        ])),
        "search/host": search.endpoint,
        "search/credentials-secret-arn": search.credentialsSecretArn,
        ...(sharedStorage instanceof EfsStorage
            ? { "shared/efs-id": sharedStorage.fileSystemId, ...Object.fromEntries(Object.entries(sharedStorage.accessPointIds).map(([share, id]) => [`shared/${share}/access-point`, id])) }
            : { "shared/nfs-host": sharedStorage.address, ...Object.fromEntries(Object.entries(sharedStorage.exportPaths).map(([share, path]) => [`shared/${share}/export`, path])) }),
        "buckets/config": buckets.configBucketName,
        "buckets/temp": buckets.tempBucketName,
    },
});

// Edge, after the load balancer (`loadBalancer`, components/load-balancer.ts): CloudFront and the public records.
const site = publicEdge(prefix, config, { ...edge, loadBalancer, originVerifyValue: originVerify.value, logsBucketArn: buckets.logsBucketArn });

export { vpcId, privateSubnetIds };
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const internalZoneId = internalZone.zoneId;
export const databaseAddress = database.address;
export const databaseSecretArn = database.masterSecretArn;
export const sideDatabaseAddress = sideDatabase.address;
export const redisEndpoints = Object.fromEntries(Object.entries(caches).map(([usage, c]) => [usage, c.primaryEndpoint]));
export const searchEndpoint = search.endpoint;
export const parameterPrefix = parameters.prefix;
export const bucketNames = { config: buckets.configBucketName, logs: buckets.logsBucketName, temp: buckets.tempBucketName, billing: buckets.billingBucketName };
export const sharedStorageEndpoint = sharedStorage instanceof EfsStorage ? sharedStorage.fileSystemId : sharedStorage.address;
export const loadBalancerCertificateArn = edge.certificates.loadBalancerCertificateArn;
export const storefrontCertificateArns = edge.certificates.extraCertificateArns;
export const originVerifySecretArn = originVerify.secretArn;
export const { cdnDistributionIds, registrarRecords, publicNames } = site;
