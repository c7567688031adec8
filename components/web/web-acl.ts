// A regional WAF web ACL in front of the load balancer: AWS's managed rule groups for the common web exploits, known
// bad inputs, SQL injection, PHP and IP reputation, bodies past what WAF inspects blocked outside the admin, and a per-IP rate limit so one client cannot take the shop down. The
// limit does not count CloudFront's origin fetches (few edge addresses, many requests on a cold cache): it is scoped
// down to requests that are not such a fetch, the origin-verify secret on a CDN path. Only those: anyone who learnt
// the secret still meets the limit on logins, checkout and the admin. Keying on X-Forwarded-For instead would let any client choose
// the address it is counted under (WAF reads the header's first address). docs/edge.md, "WAF rate limit".
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OriginVerify } from "../edge/cdn";
import { LOG_CLASS_TAG } from "../../policies/lib/contracts";
import { SECURITY_LOG_RETENTION_DAYS } from "../monitoring/log-retention";

export interface WebAclArgs {
    /** The load balancer to protect. */
    readonly resourceArn: pulumi.Input<string>;
    /** Requests one IP may make in 5 minutes before it is blocked. */
    readonly ratePerIpPer5Min: number;
    /** The header CloudFront adds to its origin requests, and its accepted secret values: such requests are not rate limited. */
    readonly originVerify: OriginVerify;
    /** The paths CloudFront fetches from (its origin paths, such as /pub/media): the only ones the exemption covers. */
    readonly cdnPaths: readonly string[];
    /** Paths whose bodies may exceed what WAF inspects (the admin's: imports, product descriptions); blocked elsewhere. */
    readonly largeBodyPaths: readonly string[];
    /** Magento's admin front name, and the only sources (IPv4 CIDRs) its requests may come from: the WAF refuses it from
     *  anywhere else after decoding and normalising the path, what ELB's path patterns cannot do (docs/admin.md). */
    readonly adminPath: string;
    readonly adminSources: readonly string[];
    /** KMS key of the request log group (the telemetry key). */
    readonly logKeyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** AWS managed groups, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesPHPRuleSet", // Magento is PHP (docs/edge.md, "WAF body size and rule sets")
] as const;

/** On an ALB, WAF sees only the first 8 KB of a body (docs/edge.md): a longer one is blocked outside largeBodyPaths. */
const ALB_BODY_INSPECTION_BYTES = 8192;

/**
 * Rules of the common set counted instead of blocked: Magento's admin posts product descriptions and imports larger
 * than the 8 KB body limit; the oversize-body rule then blocks such bodies everywhere but the admin's paths.
 */
const COUNTED_RULES: Partial<Record<(typeof MANAGED_RULE_GROUPS)[number], string[]>> = {
    AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"],
};

const none = [{ priority: 0, type: "NONE" }];

/** A request whose path is under one of the paths. */
function underAny(paths: readonly string[]) {
    const onPath = paths.map((p) => ({
        byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: "STARTS_WITH",
            searchString: `${p}/`,
            textTransformations: none,
        },
    }));
    return onPath.length === 1 ? onPath[0] : { orStatement: { statements: onPath } };
}

/** A request CloudFront makes to the origin: the secret header (either accepted value), on one of the CDN paths. */
function cdnFetch(
    originVerify: OriginVerify,
    cdnPaths: readonly string[],
): aws.types.input.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatement {
    const withValue = originVerify.values.map((searchString) => ({
        byteMatchStatement: {
            fieldToMatch: { singleHeader: { name: originVerify.headerName } }, // matched case-insensitively
            positionalConstraint: "EXACTLY",
            searchString,
            textTransformations: none,
        },
    }));
    return {
        andStatement: {
            statements: [
                withValue.length === 1 ? withValue[0] : { orStatement: { statements: withValue } },
                underAny(cdnPaths),
            ],
        },
    };
}

export class WebAcl extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    /** The web ACL's name: AWS/WAFV2 metrics are keyed by it. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:web:WebAcl", name, {}, opts);
        const child = { parent: this };
        const visibility = (metric: string) => ({
            metricName: metric,
            cloudwatchMetricsEnabled: true,
            sampledRequestsEnabled: true,
        });

        const operators = new aws.wafv2.IpSet(
            `${name}-operators`,
            {
                scope: "REGIONAL",
                ipAddressVersion: "IPV4",
                addresses: [...args.adminSources],
                description: "Operators' addresses: the only sources of admin requests",
                tags: { ...args.tags, Name: `${name}-operators` },
            },
            child,
        );

        const acl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                scope: "REGIONAL",
                description: "Shop load balancer: AWS managed rules and a per-IP rate limit",
                defaultAction: { allow: {} },
                rules: [
                    {
                        // First: a flood is refused before any other rule spends capacity on it.
                        name: "rate-per-ip",
                        priority: 0,
                        action: { block: {} },
                        statement: {
                            rateBasedStatement: {
                                limit: args.ratePerIpPer5Min,
                                aggregateKeyType: "IP",
                                // The rule now holds the secret: a secret in state (nested in `rules`); the component exposes only the ARN.
                                scopeDownStatement: {
                                    notStatement: { statement: cdnFetch(args.originVerify, args.cdnPaths) },
                                },
                            },
                        },
                        visibilityConfig: visibility(`${name}-rate-per-ip`),
                    },
                    ...MANAGED_RULE_GROUPS.map((group, i) => ({
                        name: group,
                        priority: i + 1,
                        overrideAction: { none: {} },
                        statement: {
                            managedRuleGroupStatement: {
                                vendorName: "AWS",
                                name: group,
                                ruleActionOverrides: (COUNTED_RULES[group] ?? []).map((rule) => ({
                                    name: rule,
                                    actionToUse: { count: {} },
                                })),
                            },
                        },
                        visibilityConfig: visibility(`${name}-${group}`),
                    })),
                    {
                        // Last: the part of a body past 8 KB escapes every rule above, so only the admin may send one.
                        name: "oversize-body",
                        priority: MANAGED_RULE_GROUPS.length + 1,
                        action: { block: {} },
                        statement: {
                            andStatement: {
                                statements: [
                                    {
                                        sizeConstraintStatement: {
                                            fieldToMatch: { body: { oversizeHandling: "MATCH" } },
                                            comparisonOperator: "GT",
                                            size: ALB_BODY_INSPECTION_BYTES,
                                            textTransformations: none,
                                        },
                                    },
                                    { notStatement: { statement: underAny(args.largeBodyPaths) } },
                                ],
                            },
                        },
                        visibilityConfig: visibility(`${name}-oversize-body`),
                    },
                    {
                        // The admin from the operators only, whatever the path's spelling: Magento drops repeated slashes
                        // and the client may percent-encode or capitalise; WAF decodes, normalises (// and /./ collapsed)
                        // and lowercases before matching (https://docs.aws.amazon.com/waf/latest/APIReference/API_TextTransformation.html).
                        name: "admin-operators-only",
                        priority: MANAGED_RULE_GROUPS.length + 2,
                        action: { block: {} },
                        statement: {
                            andStatement: {
                                statements: [
                                    {
                                        byteMatchStatement: {
                                            fieldToMatch: { uriPath: {} },
                                            positionalConstraint: "CONTAINS",
                                            searchString: args.adminPath.toLowerCase(), // /index.php<admin> too
                                            textTransformations: [
                                                { priority: 0, type: "URL_DECODE" },
                                                { priority: 1, type: "NORMALIZE_PATH" },
                                                { priority: 2, type: "LOWERCASE" },
                                            ],
                                        },
                                    },
                                    {
                                        notStatement: {
                                            statement: { ipSetReferenceStatement: { arn: operators.arn } },
                                        },
                                    },
                                ],
                            },
                        },
                        visibilityConfig: visibility(`${name}-admin-operators-only`),
                    },
                ],
                visibilityConfig: visibility(name),
                tags: { ...args.tags, Name: name },
            },
            { ...child, dependsOn: [...args.originVerify.after] },
        ); // a rotation drops a value once no edge sends it
        new aws.wafv2.WebAclAssociation(`${name}-alb`, { resourceArn: args.resourceArn, webAclArn: acl.arn }, child);
        this.logRequests(name, acl, args);

        this.arn = acl.arn;
        this.name = acl.name;
        this.registerOutputs({ arn: this.arn, name: this.name });
    }

    /**
     * Every request WAF decides on, to a CloudWatch Logs group (the name must start aws-waf-logs-), a year, encrypted,
     * with secrets redacted. The group's resource policy is ours: left to WAF, it edits an account-wide AWSWAF-LOGS
     * policy, which outgrows CloudWatch's 5,120-character limit in a busy account.
     * https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
     */
    private logRequests(name: string, acl: aws.wafv2.WebAcl, args: WebAclArgs): void {
        const child = { parent: this };
        const group = new aws.cloudwatch.LogGroup(
            `${name}-requests`,
            {
                name: `aws-waf-logs-${name}`,
                retentionInDays: SECURITY_LOG_RETENTION_DAYS,
                kmsKeyId: args.logKeyArn,
                tags: { ...args.tags, Name: `${name}-requests`, [LOG_CLASS_TAG]: "security" },
            },
            child,
        );
        const policy = new aws.cloudwatch.LogResourcePolicy(
            `${name}-requests`,
            {
                policyName: `${name}-waf-logs`,
                policyDocument: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WafDeliversItsLogs",
                            Effect: "Allow",
                            Principal: { Service: "delivery.logs.amazonaws.com" },
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${group.arn}:*`,
                            Condition: {
                                StringEquals: { "aws:SourceAccount": args.accountId },
                                ArnLike: {
                                    "aws:SourceArn": pulumi.interpolate`arn:aws:logs:${args.region}:${args.accountId}:*`,
                                },
                            },
                        },
                    ],
                }),
            },
            child,
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-requests`,
            {
                resourceArn: acl.arn,
                logDestinationConfigs: [group.arn],
                // Session cookies, API tokens and the CDN's secret stay out of the logs (header names match in any case).
                redactedFields: ["cookie", "authorization", args.originVerify.headerName.toLowerCase()].map(
                    (header) => ({ singleHeader: { name: header } }),
                ),
            },
            { ...child, dependsOn: [policy] },
        );
    }
}
