// The one Application Load Balancer of the shop (docs/estate.md): internet-facing in the public subnets, HTTPS
// only (HTTP just redirects), two target groups behind path rules: the admin path to the back office from the
// operators' ranges only (403 from anywhere else), everything else to the front end. The CDN's origin paths and
// Magento's /media and /static are served only to requests carrying CloudFront's secret header (either of its two
// accepted values), so nobody can fetch media or static content around the CDN (and its cache).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OriginVerify } from "../edge/cdn";
import { TARGET_HEALTH } from "../../model/web-timing";

export interface LoadBalancerArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Public subnets, one per AZ. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Default certificate of the HTTPS listener (in the stack's region). */
    readonly certificateArn: pulumi.Input<string>;
    /** Further certificates (storefront domains) the listener serves by SNI, by a key of their own (a storefront's code). */
    readonly extraCertificateArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** The position each key's certificate had when listener certificates were numbered (`cert-<i>`): moved from there. */
    readonly formerCertificateIndex: Readonly<Record<string, number>>;
    /** Magento's admin front name: /<adminPath>/* and /index.php/<adminPath>/* go to the back office, from adminSources only. */
    readonly adminPath: string;
    /** The only source ranges whose admin requests reach the back office; the admin paths from elsewhere get a 403. */
    readonly adminSources: readonly string[];
    /** Paths the servers serve the CDN's files under (its origin paths, e.g. /pub/media, and Magento's /media), served only with the origin header. */
    readonly cdnPaths: readonly string[];
    /** The header CloudFront adds to origin requests, and the secret values accepted in it. */
    readonly originVerify: OriginVerify;
    /** Security groups of the servers behind each target group; the load balancer reaches them on WEB_PORT only (other
     *  tiers it serves are admitted with `admit`). */
    readonly targetSecurityGroupIds: Readonly<Record<TargetGroupName, pulumi.Input<string>>>;
    /** Bucket that receives the access logs (under AWSLogs/<account>/, where its policy lets the region's ELB write). */
    readonly accessLogsBucket: pulumi.Input<string>;
    /** What must exist before logging is enabled: the bucket's policy (ELB tests its write access then: Access Denied). */
    readonly accessLogsDependsOn: pulumi.Resource[];
    /** Production: the load balancer cannot be deleted by a stray `pulumi destroy` or console click. */
    readonly deletionProtection: boolean;
    readonly tags: Readonly<Record<string, string>>;
}

/** Magento answers 500 here when it cannot reach MySQL or Redis; with the docroot at pub/ it is at the root. */
export const HEALTH_CHECK_PATH = "/health_check.php";
/**
 * TLS 1.3 and 1.2 with forward-secret AEAD suites only (ECDHE with AES-GCM on 1.2): the restricted variant of AWS's
 * TLS13-1-2 policy, which also offers CBC and RSA key-exchange suites (docs/edge.md, "TLS policy").
 */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
/** Web servers serve plain HTTP inside the VPC; TLS ends at the load balancer. */
export const WEB_PORT = 80;

/** A target group's check of its servers: 200 only at `path`, over the web port; 30 s of failures take one out. */
export function healthCheck(path: string): aws.types.input.lb.TargetGroupHealthCheck {
    return {
        path,
        matcher: "200",
        protocol: "HTTP",
        interval: TARGET_HEALTH.intervalSeconds,
        timeout: TARGET_HEALTH.timeoutSeconds,
        healthyThreshold: TARGET_HEALTH.healthyThreshold,
        unhealthyThreshold: TARGET_HEALTH.unhealthyThreshold,
    };
}

/** ELB: up to 3 values per condition, 5 per rule (docs/admin.md). */
const CONDITION_VALUES = 3;
const RULE_VALUES = 5;
/** The other 2 values of an admin rule are its path patterns. */
const ADMIN_SOURCES_PER_RULE = CONDITION_VALUES;
/** CDN paths: the header rules from 20, the refusals from 30 (4 paths take 2 of each). */
const CDN_PRIORITY = 20;
const CDN_REFUSED_PRIORITY = 30;
/** Allow rules from here up (two per chunk of sources); the refusals after them, leaving room for 399 chunks. */
const ADMIN_PRIORITY = 100;
const ADMIN_REFUSED_PRIORITY = 900;

function chunks<T>(items: readonly T[], size: number): T[][] {
    return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export type TargetGroupName = "frontend" | "backoffice";

export class LoadBalancer extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    /** For CloudWatch dimensions and request-count scaling: app/<name>/<id>. */
    public readonly arnSuffix: pulumi.Output<string>;
    public readonly dnsName: pulumi.Output<string>;
    /** Canonical hosted zone of the load balancer, for alias records. */
    public readonly zoneId: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    private readonly baseName: string;
    private readonly tags: Readonly<Record<string, string>>;
    /** The HTTPS listener, where other applications' host rules go (components/sideapps). */
    public readonly httpsListenerArn: pulumi.Output<string>;
    /** The admin's bases, /<adminPath> and /index.php/<adminPath>: what the WAF lets send large bodies. */
    public readonly adminPaths: readonly string[];
    public readonly targetGroups: Record<
        TargetGroupName,
        { readonly arn: pulumi.Output<string>; readonly arnSuffix: pulumi.Output<string> }
    >;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:web:LoadBalancer", name, {}, opts);
        this.baseName = name;
        this.tags = args.tags;
        const child = { parent: this };
        const tagged = (suffix: string) => ({ ...args.tags, Name: `${name}-${suffix}` });

        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "Internet-facing load balancer of the shop: HTTP (redirect) and HTTPS from anywhere",
                tags: tagged("sg"),
            },
            child,
        );
        for (const port of [80, 443]) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-in-${port}`,
                {
                    securityGroupId: group.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrIpv4: "0.0.0.0/0",
                    description: "shoppers",
                    tags: tagged(`in-${port}`),
                },
                child,
            );
        }
        this.securityGroupId = group.id;
        for (const [tier, targetGroupId] of Object.entries(args.targetSecurityGroupIds)) {
            this.admit(tier, targetGroupId);
        }

        const balancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.subnetIds,
                securityGroups: [group.id],
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.deletionProtection,
                accessLogs: { enabled: true, bucket: args.accessLogsBucket },
                tags: tagged("alb"),
            },
            { ...child, dependsOn: args.accessLogsDependsOn },
        );

        // Short logical names: target group names are limited to 32 characters, auto-naming suffix included.
        const targetGroup = (tier: TargetGroupName) =>
            new aws.lb.TargetGroup(
                `${name}-${tier === "frontend" ? "fe" : "bo"}`,
                {
                    vpcId: args.vpcId,
                    port: WEB_PORT,
                    protocol: "HTTP",
                    targetType: "instance",
                    deregistrationDelay: 30, // PHP requests are short; a release should not wait 5 minutes per instance
                    healthCheck: healthCheck(HEALTH_CHECK_PATH),
                    tags: tagged(tier),
                },
                child,
            );
        const frontend = targetGroup("frontend");
        const backoffice = targetGroup("backoffice");

        new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: balancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [
                    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
                ],
                tags: tagged("http"),
            },
            child,
        );
        const https = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: balancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: TLS_POLICY,
                certificateArn: args.certificateArn,
                defaultActions: [{ type: "forward", targetGroupArn: frontend.arn }],
                tags: tagged("https"),
            },
            child,
        );
        // Named by key, not position: removing a storefront must not move another's certificate (docs/edge.md).
        for (const [key, certificateArn] of Object.entries(args.extraCertificateArns)) {
            const former = args.formerCertificateIndex[key];
            new aws.lb.ListenerCertificate(
                `${name}-cert-${key}`,
                { listenerArn: https.arn, certificateArn },
                { ...child, aliases: former === undefined ? [] : [{ name: `${name}-cert-${former}` }] },
            );
        }

        const rule = (
            suffix: string,
            priority: number,
            conditions: aws.types.input.lb.ListenerRuleCondition[],
            action: aws.types.input.lb.ListenerRuleAction,
            after: readonly pulumi.Resource[] = [],
        ) =>
            new aws.lb.ListenerRule(
                `${name}-${suffix}`,
                { listenerArn: https.arn, priority, conditions, actions: [action], tags: tagged(suffix) },
                { ...child, dependsOn: [...after] },
            );
        const forbidden = (messageBody: string): aws.types.input.lb.ListenerRuleAction => ({
            type: "fixed-response",
            fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody },
        });
        // The admin, and /index.php/<admin> which Magento serves as the same admin, to the back office from the allow-list
        // only; then a 403 for those paths from anywhere else, so the front end never receives them (docs/admin.md). ELB
        // takes at most 3 values per condition and 5 per rule: 2 paths and 3 sources a rule, a pair of rules per 3
        // sources, numbered by position so that a longer allow-list only adds rules.
        this.adminPaths = [`/${args.adminPath}`, `/index.php/${args.adminPath}`];
        const adminVariants = this.adminPaths.map((base) => [base, `${base}/*`]);
        chunks(args.adminSources, ADMIN_SOURCES_PER_RULE).forEach((sources, k) =>
            adminVariants.forEach((paths, v) =>
                rule(
                    `admin-${v}-${k}`,
                    ADMIN_PRIORITY + 2 * k + v,
                    [{ pathPattern: { values: paths } }, { sourceIp: { values: sources } }],
                    { type: "forward", targetGroupArn: backoffice.arn },
                ),
            ),
        );
        adminVariants.forEach((paths, v) =>
            rule(
                `admin-refused-${v}`,
                ADMIN_REFUSED_PRIORITY + v,
                [{ pathPattern: { values: paths } }],
                forbidden("Forbidden"),
            ),
        );
        // Magento drops repeated slashes before it reads the front name (//<admin>/, /index.php//<admin>/ are its admin),
        // and cuts /index.php off without a slash after it (/index.php<admin>/); ELB compares the path as sent,
        // case-sensitively (docs/admin.md): refuse any path that ends in the admin's name or holds it before a slash.
        rule(
            "admin-refused-slashes",
            ADMIN_REFUSED_PRIORITY + adminVariants.length,
            [{ pathPattern: { values: [`*${args.adminPath}`, `*${args.adminPath}/*`] } }],
            forbidden("Forbidden"),
        );
        // The CDN's paths to the front end with an accepted header only, a 403 without. The header's values share the
        // rule's 5 with the paths. The first rule of each kind keeps the name it had with one value and two paths, so a
        // deployed stack updates it in place (a replacement would be created at a priority its original still holds).
        // Changes to the header rules wait for the distributions (originVerify.after): a rotation drops a value only
        // once no edge sends it.
        const cdnPatterns = args.cdnPaths.map((p) => `${p}/*`);
        const header = {
            httpHeader: { httpHeaderName: args.originVerify.headerName, values: [...args.originVerify.values] },
        };
        const numbered = (base: string, k: number) => (k === 0 ? base : `${base}-${k}`);
        chunks(cdnPatterns, Math.min(CONDITION_VALUES, RULE_VALUES - args.originVerify.values.length)).forEach(
            (values, k) =>
                rule(
                    numbered("cdn-origin", k),
                    CDN_PRIORITY + k,
                    [{ pathPattern: { values } }, header],
                    { type: "forward", targetGroupArn: frontend.arn },
                    args.originVerify.after,
                ),
        );
        chunks(cdnPatterns, CONDITION_VALUES).forEach((values, k) =>
            rule(
                numbered("cdn-only", k),
                CDN_REFUSED_PRIORITY + k,
                [{ pathPattern: { values } }],
                forbidden("Served through the CDN only"),
            ),
        );

        this.arn = balancer.arn;
        this.arnSuffix = balancer.arnSuffix;
        this.dnsName = balancer.dnsName;
        this.zoneId = balancer.zoneId;
        this.httpsListenerArn = https.arn;
        this.targetGroups = {
            frontend: { arn: frontend.arn, arnSuffix: frontend.arnSuffix },
            backoffice: { arn: backoffice.arn, arnSuffix: backoffice.arnSuffix },
        };
        this.registerOutputs({
            arn: this.arn,
            dnsName: this.dnsName,
            zoneId: this.zoneId,
            securityGroupId: this.securityGroupId,
        });
    }

    /** The only way to a tier's servers: from this group to theirs, on the web port (both sides of the pair). */
    admit(tier: string, targetGroupId: pulumi.Input<string>): void {
        const child = { parent: this };
        const rule = { ipProtocol: "tcp", fromPort: WEB_PORT, toPort: WEB_PORT };
        const tagged = (suffix: string) => ({ ...this.tags, Name: `${this.baseName}-${suffix}` });
        new aws.vpc.SecurityGroupEgressRule(
            `${this.baseName}-to-${tier}`,
            {
                ...rule,
                securityGroupId: this.securityGroupId,
                referencedSecurityGroupId: targetGroupId,
                description: `${tier} servers`,
                tags: tagged(`to-${tier}`),
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${this.baseName}-into-${tier}`,
            {
                ...rule,
                securityGroupId: targetGroupId,
                referencedSecurityGroupId: this.securityGroupId,
                description: "load balancer",
                tags: tagged(`into-${tier}`),
            },
            child,
        );
    }
}
