// Thresholds of the operators' alarms and their defaults (docs/estate.md): stack configuration reads them without
// loading the monitoring components.

/** Thresholds of the stack's alarms (`magento:alarmThresholds`, each optional over ALARM_THRESHOLD_DEFAULTS). */
export interface AlarmThresholds {
    /** RDS CPUUtilization, %, above for 3 of 3 one-minute datapoints (the estate's 70: docs/estate.md). */
    readonly databaseCpuPercent: number;
    /** RDS DatabaseConnections, above for 3 of 3 one-minute datapoints (the estate's 100: docs/estate.md). */
    readonly databaseConnections: number;
    /** RDS FreeStorageSpace, GiB, below: storage autoscaling has reached its ceiling or cannot keep up. */
    readonly databaseFreeStorageGb: number;
    /** Load balancer's own 5xx as % of requests. */
    readonly loadBalancer5xxPercent: number;
    /** Servers' 5xx as % of a target group's requests. */
    readonly target5xxPercent: number;
    /** p95 of TargetResponseTime per target group, seconds. */
    readonly latencyP95Seconds: number;
    /** Unhealthy hosts in a target group, at or above. */
    readonly unhealthyHosts: number;
    /** Redis EngineCPUUtilization per node, % (Redis runs commands on one thread). */
    readonly redisCpuPercent: number;
    /** Redis DatabaseMemoryUsagePercentage per node. */
    readonly redisMemoryPercent: number;
    /** Redis Evictions per node in 5 minutes, above. */
    readonly redisEvictions: number;
    /** EFS throughput used, % of what the file system permits. */
    readonly efsThroughputPercent: number;
    /** OpenSearch FreeStorageSpace, % of each node's volume, at or below (AWS recommends 25%). */
    readonly searchFreeStoragePercent: number;
    /** The CloudWatch agent's disk_used_percent of a Linux server tier's fullest file system (root or data volume), %. */
    readonly diskUsedPercent: number;
}

export const ALARM_THRESHOLD_DEFAULTS: AlarmThresholds = {
    databaseCpuPercent: 70,
    databaseConnections: 100,
    databaseFreeStorageGb: 10,
    loadBalancer5xxPercent: 1,
    target5xxPercent: 5,
    latencyP95Seconds: 2,
    unhealthyHosts: 1,
    redisCpuPercent: 80,
    redisMemoryPercent: 80,
    redisEvictions: 1000,
    efsThroughputPercent: 80,
    searchFreeStoragePercent: 25,
    diskUsedPercent: 80,
};
