// The stack's CloudWatch dashboard as data: the panels the operators had (docs/estate.md), from the resources'
// resolved identifiers, rendered as the dashboard body JSON CloudWatch stores.
import { Metric, metrics } from "./alarms";

/** Identifiers of what the dashboard draws, resolved (the component waits for the resources' outputs). */
export interface DashboardInput {
    readonly region: string;
    /** The load balancer's ARN suffix and its target groups' by label. */
    readonly loadBalancer: string;
    readonly targetGroups: Readonly<Record<string, string>>;
    /** Autoscaling group names by label (front end, back office). */
    readonly webGroups: Readonly<Record<string, string>>;
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
        "Instance load (CPU)": Object.entries(d.webGroups).map(([label, group]) =>
            line(metrics.ec2("CPUUtilization", group), "Average", label),
        ),
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
