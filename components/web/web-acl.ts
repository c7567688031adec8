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
    /** The other applications on the load balancer (components/sideapps), by host name: each one's admin paths (every
     *  path: "all") are refused to anyone outside adminSources after the same decoding and normalising, and the shop's
     *  body limit and per-IP rate do not apply to their hosts (docs/sideapps.md, "WAF"). */
    readonly sideApps: readonly SideAppHost[];
    /** KMS key of the request log group (the telemetry key). */
    readonly logKeyArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    readonly tags: Readonly<Record<string, string>>;
}

export interface SideAppHost {
    readonly name: string;
    readonly host: string;
    readonly adminPaths: readonly string[] | "all";
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
/** What the client may have done to a path that the application's server undoes: percent-encoding, // and /./, case
 *  (https://docs.aws.amazon.com/waf/latest/APIReference/API_TextTransformation.html). */
const NORMALISED = [
    { priority: 0, type: "URL_DECODE" },
    { priority: 1, type: "NORMALIZE_PATH" },
    { priority: 2, type: "LOWERCASE" },
];

/**
 * Labels a rule adds to the requests it matches, for later rules of the ACL to match on: the counting rules below name
 * CloudFront's fetches and the side applications' hosts once, so that the rules scoped by them stay within the provider's
 * three levels of nested statements (pulumi/pulumi-aws#4868; a rate rule's scope-down gets two). A rule that counts
 * does not end the evaluation, and labels are seen by the rules after it
 * (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-label-overview.html). Fields as @pulumi/aws 7.48
 * types them (types/input.d.ts: WebAclRule.ruleLabels, labelMatchStatement { scope LABEL | NAMESPACE, key }).
 */
const CDN_FETCH_LABEL = "magento:cdn-fetch";
const SIDE_APP_LABEL = "magento:side-app";
const labelled = (key: string) => ({ labelMatchStatement: { scope: "LABEL", key } });

/** One statement, or their OR: an OR takes more than one
 *  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-wafv2-webacl-orstatement.html). */
function anyOf<T>(statements: T[]): T | { orStatement: { statements: T[] } } {
    return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

/** A request whose path is under one of the paths. */
function onPaths(paths: readonly string[]) {
    return paths.map((p) => ({
        byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: "STARTS_WITH",
            searchString: `${p}/`,
            textTransformations: none,
        },
    }));
}

/** A request for `host`, compared lowercased (host names are case-insensitive): EXACTLY where a match exempts the request
 *  from a rule, STARTS_WITH where it subjects it to one (a `:443` or a trailing dot still matches). WAF's header names are
 *  lowercase (the provider refuses others). */
function forHost(host: string, positionalConstraint: "EXACTLY" | "STARTS_WITH") {
    return {
        byteMatchStatement: {
            fieldToMatch: { singleHeader: { name: "host" } },
            positionalConstraint,
            searchString: host.toLowerCase(),
            textTransformations: [{ priority: 0, type: "LOWERCASE" }],
        },
    };
}

/** A request CloudFront makes to the origin: the secret header (either accepted value), on one of the CDN paths. */
function cdnFetch(originVerify: OriginVerify, cdnPaths: readonly string[]): aws.types.input.wafv2.WebAclRuleStatement {
    const withValue = originVerify.values.map((searchString) => ({
        byteMatchStatement: {
            fieldToMatch: { singleHeader: { name: originVerify.headerName.toLowerCase() } }, // header names: any case
            positionalConstraint: "EXACTLY",
            searchString,
            textTransformations: none,
        },
    }));
    return { andStatement: { statements: [anyOf(withValue), anyOf(onPaths(cdnPaths))] } };
}

/** The side application's admin from anyone but the operators: its host, its admin paths' common prefixes (every path
 *  for "all"), normalised as the shop's admin rule does. A prefix, so `/admin.php` or `/admin;x` too. */
function sideAdminRefused(
    app: SideAppHost,
    operatorsArn: pulumi.Input<string>,
): aws.types.input.wafv2.WebAclRuleStatement {
    const prefixes = app.adminPaths === "all" ? [] : [...new Set(app.adminPaths.map((p) => p.replace(/\/?\*$/, "")))];
    const onAdmin = prefixes.map((searchString) => ({
        byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: "STARTS_WITH",
            searchString: searchString.toLowerCase(),
            textTransformations: NORMALISED,
        },
    }));
    return {
        andStatement: {
            statements: [
                forHost(app.host, "STARTS_WITH"),
                ...(onAdmin.length > 0 ? [anyOf(onAdmin)] : []),
                { notStatement: { statement: { ipSetReferenceStatement: { arn: operatorsArn } } } },
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
                        // Labels CloudFront's fetches: the rule now holds the secret, a secret in state (nested in
                        // `rules`); the component exposes only the ARN.
                        name: "label-cdn-fetch",
                        priority: 0,
                        action: { count: {} },
                        ruleLabels: [{ name: CDN_FETCH_LABEL }],
                        statement: cdnFetch(args.originVerify, args.cdnPaths),
                        visibilityConfig: visibility(`${name}-label-cdn-fetch`),
                    },
                    ...(args.sideApps.length === 0
                        ? []
                        : [
                              {
                                  name: "label-side-app",
                                  priority: 1,
                                  action: { count: {} },
                                  ruleLabels: [{ name: SIDE_APP_LABEL }],
                                  statement: anyOf(args.sideApps.map((app) => forHost(app.host, "EXACTLY"))),
                                  visibilityConfig: visibility(`${name}-label-side-app`),
                              },
                          ]),
                    {
                        // Then: a flood is refused before any other rule spends capacity on it. Not CloudFront's
                        // fetches, nor the side applications' callers (a marketplace's or payment provider's few
                        // addresses): the limit is per shopper.
                        name: "rate-per-ip",
                        priority: 2,
                        action: { block: {} },
                        statement: {
                            rateBasedStatement: {
                                limit: args.ratePerIpPer5Min,
                                aggregateKeyType: "IP",
                                scopeDownStatement: {
                                    andStatement: {
                                        statements: [CDN_FETCH_LABEL, SIDE_APP_LABEL].map((label) => ({
                                            notStatement: { statement: labelled(label) },
                                        })),
                                    },
                                },
                            },
                        },
                        visibilityConfig: visibility(`${name}-rate-per-ip`),
                    },
                    ...MANAGED_RULE_GROUPS.map((group, i) => ({
                        name: group,
                        priority: i + 3,
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
                        // Last: the part of a body past 8 KB escapes every rule above, so only the admin may send one,
                        // and the side applications (product sets, order batches: docs/sideapps.md, "WAF").
                        name: "oversize-body",
                        priority: MANAGED_RULE_GROUPS.length + 3,
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
                                    {
                                        notStatement: {
                                            statement: anyOf([
                                                ...onPaths(args.largeBodyPaths),
                                                labelled(SIDE_APP_LABEL),
                                            ]),
                                        },
                                    },
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
                        priority: MANAGED_RULE_GROUPS.length + 4,
                        action: { block: {} },
                        statement: {
                            andStatement: {
                                statements: [
                                    {
                                        byteMatchStatement: {
                                            fieldToMatch: { uriPath: {} },
                                            positionalConstraint: "CONTAINS",
                                            searchString: args.adminPath.toLowerCase(), // /index.php<admin> too
                                            textTransformations: NORMALISED,
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
                    // Each side application's admin likewise: ELB's path patterns compare the path as sent, and its
                    // server would normalise /ADMIN, //admin or /%61dmin into its admin (docs/sideapps.md, "WAF").
                    ...args.sideApps.map((app, i) => ({
                        name: `${app.name}-admin-operators-only`,
                        priority: MANAGED_RULE_GROUPS.length + 5 + i,
                        action: { block: {} },
                        statement: sideAdminRefused(app, operators.arn),
                        visibilityConfig: visibility(`${name}-${app.name}-admin-operators-only`),
                    })),
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
