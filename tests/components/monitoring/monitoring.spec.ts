// The operators' alarms and dashboard as an operator checks them: what each alarm watches (metric, statistic, the
// resource its dimensions come from), when it fires, where it notifies; and the dashboard's panels.
import * as assert from "assert";
import * as YAML from "yaml";
import { CloudConfig } from "../../../components/compute/cloud-init";
import { AGENT_CONFIG } from "../../../components/compute/cloudwatch-agent";
import { ALARM_THRESHOLD_DEFAULTS } from "../../../model/alarm-thresholds";
import { DASHBOARD_PANELS } from "../../../components/monitoring/dashboard";
import { SIDE_APPS } from "../../../model/side-apps";
import { StateResource } from "../../../offline/state";
import {
    AUTOSCALING_GROUP,
    BACKUP_VAULT,
    CLOUDWATCH_DASHBOARD,
    CLOUDWATCH_METRIC_ALARM,
    EC2_INSTANCE,
    EFS_FILE_SYSTEM,
    ELASTICACHE_REPLICATION_GROUP,
    LB_LOAD_BALANCER,
    LB_TARGET_GROUP,
    OPENSEARCH_DOMAIN,
    RDS_INSTANCE,
    SNS_TOPIC,
    SNS_TOPIC_SUBSCRIPTION,
} from "../../../policies/lib/types";
import { ofType, prefetch, stackResources, via, webOfType } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

type Inputs = Record<string, unknown>;
type Dimensions = Record<string, string>;
interface Query {
    id: string;
    expression?: string;
    period?: number;
    metric?: { namespace: string; metricName: string; dimensions: Dimensions; period: number; stat: string };
}

/** What a server's (or a launch template's) CloudWatch agent configuration says of its metrics, from its user data. */
interface AgentMetricsConfig {
    namespace: string;
    append_dimensions: Record<string, string>;
    aggregation_dimensions: string[][];
    metrics_collected: { disk?: { measurement: string[]; resources: string[] } };
}
function agentMetricsConfig(server: StateResource): AgentMetricsConfig {
    const config = YAML.parse(userDataText(server)) as CloudConfig;
    const file = config.write_files!.find((f) => f.path === AGENT_CONFIG)!;
    return (JSON.parse(file.content) as { metrics: AgentMetricsConfig }).metrics;
}
/** The namespace a server's (or a launch template's) CloudWatch agent publishes into. */
const agentNamespace = (server: StateResource): string => agentMetricsConfig(server).namespace;

/** What a resource's output is, for the dimension it feeds. */
type Source = { type: string; urn: RegExp; value: (r: StateResource) => string };
const output = (type: string, urn: RegExp, key: string): Source => ({
    type,
    urn,
    value: (r) => String(r.outputs![key]),
});

/** The expected alarm: what it watches, how, and which resource each dimension is read from. */
interface Expected {
    key: string;
    metrics: Record<string, [namespace: string, metricName: string, stat: string]>;
    /** A metric-math expression, or a Metrics Insights query made of the dimensions' values (the resource's). */
    expression?: string | ((values: Record<string, string>) => string);
    period: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    comparison: string;
    threshold: number;
    missing: string;
    dimensions: Record<string, Source>;
}

const T = ALARM_THRESHOLD_DEFAULTS;
const oneMinute = { period: 60, evaluationPeriods: 3, datapointsToAlarm: 3 };
const fifteenMinutes = { period: 300, evaluationPeriods: 3, datapointsToAlarm: 3 };
const LB = output(LB_LOAD_BALANCER, /shop-alb$/, "arnSuffix");
const arnPart = (part: (arn: string) => string): Source => ({
    type: OPENSEARCH_DOMAIN,
    urn: /search-domain$/,
    value: (r) => part(String(r.outputs!.arn)),
});
const member = (group: RegExp, i: number): Source => ({
    type: ELASTICACHE_REPLICATION_GROUP,
    urn: group,
    value: (r) => [...(r.outputs!.memberClusters as string[])].sort()[i],
});

function prodAlarms(): Expected[] {
    const db = (label: string, urn: RegExp): Expected[] => {
        const dimensions = { DBInstanceIdentifier: output(RDS_INSTANCE, urn, "identifier") };
        return [
            {
                key: `${label}-db-cpu`,
                metrics: { m: ["AWS/RDS", "CPUUtilization", "Average"] },
                ...oneMinute,
                comparison: "GreaterThanThreshold",
                threshold: 70,
                missing: "missing",
                dimensions,
            },
            {
                key: `${label}-db-connections`,
                metrics: { m: ["AWS/RDS", "DatabaseConnections", "Maximum"] },
                ...oneMinute,
                comparison: "GreaterThanThreshold",
                threshold: 100,
                missing: "missing",
                dimensions,
            },
            {
                key: `${label}-db-free-storage`,
                metrics: { m: ["AWS/RDS", "FreeStorageSpace", "Minimum"] },
                ...fifteenMinutes,
                comparison: "LessThanThreshold",
                threshold: 10 * 1024 ** 3,
                missing: "missing",
                dimensions,
            },
        ];
    };
    const group = (label: string, urn: RegExp): Expected[] => {
        const dimensions = { LoadBalancer: LB, TargetGroup: output(LB_TARGET_GROUP, urn, "arnSuffix") };
        return [
            {
                key: `${label}-5xx-rate`,
                metrics: {
                    part: ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum"],
                    whole: ["AWS/ApplicationELB", "RequestCount", "Sum"],
                },
                expression: "100 * FILL(part, 0) / whole",
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: T.target5xxPercent,
                missing: "notBreaching",
                dimensions,
            },
            {
                key: `${label}-latency-p95`,
                metrics: { m: ["AWS/ApplicationELB", "TargetResponseTime", "p95"] },
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: 2,
                missing: "notBreaching",
                dimensions,
            },
            {
                key: `${label}-unhealthy-hosts`,
                metrics: { m: ["AWS/ApplicationELB", "UnHealthyHostCount", "Maximum"] },
                ...fifteenMinutes,
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                missing: "missing",
                dimensions,
            },
        ];
    };
    const redis = (label: string, urn: RegExp, i: number): Expected[] => {
        const dimensions = { CacheClusterId: member(urn, i) };
        return [
            {
                key: `${label}-redis-cpu`,
                metrics: { m: ["AWS/ElastiCache", "EngineCPUUtilization", "Average"] },
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: 80,
                missing: "missing",
                dimensions,
            },
            {
                key: `${label}-redis-memory`,
                metrics: { m: ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Maximum"] },
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: 80,
                missing: "missing",
                dimensions,
            },
            {
                key: `${label}-redis-evictions`,
                metrics: { m: ["AWS/ElastiCache", "Evictions", "Sum"] },
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: 1000,
                missing: "notBreaching",
                dimensions,
            },
        ];
    };
    const search = { DomainName: arnPart((arn) => arn.split("/")[1]), ClientId: arnPart((arn) => arn.split(":")[4]) };
    return [
        ...db("shop", /prod-mysql-db$/),
        ...db("sideapps", /prod-sideapps-db$/),
        {
            key: "alb-5xx-rate",
            metrics: {
                part: ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum"],
                whole: ["AWS/ApplicationELB", "RequestCount", "Sum"],
            },
            expression: "100 * FILL(part, 0) / whole",
            ...fifteenMinutes,
            comparison: "GreaterThanThreshold",
            threshold: 1,
            missing: "notBreaching",
            dimensions: { LoadBalancer: LB },
        },
        ...group("frontend", /shop-fe$/),
        ...group("backoffice", /shop-bo$/),
        ...group("pim", /SideApp.*::magento-prod-pim$/),
        ...group("orders", /SideApp.*::magento-prod-orders$/),
        ...group("cashout", /SideApp.*::magento-prod-cashout$/),
        ...redis("sessions-1", /sessions-redis$/, 0),
        ...redis("sessions-2", /sessions-redis$/, 1),
        ...redis("cache-1", /cache-redis$/, 0),
        ...redis("cache-2", /cache-redis$/, 1),
        {
            key: "shared-efs-throughput",
            metrics: {
                metered: ["AWS/EFS", "MeteredIOBytes", "Sum"],
                permitted: ["AWS/EFS", "PermittedThroughput", "Average"],
            },
            expression: "100 * (metered / PERIOD(metered)) / permitted",
            ...fifteenMinutes,
            comparison: "GreaterThanThreshold",
            threshold: 80,
            missing: "missing",
            dimensions: { FileSystemId: { type: EFS_FILE_SYSTEM, urn: /shared-fs$/, value: (r) => r.id! } },
        },
        {
            key: "search-cluster-red",
            metrics: { m: ["AWS/ES", "ClusterStatus.red", "Maximum"] },
            period: 60,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            missing: "missing",
            dimensions: search,
        },
        // 25% of the 100 GiB volume, in MiB.
        {
            key: "search-free-storage",
            metrics: { m: ["AWS/ES", "FreeStorageSpace", "Minimum"] },
            period: 60,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparison: "LessThanOrEqualToThreshold",
            threshold: 25600,
            missing: "missing",
            dimensions: search,
        },
        {
            key: "frontend-at-max",
            metrics: {
                inService: ["AWS/AutoScaling", "GroupInServiceInstances", "Minimum"],
                maxSize: ["AWS/AutoScaling", "GroupMaxSize", "Maximum"],
            },
            expression: "IF(inService >= maxSize, 1, 0)",
            ...fifteenMinutes,
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            missing: "missing",
            dimensions: { AutoScalingGroupName: output(AUTOSCALING_GROUP, /frontend-asg$/, "name") },
        },
        ...backupJobs(),
        ...diskAlarms(),
    ];
}

/** Each Linux server tier's fullest file system (the root or a data volume) above 80% for 15 minutes, on the series
 *  its agent rolls up: per group by AutoScalingGroupName, per single server by InstanceId (review I-F10). */
function diskAlarms(): Expected[] {
    const disk = (key: string, tier: string, dimensions: Record<string, Source>): Expected => ({
        key: `${key}-disk-used`,
        metrics: { m: [`Magento/prod/Servers/${tier}`, "disk_used_percent", "Maximum"] },
        ...fifteenMinutes,
        comparison: "GreaterThanThreshold",
        threshold: 80,
        missing: "missing",
        dimensions,
    });
    const group = (key: string, tier: string, urn: RegExp) =>
        disk(key, tier, { AutoScalingGroupName: output(AUTOSCALING_GROUP, urn, "name") });
    const instance = (key: string, urn: RegExp) =>
        disk(key, key, { InstanceId: { type: EC2_INSTANCE, urn, value: (r) => r.id! } });
    const server = (component: string) =>
        new RegExp(`${component}\\$magento:compute:Server\\$aws:ec2/instance:Instance::`);
    return [
        group("frontend", "web", /frontend-asg$/),
        group("backoffice", "backoffice", /backoffice-asg$/),
        group("pim", "sideapps", /magento-prod-pim-asg$/),
        group("orders", "sideapps-orders", /magento-prod-orders-asg$/),
        group("cashout", "sideapps-cashout", /magento-prod-cashout-asg$/),
        instance("rundeck", server("Rundeck")),
        instance("gateway", server("Gateway")),
        instance("vpn", server("VpnServer")),
    ];
}

/** One failed or expired job of the day's backups notifies, within the hour: the sum of every series AWS publishes
 *  for the stack's vault (a Metrics Insights query FROM the namespace, no SCHEMA: whatever their other dimensions),
 *  not one dimension set AWS does not document (review A-F5). */
function backupJobs(): Expected[] {
    return [
        ["backup-jobs-failed", "NumberOfBackupJobsFailed"],
        ["backup-jobs-expired", "NumberOfBackupJobsExpired"],
    ].map(([key, metricName]) => ({
        key,
        metrics: {},
        expression: ({ BackupVaultName: vault }) =>
            `SELECT SUM(${metricName}) FROM "AWS/Backup" WHERE BackupVaultName = '${vault}'`,
        period: 3600,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        missing: "notBreaching",
        dimensions: { BackupVaultName: output(BACKUP_VAULT, /backups-vault$/, "name") },
    }));
}

/** The alarm's metrics as [namespace, name, stat] by query id ("m" for a single metric), and their dimensions. */
function watched(a: Inputs): {
    metrics: Record<string, [string, string, string]>;
    expression?: string;
    period: number;
    dimensions: Dimensions[];
} {
    if (a.metricName !== undefined) {
        return {
            metrics: {
                m: [a.namespace as string, a.metricName as string, (a.statistic ?? a.extendedStatistic) as string],
            },
            period: a.period as number,
            dimensions: [a.dimensions as Dimensions],
        };
    }
    const queries = a.metricQueries as Query[];
    const metricQueries = queries.filter((q) => q.metric !== undefined);
    if (metricQueries.length === 0) {
        // A Metrics Insights query: the alarm's one expression and its period, no fixed dimensions.
        assert.strictEqual(queries.length, 1, "one query");
        return { metrics: {}, expression: queries[0].expression, period: queries[0].period!, dimensions: [] };
    }
    const periods = new Set(metricQueries.map((q) => q.metric!.period));
    assert.strictEqual(periods.size, 1, "every metric of an expression over the same period");
    return {
        metrics: Object.fromEntries(
            metricQueries.map((q) => [q.id, [q.metric!.namespace, q.metric!.metricName, q.metric!.stat]]),
        ),
        expression: queries.find((q) => q.expression !== undefined)?.expression,
        period: [...periods][0],
        dimensions: metricQueries.map((q) => q.metric!.dimensions),
    };
}

/** preprod as an operator tunes its alarms: an existing topic, thresholds of its own, and the NFS server's storage. */
const TOPIC_ARN = "arn:aws:sns:eu-west-3:123456789012:preprod-quiet";
const TUNED = {
    changes: {
        "magento:alarmTopicArn": TOPIC_ARN,
        "magento:alarmThresholds": { databaseCpuPercent: 85, latencyP95Seconds: 1.5 },
        "magento:sharedStorage": "nfs",
    },
};

/** preprod deployed on NFS: the NFS server among its single servers (an update, so each server has its own id). */
const NFS = { changes: { "magento:sharedStorage": "nfs" }, preview: false };

const monitoringAlarms = (r: StateResource[], stack: string) =>
    ofType(r, CLOUDWATCH_METRIC_ALARM).filter((a) => String(a.inputs!.name).startsWith(`magento-${stack}-monitoring-`));

/** Every alarm but the certificates' expiry (certificate-expiry.spec.ts), which sit in their certificates' regions,
 *  CloudFront's on a topic of us-east-1, and off the stack's dashboard. */
const operatorsAlarms = (r: readonly StateResource[]) =>
    ofType(r, CLOUDWATCH_METRIC_ALARM).filter((a) => a.inputs!.metricName !== "DaysToExpiry");

describe("monitoring", () => {
    prefetch(["prod", { preview: false }], ["preprod", TUNED], ["preprod", { preview: false }], ["preprod", NFS]);

    it("prod: each alarm watches its metric with the platform's statistic, period and datapoints, on the dimensions of the resource it is about", async () => {
        const r = await stackResources("prod", { preview: false });
        const alarms = monitoringAlarms(r, "prod");
        const expected = prodAlarms();
        assert.deepStrictEqual(
            alarms.map((a) => a.inputs!.name).sort(),
            expected.map((e) => `magento-prod-monitoring-${e.key}`).sort(),
        );
        for (const e of expected) {
            const alarm = alarms.find((a) => a.inputs!.name === `magento-prod-monitoring-${e.key}`)!;
            const a = alarm.inputs!;
            const w = watched(a);
            // Dimensions hold the resource's own output, and the alarm depends on that resource for them: never typed.
            const sources = Object.values(e.dimensions).map((s) => ofType(r, s.type).find((x) => s.urn.test(x.urn)));
            assert.ok(
                sources.every((s) => s !== undefined),
                `${e.key}: source resources`,
            );
            const expectedDims = Object.fromEntries(
                Object.entries(e.dimensions).map(([name, s], i) => [name, s.value(sources[i])]),
            );
            assert.deepStrictEqual(
                [
                    w.metrics,
                    w.expression,
                    w.period,
                    a.evaluationPeriods,
                    a.datapointsToAlarm,
                    a.comparisonOperator,
                    a.threshold,
                    a.treatMissingData,
                ],
                [
                    e.metrics,
                    typeof e.expression === "function" ? e.expression(expectedDims) : e.expression,
                    e.period,
                    e.evaluationPeriods,
                    e.datapointsToAlarm,
                    e.comparison,
                    e.threshold,
                    e.missing,
                ],
                e.key,
            );
            for (const dims of w.dimensions) {
                assert.deepStrictEqual(dims, expectedDims, e.key);
            }
            const traced = via(r, alarm, a.metricName !== undefined ? "dimensions" : "metricQueries").map((x) => x.urn);
            for (const source of sources) {
                assert.ok(traced.includes(source.urn), `${e.key} reads ${source.urn}`);
            }
        }
    });

    it("every alarm, the tunnels' included, notifies the operators' topic when it fires and when it clears; the list is subscribed by email", async () => {
        const r = await stackResources("prod", { preview: false });
        const [topic] = ofType(r, SNS_TOPIC);
        const [subscription] = ofType(r, SNS_TOPIC_SUBSCRIPTION);
        assert.deepStrictEqual(
            [subscription.inputs!.protocol, subscription.inputs!.endpoint, subscription.inputs!.topic],
            ["email", "ops@example.com", topic.outputs!.arn],
        );
        const alarms = operatorsAlarms(r);
        assert.strictEqual(alarms.length, prodAlarms().length + 6 + 1 + 3); // the tunnels', the WAF's blocked requests, CloudTrail's three
        for (const alarm of alarms) {
            assert.deepStrictEqual(
                [alarm.inputs!.alarmActions, alarm.inputs!.okActions],
                [[topic.outputs!.arn], [topic.outputs!.arn]],
                alarm.urn,
            );
            assert.deepStrictEqual(
                via(r, alarm, "alarmActions").map((x) => x.type),
                [SNS_TOPIC],
            );
        }
        const stack = r.find((x) => x.type === "pulumi:pulumi:Stack")!;
        assert.strictEqual(stack.outputs!.alarmTopicArn, topic.outputs!.arn);
        assert.deepStrictEqual(
            (stack.outputs!.alarmTargets as { arn: string }[]).map((t) => t.arn).sort(),
            ofType(r, CLOUDWATCH_METRIC_ALARM) // the certificates' among them
                .map((a) => a.outputs!.arn as string)
                .sort(),
        );
    });

    it("preprod may route to an existing topic: then no topic or subscription is created and every alarm notifies that one", async () => {
        const r = await stackResources("preprod", TUNED);
        assert.deepStrictEqual([ofType(r, SNS_TOPIC).length, ofType(r, SNS_TOPIC_SUBSCRIPTION).length], [0, 0]);
        assert.ok(
            ofType(r, CLOUDWATCH_METRIC_ALARM).every(
                (a) => JSON.stringify(a.inputs!.alarmActions) === JSON.stringify([TOPIC_ARN]),
            ),
        );
    });

    it("a failed or expired backup job of the stack's vault fires its alarm whatever dimensions AWS publishes it with (review A-F5)", async () => {
        const r = await stackResources("prod", { preview: false });
        const [vault] = ofType(r, BACKUP_VAULT);
        const name = String(vault.outputs!.name);
        // The series AWS may publish (its page documents resource type and vault name, "more dimensions" beyond):
        // the vault's with a resource type, the vault alone, another vault's.
        const series: Dimensions[] = [
            { BackupVaultName: name, ResourceType: "EBS" },
            { BackupVaultName: name, ResourceType: "RDS" },
            { BackupVaultName: name },
            { BackupVaultName: `${name}-other`, ResourceType: "EBS" },
        ];
        for (const metricName of ["NumberOfBackupJobsFailed", "NumberOfBackupJobsExpired"]) {
            const alarm = monitoringAlarms(r, "prod").find((a) =>
                (a.inputs!.metricQueries as Query[] | undefined)?.[0]?.expression?.includes(metricName),
            )!;
            assert.ok(alarm, `${metricName}: an alarm`);
            // No fixed metric: a plain alarm matches one exact dimension set, which AWS does not document.
            assert.deepStrictEqual([alarm.inputs!.metricName, alarm.inputs!.dimensions], [undefined, undefined]);
            const [query] = alarm.inputs!.metricQueries as Query[];
            // Metrics Insights: FROM a namespace (no SCHEMA) matches its metrics whatever their dimensions; WHERE
            // keeps those whose label has the value.
            const parsed = /^SELECT SUM\((\w+)\) FROM "([^"]+)" WHERE (\w+) = '([^']*)'$/.exec(query.expression!);
            assert.ok(parsed, `${metricName}: a Metrics Insights sum over one namespace: ${query.expression}`);
            const [, summed, namespace, label, value] = parsed;
            assert.deepStrictEqual([summed, namespace], [metricName, "AWS/Backup"]);
            assert.deepStrictEqual(
                series.map((d) => d[label] === value),
                [true, true, true, false],
                `${metricName}: every series of the vault, and no other vault's`,
            );
            assert.deepStrictEqual([query.period, alarm.inputs!.threshold], [3600, 1]);
        }
    });

    for (const [stack, options, servers] of [
        ["prod", { preview: false }, 8],
        ["preprod", NFS, 9], // with the NFS server and its data volume
    ] as const) {
        it(`${stack}: every Linux server's disks alarm above 80% for 15 minutes, on the series its own agent publishes (review I-F10)`, async () => {
            const r = await stackResources(stack, options);
            const alarms = ofType(r, CLOUDWATCH_METRIC_ALARM).filter(
                (a) => a.inputs!.metricName === "disk_used_percent",
            );
            // Each group of servers through its launch template, each single server through its own user data.
            const watched = [
                ...ofType(r, AUTOSCALING_GROUP).map(
                    (g) => [g.outputs!.name as string, agentMetricsConfig(via(r, g, "launchTemplate")[0])] as const,
                ),
                ...ofType(r, EC2_INSTANCE)
                    .filter((i) => (i.inputs!.tags as Record<string, string>).Tier !== "windows")
                    .map((i) => [i.id as string, agentMetricsConfig(i)] as const),
            ];
            assert.strictEqual(watched.length, servers);
            for (const [id, agent] of watched) {
                const mine = alarms.filter((a) => Object.values(a.inputs!.dimensions as Dimensions).includes(id));
                assert.strictEqual(mine.length, 1, `${id}: one disk alarm`);
                const a = mine[0].inputs!;
                const dims = a.dimensions as Dimensions;
                // The agent publishes disk_used_percent of the root file system (and the data volumes) ...
                assert.ok(agent.metrics_collected.disk!.measurement.includes("used_percent"), id);
                assert.ok(
                    agent.metrics_collected.disk!.resources.includes("/"),
                    `${id}: the root file system measured`,
                );
                // ... in the namespace the alarm reads, rolled up on exactly the dimension set the alarm names (an
                // alarm matches one exact set: the per-disk series also carry path and fstype), a dimension the agent
                // appends to every metric.
                assert.strictEqual(a.namespace, agent.namespace, id);
                assert.ok(
                    agent.aggregation_dimensions.some(
                        (set) => JSON.stringify([...set].sort()) === JSON.stringify(Object.keys(dims).sort()),
                    ),
                    `${id}: ${JSON.stringify(dims)} is one of the agent's aggregations ${JSON.stringify(agent.aggregation_dimensions)}`,
                );
                assert.ok(
                    Object.keys(dims).every((k) => k in agent.append_dimensions),
                    id,
                );
                // The fullest of them (Maximum over paths and servers), above 80% for 3 of 3 five-minute periods.
                assert.deepStrictEqual(
                    [
                        a.statistic,
                        a.comparisonOperator,
                        a.threshold,
                        a.period,
                        a.evaluationPeriods,
                        a.datapointsToAlarm,
                    ],
                    ["Maximum", "GreaterThanThreshold", 80, 300, 3, 3],
                    id,
                );
            }
            assert.strictEqual(alarms.length, servers, "no disk alarm on a series no server publishes");
        });
    }

    it("preprod: one Redis node, so one set of node alarms keyed by its member cluster, not the group id", async () => {
        const r = await stackResources("preprod", { preview: false });
        const [group] = ofType(r, ELASTICACHE_REPLICATION_GROUP);
        const redis = monitoringAlarms(r, "preprod").filter((a) => a.inputs!.namespace === "AWS/ElastiCache");
        assert.deepStrictEqual(
            redis.map((a) => a.inputs!.name),
            ["cpu", "memory", "evictions"].map((m) => `magento-preprod-monitoring-shared-1-redis-${m}`),
        );
        assert.ok(
            redis.every(
                (a) =>
                    (a.inputs!.dimensions as Dimensions).CacheClusterId === `${group.outputs!.replicationGroupId}-001`,
            ),
        );
    });

    it("thresholds come from magento:alarmThresholds over the defaults; NFS storage has no EFS alarm", async () => {
        const r = await stackResources("preprod", TUNED);
        const threshold = (key: string) =>
            monitoringAlarms(r, "preprod").find((a) => a.inputs!.name === `magento-preprod-monitoring-${key}`)?.inputs!
                .threshold;
        assert.deepStrictEqual(
            [
                threshold("shop-db-cpu"),
                threshold("frontend-latency-p95"),
                threshold("shop-db-connections"),
                threshold("shared-efs-throughput"),
            ],
            [85, 1.5, 100, undefined],
        );
    });

    it("the dashboard has the operators' panels, drawn from the real resources, and every alarm on its health panel", async () => {
        const r = await stackResources("prod", { preview: false });
        const [dashboard] = ofType(r, CLOUDWATCH_DASHBOARD);
        const body = JSON.parse(dashboard.inputs!.dashboardBody as string) as {
            widgets: {
                type: string;
                properties: { title: string; region?: string; alarms?: string[]; metrics?: unknown[][] };
            }[];
        };
        assert.deepStrictEqual(
            body.widgets.map((w) => w.properties.title),
            [...DASHBOARD_PANELS],
        );
        const panel = (title: string) => body.widgets.find((w) => w.properties.title === title)!.properties;
        assert.deepStrictEqual(
            [...panel("Health").alarms!].sort(),
            operatorsAlarms(r)
                .map((a) => a.outputs!.arn as string)
                .sort(),
        );
        const lb = ofType(r, LB_LOAD_BALANCER)[0].outputs!.arnSuffix;
        const dims = (title: string, name: string) =>
            panel(title).metrics!.map((m) => (m.includes(name) ? m[m.indexOf(name) + 1] : undefined));
        assert.ok(
            ["Request count", "5xx", "Active connections", "Processed bytes", "HTTP 3xx / 4xx / 5xx"].every((t) =>
                dims(t, "LoadBalancer").every((v) => v === lb),
            ),
        );
        // The shop's two groups, then each side application's one server.
        const sideGroups = SIDE_APPS.map((app) =>
            ofType(r, LB_TARGET_GROUP).find((g) =>
                g.urn.endsWith(`SideApp$aws:lb/targetGroup:TargetGroup::magento-prod-${app.name}`),
            )!,
        );
        const targetGroups = [...webOfType(r, LB_TARGET_GROUP), ...sideGroups];
        assert.deepStrictEqual(
            dims("Healthy / unhealthy hosts", "TargetGroup"),
            [...targetGroups, ...targetGroups].map((g) => g.outputs!.arnSuffix),
        );
        assert.deepStrictEqual(
            dims("Database CPU", "DBInstanceIdentifier"),
            ofType(r, RDS_INSTANCE).map((d) => d.outputs!.identifier),
        );
        assert.deepStrictEqual(
            dims("Redis CPU", "CacheClusterId"),
            ofType(r, ELASTICACHE_REPLICATION_GROUP).flatMap((g) =>
                [...(g.outputs!.memberClusters as string[])].sort(),
            ),
        );
        // Every server beside its CPU: each group (the web tiers', the side applications') and each Linux single
        // server, in any order (the front end registers once its warm pool's bounds are known); the Windows host runs
        // no agent.
        const groups = ofType(r, AUTOSCALING_GROUP)
            .map((g) => g.outputs!.name as string)
            .sort();
        const singles = ofType(r, EC2_INSTANCE)
            .filter((i) => (i.inputs!.tags as Record<string, string>).Tier !== "windows")
            .map((i) => i.id as string)
            .sort();
        assert.strictEqual(groups.length, 5);
        assert.strictEqual(singles.length, 3); // Rundeck, the gateway, the VPN server (prod's shared folders are EFS)
        const of = (title: string, name: string) => dims(title, name).filter((v) => v !== undefined);
        // Each agent line in the namespace that server's agent publishes into (its own tier's: no other tier may
        // draw it), read from the group's launch template or the server's own user data.
        const published = new Map<string, string>([
            ...ofType(r, AUTOSCALING_GROUP).map(
                (g) => [g.outputs!.name as string, agentNamespace(via(r, g, "launchTemplate")[0])] as const,
            ),
            ...ofType(r, EC2_INSTANCE)
                .filter((i) => (i.inputs!.tags as Record<string, string>).Tier !== "windows")
                .map((i) => [i.id as string, agentNamespace(i)] as const),
        ]);
        assert.strictEqual(new Set(published.values()).size, published.size, "one namespace per tier");
        const agents = "the server's agent";
        for (const [title, namespace, metric] of [
            ["Instance load (CPU)", "AWS/EC2", "CPUUtilization"],
            ["Memory used (%)", agents, "mem_used_percent"],
            ["Fullest disk (% used)", agents, "disk_used_percent"],
            ["Load average (5 min)", agents, "load_average_5min"],
        ]) {
            for (const m of panel(title).metrics!) {
                const server = m[3] as string; // the AutoScalingGroupName or the InstanceId
                assert.deepStrictEqual(
                    [m[0], m[1]],
                    [namespace === agents ? published.get(server) : namespace, metric],
                    title,
                );
            }
            assert.deepStrictEqual([...of(title, "AutoScalingGroupName")].sort(), groups, title);
            assert.deepStrictEqual([...of(title, "InstanceId")].sort(), singles, title);
            assert.strictEqual(panel(title).metrics!.length, groups.length + singles.length, title);
        }
        assert.deepStrictEqual(
            panel("HTTP 3xx / 4xx / 5xx").metrics!.map((m) => m[1]),
            ["HTTPCode_Target_3XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count"],
        );
        assert.ok(body.widgets.filter((w) => w.type === "metric").every((w) => w.properties.region === "eu-west-3"));
    });
});
