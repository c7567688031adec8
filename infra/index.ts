// The Magento estate of one environment, in the order of the architecture (docs/prod/architecture.svg): the telemetry
// key and the network, the identities of the server tiers, then the data tier that admits them, storage, the edge and
// the load balancer in front of the web servers, the operators' ways in, and monitoring. Each layer is a function
// from the configuration and the layers before it to what later layers need (infra/<layer>.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountBaselineWarnings, providerLookups } from "../components/security/account-baseline";
import { readStackConfig } from "../stacks";
import { StackContext } from "./context";
import { appSettings, backups, dataServices } from "./data";
import { cdnEdge, edgeCertificates, publicEdge } from "./edge";
import { applyLifecycle } from "./lifecycle";
import { alarmTopic, certificateAlarms, monitoring } from "./monitoring";
import { network, siteLinks } from "./network";
import { operations, setupJobAccess } from "./operations";
import { dataKeys, telemetry } from "./security";
import { releaseImages, releaseRunner } from "./release";
import { singleServers } from "./servers";
import { sideApps } from "./sideapps";
import { storage } from "./storage";
import { serverTiers } from "./tiers";
import { loadBalancing, webServers } from "./web";

const config = readStackConfig();
applyLifecycle(config);
const stack: StackContext = {
    config,
    prefix: `magento-${config.stack}`,
    accountId: aws.getCallerIdentityOutput().accountId,
};

const telemetryKey = telemetry(stack);
const net = network(stack, telemetryKey);
const tiers = serverTiers(stack, net, telemetryKey);
const keys = dataKeys(stack, tiers);
const singleServer = singleServers(stack, net, keys);
const data = dataServices(stack, net, tiers, keys);
const stored = storage(stack, net, tiers, keys, singleServer);
const app = appSettings(stack, data, stored, keys);
const backedUp = backups(stack, keys, data);
const release = releaseImages(stack, net, tiers, keys, stored);

// Edge: public zones and certificates (the listener's), the secrets CloudFront proves itself with to the load balancer
// on the CDN paths and CloudFront itself; then one load balancer, its WAF, and the public names in front of it.
const edge = edgeCertificates(stack.prefix, config);
const cdn = cdnEdge(stack.prefix, config, {
    ...edge,
    kmsKeyArn: keys.secrets,
    logsBucketArn: stored.buckets.logsBucketArn,
    logsDependsOn: [stored.buckets],
});
const front = loadBalancing(stack, net, tiers, edge, cdn, stored, telemetryKey);
const site = publicEdge(stack.prefix, config, { ...edge, loadBalancer: front.loadBalancer, cdn: cdn.cdn });
const web = webServers(stack, net, tiers, keys, data, app, stored, front);
setupJobAccess(stack, tiers, data, app);
const ops = operations(stack, net, tiers, keys, telemetryKey, data, singleServer);
const side = sideApps(stack, tiers, keys, data, stored, front, singleServer, net, ops.gateway.publicIp);

const topicArn = alarmTopic(stack, telemetryKey);
const sites = siteLinks(stack, net, topicArn);
const watch = monitoring(stack, topicArn, sites?.alarms ?? [], data, stored, front, web, side, ops, backedUp);
const expiry = certificateAlarms(stack, topicArn, tiers);
const runner = releaseRunner(stack, tiers, telemetryKey, release, web, topicArn, watch);

// The account-level services the estate relies on (GuardDuty, Security Hub, CloudTrail's log group), read and warned
// about, never failed on.
/** Warnings about account-level security services found off; empty when they are on. */
export const accountSecurityWarnings = accountBaselineWarnings(
    config.region,
    providerLookups(),
    config.cloudTrailLogGroup,
).then((warnings) => {
    warnings.forEach((w) => void pulumi.log.warn(w)); // the SDK keeps the program alive until each is sent
    return warnings;
});

export const vpcId = net.network.vpcId;
export const privateSubnetIds = net.network.privateSubnetIds;
export const availabilityZones = net.network.availabilityZones;
export const publicSubnetIds = net.network.publicSubnetIds;
export const internalZoneId = net.internalZone.zoneId;
export const databaseAddress = data.database.address;
export const databaseSecretArn = data.database.masterSecretArn; // the master's: the break-glass role reads it
export const breakGlassRoleArn = data.breakGlass.roleArn; // assumed with MFA (docs/data-access.md)
export const sideDatabaseAddress = data.sideDatabase.address;
export const sideDatabaseSecretArn = data.sideDatabase.masterSecretArn; // its master's: creating the apps' users (docs/sideapps.md)
export const redisEndpoints = Object.fromEntries(
    Object.entries(data.caches).map(([usage, c]) => [usage, c.primaryEndpoint]),
);
export const searchEndpoint = data.search.endpoint;
/** The vault every recovery point is in, and the plan that makes them (restores: docs/backups.md). */
export const backupVaultName = backedUp.backups.vaultName;
export const backupPlanId = backedUp.backups.planId;
export const parameterPrefix = app.parameters.prefix;
const { buckets } = stored;
export const bucketNames = {
    config: buckets.configBucketName,
    logs: buckets.logsBucketName,
    temp: buckets.tempBucketName,
    billing: buckets.billingBucketName,
    artifacts: buckets.artifactsBucketName, // CI uploads releases/ here (docs/release-image.md)
};
/** The image pipeline CI starts (`aws imagebuilder start-image-pipeline-execution`); none in a stack that does not build. */
export const imagePipelineArn = release.pipeline?.pipelineArn;
export const releaseImageKeyArn = release.imageKeyArn; // a promotion's copy is encrypted with it
export const loadBalancerDnsName = front.loadBalancer.dnsName;
/** What the web tiers boot: the release parameter's name, `pinned`, or `none` (no release image yet: no server). */
export const releaseImage = web.releaseImage;
/** The release runner every trigger starts (docs/releasing.md): `aws stepfunctions start-execution`. */
export const releaseRunnerArn = runner.arn;
export const webGroupNames = { frontend: web.frontEnd.groupName, backoffice: web.backOffice.groupName };
/** The side applications (docs/sideapps.md): each one's address, group (for an instance refresh after a release) and
 *  database secret (its MySQL user, which the operator creates once: docs/sideapps.md, "Database users"). */
export const sideAppUrls = Object.fromEntries(Object.entries(side.apps).map(([name, a]) => [name, a.url]));
export const sideAppGroupNames = Object.fromEntries(Object.entries(side.apps).map(([name, a]) => [name, a.groupName]));
export const sideAppDatabaseSecretArns = side.databaseSecretArns;
/** The order connector's FTP drop (docs/sideapps.md): its user's password, for the partner, and its certificate, to
 *  rotate it; unset in a stack without the drop. */
export const ordersFtpPasswordSecretArn = side.ftp?.passwordSecretArn;
export const ordersFtpCertificateSecretArn = side.ftp?.certificateSecretArn;
export const sharedStorageEndpoint = stored.shared.endpoint;
export const rundeckUrl = ops.rundeck.url;
export const rundeckAdminSecretArn = ops.rundeck.adminSecretArn; // the admin login's password
export const rundeckInstanceId = ops.rundeck.instanceId; // the target of a database session (docs/database-access.md)
export const windowsHostName = ops.windows.fqdn;
export const windowsInstanceId = ops.windows.instanceId; // the target of `aws ssm start-session`: there is no key pair
export const sessionDocumentName = tiers.sessions.documentName; // start-session --document-name: logged, encrypted sessions
export const sessionOperatorRoleArn = tiers.sessions.operatorRoleArn; // assumed with MFA to open them
/** Read-only database sessions (docs/database-access.md): the role (MFA), and the port-forwarding document per database. */
export const databaseOperatorRoleArn = ops.databaseAccess.operatorRoleArn;
export const databaseSessionDocuments = ops.databaseAccess.documentNames;
/** Every alarm of the stack (name and ARN), all notifying alarmTopicArn. */
export const alarmTargets = [...watch.alarms, ...(expiry?.alarms ?? [])];
export const alarmTopicArn = topicArn;
export const dashboardName = watch.dashboardName;
export const gatewayPublicIp = ops.gateway.publicIp;
export const vpnPublicIp = ops.vpn.publicIp;
export const vpnCaRoleArn = ops.vpn.caRoleArn; // operators assume it (with MFA) to run vpn-pki: docs/vpn.md
export const loadBalancerCertificateArn = edge.certificates.loadBalancerCertificateArn;
export const storefrontCertificateArns = Object.values(edge.certificates.extraCertificateArns);
export const originVerifySecretArn = cdn.originVerifySecretArn; // the value CloudFront sends now
export const { cdnDistributionIds, registrarRecords, certificateValidationRecords, publicNames } = site;
