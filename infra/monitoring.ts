// Monitoring: every alarm notifies the operators' topic (the stack's own with the list subscribed, or the one the
// stack names); security events (the account's CloudTrail, the WAF's blocked requests); the operators' alarms and
// dashboard, every dimension from the resources of the layers before.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../components/network/site-links";
import { CertificateExpiry } from "../components/monitoring/certificate-expiry";
import { Monitoring } from "../components/monitoring/monitoring";
import { SecurityAlarms } from "../components/monitoring/security-alarms";
import { AlarmTopic } from "../components/monitoring/topic";
import { StackContext } from "./context";
import { BackupLayer, DataLayer } from "./data";
import { Operations } from "./operations";
import { SideApps } from "./sideapps";
import { Telemetry } from "./security";
import { StorageLayer } from "./storage";
import { ServerTiers } from "./tiers";
import { LoadBalancing, WebServers } from "./web";

/** The topic every alarm notifies. */
export function alarmTopic({ config, prefix, accountId }: StackContext, telemetry: Telemetry): pulumi.Input<string> {
    return (
        config.alarmTopicArn ??
        new AlarmTopic(`${prefix}-alarms`, {
            email: config.alarmEmail,
            accountId,
            region: config.region,
            kmsKeyArn: telemetry.keyArn,
            tags: config.tags,
        }).topicArn
    );
}

export interface Watch {
    /** Every alarm of the stack (name and ARN), all notifying the topic. */
    readonly alarms: AlarmTarget[];
    readonly dashboardName: pulumi.Output<string>;
}

export function monitoring(
    { config, prefix }: StackContext,
    topicArn: pulumi.Input<string>,
    otherAlarms: readonly AlarmTarget[],
    data: DataLayer,
    storage: StorageLayer,
    { loadBalancer, webAcl }: LoadBalancing,
    web: WebServers,
    side: SideApps,
    ops: Operations,
    { backups }: BackupLayer,
): Watch {
    const { tags } = config;
    const securityAlarms = new SecurityAlarms(`${prefix}-security`, {
        cloudTrailLogGroup: config.cloudTrailLogGroup,
        webAcl: webAcl && { name: webAcl.name, region: config.region, blockedPer5Min: 1000 }, // ~3 a second for 5 minutes
        topicArn,
        namespace: `Magento/${config.stack}/Security`,
        tags,
    });
    const { database, sideDatabase, caches, search } = data;
    const watch = new Monitoring(`${prefix}-monitoring`, {
        topicArn,
        resources: {
            databases: { shop: database.instanceIdentifier, sideapps: sideDatabase.instanceIdentifier },
            loadBalancer: {
                arnSuffix: loadBalancer.arnSuffix,
                targetGroups: {
                    frontend: loadBalancer.targetGroups.frontend.arnSuffix,
                    backoffice: loadBalancer.targetGroups.backoffice.arnSuffix,
                    // Each side application's one server: its 5xx, latency and unhealthy host, as the shop's groups.
                    ...Object.fromEntries(
                        Object.entries(side.apps).map(([name, app]) => [name, app.targetGroupArnSuffix]),
                    ),
                },
            },
            cacheNodes: Object.fromEntries(
                Object.entries(caches).flatMap(([usage, cache]) =>
                    cache.memberClusterIds.map((id, i) => [`${usage}-${i + 1}`, id]),
                ),
            ),
            fileSystems: storage.shared.fileSystems,
            search: { ...search.metricsKey, volumeGb: config.search.volumeGb },
            // The back office is always at its maximum (1): only the front end can run out of room to scale.
            scalingGroups: { frontend: web.frontEnd.groupName },
            backupVault: backups.vaultName,
            // Every Linux server's agent (the Windows host runs none): the groups, then the single servers.
            servers: {
                groups: {
                    frontend: web.frontEnd.agentMetrics,
                    backoffice: web.backOffice.agentMetrics,
                    ...Object.fromEntries(Object.entries(side.apps).map(([name, app]) => [name, app.agentMetrics])),
                },
                instances: {
                    rundeck: ops.rundeck.agentMetrics,
                    gateway: ops.gateway.agentMetrics,
                    vpn: ops.vpn.agentMetrics,
                    ...storage.servers,
                },
            },
        },
        thresholds: config.alarmThresholds,
        otherAlarms: [...otherAlarms, ...securityAlarms.alarms],
        region: config.region,
        tags,
    });
    return { alarms: [...otherAlarms, ...watch.alarms, ...securityAlarms.alarms], dashboardName: watch.dashboardName };
}

/**
 * Alarms on the imported certificates' days to expiry, each in its certificate's region; none where ACM issues them
 * (DNS-validated, it renews them while their validation records stand: docs/edge.md). Not among Watch's alarms: an
 * expiring certificate must not fail a release's instance refresh.
 */
export function certificateAlarms(
    { config, prefix, accountId }: StackContext,
    topicArn: pulumi.Input<string>,
    tiers: ServerTiers,
): CertificateExpiry | undefined {
    const imported = config.edge.importedCertificates;
    return (
        imported &&
        new CertificateExpiry(`${prefix}-certificate-expiry`, {
            certificates: [
                { label: "shop", arn: imported.loadBalancerArn },
                { label: "cdn", arn: imported.cdnArn },
            ],
            region: config.region,
            topicArn,
            email: config.alarmEmail,
            accountId,
            serverRoleArns: tiers.roleArns,
            tags: config.tags,
        })
    );
}
