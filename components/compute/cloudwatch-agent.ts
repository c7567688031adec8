// The CloudWatch agent on every Linux server: one generator of its JSON configuration for every kind of server (the
// web tiers, the side applications, Rundeck, the gateway, the VPN, the NFS server). Each ships its logs to its tier's
// log group (components/compute/server-tier.ts) and publishes memory, disk and the 5-minute load average into its
// tier's namespace. Sources and what offline cannot show: docs/servers.md, "Seeing into the servers".
import type * as pulumi from "@pulumi/pulumi";
import { AGENT_CONFIG_PATH } from "../../policies/lib/contracts";
import { MAGENTO_ROOT } from "../../model/release";
import { WEB_CONFIG_PATHS } from "../../model/web-config";
import { WriteFile } from "./cloud-init";

export const CLOUDWATCH_AGENT = "amazon-cloudwatch-agent";
/** AL2023 has no syslog daemon (the systemd journal replaces rsyslog, /var/log/messages is not written): rsyslog writes
 *  the journal to the text files the agent reads (https://docs.aws.amazon.com/linux/al2023/ug/journald.html). */
export const SYSLOG = "rsyslog";
/** What a server built from the stock image installs for its telemetry (both in AL2023's own repository). */
export const AGENT_PACKAGES = [CLOUDWATCH_AGENT, SYSLOG] as const;

const AGENT_HOME = "/opt/aws/amazon-cloudwatch-agent";
/** The policy packs' contract (rule servers-ship-logs reads the file there). */
export const AGENT_CONFIG = AGENT_CONFIG_PATH;
/** Translates the JSON and with -s (re)starts the agent's service; -m ec2: region and credentials from the instance. */
export const START_AGENT = [
    `${AGENT_HOME}/bin/amazon-cloudwatch-agent-ctl`,
    "-a",
    "fetch-config",
    "-m",
    "ec2",
    "-s",
    "-c",
    `file:${AGENT_CONFIG}`,
];

/** The namespace a tier's servers publish into, and the only one its role may (server-tier.ts): one per tier, so a
 *  compromised server cannot draw another tier's lines on the dashboard. */
export const serverMetricsNamespace = (stack: string, tier: string) => `Magento/${stack}/Servers/${tier}`;
/** Each tier's log group. */
export const serverLogGroupName = (stack: string, tier: string) => `/magento/${stack}/servers/${tier}`;

/** Where a tier's servers send what they see (ServerTier creates the group and the grants). */
export interface ServerTelemetry {
    readonly logGroupName: string;
    readonly namespace: string;
    /** Its servers run in an Auto Scaling group: metrics carry the group's name, which the dashboard draws. */
    readonly scaled: boolean;
}

/** A server, or a group of them, as the dashboard draws its agent's metrics: instance id or group name, namespace. */
export interface AgentMetrics {
    readonly id: pulumi.Input<string>;
    readonly namespace: string;
}

/** A tier's telemetry, or a clear error naming the server whose tier was built without one. */
export function requireTelemetry(server: string, tier: { tier: string; telemetry?: ServerTelemetry }): ServerTelemetry {
    if (tier.telemetry === undefined) {
        throw new Error(`${server}: tier '${tier.tier}' has no log group; give its ServerTier a telemetry argument`);
    }
    return tier.telemetry;
}

/** One file (or glob) the agent follows into a stream `<instance id>/<stream>`. */
export interface LogSource {
    readonly file: string;
    readonly stream: string;
    /** A glob of several files at once: each its own stream (without it the agent follows only the newest match). */
    readonly multi?: boolean;
    /** Another group than the tier's (Rundeck's own record, components/operations/rundeck/logs.ts). */
    readonly group?: string;
}

/** What rsyslog's stock configuration writes from the journal: everything but authentication, and authentication
 *  (sshd, sudo, su, Session Manager's shells). cloud-init's output holds a failed boot's story. */
export const SYSTEM_LOGS: readonly LogSource[] = [
    { file: "/var/log/messages", stream: "messages" },
    { file: "/var/log/secure", stream: "secure" },
    { file: "/var/log/cloud-init-output.log", stream: "cloud-init-output" },
];

/** nginx's logs where AL2023's package and the web image's nginx.conf put them (model/web-config.ts). */
export const NGINX_LOGS: readonly LogSource[] = [
    { file: "/var/log/nginx/access.log", stream: "nginx-access" },
    { file: "/var/log/nginx/error.log", stream: "nginx-error" },
];

/** PHP-FPM's master log (AL2023's php-fpm.conf) and, when a pool logs PHP's errors elsewhere, that file. */
export function phpFpmLogs(poolErrorLog?: string): LogSource[] {
    return [
        { file: "/var/log/php-fpm/error.log", stream: "php-fpm" },
        ...(poolErrorLog ? [{ file: poolErrorLog, stream: "php-errors" }] : []),
    ];
}

/** A Magento server's: nginx, PHP-FPM and the pool's PHP errors, and Magento's own var/log (system.log,
 *  exception.log, debug.log...), on the root disk, lost with the server unless shipped. */
export const MAGENTO_LOGS: readonly LogSource[] = [
    ...NGINX_LOGS,
    ...phpFpmLogs(WEB_CONFIG_PATHS.fpmErrorLog),
    { file: `${MAGENTO_ROOT}/var/log/*.log`, stream: "magento", multi: true },
];

export interface AgentArgs {
    readonly telemetry: ServerTelemetry;
    /** The server's own logs besides SYSTEM_LOGS. */
    readonly logs: readonly LogSource[];
    /** Mount points whose use is measured besides the root file system (data volumes). */
    readonly diskPaths?: readonly string[];
}

/** Where the agent's StatsD listener is: the load average's only way in (below). */
const STATSD = { host: "127.0.0.1", port: 8125 };
/** The metric the load-average timer sends: a StatsD gauge is published under its own name (the agent's
 *  internal/metric/metric.go, DecorateMetricName). */
export const LOAD_METRIC = "load_average_5min";
/** The disk plugin's used_percent, named plugin_measurement on Linux (the agent's DecorateMetricName). */
export const DISK_METRIC = "disk_used_percent";
const PERIOD_SECONDS = 60;

/**
 * The agent's configuration, which the agent checks against its schema before anything runs (a refused file ships
 * nothing: tests/components/compute/cloudwatch-agent.spec.ts checks every one). Logs: every file from its first line,
 * which the agent's translator sets itself (from_beginning defaults to true: translator/translate/logs/logs_collected/
 * files/collect_list/ruleFromBeginning.go; the JSON may not name it, the schema's collect_list admits no such key), so
 * a failed boot's lines are shipped; no retention_in_days (the agent would call PutRetentionPolicy; the program owns
 * the group's retention). Metrics: mem_used_percent,
 * disk_used_percent of each file system measured, and the 5-minute load average, which the agent does not collect
 * (its metrics_collected has no load plugin: translator/config/schema.json) and takes here as a StatsD gauge. Each
 * carries the InstanceId and, on a group's servers, the AutoScalingGroupName; aggregated per group (or per server), so
 * the dashboard draws one line per tier; disk aggregated over paths and read as Maximum is the fullest disk.
 */
export function agentConfig(args: AgentArgs): object {
    const { telemetry } = args;
    const per = telemetry.scaled ? "AutoScalingGroupName" : "InstanceId";
    return {
        agent: { metrics_collection_interval: PERIOD_SECONDS },
        logs: {
            logs_collected: {
                files: {
                    collect_list: [...SYSTEM_LOGS, ...args.logs].map((source) => ({
                        file_path: source.file,
                        log_group_name: source.group ?? telemetry.logGroupName,
                        log_stream_name: `{instance_id}/${source.stream}`,
                        ...(source.multi ? { publish_multi_logs: true } : {}),
                    })),
                },
            },
        },
        metrics: {
            namespace: telemetry.namespace,
            append_dimensions: {
                InstanceId: "${aws:InstanceId}",
                ...(telemetry.scaled ? { AutoScalingGroupName: "${aws:AutoScalingGroupName}" } : {}),
            },
            aggregation_dimensions: [[per]],
            metrics_collected: {
                mem: { measurement: ["used_percent"] },
                disk: { measurement: ["used_percent"], resources: ["/", ...(args.diskPaths ?? [])], drop_device: true },
                statsd: {
                    service_address: `${STATSD.host}:${STATSD.port}`,
                    metrics_collection_interval: PERIOD_SECONDS,
                    metrics_aggregation_interval: PERIOD_SECONDS,
                },
            },
        },
    };
}

const LOAD_SCRIPT = "/usr/local/sbin/magento-load-average";
const LOAD_UNIT = "magento-load-average";

/** Reads /proc/loadavg's second field (the 5-minute average, proc(5)) and sends it as a gauge over UDP. */
export function loadAverageScript(): string {
    return [
        "#!/bin/bash",
        "# Sends the 5-minute load average to the CloudWatch agent's StatsD listener (the agent has no load metric).",
        "set -euo pipefail",
        "read -r _ five _ < /proc/loadavg",
        `printf '${LOAD_METRIC}:%s|g' "$five" > /dev/udp/${STATSD.host}/${STATSD.port}`,
        "",
    ].join("\n");
}

/** What a server does for its telemetry at boot: the files to write and the commands that start it. */
export interface AgentBoot {
    readonly files: readonly WriteFile[];
    readonly runcmd: readonly (readonly string[])[];
}

/** The agent's files and start; the packages (AGENT_PACKAGES) are the image's or the caller's to install first. */
export function agentBoot(args: AgentArgs): AgentBoot {
    return {
        files: [
            { path: AGENT_CONFIG, permissions: "0644", content: `${JSON.stringify(agentConfig(args))}\n` },
            { path: LOAD_SCRIPT, permissions: "0755", content: loadAverageScript() },
            {
                path: `/etc/systemd/system/${LOAD_UNIT}.service`,
                permissions: "0644",
                content: `[Unit]\nDescription=Send the 5-minute load average to the CloudWatch agent\nAfter=${CLOUDWATCH_AGENT}.service\n\n[Service]\nType=oneshot\nExecStart=${LOAD_SCRIPT}\n`,
            },
            {
                path: `/etc/systemd/system/${LOAD_UNIT}.timer`,
                permissions: "0644",
                content: `[Unit]\nDescription=Send the 5-minute load average every minute\n\n[Timer]\nOnBootSec=1min\nOnUnitActiveSec=1min\nAccuracySec=5s\n\n[Install]\nWantedBy=timers.target\n`,
            },
        ],
        runcmd: [
            // rsyslog first, so that the journal of this boot is in /var/log/messages when the agent starts reading.
            ["systemctl", "enable", "--now", `${SYSLOG}.service`],
            START_AGENT,
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", `${LOAD_UNIT}.timer`],
        ],
    };
}
