// Security telemetry outlives an intrusion and is unreadable to whoever reads CloudWatch Logs without the key:
// - log groups of security logs (WAF requests, Session Manager sessions; tagged LogClass=security, and every group
//   a WAF logging configuration or a Session document writes to, tag or not) keep events at least a year: PCI DSS
//   v4.0 10.5.1, twelve months with three immediately available (CloudWatch Logs keeps every retained event
//   searchable; docs/telemetry.md);
// - those, the VPC flow logs' groups and SNS topics are KMS-encrypted with a key the stack names.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LOG_CLASS_TAG } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType } from "../../lib/stack";
import { fails, isSet, known, read } from "../../lib/values";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
const DOCUMENT = "aws:ssm/document:Document";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const TOPIC = "aws:sns/topic:Topic";

export interface SecurityLogsKeptConfig {
    minRetentionDays: number;
}

/** The log groups security logs go to: tagged so, or written by WAF logging or a Session document. */
function securityLogGroups(resources: readonly PolicyResource[]): PolicyResource[] {
    const written = [
        ...ofType(resources, WAF_LOGGING).flatMap((c) => dependsOn(c, "logDestinationConfigs", LOG_GROUP)),
        ...ofType(resources, DOCUMENT).filter((d) => known(d.props, "documentType") === "Session").flatMap((d) => dependsOn(d, "content", LOG_GROUP)),
    ];
    return ofType(resources, LOG_GROUP).filter((g) => written.includes(g) || known(g.props, "tags", LOG_CLASS_TAG) === "security");
}

export const securityLogsKept: StackValidationPolicy = {
    name: "security-logs-kept",
    description: "Log groups of security logs (WAF, Session Manager, tagged LogClass=security) keep a year of events and are KMS-encrypted, as are flow-log groups and SNS topics.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minRetentionDays: { type: "integer", default: 365, description: "Fewest days a security log group keeps its events (unset retention, never expiring, passes)." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { minRetentionDays } = args.getConfig<SecurityLogsKeptConfig>();
        const security = securityLogGroups(args.resources);
        for (const group of security) {
            if (fails(read(group.props, "retentionInDays"), (d) => d === undefined || d === 0 || (typeof d === "number" && d >= minRetentionDays))) {
                reportViolation(`Log group ${group.name} holds security logs and keeps them ${String(known(group.props, "retentionInDays"))} days; ` +
                    `keep them at least ${minRetentionDays} (PCI DSS 10.5.1: twelve months).`, group.urn);
            }
        }
        const flowLogGroups = ofType(args.resources, FLOW_LOG).flatMap((f) => dependsOn(f, "logDestination", LOG_GROUP));
        for (const group of new Set([...security, ...flowLogGroups])) {
            if (!isSet(group.props, "kmsKeyId")) {
                reportViolation(`Log group ${group.name} holds security telemetry and is not KMS-encrypted; set kmsKeyId (the key's policy must let logs.<region>.amazonaws.com use it).`, group.urn);
            }
        }
        for (const topic of ofType(args.resources, TOPIC)) {
            if (!isSet(topic.props, "kmsMasterKeyId")) {
                reportViolation(`SNS topic ${topic.name} is not encrypted; set kmsMasterKeyId to a customer-managed key whose policy lets its publishers (cloudwatch.amazonaws.com) use it.`, topic.urn);
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [LOG_GROUP, WAF_LOGGING, DOCUMENT, FLOW_LOG, TOPIC],
    decides: "Decides during preview from the log groups' retention, tags and kmsKeyId, which groups WAF logging, Session documents and flow logs write to (property dependencies), and the topics' kmsMasterKeyId.",
    controls: controls({ awsConfig: ["cw-loggroup-retention-period-check", "cloudwatch-log-group-encrypted", "sns-encrypted-kms"] }),
};
