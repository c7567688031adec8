// The Magento estate of one environment, in the order of the architecture: network, the identities of the server
// tiers, then the data tier that admits them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppCredentials, appSecretNames, MAGENTO_INDEX_PREFIX } from "../components/data/app-credentials";
import { AppParameters, parameterPathArn } from "../components/data/app-parameters";
import { AuditLogKey } from "../components/security/audit-logs";
import { BreakGlassRole } from "../components/security/break-glass";
import { Buckets } from "../components/storage/buckets";
import { Cache, CacheUsage } from "../components/data/cache";
import { DataKey } from "../components/security/data-key";
import { Database } from "../components/data/database";
import { EfsStorage } from "../components/storage/efs";
import { Gateway, gatewayConfigParameter } from "../components/operations/gateway/gateway";
import { amazonLinuxOrPinned, releaseImage, windowsServerOrPinned } from "../components/compute/images";
import { InternalZone } from "../components/network/internal-zone";
import { viaService } from "../components/security/kms-conditions";
import { Network } from "../components/network/network";
import { NfsStorage } from "../components/storage/nfs";
import { Rundeck } from "../components/operations/rundeck/rundeck";
import { LoadBalancer } from "../components/web/load-balancer";
import { Search } from "../components/data/search";
import { ServiceLinkedRoles } from "../components/security/service-linked-roles";
import { ServerTier, ServerTierArgs } from "../components/compute/server-tier";
import { MAGENTO_SHARES, sharedMountsTag, sharesOf } from "../components/storage/shares";
import { SiteLinks } from "../components/network/site-links";
import { rdsCaBundle, ShareSource, webBootConfig } from "../components/web/web-boot";
import { WebAcl } from "../components/web/web-acl";
import { WebGroup } from "../components/web/web-group";
import { VpnServer } from "../components/operations/vpn/vpn-server";
import { Monitoring } from "../components/monitoring/monitoring";
import { AlarmTopic } from "../components/monitoring/topic";
import { accountBaselineWarnings, providerLookups } from "../components/security/account-baseline";
import { SecurityAlarms } from "../components/monitoring/security-alarms";
import { SessionManager } from "../components/operations/session-manager";
import { TelemetryKey } from "../components/security/telemetry-key";
import { WindowsHost } from "../components/operations/windows/windows-host";
import { readStackConfig } from "../stacks";
import { cdnEdge, edgeCertificates, publicEdge } from "./edge";
import { applyLifecycle } from "./lifecycle";

const config = readStackConfig();
applyLifecycle(config);
const prefix = `magento-${config.stack}`;
const tags = config.tags;
const accountId = aws.getCallerIdentityOutput().accountId;

// Security telemetry (flow, WAF and session logs, the alarm topic) is encrypted with a key of its own. Its policy keeps
// the server roles from administering it; they are created after the network, which needs the key, so it names them
// by their autonamed ARNs' pattern (<prefix>-<tier>-role-<suffix>).
const SERVER_TIERS = ["web", "backoffice", "rundeck", "sideapps", "gateway", "vpn", "windows", "nfs"];
const telemetryKey = new TelemetryKey(`${prefix}-telemetry`, {
    alias: `${prefix}-telemetry`, accountId, region: config.region, tags,
    serverRoleArns: SERVER_TIERS.map((t) => pulumi.interpolate`arn:aws:iam::${accountId}:role/${prefix}-${t}-role-*`),
});

// Network
const network = new Network(prefix, { ...config.network, region: config.region, flowLogKeyArn: telemetryKey.keyArn, accountId, tags });
const vpcId = network.vpcId;
const privateSubnetIds = network.privateSubnetIds;
const internalZone = new InternalZone(`${prefix}-internal`, { domain: config.internalDomain, vpcId, tags });
const internalDns = internalZone.dns;

// Who will run where: each tier's security group and role exist before the services that admit them.
const readableParameters = parameterPathArn(config.stack, config.region, accountId);
// Egress is an allow-list (docs/network.md): the VPC endpoints, S3, the services that admit the tier, and to the
// internet only the ports named here.
type Egress = Pick<ServerTierArgs, "internetPorts" | "forwardTo"> & Partial<Pick<ServerTierArgs, "parameterPathArn">>;
const tier = (name: string, purpose: string, egress: Egress = {}) =>
    new ServerTier(`${prefix}-${name}`, { tier: name, vpcId, purpose, parameterPathArn: readableParameters, endpoints: network.endpoints, ...egress, tags });
const HTTPS_OUT = { internetPorts: [443] }; // payment, shipping and PIM APIs; Rundeck's package repository
const web = tier("web", "Magento front-end servers", HTTPS_OUT);
const backOffice = tier("backoffice", "Magento back-office server: admin, cron, indexers, imports", HTTPS_OUT);
const rundeck = tier("rundeck", "Rundeck: one-button deployment jobs", HTTPS_OUT);
const sideApps = tier("sideapps", "Side applications: PIM, order connector, payments connector", HTTPS_OUT);
// The gateway reads one parameter, its haproxy.cfg, kept outside the stack's path (components/operations/gateway/gateway.ts).
const gatewayConfig = gatewayConfigParameter(config.stack);
const gatewayTier = tier("gateway", "HAProxy gateway: the services a stack opens to the internet, each to its own addresses",
    { parameterPathArn: pulumi.interpolate`arn:aws:ssm:${config.region}:${accountId}:parameter${gatewayConfig}` });
const vpnTier = tier("vpn", "OpenVPN server: operator access to every subnet", { forwardTo: [config.network.vpcCidr] });
const windowsTier = tier("windows", "Windows host of the custom application", { internetPorts: [80, 443] }); // Windows Update uses both
const magento = [web.asClient("web"), backOffice.asClient("backoffice")];
// Operators' shells on every tier: Session Manager with the stack's logged, encrypted preferences, MFA, this stack only.
const sessions = new SessionManager(`${prefix}-sessions`, {
    stack: config.stack, region: config.region, accountId, keyArn: telemetryKey.keyArn, idleTimeoutMinutes: 20, tags,
    tierRoleNames: {
        web: web.roleName, backoffice: backOffice.roleName, rundeck: rundeck.roleName, sideapps: sideApps.roleName,
        gateway: gatewayTier.roleName, vpn: vpnTier.roleName, windows: windowsTier.roleName,
    },
});

// Data: everything here is encrypted with the stack's key and reachable only from the tiers named.
// The service-linked roles, adopted or created: the key's policy names Auto Scaling's, the search domain needs OpenSearch's.
const linkedRoles = new ServiceLinkedRoles(`${prefix}-linked-roles`, { tags });
const serverRoleArns = [web, backOffice, rundeck, sideApps, gatewayTier, vpnTier, windowsTier].map((t) => t.roleArn);
// Two keys (issue 13): data at rest, and secrets. Server roles use them through their grants, never administer them.
const keyOf = (name: string, purpose: string, outlivesStack = false) => new DataKey(`${prefix}-${name}`, {
    alias: `${prefix}-${name}`, purpose, accountId, autoScalingRoleArn: linkedRoles.roleArns["autoscaling.amazonaws.com"],
    serverRoleArns, outlivesStack, tags,
}).keyArn;
// Components that hold a secret next to their data (database, caches, search, VPN) put it on the secrets key; Rundeck's
// admin password is still on the storage key (docs/access.md, "Keys").
// The storage key outlives the stack: the final snapshots and kept backups are encrypted with it (docs/teardown.md).
const keys = { storage: keyOf("data", "Data at rest", true), secrets: keyOf("secrets", "Secrets") };
// The data tier's audit logs (MySQL, OpenSearch) under a key of their own, kept as PCI DSS 10.5.1 asks.
const auditLogKeyArn = new AuditLogKey(`${prefix}-data-audit`, { accountId, region: config.region, serverRoleArns, tags }).keyArn;

// Single servers (NFS, gateway, VPN, Rundeck, Windows) live in the operations AZ (magento:operationsAz, by default the
// first listed: shared/platform.md), each as its tier; their volumes cannot leave it (docs/network.md).
const opsAz = config.network.operationsAz;
const opsImage = amazonLinuxOrPinned(config.opsAmiId, config.instanceTypes.ops);
const singleServer = (as: ServerTier, image = { ...opsImage, instanceType: config.instanceTypes.ops }) => ({
    vpcId, availabilityZone: opsAz,
    serverSecurityGroupId: as.securityGroupId, instanceProfileName: as.instanceProfileName,
    ...image, kmsKeyArn: keys.storage, tags,
});

const database = new Database(`${prefix}-mysql`, {
    vpcId, subnetIds: privateSubnetIds, clients: [...magento, rundeck.asClient("rundeck")],
    databaseName: "magento",
    instanceClass: config.database.instanceClass,
    allocatedStorageGb: config.database.allocatedStorageGb,
    maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
    backupRetentionDays: config.database.backupRetentionDays,
    multiAz: config.production,
    applyImmediately: config.applyImmediately,
    kmsKeyArn: keys.storage, secretsKmsKeyArn: keys.secrets, tags,
});
const sideDatabase = new Database(`${prefix}-sideapps`, {
    vpcId, subnetIds: privateSubnetIds, clients: [sideApps.asClient("sideapps")],
    databaseName: "sideapps",
    instanceClass: config.database.sideInstanceClass,
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    backupRetentionDays: config.database.backupRetentionDays,
    multiAz: config.production,
    applyImmediately: config.applyImmediately,
    kmsKeyArn: keys.storage, secretsKmsKeyArn: keys.secrets, tags,
});

const cacheUsages: CacheUsage[] = config.cache.separateSessions ? ["sessions", "cache"] : ["shared"];
const caches = Object.fromEntries(cacheUsages.map((usage) => [usage, new Cache(`${prefix}-${usage}`, {
    vpcId, subnetIds: privateSubnetIds, clients: magento,
    usage,
    nodeType: config.cache.nodeType,
    highlyAvailable: config.production,
    snapshotRetentionDays: config.production ? 7 : 1,
    applyImmediately: config.applyImmediately,
    kmsKeyArn: keys.storage, secretsKmsKeyArn: keys.secrets, tags,
})]));

// The one role besides the setup job which may act as the data services' masters: operators with MFA
// (docs/data-access.md). The databases' by their secrets, the search domain's through its admin role. The keys the
// masters are on: the secrets key, and the storage key for an RDS master created before the split, which RDS does not
// move (docs/access.md, "Moving the secrets").
const masterSecretKeys = [keys.secrets, keys.storage];
const breakGlass = new BreakGlassRole(`${prefix}-break-glass`, {
    accountId, secretArns: [database.masterSecretArn, sideDatabase.masterSecretArn], kmsKeyArns: masterSecretKeys, region: config.region, tags,
});
const search = new Search(`${prefix}-search`, {
    vpcId, subnetIds: privateSubnetIds, clients: [...magento, rundeck.asClient("rundeck")], // Rundeck: the setup job's users
    adminPrincipalArns: [rundeck.roleArn, breakGlass.roleArn],
    domainName: prefix,
    instanceType: config.search.instanceType,
    masterInstanceType: config.search.masterInstanceType,
    volumeGb: config.search.volumeGb,
    region: config.region, accountId, kmsKeyArn: keys.storage, secretsKmsKeyArn: keys.secrets, auditLogKeyArn, tags,
    // An order, not data: a value computed from the role would be unknown in the preview that creates it, and the key
    // forces a new domain when it changes.
    requires: [linkedRoles.roles["opensearchservice.amazonaws.com"]],
});

// Shared folders (media, sitemaps, exports; never pub/static) on EFS, or on the estate's NFS server.
const efsStorage = () => new EfsStorage(`${prefix}-shared`, {
    vpcId, subnetIdsByAz: network.privateSubnetIdsByAz, formerMountOrder: config.network.availabilityZones,
    clients: magento, shares: MAGENTO_SHARES, kmsKeyArn: keys.storage, tags,
});
const sharedStorage = config.sharedStorage === "efs" ? efsStorage() : nfsStorage();
// A switch's first phase (docs/migrations.md): the target, empty, under the name it keeps after the switch; no server uses it yet.
if (config.sharedStorageTarget !== undefined) {
    void (config.sharedStorageTarget === "efs" ? efsStorage() : nfsStorage());
}

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
    kmsKeyArn: keys.storage, accountId, region: config.region,
    logRetentionDays: config.accessLogRetentionDays,
    logsDisposable: !config.production,
    tempExpiryDays: config.tempExpiryDays,
    tags,
});
network.limitS3To([buckets.configBucketArn, buckets.tempBucketArn], config.region); // what servers read and write

// The users Magento connects as (created and rotated by the setup job on Rundeck).
const appCredentials = new AppCredentials(`${prefix}-app-credentials`, { stack: config.stack, kmsKeyArn: keys.secrets, tags });

// What servers read at boot, under /magento/<stack>/: endpoints and the ARNs of secrets, never secret values.
const parameters = new AppParameters(`${prefix}-parameters`, {
    stack: config.stack, region: config.region, accountId, tags,
    values: {
        "db/host": database.address,
        "db/name": "magento",
        "db/secret-arn": appCredentials.databaseSecretArn,
        "db/ssl-ca": rdsCaBundle(config.region).path, // the CA the release points Magento's connection at (TLS required)
        ...Object.fromEntries(Object.entries(caches).flatMap(([usage, cache]) => [
            [`redis/${usage}/host`, cache.primaryEndpoint],
            [`redis/${usage}/auth-secret-arn`, cache.authTokenSecretArn],
        ])),
        "search/host": search.endpoint,
        "search/credentials-secret-arn": appCredentials.searchSecretArn,
        "search/index-prefix": MAGENTO_INDEX_PREFIX, // Magento's search user may use <prefix>_* only
        ...(sharedStorage instanceof EfsStorage
            ? { "shared/efs-id": sharedStorage.fileSystemId, ...Object.fromEntries(Object.entries(sharedStorage.accessPointIds).map(([share, id]) => [`shared/${share}/access-point`, id])) }
            : { "shared/nfs-host": sharedStorage.address, ...Object.fromEntries(Object.entries(sharedStorage.exportPaths).map(([share, path]) => [`shared/${share}/export`, path])) }),
        "buckets/config": buckets.configBucketName,
        "buckets/temp": buckets.tempBucketName,
    },
});

// Edge: public zones and certificates (the listener's), the secrets CloudFront proves itself with to the load balancer
// on the CDN paths and CloudFront itself; then one load balancer, its WAF, and the public names in front of it.
const edge = edgeCertificates(prefix, config);
const cdn = cdnEdge(prefix, config, { ...edge, kmsKeyArn: keys.secrets, logsBucketArn: buckets.logsBucketArn, logsDependsOn: [buckets] });
const loadBalancer = new LoadBalancer(`${prefix}-shop`, {
    vpcId, subnetIds: network.publicSubnetIds,
    certificateArn: edge.certificates.loadBalancerCertificateArn,
    extraCertificateArns: edge.certificates.extraCertificateArns,
    formerCertificateIndex: config.edge.plan.former.listenerIndexOf,
    adminPath: config.web.adminPath,
    adminSources: config.operatorCidrs, // not the VPN's clients: they reach the internet directly (docs/admin.md)
    cdnPaths: cdn.cdnPaths,
    originVerify: cdn.originVerify,
    targetSecurityGroupIds: { frontend: web.securityGroupId, backoffice: backOffice.securityGroupId },
    accessLogsBucket: buckets.logsBucketName,
    accessLogsDependsOn: [buckets], // its logs bucket policy among them
    deletionProtection: config.production,
    tags,
});
const webAcl = config.web.waf
    ? new WebAcl(`${prefix}-waf`, {
        resourceArn: loadBalancer.arn, ratePerIpPer5Min: 2000,
        originVerify: cdn.originVerify,
        cdnPaths: Object.values(config.edge.originPaths), largeBodyPaths: loadBalancer.adminPaths,
        adminPath: config.web.adminPath, adminSources: config.operatorCidrs,
        logKeyArn: telemetryKey.keyArn, accountId, region: config.region, tags,
    })
    : undefined;
const site = publicEdge(prefix, config, { ...edge, loadBalancer, cdn: cdn.cdn });

// Web servers: the front end scaling over every AZ, the back office as one server; both boot the release image, mount
// the shared folders and read the parameters above.

// Each web tier's boot policy: its parameters and the secrets they name (Magento's own users and Redis AUTH, never a
// master's), the secrets key only through Secrets Manager (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
// One policy per tier: the front end and the back office run the same Magento and need the same secrets today; the
// release's setup step, which needs the masters, runs on Rundeck (below).
const bootReads = (secrets: pulumi.Input<string>[]) => [
    { Effect: "Allow" as const, Action: "ssm:GetParametersByPath", Resource: parameters.pathArn },
    { Effect: "Allow" as const, Action: ["ssm:GetParameters", "ssm:GetParameter"], Resource: parameters.parameterArns },
    { Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: secrets },
    { Effect: "Allow" as const, Action: "kms:Decrypt", Resource: keys.secrets, Condition: viaService("secretsmanager", config.region) },
];
const magentoSecrets = [appCredentials.databaseSecretArn, appCredentials.searchSecretArn, ...Object.values(caches).map((c) => c.authTokenSecretArn)];
web.grant("boot-reads", bootReads(magentoSecrets));
backOffice.grant("boot-reads", bootReads(magentoSecrets));
// The configuration bucket is read-only for both (the release puts it there); scratch files (imports, exports) are
// the back office's alone. SSE-KMS objects need the key, through S3 only: Decrypt to read, GenerateDataKey to write.
const readConfig = [
    { Effect: "Allow" as const, Action: "s3:ListBucket", Resource: buckets.configBucketArn },
    { Effect: "Allow" as const, Action: "s3:GetObject", Resource: pulumi.interpolate`${buckets.configBucketArn}/*` },
    { Effect: "Allow" as const, Action: "kms:Decrypt", Resource: keys.storage, Condition: viaService("s3", config.region) },
];
web.grant("config-bucket", readConfig);
backOffice.grant("config-bucket", [
    ...readConfig,
    { Effect: "Allow" as const, Action: "s3:ListBucket", Resource: buckets.tempBucketArn },
    { Effect: "Allow" as const, Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: pulumi.interpolate`${buckets.tempBucketArn}/*` },
    { Effect: "Allow" as const, Action: "kms:GenerateDataKey", Resource: keys.storage, Condition: viaService("s3", config.region) },
]);
// The release's setup step on Rundeck (rundeck-data-users.ts): it finds the shop database and the search domain,
// reads their master credentials (the search master's only to retire it), and writes Magento's users' secrets.
rundeck.grant("data-setup", [
    { Effect: "Allow" as const, Action: "rds:DescribeDBInstances", Resource: pulumi.interpolate`arn:aws:rds:${config.region}:${accountId}:db:*` },
    { Effect: "Allow" as const, Action: "es:DescribeDomain", Resource: search.domainArn },
    { Effect: "Allow" as const, Action: "sts:AssumeRole", Resource: search.adminRoleArn }, // it signs as the domain's admin
    { Effect: "Allow" as const, Action: "secretsmanager:ListSecrets", Resource: "*" }, // names and tags only; it finds the search master by its tag
    { Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: [database.masterSecretArn, search.masterSecretArn, appCredentials.databaseSecretArn, appCredentials.searchSecretArn] },
    { Effect: "Allow" as const, Action: "secretsmanager:PutSecretValue", Resource: [appCredentials.databaseSecretArn, appCredentials.searchSecretArn] },
    // The masters' keys (above); the storage key also holds Rundeck's own admin password (components/operations/rundeck/rundeck.ts).
    { Effect: "Allow" as const, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: masterSecretKeys, Condition: viaService("secretsmanager", config.region) },
]);

const shareSources: Record<string, pulumi.Input<ShareSource>> = sharedStorage instanceof EfsStorage
    ? Object.fromEntries(sharedStorage.shares.map((share) => [share.name, pulumi.all([sharedStorage.fileSystemId, sharedStorage.accessPointIds[share.name]])
        .apply(([fileSystemId, accessPointId]) => ({ kind: "efs" as const, fileSystemId, accessPointId }))]))
    : Object.fromEntries(sharedStorage.shares.map((share) => [share.name, sharedStorage.address
        .apply((host) => ({ kind: "nfs" as const, host, exportPath: sharedStorage.exportPaths[share.name] }))]));
// Each tier mounts its own shares: the order exports are the back office's alone (components/storage/shares.ts).
const webUserData = (tierName: string) => pulumi.all(shareSources).apply((sources) => webBootConfig({
    mounts: sharesOf(tierName, MAGENTO_SHARES).map((share) => ({ share, source: sources[share.name] })),
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
    userData: webUserData(name),
    sharedMounts: sharedMountsTag(sharesOf(name, MAGENTO_SHARES)),
    targetGroupArn: loadBalancer.targetGroups[target].arn,
    bootDependsOn: [sharedStorage, parameters], // servers mount the shares and read the parameters at boot
    kmsKeyArn: keys.storage, tags,
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

// Operations: the operators' ways in. Both in the operations AZ's public subnet, each with an Elastic IP that survives a rebuild.
const gateway = new Gateway(`${prefix}-haproxy`, {
    ...singleServer(gatewayTier),
    publicSubnetIdsByAz: network.publicSubnetIdsByAz,
    services: config.gatewayInternet,
    allowedSources: config.operatorCidrs,
    configParameterName: gatewayConfig,
    region: config.region,
    grantConfigRead: (arn) => gatewayTier.grant("haproxy-config", [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: arn }]),
});
const vpn = new VpnServer(`${prefix}-openvpn`, {
    ...singleServer(vpnTier),
    vpcCidr: config.network.vpcCidr,
    publicSubnetIdsByAz: network.publicSubnetIdsByAz,
    // In AZ-name order: the pushed routes (user data) stay the same when the AZs are listed in another order.
    routedCidrs: [config.network.publicSubnetCidrs, config.network.privateSubnetCidrs].flatMap((tier) => network.availabilityZones.map((az) => tier[az])),
    clientCidr: config.vpnClientCidr,
    internalDomain: config.internalDomain,
    stack: config.stack, region: config.region,
    roleName: vpnTier.roleName,
    accountId, secretsKmsKeyArn: keys.secrets,
});

// Operations inside: single servers in the operations AZ, their data on protected volumes, reachable only from inside.
const rundeckServer = new Rundeck(`${prefix}-rundeck`, {
    ...singleServer(rundeck),
    privateSubnetIdsByAz: network.privateSubnetIdsByAz,
    roleName: rundeck.roleName,
    vpnSecurityGroupId: vpnTier.securityGroupId,
    logKeyArn: telemetryKey.keyArn, // job output and audit logs, with the other security logs
    volumeGb: 50,
    deployScope: { region: config.region, accountId, stack: config.stack, tiers: ["web", "backoffice"] },
    dns: internalDns,
    dataUsers: {
        region: config.region, databaseNameTag: database.nameTag, schema: "magento", databaseSecretName: appSecretNames(config.stack).database,
        searchDomain: search.domainName, searchMasterTag: search.masterSecretTag, searchAdminRole: search.adminRoleName, searchSecretName: appSecretNames(config.stack).search, indexPrefix: MAGENTO_INDEX_PREFIX,
    },
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
    gatewaySubnetCidr: config.network.publicSubnetCidrs[opsAz], // the gateway's and the VPN server's: the operations AZ's public subnet
    ftp: ftpPassive && { fromPort: ftpPassive.fromPort, toPort: ftpPassive.toPort, externalAddress: ftpOnInternet ? gateway.publicIp : undefined },
    vpnSecurityGroupId: vpnTier.securityGroupId,
    vpnPorts: windowsServices.map(({ fromPort, toPort }) => ({ fromPort, toPort })),
    volumes: [{ label: "data", driveLetter: "D", sizeGb: 200 }, { label: "apps", driveLetter: "E", sizeGb: 100 }],
    dns: internalDns,
});

// Every alarm notifies the operators' topic: the stack's own with the list subscribed, or the one the stack names.
const alarmTopicArn = config.alarmTopicArn ?? new AlarmTopic(`${prefix}-alarms`, { email: config.alarmEmail, accountId, region: config.region, kmsKeyArn: telemetryKey.keyArn, tags }).topicArn;

// The merchant's other sites over IPsec, each tunnel alarmed.
const siteLinks = config.siteLinks.length > 0
    ? new SiteLinks(`${prefix}-sites`, { vpcId, privateRouteTableIds: network.privateRouteTableIds, links: config.siteLinks, alarmTopicArn, tags })
    : undefined;

// Security events: the account's CloudTrail (when the stack names its log group) and the WAF's blocked requests.
const securityAlarms = new SecurityAlarms(`${prefix}-security`, {
    cloudTrailLogGroup: config.cloudTrailLogGroup,
    webAcl: webAcl && { name: webAcl.name, region: config.region, blockedPer5Min: 1000 }, // ~3 a second for 5 minutes
    topicArn: alarmTopicArn, namespace: `Magento/${config.stack}/Security`, tags,
});

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
    otherAlarms: [...siteLinks?.alarms ?? [], ...securityAlarms.alarms],
    region: config.region,
    tags,
});

// The account-level services the estate relies on (GuardDuty, Security Hub, CloudTrail's log group), read and warned
// about, never failed on.
/** Warnings about account-level security services found off; empty when they are on. */
export const accountSecurityWarnings = accountBaselineWarnings(config.region, providerLookups(), config.cloudTrailLogGroup).then((warnings) => {
    warnings.forEach((w) => void pulumi.log.warn(w)); // the SDK keeps the program alive until each is sent
    return warnings;
});

export { vpcId, privateSubnetIds };
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const internalZoneId = internalZone.zoneId;
export const databaseAddress = database.address;
export const databaseSecretArn = database.masterSecretArn; // the master's: the break-glass role reads it
export const breakGlassRoleArn = breakGlass.roleArn; // assumed with MFA (docs/data-access.md)
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
export const sessionDocumentName = sessions.documentName; // start-session --document-name: logged, encrypted sessions
export const sessionOperatorRoleArn = sessions.operatorRoleArn; // assumed with MFA to open them
/** Every alarm of the stack (name and ARN), all notifying alarmTopicArn. */
export const alarmTargets = [...siteLinks?.alarms ?? [], ...monitoring.alarms, ...securityAlarms.alarms];
export { alarmTopicArn };
export const dashboardName = monitoring.dashboardName;
export const gatewayPublicIp = gateway.publicIp;
export const vpnPublicIp = vpn.publicIp;
export const vpnCaRoleArn = vpn.caRoleArn; // operators assume it (with MFA) to run vpn-pki: docs/vpn.md
export const loadBalancerCertificateArn = edge.certificates.loadBalancerCertificateArn;
export const storefrontCertificateArns = Object.values(edge.certificates.extraCertificateArns);
export const originVerifySecretArn = cdn.originVerifySecretArn; // the value CloudFront sends now
export const { cdnDistributionIds, registrarRecords, certificateValidationRecords, publicNames } = site;
