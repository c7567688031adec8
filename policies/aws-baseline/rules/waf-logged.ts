// Every web ACL logs its requests (what was blocked, from where, by which rule), to a destination WAF accepts: a
// CloudWatch Logs group whose name starts aws-waf-logs- (https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html),
// with the headers that carry secrets redacted: cookies (shoppers' and admins' sessions), Authorization (API tokens)
// and the CDN's origin-verify secret, which would otherwise sit in the logs in clear.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html (RedactedFields: SingleHeader)
import { StackValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType } from "../../lib/stack";
import { CLOUDWATCH_LOG_GROUP, WAFV2_WEB_ACL, WAFV2_WEB_ACL_LOGGING_CONFIGURATION } from "../../lib/types";
import { fails, indices, known, read } from "../../lib/values";

export interface WafLoggedConfig {
    redactedHeaders: string[];
}

export const wafLogged: StackValidationPolicy = {
    name: "waf-logged",
    description:
        "Every WAF web ACL logs to a CloudWatch Logs group named aws-waf-logs-*, with the cookie, authorization and origin-verify headers redacted.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            redactedHeaders: {
                type: "array",
                items: { type: "string" },
                default: ["cookie", "authorization", "x-origin-verify"],
                description: "Request headers (any case) every web ACL's logging must redact.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const required = args.getConfig<WafLoggedConfig>().redactedHeaders.map((h) => h.toLowerCase());
        const configs = ofType(args.resources, WAFV2_WEB_ACL_LOGGING_CONFIGURATION);
        for (const acl of ofType(args.resources, WAFV2_WEB_ACL)) {
            const logging = configs.find((c) => dependsOn(c, "resourceArn").includes(acl));
            if (!logging) {
                reportViolation(
                    `Web ACL ${acl.name} has no logging configuration: add a WebAclLoggingConfiguration to an aws-waf-logs- log group.`,
                    acl.urn,
                );
                continue;
            }
            const problems: string[] = [];
            const groups = dependsOn(logging, "logDestinationConfigs", CLOUDWATCH_LOG_GROUP);
            if (
                groups.length === 0 ||
                groups.some((g) => fails(read(g.props, "name"), (n) => String(n).startsWith("aws-waf-logs-")))
            ) {
                problems.push("its destination must be a log group of the stack named aws-waf-logs-*");
            }
            const fields = read(logging.props, "redactedFields");
            const redacted = indices(fields)
                .map((i) => known(fields, i, "singleHeader", "name"))
                .filter((n): n is string => typeof n === "string")
                .map((n) => n.toLowerCase());
            const missing = required.filter((h) => !redacted.includes(h));
            if (fields !== undefined && typeof fields !== "symbol" && missing.length > 0) {
                problems.push(`redactedFields must include singleHeader ${missing.join(", ")}`);
            } else if (fields === undefined && required.length > 0) {
                problems.push(`redactedFields must include singleHeader ${required.join(", ")}`);
            }
            if (problems.length > 0) {
                reportViolation(`Web ACL ${acl.name}'s logging: ${problems.join("; ")}.`, logging.urn);
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [WAFV2_WEB_ACL, WAFV2_WEB_ACL_LOGGING_CONFIGURATION, CLOUDWATCH_LOG_GROUP],
    decides:
        "Decides during preview from the logging configuration wired to each web ACL (property dependencies), its log group's literal name and its redactedFields.",
    remediation:
        "Add a logging configuration sending to a log group named aws-waf-logs-*, with redacted fields for the cookie, authorization and origin-verify headers.",
    controls: controls({ securityHub: ["WAF.11"], awsConfig: ["wafv2-logging-enabled"] }),
};
