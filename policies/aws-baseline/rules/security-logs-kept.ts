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
import {
    CLOUDWATCH_LOG_GROUP,
    EC2_FLOW_LOG,
    SNS_TOPIC,
    SSM_DOCUMENT,
    WAFV2_WEB_ACL_LOGGING_CONFIGURATION,
} from "../../lib/types";
import { fails, isSet, known, read } from "../../lib/values";

export interface SecurityLogsKeptConfig {
    minRetentionDays: number;
}

/** The log groups security logs go to: tagged so, or written by WAF logging or a Session document. */
function securityLogGroups(resources: readonly PolicyResource[]): PolicyResource[] {
    const written = [
        ...ofType(resources, WAFV2_WEB_ACL_LOGGING_CONFIGURATION).flatMap((c) =>
            dependsOn(c, "logDestinationConfigs", CLOUDWATCH_LOG_GROUP),
        ),
        ...ofType(resources, SSM_DOCUMENT)
            .filter((d) => known(d.props, "documentType") === "Session")
            .flatMap((d) => dependsOn(d, "content", CLOUDWATCH_LOG_GROUP)),
    ];
    return ofType(resources, CLOUDWATCH_LOG_GROUP).filter(
        (g) => written.includes(g) || known(g.props, "tags", LOG_CLASS_TAG) === "security",
    );
}

export const securityLogsKept: StackValidationPolicy = {
    name: "security-logs-kept",
    description:
        "Log groups of security logs (WAF, Session Manager, tagged LogClass=security) keep a year of events and are KMS-encrypted, as are flow-log groups and SNS topics.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minRetentionDays: {
                type: "integer",
                default: 365,
                description:
                    "Fewest days a security log group keeps its events (unset retention, never expiring, passes).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { minRetentionDays } = args.getConfig<SecurityLogsKeptConfig>();
        const security = securityLogGroups(args.resources);
        for (const group of security) {
            if (
                fails(
                    read(group.props, "retentionInDays"),
                    (d) => d === undefined || d === 0 || (typeof d === "number" && d >= minRetentionDays),
                )
            ) {
                reportViolation(
                    `Log group ${group.name} holds security logs and keeps them ${String(known(group.props, "retentionInDays"))} days; ` +
                        `keep them at least ${minRetentionDays} (PCI DSS 10.5.1: twelve months).`,
                    group.urn,
                );
            }
        }
        const flowLogGroups = ofType(args.resources, EC2_FLOW_LOG).flatMap((f) =>
            dependsOn(f, "logDestination", CLOUDWATCH_LOG_GROUP),
        );
        for (const group of new Set([...security, ...flowLogGroups])) {
            if (!isSet(group.props, "kmsKeyId")) {
                reportViolation(
                    `Log group ${group.name} holds security telemetry and is not KMS-encrypted; set kmsKeyId (the key's policy must let logs.<region>.amazonaws.com use it).`,
                    group.urn,
                );
            }
        }
        for (const topic of ofType(args.resources, SNS_TOPIC)) {
            if (!isSet(topic.props, "kmsMasterKeyId")) {
                reportViolation(
                    `SNS topic ${topic.name} is not encrypted; set kmsMasterKeyId to a customer-managed key whose policy lets its publishers (cloudwatch.amazonaws.com) use it.`,
                    topic.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [CLOUDWATCH_LOG_GROUP, WAFV2_WEB_ACL_LOGGING_CONFIGURATION, SSM_DOCUMENT, EC2_FLOW_LOG, SNS_TOPIC],
    decides:
        "Decides during preview from the log groups' retention, tags and kmsKeyId, which groups WAF logging, Session documents and flow logs write to (property dependencies), and the topics' kmsMasterKeyId.",
    remediation:
        "Set the log group's retentionInDays to 365 or more and its kmsKeyId, and give SNS topics a kmsMasterKeyId.",
    controls: controls({
        awsConfig: ["cw-loggroup-retention-period-check", "cloudwatch-log-group-encrypted", "sns-encrypted-kms"],
    }),
};
