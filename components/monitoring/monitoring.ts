// The stack's alarms and dashboard: one MetricAlarm per spec of components/monitoring/alarms.ts, each notifying the
// operators' topic when it fires and when it clears, and a dashboard of the operators' panels.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmThresholds } from "../../model/alarm-thresholds";
import { AlarmSpec, alarmSpecs, Metric, MonitoredResources, Stat } from "./alarms";
import { AgentMetrics } from "../compute/cloudwatch-agent";
import { dashboardBody } from "./dashboard";
import type { AlarmTarget } from "../network/site-links";

export interface MonitoringArgs {
    /** SNS topic every alarm notifies. */
    readonly topicArn: pulumi.Input<string>;
    /** What is alarmed on (the servers among them, which the dashboard draws too), with the outputs the dimensions
     *  come from. */
    readonly resources: MonitoredResources;
    readonly thresholds: AlarmThresholds;
    /** Alarms created with their resources (the IPsec tunnels'), shown on the dashboard's health panel. */
    readonly otherAlarms: readonly AlarmTarget[];
    /** The stack's region: the dashboard's metrics are read there. */
    readonly region: string;
    readonly tags: Readonly<Record<string, string>>;
}

export class Monitoring extends pulumi.ComponentResource {
    /** Every alarm created here (name and ARN). */
    public readonly alarms: AlarmTarget[];
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:monitoring:Monitoring", name, {}, opts);
        this.alarms = alarmSpecs(args.resources, args.thresholds).map((spec) => {
            const alarmName = `${name}-${spec.key}`;
            const alarm = new aws.cloudwatch.MetricAlarm(
                alarmName,
                {
                    name: alarmName, // known at preview: the dashboard lists it before it exists
                    ...metricAlarmArgs(spec, args.topicArn),
                    tags: { ...args.tags, Name: alarmName },
                },
                { parent: this },
            );
            return { name: alarm.name, arn: alarm.arn };
        });

        const r = args.resources;
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: name,
                dashboardBody: pulumi
                    .all([
                        r.loadBalancer.arnSuffix,
                        pulumi.all(r.loadBalancer.targetGroups),
                        resolved(r.servers.groups),
                        resolved(r.servers.instances),
                        pulumi.all(r.databases),
                        pulumi.all(r.cacheNodes),
                        pulumi.all([...args.otherAlarms, ...this.alarms].map((a) => a.arn)),
                    ])
                    .apply(([loadBalancer, targetGroups, groups, instances, databases, cacheNodes, alarmArns]) =>
                        dashboardBody({
                            region: args.region,
                            loadBalancer,
                            targetGroups,
                            servers: { groups, instances },
                            databases,
                            cacheNodes,
                            alarmArns,
                        }),
                    ),
            },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({ alarms: this.alarms, dashboardName: this.dashboardName });
    }
}

/** Each server's id resolved, its namespace kept. */
const resolved = (servers: Readonly<Record<string, AgentMetrics>>) =>
    pulumi.all(
        Object.fromEntries(
            Object.entries(servers).map(([label, s]) => [
                label,
                pulumi.output(s.id).apply((id) => ({ id, namespace: s.namespace })),
            ]),
        ),
    );

/** The MetricAlarm arguments a spec stands for; alarm and OK both notify, so the list hears when it is over. */
export function metricAlarmArgs(spec: AlarmSpec, topicArn: pulumi.Input<string>): aws.cloudwatch.MetricAlarmArgs {
    const watched = spec.watched;
    const common = {
        alarmDescription: spec.description,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        comparisonOperator: spec.comparison,
        threshold: spec.threshold,
        treatMissingData: spec.treatMissingData,
        alarmActions: [topicArn],
        okActions: [topicArn],
    };
    if (watched.kind === "metric") {
        return { ...common, ...metricFields(watched.metric), period: spec.period, ...statistic(watched.stat) };
    }
    if (watched.kind === "query") {
        // A Metrics Insights query is the alarm's one expression, with its own period (no metric of its own).
        return {
            ...common,
            metricQueries: [
                {
                    id: "result",
                    expression: watched.query,
                    label: watched.label,
                    period: spec.period,
                    returnData: true,
                },
            ],
        };
    }
    return {
        ...common,
        metricQueries: [
            { id: "result", expression: watched.expression, label: watched.label, returnData: true },
            ...Object.entries(watched.metrics).map(([id, m]) => ({
                id,
                returnData: false,
                metric: { ...metricFields(m.metric), period: spec.period, stat: m.stat },
            })),
        ],
    };
}

const metricFields = (m: Metric) => ({ namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions });

/** Percentiles are CloudWatch's extended statistics; the rest are plain statistics. */
const statistic = (stat: Stat) => (stat.startsWith("p") ? { extendedStatistic: stat } : { statistic: stat });
