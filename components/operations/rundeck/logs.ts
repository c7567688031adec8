// Rundeck's record off the box (issue 13): root on Rundeck can erase its own disk, not a log group it may only append
// to. The CloudWatch agent (AL2023's amazon-cloudwatch-agent package) follows every execution's output file and the
// service's logs into /magento/<stack>/rundeck, kept SECURITY_LOG_RETENTION_DAYS under the telemetry key. Sources and
// what offline cannot show: docs/rundeck.md, "What happens is recorded".
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_CLASS_TAG } from "../../../policies/lib/contracts";
import { LogSource } from "../../compute/cloudwatch-agent";
import { appendLogsStatement } from "../../compute/server-tier";
import { SECURITY_LOG_RETENTION_DAYS } from "../../monitoring/log-retention";

/** Execution output: framework.logs.dir (/var/lib/rundeck/logs in the RPM), rundeck/<project>/{run,job/<id>}/logs/<id>.rdlog. */
const EXECUTION_LOGS = "/var/lib/rundeck/logs/rundeck/**.rdlog";
/** The RPM's log directory: ACL decisions, job definition changes, the application's and the service's own output. */
const SERVICE_LOGS = ["rundeck.audit.log", "rundeck.jobs.log", "rundeck.log", "service.log"];

export const rundeckLogGroupName = (stack: string) => `/magento/${stack}/rundeck`;

/**
 * What the agent (components/compute/cloudwatch-agent.ts) follows into Rundeck's own group, beside the server's
 * system logs in its tier's: execution files each in a stream of their own (`multi`: a glob otherwise follows only the
 * newest file), the service's logs one stream each.
 */
export function rundeckLogSources(groupName: string): LogSource[] {
    return [
        { file: EXECUTION_LOGS, stream: "executions", multi: true, group: groupName },
        ...SERVICE_LOGS.map((file) => ({ file: `/var/log/rundeck/${file}`, stream: file, group: groupName })),
    ];
}

/** Append only: create streams, put events, find a stream's sequence; no delete, no retention or key change. */
export function rundeckLogsPolicy<T>(groupArn: T, streamsArn: T) {
    return { Version: "2012-10-17", Statement: [appendLogsStatement("AppendRundeckLogs", [groupArn, streamsArn])] };
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
