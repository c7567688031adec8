// The stack's CloudWatch dashboard as data: the panels the operators had (docs/estate.md), from the resources'
// resolved identifiers, rendered as the dashboard body JSON CloudWatch stores. Beside each server's CPU, what its
// CloudWatch agent publishes (components/compute/cloudwatch-agent.ts): memory, the fullest disk, the 5-minute load.
import { DISK_METRIC, LOAD_METRIC } from "../compute/cloudwatch-agent";
import { Metric, metrics } from "./alarms";

/** A group's name or a server's instance id, and the namespace its tier's agents publish into. */
export interface DrawnServer {
    readonly id: string;
    readonly namespace: string;
}

/** The servers the dashboard draws: every Auto Scaling group of servers (their metrics aggregated per group) and the
 *  single servers (per instance), by label. */
export interface DashboardServers {
    readonly groups: Readonly<Record<string, DrawnServer>>;
    readonly instances: Readonly<Record<string, DrawnServer>>;
}

/** Identifiers of what the dashboard draws, resolved (the component waits for the resources' outputs). */
export interface DashboardInput {
    readonly region: string;
    /** The load balancer's ARN suffix and its target groups' by label. */
    readonly loadBalancer: string;
    readonly targetGroups: Readonly<Record<string, string>>;
    readonly servers: DashboardServers;
    /** RDS instance identifiers by label. */
    readonly databases: Readonly<Record<string, string>>;
    /** Redis member cluster ids by label. */
    readonly cacheNodes: Readonly<Record<string, string>>;
    /** Every alarm of the stack, for the health panel. */
    readonly alarmArns: readonly string[];
}

/** Panel titles, in order: the operators' dashboard (docs/estate.md, "The dashboard"). */
export const DASHBOARD_PANELS = [
    "Health",
    "Request count",
    "5xx",
    "Healthy / unhealthy hosts",
    "Latency (p95)",
    "Active connections",
    "Processed bytes",
    "Instance load (CPU)",
    "Memory used (%)",
    "Fullest disk (% used)",
    "Load average (5 min)",
    "Database CPU",
    "Redis CPU",
    "HTTP 3xx / 4xx / 5xx",
] as const;
type Panel = (typeof DASHBOARD_PANELS)[number];

/** CloudWatch's metric line: namespace, name, dimension pairs, then rendering options. */
type MetricLine = (string | { readonly stat: string; readonly label: string })[];

const line = (m: Metric<string>, stat: string, label: string): MetricLine => [
    m.namespace,
    m.metricName,
    ...Object.entries(m.dimensions).flat(),
    { stat, label },
];

const WIDTH = 8;
const HEIGHT = 6;
const PER_ROW = 24 / WIDTH;

/** One line per group, then per single server: `group` and `instance` give the metric of each. */
function perServer(
    servers: DashboardServers,
    stat: string,
    group: (s: DrawnServer) => Metric<string>,
    instance: (s: DrawnServer) => Metric<string>,
): MetricLine[] {
    return [
        ...Object.entries(servers.groups).map(([label, s]) => line(group(s), stat, label)),
        ...Object.entries(servers.instances).map(([label, s]) => line(instance(s), stat, label)),
    ];
}

/** An agent metric, aggregated per group (AutoScalingGroupName) or per server (InstanceId) as the agent rolls it up. */
function agentLines(servers: DashboardServers, metricName: string, stat: string): MetricLine[] {
    return perServer(
        servers,
        stat,
        (group) => metrics.agent(metricName, group, true),
        (server) => metrics.agent(metricName, server, false),
    );
}

export function dashboardBody(d: DashboardInput): string {
    const lb = d.loadBalancer;
    const groups = Object.entries(d.targetGroups);
    const perGroup = (name: string, stat: string, suffix = "") =>
        groups.map(([label, tg]) => line(metrics.alb(name, lb, tg), stat, `${label}${suffix}`));
    const panels: Record<Panel, MetricLine[] | "alarms"> = {
        Health: "alarms",
        "Request count": [line(metrics.alb("RequestCount", lb), "Sum", "all"), ...perGroup("RequestCount", "Sum")],
        "5xx": [
            line(metrics.alb("HTTPCode_ELB_5XX_Count", lb), "Sum", "load balancer"),
            ...perGroup("HTTPCode_Target_5XX_Count", "Sum", " servers"),
        ],
        "Healthy / unhealthy hosts": [
            ...perGroup("HealthyHostCount", "Minimum", " healthy"),
            ...perGroup("UnHealthyHostCount", "Maximum", " unhealthy"),
        ],
        "Latency (p95)": perGroup("TargetResponseTime", "p95"),
        "Active connections": [line(metrics.alb("ActiveConnectionCount", lb), "Sum", "active")],
        "Processed bytes": [line(metrics.alb("ProcessedBytes", lb), "Sum", "processed")],
        "Instance load (CPU)": perServer(
            d.servers,
            "Average",
            (group) => metrics.ec2("CPUUtilization", group.id),
            (server) => metrics.ec2Instance("CPUUtilization", server.id),
        ),
        "Memory used (%)": agentLines(d.servers, "mem_used_percent", "Average"),
        // Aggregated over the server's file systems: the Maximum is its fullest disk (a data volume as much as the root).
        "Fullest disk (% used)": agentLines(d.servers, DISK_METRIC, "Maximum"),
        "Load average (5 min)": agentLines(d.servers, LOAD_METRIC, "Average"),
        "Database CPU": Object.entries(d.databases).map(([label, id]) =>
            line(metrics.rds("CPUUtilization", id), "Average", label),
        ),
        "Redis CPU": Object.entries(d.cacheNodes).map(([label, id]) =>
            line(metrics.redis("EngineCPUUtilization", id), "Average", label),
        ),
        "HTTP 3xx / 4xx / 5xx": ["3XX", "4XX", "5XX"].map((code) =>
            line(metrics.alb(`HTTPCode_Target_${code}_Count`, lb), "Sum", code.toLowerCase()),
        ),
    };
    const widgets = DASHBOARD_PANELS.map((title, i) => {
        const at = { x: (i % PER_ROW) * WIDTH, y: Math.floor(i / PER_ROW) * HEIGHT, width: WIDTH, height: HEIGHT };
        const content = panels[title];
        return content === "alarms"
            ? { type: "alarm", ...at, properties: { title, alarms: [...d.alarmArns], sortBy: "stateUpdatedTimestamp" } }
            : {
                  type: "metric",
                  ...at,
                  properties: {
                      title,
                      region: d.region,
                      view: "timeSeries",
                      stacked: false,
                      period: 60,
                      metrics: content,
                  },
              };
    });
    return JSON.stringify({ widgets });
}
