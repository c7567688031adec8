// The operators' alarms as data: a pure function from the monitored resources (their CloudWatch dimensions, taken
// from the resources' outputs) and the stack's thresholds to one spec per alarm, so tests read exactly what is
// watched, how and when it fires. components/monitoring/monitoring.ts turns the specs into MetricAlarms.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmThresholds } from "../../model/alarm-thresholds";
import { type AgentMetrics, DISK_METRIC } from "../compute/cloudwatch-agent";

/** A CloudWatch metric: namespace, name and dimensions (values from the resources, never typed). */
export interface Metric<V = pulumi.Input<string>> {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, V>>;
}

/** A statistic (Average, Sum...) or a percentile such as p95 (CloudWatch's extended statistic). */
export type Stat = "Average" | "Sum" | "Minimum" | "Maximum" | "p95";

/** One metric, a metric-math expression over named metrics (rates, ratios), or a Metrics Insights query (every
 *  series its WHERE keeps, whatever their other dimensions). */
export type Watched =
    | { readonly kind: "metric"; readonly metric: Metric; readonly stat: Stat }
    | {
          readonly kind: "math";
          readonly expression: string;
          readonly label: string;
          readonly metrics: Readonly<Record<string, { readonly metric: Metric; readonly stat: Stat }>>;
      }
    | { readonly kind: "query"; readonly query: pulumi.Input<string>; readonly label: string };

export interface AlarmSpec {
    /** Suffix of the alarm's name: `<prefix>-<key>`. */
    readonly key: string;
    readonly description: string;
    readonly watched: Watched;
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly comparison:
        "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
    readonly threshold: number;
    readonly treatMissingData: "missing" | "notBreaching" | "breaching" | "ignore";
}

/** What is monitored, with the outputs CloudWatch's dimensions come from. */
export interface MonitoredResources {
    /** RDS instances by label (shop, sideapps): their identifiers. */
    readonly databases: Readonly<Record<string, pulumi.Input<string>>>;
    /** The load balancer's ARN suffix (app/<name>/<id>) and its target groups' (targetgroup/<name>/<id>) by label. */
    readonly loadBalancer: {
        readonly arnSuffix: pulumi.Input<string>;
        readonly targetGroups: Readonly<Record<string, pulumi.Input<string>>>;
    };
    /** Redis nodes by label (sessions-1...): member cluster ids, which per-node metrics are keyed by (not the group id). */
    readonly cacheNodes: Readonly<Record<string, pulumi.Input<string>>>;
    /** EFS file systems by label; none with NFS. */
    readonly fileSystems: Readonly<Record<string, pulumi.Input<string>>>;
    /** The OpenSearch domain: name, owning account (the ClientId dimension) and each data node's volume. */
    readonly search: {
        readonly domainName: pulumi.Input<string>;
        readonly accountId: pulumi.Input<string>;
        readonly volumeGb: number;
    };
    /** Autoscaling groups that scale (the back office is always at its max of 1), by label. */
    readonly scalingGroups: Readonly<Record<string, pulumi.Input<string>>>;
    /** The AWS Backup vault every recovery point of the stack goes to (components/data/backups.ts): its name. */
    readonly backupVault: pulumi.Input<string>;
    /** Every Linux server's agent by label: the groups (series per AutoScalingGroupName) and the single servers (per
     *  InstanceId), each in its tier's namespace. */
    readonly servers: {
        readonly groups: Readonly<Record<string, AgentMetrics>>;
        readonly instances: Readonly<Record<string, AgentMetrics>>;
    };
}

const GIB = 1024 ** 3;
const MINUTE = 60;
const FIVE_MINUTES = 300;
const HOUR = 3600;

/** The metrics both the alarms and the dashboard draw. */
export const metrics = {
    rds: <V>(name: string, id: V): Metric<V> => ({
        namespace: "AWS/RDS",
        metricName: name,
        dimensions: { DBInstanceIdentifier: id },
    }),
    alb: <V>(name: string, lb: V, tg?: V): Metric<V> => ({
        namespace: "AWS/ApplicationELB",
        metricName: name,
        dimensions: tg === undefined ? { LoadBalancer: lb } : { TargetGroup: tg, LoadBalancer: lb },
    }),
    redis: <V>(name: string, clusterId: V): Metric<V> => ({
        namespace: "AWS/ElastiCache",
        metricName: name,
        dimensions: { CacheClusterId: clusterId },
    }),
    efs: <V>(name: string, id: V): Metric<V> => ({
        namespace: "AWS/EFS",
        metricName: name,
        dimensions: { FileSystemId: id },
    }),
    search: <V>(name: string, domainName: V, accountId: V): Metric<V> => ({
        namespace: "AWS/ES",
        metricName: name,
        dimensions: { DomainName: domainName, ClientId: accountId },
    }),
    asg: <V>(name: string, group: V): Metric<V> => ({
        namespace: "AWS/AutoScaling",
        metricName: name,
        dimensions: { AutoScalingGroupName: group },
    }),
    /** One instance's EC2 metrics. */
    ec2Instance: <V>(name: string, instanceId: V): Metric<V> => ({
        namespace: "AWS/EC2",
        metricName: name,
        dimensions: { InstanceId: instanceId },
    }),
    /** EC2 metrics aggregated over an autoscaling group's instances. */
    ec2: <V>(name: string, group: V): Metric<V> => ({
        namespace: "AWS/EC2",
        metricName: name,
        dimensions: { AutoScalingGroupName: group },
    }),
    /** A CloudWatch agent metric as the agent rolls it up (its aggregation_dimensions, components/compute/
     *  cloudwatch-agent.ts): over a group's servers by AutoScalingGroupName, or one server's by InstanceId. */
    agent: <V>(name: string, server: { readonly id: V; readonly namespace: string }, scaled: boolean): Metric<V> => ({
        namespace: server.namespace,
        metricName: name,
        dimensions: scaled ? { AutoScalingGroupName: server.id } : { InstanceId: server.id },
    }),
};

const single = (metric: Metric, stat: Stat): Watched => ({ kind: "metric", metric, stat });

/**
 * The sum of every `AWS/Backup` series of `metricName` whose BackupVaultName is the vault, whatever other dimensions
 * each has: AWS documents the jobs metrics' dimensions only as "Example dimensions: Resource type, vault name" and
 * "More dimensions are available" (https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html), not a
 * vault-only series, which a plain alarm needs (it matches one exact dimension set). A Metrics Insights FROM a
 * namespace, without SCHEMA, "matches all ... metrics in the ... namespace, no matter their dimensions"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html),
 * and an alarm may watch such a query when it returns one series
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-alarms.html). Should AWS
 * publish both a vault-only and a per-resource-type series, a failure counts twice: no matter at a threshold of 1.
 */
export function backupJobsQuery(metricName: string, vault: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(vault).apply((name) => {
        // Label values sit in single quotes; a vault name has none ([a-zA-Z0-9-_]), refused rather than escaped.
        if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`backup vault name ${name} cannot be queried`);
        return `SELECT SUM(${metricName}) FROM "AWS/Backup" WHERE BackupVaultName = '${name}'`;
    });
}

/** 100 * part / whole over the same period; no requests gives no datapoint, not a 0% rate. */
const percentOf = (label: string, part: Metric, whole: Metric): Watched => ({
    kind: "math",
    label,
    expression: "100 * FILL(part, 0) / whole",
    metrics: { part: { metric: part, stat: "Sum" }, whole: { metric: whole, stat: "Sum" } },
});

/** The estate's "for 3 datapoints in 3 minutes" (docs/estate.md, "Alarms"): three one-minute periods, all breaching. */
const threeMinutes = { period: MINUTE, evaluationPeriods: 3, datapointsToAlarm: 3 };
/** The estate's "3 datapoints in 15 minutes" (docs/estate.md, "Alarms"): three five-minute periods, all breaching. */
const fifteenMinutes = { period: FIVE_MINUTES, evaluationPeriods: 3, datapointsToAlarm: 3 };

export function alarmSpecs(r: MonitoredResources, t: AlarmThresholds): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    for (const [label, id] of Object.entries(r.databases)) {
        specs.push(
            {
                key: `${label}-db-cpu`,
                description: `${label} database CPU above ${t.databaseCpuPercent}% for 3 minutes`,
                watched: single(metrics.rds("CPUUtilization", id), "Average"),
                ...threeMinutes,
                comparison: "GreaterThanThreshold",
                threshold: t.databaseCpuPercent,
                treatMissingData: "missing",
            },
            {
                key: `${label}-db-connections`,
                description: `${label} database above ${t.databaseConnections} connections for 3 minutes`,
                watched: single(metrics.rds("DatabaseConnections", id), "Maximum"),
                ...threeMinutes,
                comparison: "GreaterThanThreshold",
                threshold: t.databaseConnections,
                treatMissingData: "missing",
            },
            {
                key: `${label}-db-free-storage`,
                description: `${label} database has less than ${t.databaseFreeStorageGb} GiB free (autoscaling at its ceiling?)`,
                watched: single(metrics.rds("FreeStorageSpace", id), "Minimum"),
                ...fifteenMinutes,
                comparison: "LessThanThreshold",
                threshold: t.databaseFreeStorageGb * GIB,
                treatMissingData: "missing",
            },
        );
    }

    const lb = r.loadBalancer.arnSuffix;
    specs.push({
        key: "alb-5xx-rate",
        description: `Load balancer answers more than ${t.loadBalancer5xxPercent}% of requests with its own 5xx for 15 minutes`,
        watched: percentOf("ELB 5xx %", metrics.alb("HTTPCode_ELB_5XX_Count", lb), metrics.alb("RequestCount", lb)),
        ...fifteenMinutes,
        comparison: "GreaterThanThreshold",
        threshold: t.loadBalancer5xxPercent,
        treatMissingData: "notBreaching",
    });
    for (const [label, tg] of Object.entries(r.loadBalancer.targetGroups)) {
        specs.push(
            {
                key: `${label}-5xx-rate`,
                description: `${label} servers answer more than ${t.target5xxPercent}% of requests with 5xx for 15 minutes`,
                watched: percentOf(
                    "Target 5xx %",
                    metrics.alb("HTTPCode_Target_5XX_Count", lb, tg),
                    metrics.alb("RequestCount", lb, tg),
                ),
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: t.target5xxPercent,
                treatMissingData: "notBreaching",
            },
            {
                key: `${label}-latency-p95`,
                description: `${label} p95 response time above ${t.latencyP95Seconds}s for 15 minutes`,
                watched: single(metrics.alb("TargetResponseTime", lb, tg), "p95"),
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: t.latencyP95Seconds,
                treatMissingData: "notBreaching",
            },
            {
                key: `${label}-unhealthy-hosts`,
                description: `${label} has ${t.unhealthyHosts} or more unhealthy servers for 15 minutes`,
                watched: single(metrics.alb("UnHealthyHostCount", lb, tg), "Maximum"),
                ...fifteenMinutes,
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: t.unhealthyHosts,
                treatMissingData: "missing",
            },
        );
    }

    for (const [label, clusterId] of Object.entries(r.cacheNodes)) {
        specs.push(
            {
                key: `${label}-redis-cpu`,
                description: `Redis ${label} engine CPU above ${t.redisCpuPercent}% for 15 minutes`,
                watched: single(metrics.redis("EngineCPUUtilization", clusterId), "Average"),
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: t.redisCpuPercent,
                treatMissingData: "missing",
            },
            {
                key: `${label}-redis-memory`,
                description: `Redis ${label} memory above ${t.redisMemoryPercent}% for 15 minutes`,
                watched: single(metrics.redis("DatabaseMemoryUsagePercentage", clusterId), "Maximum"),
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: t.redisMemoryPercent,
                treatMissingData: "missing",
            },
            {
                key: `${label}-redis-evictions`,
                description: `Redis ${label} evicts more than ${t.redisEvictions} keys per 5 minutes for 15 minutes`,
                watched: single(metrics.redis("Evictions", clusterId), "Sum"),
                ...fifteenMinutes,
                comparison: "GreaterThanThreshold",
                threshold: t.redisEvictions,
                treatMissingData: "notBreaching",
            },
        );
    }

    for (const [label, id] of Object.entries(r.fileSystems)) {
        // Elastic throughput has no burst credits; what can run out is the throughput EFS permits (the console's
        // "throughput utilization": bytes metered per second over PermittedThroughput).
        specs.push({
            key: `${label}-efs-throughput`,
            description: `EFS ${label} uses more than ${t.efsThroughputPercent}% of its permitted throughput for 15 minutes`,
            watched: {
                kind: "math",
                label: "Throughput used %",
                expression: "100 * (metered / PERIOD(metered)) / permitted",
                metrics: {
                    metered: { metric: metrics.efs("MeteredIOBytes", id), stat: "Sum" },
                    permitted: { metric: metrics.efs("PermittedThroughput", id), stat: "Average" },
                },
            },
            ...fifteenMinutes,
            comparison: "GreaterThanThreshold",
            threshold: t.efsThroughputPercent,
            treatMissingData: "missing",
        });
    }

    const { domainName, accountId, volumeGb } = r.search;
    specs.push(
        // A red cluster has unassigned primary shards: catalog search fails for some queries (AWS: 1 minute, at once).
        {
            key: "search-cluster-red",
            description: "OpenSearch cluster status is red (primary shards unassigned)",
            watched: single(metrics.search("ClusterStatus.red", domainName, accountId), "Maximum"),
            period: MINUTE,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            treatMissingData: "missing",
        },
        // FreeStorageSpace is in MiB, the least free of any node with Minimum.
        {
            key: "search-free-storage",
            description: `OpenSearch node with ${t.searchFreeStoragePercent}% or less of its ${volumeGb} GiB free`,
            watched: single(metrics.search("FreeStorageSpace", domainName, accountId), "Minimum"),
            period: MINUTE,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparison: "LessThanOrEqualToThreshold",
            threshold: Math.floor((volumeGb * 1024 * t.searchFreeStoragePercent) / 100),
            treatMissingData: "missing",
        },
    );

    for (const [label, group] of Object.entries(r.scalingGroups)) {
        // Against the group's current max, which scheduled actions move (8 by day, 2 by night...).
        specs.push({
            key: `${label}-at-max`,
            description: `${label} autoscaling group at its maximum size for 15 minutes: it cannot scale out further`,
            watched: {
                kind: "math",
                label: "In service at max",
                expression: "IF(inService >= maxSize, 1, 0)",
                metrics: {
                    inService: { metric: metrics.asg("GroupInServiceInstances", group), stat: "Minimum" },
                    maxSize: { metric: metrics.asg("GroupMaxSize", group), stat: "Maximum" },
                },
            },
            ...fifteenMinutes,
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            treatMissingData: "missing",
        });
    }
    // A job that failed, or that never started in its window (EXPIRED), leaves a day without a recovery point for the
    // resources it was for: one is enough to notify. The daily jobs start at 05:00 UTC; an hour's sum, cleared by the
    // next hour without failures (the notification has gone out by then), and no data on quiet hours is no failure
    // (AWS reports these metrics only when nonzero). Summed over every series of the vault (backupJobsQuery).
    for (const [key, metricName, what] of [
        ["backup-jobs-failed", "NumberOfBackupJobsFailed", "failed"],
        ["backup-jobs-expired", "NumberOfBackupJobsExpired", "did not start in their window"],
    ]) {
        specs.push({
            key,
            description: `AWS Backup jobs ${what}: a resource has no recovery point for the day (docs/backups.md)`,
            watched: {
                kind: "query",
                query: backupJobsQuery(metricName, r.backupVault),
                label: `${metricName} (vault)`,
            },
            period: HOUR,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            treatMissingData: "notBreaching",
        });
    }

    // A full disk stops the server (nginx, PHP-FPM, the agent itself), then its health check; on a group the server
    // is replaced and what was on its disk is lost (an FTP drop's uploads: review I-F10). The agent publishes
    // disk_used_percent of the root file system and the server's data volumes, aggregated per group (or server) over
    // every path and server (aggregation_dimensions: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/
    // CloudWatch-Agent-Configuration-File-Details.html): its Maximum is the tier's fullest file system, the root among
    // them. No data (a group at 0, an agent down) is not a full disk: INSUFFICIENT_DATA, on the dashboard.
    const disk = (label: string, server: AgentMetrics, scaled: boolean): AlarmSpec => ({
        key: `${label}-disk-used`,
        description: `${label}: a file system (the root or a data volume) more than ${t.diskUsedPercent}% full for 15 minutes`,
        watched: single(metrics.agent(DISK_METRIC, server, scaled), "Maximum"),
        ...fifteenMinutes,
        comparison: "GreaterThanThreshold",
        threshold: t.diskUsedPercent,
        treatMissingData: "missing",
    });
    for (const [label, group] of Object.entries(r.servers.groups)) specs.push(disk(label, group, true));
    for (const [label, server] of Object.entries(r.servers.instances)) specs.push(disk(label, server, false));
    return specs;
}
