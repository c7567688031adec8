// Rundeck's record off the box (issue 13): root on Rundeck can erase its own disk, not a log group it may only append
// to. The CloudWatch agent (AL2023's amazon-cloudwatch-agent package) follows every execution's output file and the
// service's logs into /magento/<stack>/rundeck, kept SECURITY_LOG_RETENTION_DAYS under the telemetry key. Sources and
// what offline cannot show: docs/rundeck.md, "What happens is recorded".
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_CLASS_TAG } from "../../../policies/lib/contracts";
import { WriteFile } from "../../compute/cloud-init";
import { SECURITY_LOG_RETENTION_DAYS } from "../../monitoring/log-retention";

export const CLOUDWATCH_AGENT = "amazon-cloudwatch-agent";
const AGENT_HOME = "/opt/aws/amazon-cloudwatch-agent";
export const AGENT_CONFIG = `${AGENT_HOME}/etc/rundeck-logs.json`;
/** Translates the JSON, and with -s (re)starts the agent's service: the CloudWatch agent's amazon-cloudwatch-agent-ctl. */
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

/** Execution output: framework.logs.dir (/var/lib/rundeck/logs in the RPM), rundeck/<project>/{run,job/<id>}/logs/<id>.rdlog. */
const EXECUTION_LOGS = "/var/lib/rundeck/logs/rundeck/**.rdlog";
/** The RPM's log directory: ACL decisions, job definition changes, the application's and the service's own output. */
const SERVICE_LOGS = ["rundeck.audit.log", "rundeck.jobs.log", "rundeck.log", "service.log"].map(
    (f) => `/var/log/rundeck/${f}`,
);

export const rundeckLogGroupName = (stack: string) => `/magento/${stack}/rundeck`;

/**
 * The agent's configuration: only the logs section (no metrics). Every file from its first line (from_beginning: a
 * file without saved state, such as one found after the agent started, is otherwise read from its end); execution
 * files each in a stream of their own (publish_multi_logs: a glob otherwise follows only the newest file). No
 * retention_in_days: the agent would call PutRetentionPolicy.
 */
export function rundeckAgentConfig(groupName: string): object {
    return {
        logs: {
            logs_collected: {
                files: {
                    collect_list: [
                        {
                            file_path: EXECUTION_LOGS,
                            log_group_name: groupName,
                            log_stream_name: "{instance_id}/executions",
                            from_beginning: true,
                            publish_multi_logs: true,
                        },
                        ...SERVICE_LOGS.map((file) => ({
                            file_path: file,
                            log_group_name: groupName,
                            log_stream_name: `{instance_id}/${file.split("/").pop()}`,
                            from_beginning: true,
                        })),
                    ],
                },
            },
        },
    };
}

export function rundeckAgentConfigFile(groupName: string): WriteFile {
    return {
        path: AGENT_CONFIG,
        permissions: "0644",
        content: `${JSON.stringify(rundeckAgentConfig(groupName), null, 2)}\n`,
    };
}

/** Append only: create streams, put events, find a stream's sequence; no delete, no retention or key change. */
export function rundeckLogsPolicy<T>(groupArn: T, streamsArn: T) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AppendRundeckLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [groupArn, streamsArn],
            },
        ],
    };
}

export interface RundeckLogsArgs {
    readonly stack: string;
    /** The Rundeck tier's role: the only writer. */
    readonly roleName: pulumi.Input<string>;
    /** The telemetry key, whose policy lets CloudWatch Logs of this account and region use it. */
    readonly keyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** The group and the role's append-only grant; `groupName` is what the agent's configuration names. */
export class RundeckLogs extends pulumi.ComponentResource {
    public readonly groupName: string;
    public readonly groupArn: pulumi.Output<string>;

    constructor(name: string, args: RundeckLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:RundeckLogs", name, {}, opts);
        const child = { parent: this };
        this.groupName = rundeckLogGroupName(args.stack);
        const group = new aws.cloudwatch.LogGroup(
            name,
            {
                name: this.groupName,
                retentionInDays: SECURITY_LOG_RETENTION_DAYS,
                kmsKeyId: args.keyArn,
                tags: { ...args.tags, Name: name, [LOG_CLASS_TAG]: "security" },
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-write`,
            {
                role: args.roleName,
                policy: pulumi.jsonStringify(rundeckLogsPolicy(group.arn, pulumi.interpolate`${group.arn}:*`)),
            },
            child,
        );
        this.groupArn = group.arn;
        this.registerOutputs({ groupName: this.groupName, groupArn: this.groupArn });
    }
}
