// The Magento estate of one environment, in the order of the architecture: network, the identities of the server
// tiers, then the data tier that admits them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppParameters, parameterPathArn } from "../components/app-parameters";
import { Buckets } from "../components/buckets";
import { Cache, CacheUsage } from "../components/cache";
import { DataKey } from "../components/data-key";
import { Database } from "../components/database";
import { EfsStorage } from "../components/efs-storage";
import { ORIGIN_VERIFY_HEADER } from "../components/cdn";
import { GeneratedSecret } from "../components/generated-secret";
import { Gateway } from "../components/gateway";
import { amazonLinuxOrPinned, releaseImage, windowsServerOrPinned } from "../components/images";
import { InternalZone } from "../components/internal-zone";
import { Network } from "../components/network";
import { NfsStorage } from "../components/nfs-storage";
import { Rundeck } from "../components/rundeck";
import { LoadBalancer } from "../components/load-balancer";
import { Search } from "../components/search";
import { ServiceLinkedRoles } from "../components/service-linked-roles";
import { ServerTier } from "../components/server-tier";
import { MAGENTO_SHARES, sharedMountsTag } from "../components/shares";
import { SiteLinks } from "../components/site-links";
import { ShareSource, webBootConfig } from "../components/web-boot";
import { WebAcl } from "../components/web-acl";
import { WebGroup } from "../components/web-group";
import { VpnServer } from "../components/vpn-server";
import { Monitoring } from "../components/monitoring";
import { AlarmTopic } from "../components/monitoring-topic";
import { WindowsHost } from "../components/windows-host";
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
const readableParameters = parameterPathArn(config.stack, config.region, accountId);
const tier = (name: string, purpose: string) => new ServerTier(`${prefix}-${name}`, { tier: name, vpcId, purpose, parameterPathArn: readableParameters, tags });
const web = tier("web", "Magento front-end servers");
const backOffice = tier("backoffice", "Magento back-office server: admin, cron, indexers, imports");
const rundeck = tier("rundeck", "Rundeck: one-button deployment jobs");
const sideApps = tier("sideapps", "Side applications: PIM, order connector, payments connector");
const gatewayTier = tier("gateway", "HAProxy gateway: the services a stack opens to the internet, each to its own addresses");
const vpnTier = tier("vpn", "OpenVPN server: operators' access to every subnet");
const windowsTier = tier("windows", "Windows host of the custom application");
const magento = [web.asClient("web"), backOffice.asClient("backoffice")];

// Data: everything here is encrypted with the stack's key and reachable only from the tiers named.
// The service-linked roles, adopted or created: the key's policy names Auto Scaling's, the search domain needs OpenSearch's.
const linkedRoles = new ServiceLinkedRoles(`${prefix}-linked-roles`, { tags });
const dataKey = new DataKey(`${prefix}-data`, { alias: `${prefix}-data`, accountId, autoScalingRoleArn: linkedRoles.roleArns["autoscaling.amazonaws.com"], tags });
const kmsKeyArn = dataKey.keyArn;

// Single servers (NFS, gateway, VPN, Rundeck, Windows) live in the first AZ (shared/platform.md), each as its tier.
const firstAz = config.network.availabilityZones[0];
const opsImage = amazonLinuxOrPinned(config.opsAmiId, config.instanceTypes.ops);
const singleServer = (as: ServerTier, image = { ...opsImage, instanceType: config.instanceTypes.ops }) => ({
    vpcId, availabilityZone: firstAz,
    serverSecurityGroupId: as.securityGroupId, instanceProfileName: as.instanceProfileName,
    ...image, kmsKeyArn, tags,
});

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
    // An order, not data: a value computed from the role would be unknown in the preview that creates it, and the key
    // forces a new domain when it changes.
    requires: [linkedRoles.roles["opensearchservice.amazonaws.com"]],
});

// Shared folders (media, sitemaps, exports; never pub/static) on EFS, or on the estate's NFS server.
const sharedStorage = config.sharedStorage === "efs"
    ? new EfsStorage(`${prefix}-shared`, { vpcId, subnetIds: privateSubnetIds, clients: magento, shares: MAGENTO_SHARES, kmsKeyArn, tags })
    : nfsStorage();

function nfsStorage(): NfsStorage {
    const server = tier("nfs", "NFS server of the shared folders");
    return new NfsStorage(`${prefix}-shared`, {
        ...singleServer(server),
        vpcCidr: config.network.vpcCidr,
        privateSubnetIdsByAz: network.privateSubnetIdsByAz,
        clients: magento,
        shares: MAGENTO_SHARES,
        volumeGb: { media: 200, sitemap: 5, exports: 20 },
        dns: internalDns,
    });
}

const buckets = new Buckets(`${prefix}-buckets`, {
    kmsKeyArn, accountId, region: config.region,
    logRetentionDays: config.accessLogRetentionDays,
    tempExpiryDays: config.tempExpiryDays,
    tags,
});

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

// Edge: public zones and certificates (the listener's), and the secret CloudFront proves itself with to the load
// balancer on the CDN paths; then one load balancer, its WAF, and CloudFront and the public names in front of it.
const edge = edgeCertificates(prefix, config);
const originVerify = new GeneratedSecret(`${prefix}-origin-verify`, { description: "Header value CloudFront adds to origin requests; the ALB serves CDN paths only with it", length: 32, specials: "", kmsKeyArn, tags });
const loadBalancer = new LoadBalancer(`${prefix}-shop`, {
    vpcId, subnetIds: network.publicSubnetIds,
    certificateArn: edge.certificates.loadBalancerCertificateArn,
    extraCertificateArns: edge.certificates.extraCertificateArns,
    adminPath: config.web.adminPath,
    adminSources: config.operatorCidrs, // not the VPN's clients: they reach the internet directly (docs/admin.md)
    cdnOriginPaths: Object.values(config.edge.originPaths),
    originVerify: { headerName: ORIGIN_VERIFY_HEADER, value: originVerify.value },
    targetSecurityGroupIds: { frontend: web.securityGroupId, backoffice: backOffice.securityGroupId },
    accessLogsBucket: buckets.logsBucketName,
    accessLogsDependsOn: [buckets], // its logs bucket policy among them
    deletionProtection: config.production,
    tags,
});
if (config.web.waf) {
    new WebAcl(`${prefix}-waf`, {
        resourceArn: loadBalancer.arn, ratePerIpPer5Min: 2000,
        originVerify: { headerName: ORIGIN_VERIFY_HEADER, value: originVerify.value },
        cdnPaths: Object.values(config.edge.originPaths), largeBodyPaths: loadBalancer.adminPaths, tags,
    });
}
const site = publicEdge(prefix, config, { ...edge, loadBalancer, originVerifyValue: originVerify.value, logsBucketArn: buckets.logsBucketArn, logsDependsOn: [buckets] });

// Web servers: the front end scaling over every AZ, the back office as one server; both boot the release image, mount
// the shared folders and read the parameters above.

const bootReads = [
    { Effect: "Allow" as const, Action: "ssm:GetParametersByPath", Resource: parameters.pathArn },
    { Effect: "Allow" as const, Action: ["ssm:GetParameters", "ssm:GetParameter"], Resource: parameters.parameterArns },
    { Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: [database.masterSecretArn, search.credentialsSecretArn, ...Object.values(caches).map((c) => c.authTokenSecretArn)] },
    { Effect: "Allow" as const, Action: "kms:Decrypt", Resource: kmsKeyArn },
];
web.grant("boot-reads", bootReads);
backOffice.grant("boot-reads", bootReads);
// The configuration bucket is read-only for both (the release puts it there); scratch files (imports, exports) are
// the back office's alone. SSE-KMS objects need the key: Decrypt to read, GenerateDataKey to write.
const readConfig = [
    { Effect: "Allow" as const, Action: "s3:ListBucket", Resource: buckets.configBucketArn },
    { Effect: "Allow" as const, Action: "s3:GetObject", Resource: pulumi.interpolate`${buckets.configBucketArn}/*` },
];
web.grant("config-bucket", readConfig);
backOffice.grant("config-bucket", [
    ...readConfig,
    { Effect: "Allow" as const, Action: "s3:ListBucket", Resource: buckets.tempBucketArn },
    { Effect: "Allow" as const, Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: pulumi.interpolate`${buckets.tempBucketArn}/*` },
    { Effect: "Allow" as const, Action: "kms:GenerateDataKey", Resource: kmsKeyArn },
]);

const shareSources: Record<string, pulumi.Input<ShareSource>> = sharedStorage instanceof EfsStorage
    ? Object.fromEntries(sharedStorage.shares.map((share) => [share.name, pulumi.all([sharedStorage.fileSystemId, sharedStorage.accessPointIds[share.name]])
        .apply(([fileSystemId, accessPointId]) => ({ kind: "efs" as const, fileSystemId, accessPointId }))]))
    : Object.fromEntries(sharedStorage.shares.map((share) => [share.name, sharedStorage.address
        .apply((host) => ({ kind: "nfs" as const, host, exportPath: sharedStorage.exportPaths[share.name] }))]));
const webUserData = pulumi.all(shareSources).apply((sources) => webBootConfig({
    mounts: MAGENTO_SHARES.map((share) => ({ share, source: sources[share.name] })),
    parameterPath: parameters.prefix,
    region: config.region,
}));
const webGroup = (name: string, group: ServerTier, instanceType: string, target: "frontend" | "backoffice") => ({
    tier: name,
    subnetIds: privateSubnetIds,
    securityGroupId: group.securityGroupId,
    instanceProfileName: group.instanceProfileName,
    imageId: releaseImage(config.web.image),
    instanceType,
    rootVolumeGb: 30,
    userData: webUserData,
    sharedMounts: sharedMountsTag(MAGENTO_SHARES),
    targetGroupArn: loadBalancer.targetGroups[target].arn,
    kmsKeyArn, tags,
});
const frontEnd = new WebGroup(`${prefix}-frontend`, {
    ...webGroup("web", web, config.instanceTypes.web, "frontend"),
    minSize: config.web.minSize,
    maxSize: config.web.maxSize,
    scaling: {
        cpuTargetPercent: 60,
        requestsPerTarget: 1000,
        requestCountLabel: pulumi.interpolate`${loadBalancer.arnSuffix}/${loadBalancer.targetGroups.frontend.arnSuffix}`,
    },
    schedule: config.web.schedule,
});
const backOfficeGroup = new WebGroup(`${prefix}-backoffice`, {
    ...webGroup("backoffice", backOffice, config.instanceTypes.backOffice, "backoffice"),
    // One server runs cron and the indexers (two would run every job twice); the group replaces it in another AZ.
    minSize: 1,
    maxSize: 1,
    schedule: [],
});

// Operations: the operators' ways in. Both in the first AZ's public subnet, each with an Elastic IP that survives a rebuild.
const gateway = new Gateway(`${prefix}-haproxy`, {
    ...singleServer(gatewayTier),
    publicSubnetIdsByAz: network.publicSubnetIdsByAz,
    services: config.gatewayInternet,
    allowedSources: config.operatorCidrs,
});
const vpn = new VpnServer(`${prefix}-openvpn`, {
    ...singleServer(vpnTier),
    vpcCidr: config.network.vpcCidr,
    publicSubnetIdsByAz: network.publicSubnetIdsByAz,
    routedCidrs: [...config.network.publicSubnetCidrs, ...config.network.privateSubnetCidrs],
    clientCidr: config.vpnClientCidr,
    internalDomain: config.internalDomain,
    stack: config.stack, region: config.region,
    roleName: vpnTier.roleName,
});

// Operations inside: single servers in the first AZ, their data on protected volumes, reachable only from inside.
const rundeckServer = new Rundeck(`${prefix}-rundeck`, {
    ...singleServer(rundeck),
    privateSubnetIdsByAz: network.privateSubnetIdsByAz,
    roleName: rundeck.roleName,
    vpnSecurityGroupId: vpnTier.securityGroupId,
    volumeGb: 50,
    deployScope: { region: config.region, accountId, stack: config.stack, tiers: ["web", "backoffice"] },
    dns: internalDns,
});

// Operators reach the Windows host's services through the VPN; the gateway forwards only those open to the internet.
const onWindows = <T extends { target: string }>(s: T) => s.target === `windows.${config.internalDomain}`;
const windowsServices = config.gatewayServices.filter(onWindows);
const ftpPassive = windowsServices.find((s) => s.name === "ftp-passive");
const ftpOnInternet = config.gatewayInternet.some((e) => e.service.name === "ftp");
const windowsHost = new WindowsHost(`${prefix}-windows`, {
    ...singleServer(windowsTier, { ...windowsServerOrPinned(config.windows.amiId), instanceType: config.windows.instanceType }),
    privateSubnetIdsByAz: network.privateSubnetIdsByAz,
    gatewaySecurityGroupId: gatewayTier.securityGroupId,
    // Exactly the ports the gateway forwards to it.
    proxiedPorts: config.gatewayInternet.filter((e) => onWindows(e.service)).flatMap((e) => e.ports.map(([fromPort, toPort]) => ({ fromPort, toPort }))),
    gatewaySubnetCidr: config.network.publicSubnetCidrs[0], // the gateway's and the VPN server's: the first AZ's public subnet
    ftp: ftpPassive && { fromPort: ftpPassive.fromPort, toPort: ftpPassive.toPort, externalAddress: ftpOnInternet ? gateway.publicIp : undefined },
    vpnSecurityGroupId: vpnTier.securityGroupId,
    vpnPorts: windowsServices.map(({ fromPort, toPort }) => ({ fromPort, toPort })),
    volumes: [{ label: "data", driveLetter: "D", sizeGb: 200 }, { label: "apps", driveLetter: "E", sizeGb: 100 }],
    dns: internalDns,
});

// Every alarm notifies the operators' topic: the stack's own with the list subscribed, or the one the stack names.
const alarmTopicArn = config.alarmTopicArn ?? new AlarmTopic(`${prefix}-alarms`, { email: config.alarmEmail, accountId, region: config.region, tags }).topicArn;

// The merchant's other sites over IPsec, each tunnel alarmed.
const siteLinks = config.siteLinks.length > 0
    ? new SiteLinks(`${prefix}-sites`, { vpcId, privateRouteTableIds: network.privateRouteTableIds, links: config.siteLinks, alarmTopicArn, tags })
    : undefined;

// Monitoring: the operators' alarms and dashboard, every dimension from the resources above.
const monitoring = new Monitoring(`${prefix}-monitoring`, {
    topicArn: alarmTopicArn,
    resources: {
        databases: { shop: database.instanceIdentifier, sideapps: sideDatabase.instanceIdentifier },
        loadBalancer: {
            arnSuffix: loadBalancer.arnSuffix,
            targetGroups: { frontend: loadBalancer.targetGroups.frontend.arnSuffix, backoffice: loadBalancer.targetGroups.backoffice.arnSuffix },
        },
        cacheNodes: Object.fromEntries(Object.entries(caches).flatMap(([usage, cache]) => cache.memberClusterIds.map((id, i) => [`${usage}-${i + 1}`, id]))),
        fileSystems: sharedStorage instanceof EfsStorage ? { shared: sharedStorage.fileSystemId } : {},
        // arn:aws:es:<region>:<account>:domain/<name>: AWS/ES metrics are keyed by the name and the owning account.
        search: { domainName: search.domainArn.apply((arn) => arn.split("/")[1]), accountId: search.domainArn.apply((arn) => arn.split(":")[4]), volumeGb: config.search.volumeGb },
        // The back office is always at its maximum (1): only the front end can run out of room to scale.
        scalingGroups: { frontend: frontEnd.groupName },
    },
    thresholds: config.alarmThresholds,
    webGroups: { frontend: frontEnd.groupName, backoffice: backOfficeGroup.groupName },
    otherAlarms: siteLinks?.alarms ?? [],
    region: config.region,
    tags,
});

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
export const loadBalancerDnsName = loadBalancer.dnsName;
export const webGroupNames = { frontend: frontEnd.groupName, backoffice: backOfficeGroup.groupName };
export const sharedStorageEndpoint = sharedStorage instanceof EfsStorage ? sharedStorage.fileSystemId : sharedStorage.address;
export const rundeckUrl = rundeckServer.url;
export const rundeckAdminSecretArn = rundeckServer.adminSecretArn; // the admin login's password
export const windowsHostName = windowsHost.fqdn;
export const windowsInstanceId = windowsHost.instanceId; // the target of `aws ssm start-session`: there is no key pair
/** Every alarm of the stack (name and ARN), all notifying alarmTopicArn. */
export const alarmTargets = [...siteLinks?.alarms ?? [], ...monitoring.alarms];
export { alarmTopicArn };
export const dashboardName = monitoring.dashboardName;
export const gatewayPublicIp = gateway.publicIp;
export const vpnPublicIp = vpn.publicIp;
export const loadBalancerCertificateArn = edge.certificates.loadBalancerCertificateArn;
export const storefrontCertificateArns = edge.certificates.extraCertificateArns;
export const originVerifySecretArn = originVerify.secretArn;
export const { cdnDistributionIds, registrarRecords, certificateValidationRecords, publicNames } = site;
