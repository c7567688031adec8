// Every configuration key of the project, once: its type, what it means, its schema and each profile's default (or
// "required"). Pulumi.yaml, the README's reference, the profiles' defaults and the typed settings the validator hands
// the cross-key checks (checks/) are derived from this table (tests/stacks/keys.spec.ts).
import { z } from "zod";
import { ALARM_THRESHOLD_DEFAULTS } from "../model/alarm-thresholds";
import { AWS_LIMITS, PUBLIC_DNS_MODES } from "../model/edge-plan";
import { parseCidr } from "../model/cidr";
import { LOCALE, THEME_NAME } from "../model/release";
import { campaignWindows, warmPoolSize } from "./campaigns";
import { ESTATE_GATEWAY_SERVICES, Profile, PROFILES } from "./profiles";
import {
    ACM_CERTIFICATE_ARN,
    alarmThresholds,
    amiId,
    azName,
    eipAllocationId,
    estateName,
    gatewayInternet,
    gatewayService,
    gib,
    hostname,
    imageSource,
    instanceType,
    ipv4Cidr,
    LOG_RETENTION_DAYS,
    natAllocationIds,
    nfsSource,
    operatorCidr,
    originPath,
    rdsSnapshot,
    refusedAdminPath,
    scaleSchedule,
    serverCount,
    serviceClass,
    siteLink,
    SNS_TOPIC_ARN,
    KMS_KEY_ARN,
    storeCode,
    subnetOverrides,
} from "./schema";

/**
 * "objects": structured entries (a list of YAML mappings, or one mapping: alarmThresholds). Pulumi's project schema
 * types only strings, integers, booleans and arrays of those, and an undeclared type may be inferred from a default,
 * so such a key is left out of Pulumi.yaml (the CLI passes undeclared keys through) and validated in stacks/ alone.
 */
export type KeyType = "string" | "integer" | "boolean" | "array" | "objects";

/** A value per profile; undefined: none in that profile. */
export type ProfileValues<T> = { readonly [P in Profile]: Readonly<T> | undefined };

/**
 * "required": the stack file must set it. "derived": optional, and unset means what the program derives (the first AZ,
 * the stack's name, the stack's own topic...). Otherwise each profile's default, as a stack file would write it.
 */
export type KeyDefaults<T> = "required" | "derived" | ProfileValues<T>;

export interface KeyEntry<
    S extends z.ZodType = z.ZodType,
    D extends KeyDefaults<z.input<S>> = KeyDefaults<z.input<S>>,
> {
    readonly type: KeyType;
    readonly defaults: D;
    readonly description: string;
    /** The key's value on its own; checks across keys are in checks/. Its output is what the checks and StackConfig see. */
    readonly schema: S;
}

/** An entry, its defaults checked against what its schema accepts. */
function key<S extends z.ZodType, const D extends KeyDefaults<z.input<S>>>(entry: KeyEntry<S, D>): KeyEntry<S, D> {
    return entry;
}

/** Days AWS Backup keeps a recovery point (the plan's lifecycle DeleteAfterDays, a whole number:
 *  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html). The ten-year ceiling is ours: a longer
 *  hold is an archive, which this plan is not. */
function backupDays(min: number, below: string) {
    return z
        .number({ error: "must be a number of days" })
        .int()
        .min(min, { error: below })
        .max(3650, { error: "must be at most 3650 days (ten years; a longer hold is an archive, not this plan)" });
}

function both<const T>(value: T): { readonly production: T; readonly preproduction: T } {
    return { production: value, preproduction: value };
}

export const CONFIG_KEYS = {
    profile: key({
        type: "string",
        defaults: "required",
        description:
            "Environment profile: production (HA everywhere) or preproduction (smaller, single NAT, no standby).",
        schema: z.enum(PROFILES, { error: `must be one of ${PROFILES.join(", ")}` }),
    }),
    vpcCidr: key({
        type: "string",
        defaults: "required",
        description:
            "The VPC's IPv4 /16; stacks that may be peered must not overlap. Fixed once deployed (docs/network.md).",
        schema: ipv4Cidr.refine((v) => (parseCidr(v)?.prefix ?? 16) === 16, {
            error: "must be a /16 (the subnet plan carves x.y.1-3.0/24 and x.y.101-103.0/24 out of it)",
        }),
    }),
    availabilityZones: key({
        type: "array",
        defaults: "required",
        description:
            "AZ names in the stack's region, one public and one private subnet each, in any order (each AZ's subnets follow its letter); production needs 3.",
        schema: z.array(azName).min(1, { error: "must list at least one availability zone" }),
    }),
    operationsAz: key({
        type: "string",
        defaults: "derived",
        description:
            "The AZ of the single servers (Rundeck, NFS, Windows, gateway, VPN), and of preproduction's NAT gateway and endpoints; one of availabilityZones, default its first entry. Fixed once deployed: their volumes cannot leave it.",
        schema: azName,
    }),
    publicSubnetCidrs: key({
        type: "objects",
        defaults: "derived",
        description:
            "Override of some AZs' public /24s: a mapping of AZ name to CIDR; default x.y.1.0/24 for the AZ ending in a, x.y.2.0/24 for b, ... of the VPC. Fixed once deployed.",
        schema: subnetOverrides,
    }),
    privateSubnetCidrs: key({
        type: "objects",
        defaults: "derived",
        description:
            "Override of some AZs' private /24s: a mapping of AZ name to CIDR; default x.y.101.0/24 for the AZ ending in a, x.y.102.0/24 for b, ... of the VPC. Fixed once deployed.",
        schema: subnetOverrides,
    }),
    natGateways: key({
        type: "string",
        defaults: { production: "perAz", preproduction: "single" },
        description:
            "perAz: a NAT gateway in every AZ (production's choice); single: one in the operations AZ (preproduction's).",
        schema: z.enum(["perAz", "single"], { error: "must be perAz or single (or unset for the profile's choice)" }),
    }),
    flowLogRetentionDays: key({
        type: "integer",
        defaults: { production: 90, preproduction: 14 },
        description: "Days CloudWatch Logs keeps the VPC flow logs; one of the retention periods CloudWatch allows.",
        schema: z
            .number({ error: "must be a number of days" })
            .int()
            .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
                error: `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
            }),
    }),
    natAllocationIds: key({
        type: "objects",
        defaults: "derived",
        description:
            "Existing Elastic IPs for the NAT gateways (the address partners allow-list for the estate's outgoing calls): a mapping of AZ name to allocation id, one for each NAT gateway (every AZ with natGateways perAz, the operations AZ with single). Never released by the stack: set it before the first up (docs/migration.md).",
        schema: natAllocationIds,
    }),
    domain: key({
        type: "string",
        defaults: "required",
        description: "The shop's public domain (apex); media., static. and www. hang below it.",
        schema: hostname,
    }),
    internalDomain: key({
        type: "string",
        defaults: "required",
        description: "Private hosted zone name for servers inside the VPC (rundeck., nfs., windows. ...).",
        schema: hostname,
    }),
    operatorCidrs: key({
        type: "array",
        defaults: "required",
        description:
            "Allow-list of operator source ranges (IPv4 CIDRs: the VPC and the gateway have no IPv6) for the admin paths and the gateway's internet sources (a partner's go in partnerCidrs); never 0.0.0.0/0, nor ranges that together cover every internet address.",
        schema: z.array(operatorCidr).min(1, { error: "must list at least one operator range" }),
    }),
    // Apart from operatorCidrs so that opening a gateway service to a partner does not hand it the admin's reach
    // (review of 4 Dec, I-F11): only the gateway's internet sources read this list.
    partnerCidrs: key({
        type: "array",
        defaults: both([]),
        description:
            "Partners' source addresses (IPv4, at least gatewayMinPrefix long), none by default: a gatewayInternet source may lie inside them instead of operatorCidrs; nothing else reads them (no admin path, WAF set or VPN), so a partner reaches only the services opened to it (docs/gateway.md).",
        schema: z.array(ipv4Cidr),
    }),
    gatewayServices: key({
        type: "objects",
        defaults: both(ESTATE_GATEWAY_SERVICES),
        description:
            'Services operators reach through the VPN (and, with gatewayInternet, through the gateway): {name, port (445 or "8700-8800"), target (default windows.<internal domain>)}.',
        schema: z
            .array(gatewayService)
            .min(1, { error: "must list at least one service (or be unset for the estate's list)" }),
    }),
    gatewayInternet: key({
        // No service on the internet: operators use the VPN (docs/gateway.md).
        type: "objects",
        defaults: both({}),
        description:
            "Gateway services opened to the internet, none by default (docs/gateway.md): a mapping of gatewayServices names to source addresses (IPv4, at least gatewayMinPrefix long, inside operatorCidrs or partnerCidrs); never SMB; ftp with ftp-passive.",
        schema: gatewayInternet,
    }),
    gatewayMinPrefix: key({
        type: "integer",
        defaults: both(32),
        description:
            "Shortest prefix a gatewayInternet source or partnerCidrs entry may have: 32 (one address, the default) down to 24; below 32, lower operator-allow-list's minPrefix in the pack config too.",
        schema: z
            .number({ error: "must be a prefix length" })
            .int({ error: "must be a whole prefix length" })
            .min(24, { error: "must be at least 24: a wider range is a network's, not an operator's address" })
            .max(32, { error: "must be at most 32" }),
    }),
    gatewayAllocationId: key({
        type: "string",
        defaults: "derived",
        description:
            "Existing Elastic IP (allocation id) for the gateway, which partners allow-list: associated with the gateway instead of a new address, never released by the stack. Set it before the first up (docs/migration.md).",
        schema: eipAllocationId,
    }),
    vpnAllocationId: key({
        type: "string",
        defaults: "derived",
        description:
            "Existing Elastic IP (allocation id) for the OpenVPN server, which operators' profiles name: associated instead of a new address, never released by the stack. Set it before the first up (docs/migration.md).",
        schema: eipAllocationId,
    }),
    alarmEmail: key({
        type: "string",
        defaults: "required",
        description: "Operators' list that receives alarms.",
        schema: z.email({ error: "must be an email address such as ops@example.com" }),
    }),
    alarmTopicArn: key({
        type: "string",
        defaults: "derived",
        description:
            "An existing SNS topic (stack's region) the alarms notify instead of a topic of their own subscribing alarmEmail; e.g. preprod routed to a quieter list.",
        schema: z.string().regex(SNS_TOPIC_ARN, {
            error: "must be an SNS topic ARN such as arn:aws:sns:eu-west-3:123456789012:ops-alarms",
        }),
    }),
    cloudTrailLogGroup: key({
        type: "string",
        defaults: "derived",
        description:
            "The CloudWatch Logs group (stack's region) the account's CloudTrail trail delivers to; set: metric filters and alarms on root use, IAM policy changes and console sign-in without MFA.",
        // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName pattern)
        schema: z.string().regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, {
            error: "must be a log group name such as aws-cloudtrail-logs-123456789012 (letters, digits and . - _ / #)",
        }),
    }),
    alarmThresholds: key({
        // The same in both profiles: preproduction alarms matter as much, they may just go to another list.
        type: "objects",
        defaults: both(ALARM_THRESHOLD_DEFAULTS),
        description:
            "Alarm thresholds to change: a mapping of some of the names in the default column to numbers (percentages at most 100; GiB; seconds; counts, evictions per 5 minutes).",
        schema: alarmThresholds,
    }),
    webInstanceType: key({
        type: "string",
        defaults: { production: "c6i.xlarge", preproduction: "t3.large" },
        description: "EC2 instance type of the front-end servers.",
        schema: instanceType,
    }),
    backOfficeInstanceType: key({
        type: "string",
        defaults: { production: "m6i.xlarge", preproduction: "t3.large" },
        description: "EC2 instance type of the back-office server (admin, cron, indexers).",
        schema: instanceType,
    }),
    webImage: key({
        type: "string",
        defaults: "derived",
        description:
            "The release image the web tiers boot: unset, the image the release runner last rolled out (its record /magento-release/<stack>/current; no server before the first release), never the candidate the image pipeline or a promotion writes (/imagebuilder/magento/<stack>/web-ami, the runner's input); or a pinned AMI id (ami-...), or another SSM parameter (/path).",
        schema: imageSource,
    }),
    releaseImageBuilds: key({
        // Build once, promote the same image: preproduction builds, production boots what passed there (docs/release-image.md).
        type: "boolean",
        defaults: { production: false, preproduction: true },
        description:
            "true: this stack has the EC2 Image Builder pipeline that bakes releases into images; false: it boots images its release runner promotes from the stack that builds (releaseImageSourceKey).",
        schema: z.boolean({ error: "must be true or false" }),
    }),
    storefrontThemes: key({
        // The estate deployed one theme, in French.
        type: "objects",
        defaults: both([{ theme: "Magento/luma", locales: ["fr_FR"] }]),
        description:
            "Storefront themes the release image deploys static content for: a list of {theme: Vendor/theme, locales: [ll_CC, ...]}.",
        schema: z
            .array(
                z.strictObject({
                    theme: z
                        .string()
                        .regex(THEME_NAME, { error: "must be a theme as Magento names it, such as Magento/luma" }),
                    locales: z
                        .array(z.string().regex(LOCALE, { error: "must be a locale such as fr_FR" }))
                        .min(1, { error: "must name at least one locale" })
                        .readonly(),
                }),
            )
            .min(1, { error: "must name at least one storefront theme" }),
    }),
    adminLocales: key({
        type: "array",
        defaults: both(["en_US", "fr_FR"]),
        description: "Locales the release image deploys the admin theme (Magento/backend) in.",
        schema: z
            .array(z.string().regex(LOCALE, { error: "must be a locale such as en_US" }))
            .min(1, { error: "must name at least one locale" }),
    }),
    keepFailedBuilds: key({
        // The estate kept failed servers to debug them; a build's logs are in the logs bucket, a server's are shipped.
        type: "boolean",
        defaults: both(false),
        description:
            "false: Image Builder terminates a failed build's instance (its build and test logs stay in the logs bucket under image-builder/); true: the instance is kept, reachable over Session Manager, until terminated by hand.",
        schema: z.boolean({ error: "must be true or false" }),
    }),
    releaseImagesKept: key({
        type: "integer",
        defaults: { production: 10, preproduction: 5 },
        description:
            "Release images kept as rollback targets: older ones are deregistered with their snapshots (at least 2: the current one and the one before).",
        schema: z
            .number({ error: "must be a number of images" })
            .int()
            .min(2, { error: "must be at least 2: the image in service and one to roll back to" }),
    }),
    releaseImageAccounts: key({
        type: "array",
        defaults: both([]),
        description:
            "AWS accounts (12-digit ids) the built release images are shared with (launch permission and use of the release-image key), where a stack runs in another account.",
        schema: z.array(z.string().regex(/^[0-9]{12}$/, { error: "must be a 12-digit AWS account id" })),
    }),
    releaseImageSourceKey: key({
        type: "string",
        defaults: "derived",
        description:
            "The KMS key (ARN, this stack's region) of the stack whose release images this one promotes: the building stack's output releaseImageKeyArn. Its account is the one the runner copies from (another account's stack shares its images and key with this one: its releaseImageAccounts). Unset: the stack promotes nothing.",
        schema: z.string().regex(KMS_KEY_ARN, {
            error: "must be a KMS key ARN such as arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (the building stack's output releaseImageKeyArn)",
        }),
    }),
    webMinSize: key({
        type: "integer",
        defaults: { production: 2, preproduction: 1 },
        description: "Fewest front-end servers; production never goes below 2 (in 2 AZs).",
        schema: serverCount,
    }),
    webMaxSize: key({
        type: "integer",
        defaults: { production: 8, preproduction: 2 },
        description: "Most front-end servers load-based scaling may run.",
        schema: serverCount,
    }),
    webScaleSchedule: key({
        // Nobody tests at night: one server from 19:00 UTC, back at 08:30 UTC (what the estate's operators did).
        type: "array",
        defaults: { production: [], preproduction: ["0 19 * * * min=1 max=1", "30 8 * * * min=1 max=2"] },
        description:
            "Time-based scaling of the front end, UTC: entries such as '0 19 * * * min=1 max=1' (cron, then the group's bounds).",
        schema: z.array(scaleSchedule),
    }),
    webWarmPool: key({
        // Production has one: its bursts are what the estate went down under (docs/burst.md); preproduction's
        // testers can wait for a cold launch.
        type: "integer",
        defaults: { production: 2, preproduction: 0 },
        description:
            "Front-end servers kept booted and stopped in a warm pool, which a scale-out starts in seconds instead of launching new ones (docs/burst.md); 0: the profile's (production 2, preproduction none). At most webMaxSize - webMinSize.",
        schema: warmPoolSize,
    }),
    webCampaigns: key({
        type: "objects",
        defaults: both([]),
        description:
            "Campaign windows: a list of {name, start, end, minSize}, times in UTC (2026-11-27T07:00:00Z); the front end's minimum is raised to minSize a lead time before start and restored at end. Windows that have ended are skipped (docs/burst.md).",
        schema: campaignWindows,
    }),
    adminPath: key({
        type: "string",
        defaults: "required",
        description:
            "Magento's admin front name, the stack's own (not admin or backend): /<adminPath>/* and /index.php/<adminPath>/* go to the back office, from the operators' ranges only.",
        schema: z
            .string()
            .regex(/^[a-z0-9_]+$/, {
                error: "must be Magento's admin front name in lowercase letters, digits and underscores, such as ops_7f3k (Adobe asks for lowercase; the load balancer's path rules are case-sensitive)",
            })
            .superRefine((v, ctx) => {
                const refused = refusedAdminPath(v);
                if (refused) {
                    ctx.addIssue({
                        code: "custom",
                        message: `must not be ${v}: ${refused}; choose a name of the stack's own, such as ops_7f3k`,
                    });
                }
            }),
    }),
    waf: key({
        type: "string",
        defaults: { production: "on", preproduction: "off" },
        description:
            "on: a regional WAF web ACL (AWS managed rules and a per-IP rate limit) on the load balancer; always on in production.",
        schema: z.enum(["on", "off"], { error: "must be on or off (or unset for the profile's choice)" }),
    }),
    opsInstanceType: key({
        type: "string",
        defaults: both("t3.small"),
        description: "EC2 instance type of the operations servers (gateway, VPN, Rundeck).",
        schema: instanceType,
    }),
    opsAmiId: key({
        type: "string",
        defaults: "derived",
        description:
            "AMI of the operations servers; unset: the latest Amazon Linux 2023, kept until a pinned id replaces it.",
        schema: amiId,
    }),
    windowsInstanceType: key({
        type: "string",
        defaults: { production: "m6i.large", preproduction: "t3.large" },
        description: "EC2 instance type of the Windows host of the custom application.",
        schema: instanceType,
    }),
    windowsAmiId: key({
        type: "string",
        defaults: "derived",
        description:
            "AMI of the Windows host; unset: the latest Windows Server 2022 Base, kept until a pinned id replaces it.",
        schema: amiId,
    }),
    siteLinks: key({
        type: "objects",
        defaults: both([]),
        description:
            "Site-to-site IPsec links: list of {name, customerGatewayIp, bgpAsn} (dynamic) or {name, customerGatewayIp, staticRoutes} (static).",
        schema: z.array(siteLink),
    }),
    dbInstanceClass: key({
        // db.t4g.medium is the smallest class with Performance Insights for MySQL.
        type: "string",
        defaults: { production: "db.r6g.xlarge", preproduction: "db.t4g.medium" },
        description: "RDS instance class of the shop's MySQL database, such as db.r6g.xlarge.",
        schema: serviceClass("db.", "", "db.r6g.xlarge"),
    }),
    dbAllocatedStorageGb: key({
        type: "integer",
        defaults: { production: 100, preproduction: 20 },
        description: "Initial gp3 storage of the shop's database, in GiB.",
        schema: gib(20, 65536),
    }),
    dbMaxAllocatedStorageGb: key({
        type: "integer",
        defaults: { production: 500, preproduction: 100 },
        description: "Ceiling storage autoscaling may grow the shop's database to, in GiB.",
        schema: gib(20, 65536),
    }),
    dbBackupRetentionDays: key({
        type: "integer",
        defaults: { production: 14, preproduction: 7 },
        description: "Days of automated backups (point-in-time restore) for every database; 7 to 35.",
        schema: z
            .number({ error: "must be a number of days" })
            .int()
            .min(7, {
                error: "must be at least 7 days: a week of point-in-time restore is the floor for the shop's data",
            })
            .max(35, { error: "must be at most 35 days (the RDS maximum)" }),
    }),
    backupDailyRetentionDays: key({
        type: "integer",
        defaults: { production: 35, preproduction: 7 },
        description:
            "Days AWS Backup keeps each daily recovery point of the stack's volumes, file systems and databases; production at least 35.",
        schema: backupDays(1, "must be at least 1 day"),
    }),
    backupWeeklyRetentionDays: key({
        type: "integer",
        defaults: { production: 90, preproduction: 0 },
        description:
            "Days AWS Backup keeps each Sunday's recovery point, beyond the daily ones' days; unset or 0: the profile's (production 90, preproduction none).",
        schema: backupDays(0, "must be 0 (no weekly copy) or a number of days"),
    }),
    dbSnapshotIdentifier: key({
        type: "string",
        defaults: "derived",
        description:
            "A manual DB snapshot (identifier, or ARN if shared) the shop's database is created from, as the estate's final copy: MySQL 8.4 (upgrade the snapshot first) and encrypted with the stack's storage key. Read when the database is created only; later changes are ignored (docs/migration.md).",
        schema: rdsSnapshot,
    }),
    sideDbSnapshotIdentifier: key({
        type: "string",
        defaults: "derived",
        description: "The same for the side applications' database (docs/migration.md).",
        schema: rdsSnapshot,
    }),
    sideDbInstanceClass: key({
        type: "string",
        defaults: both("db.t4g.medium"),
        description: "RDS instance class of the database the side applications (PIM, connectors) share.",
        schema: serviceClass("db.", "", "db.t4g.medium"),
    }),
    applyImmediately: key({
        type: "boolean",
        defaults: "derived",
        description:
            "true: this update's changes to the databases and Redis groups (class, node type, storage, engine) apply now, with the restart they need; false: in their maintenance window, and until then the preview shows them again (docs/engine-versions.md).",
        schema: z.boolean({ error: "must be true or false" }),
    }),
    cacheNodeType: key({
        type: "string",
        defaults: { production: "cache.r7g.large", preproduction: "cache.t4g.small" },
        description: "ElastiCache node type of the Redis groups, such as cache.r7g.large.",
        schema: serviceClass("cache.", "", "cache.r7g.large"),
    }),
    cacheLayout: key({
        type: "string",
        defaults: { production: "split", preproduction: "shared" },
        description:
            "split: separate Redis groups for sessions and cache, as Magento recommends (production's choice); shared: one group.",
        schema: z.enum(["split", "shared"], { error: "must be split or shared (or unset for the profile's choice)" }),
    }),
    searchInstanceType: key({
        type: "string",
        defaults: { production: "r6g.large.search", preproduction: "t3.small.search" },
        description: "OpenSearch data node type, such as r6g.large.search.",
        schema: serviceClass("", ".search", "r6g.large.search"),
    }),
    searchMasterInstanceType: key({
        // Dedicated masters only where the cluster spans AZs: none in preproduction.
        type: "string",
        defaults: { production: "m6g.large.search", preproduction: undefined },
        description: "OpenSearch dedicated master node type (production only), such as m6g.large.search.",
        schema: serviceClass("", ".search", "m6g.large.search"),
    }),
    searchVolumeGb: key({
        type: "integer",
        defaults: { production: 100, preproduction: 20 },
        description: "gp3 volume per OpenSearch data node, in GiB.",
        schema: gib(10, 16384),
    }),
    sharedStorage: key({
        type: "string",
        defaults: both("efs"),
        description:
            "efs: Amazon EFS with elastic throughput (default); nfs: an NFS server on EC2 with protected EBS volumes, as the original estate ran.",
        schema: z.enum(["efs", "nfs"], { error: "must be efs or nfs (or unset for efs)" }),
    }),
    nfsSource: key({
        type: "objects",
        defaults: "derived",
        description:
            "While the estate moves in: its NFS server, {server: host name or IPv4, exportPath: the export holding pub/media, pub/sitemap and var/export, agentArn: the DataSync agent beside it, activated by hand}; the stack then creates a DataSync task per share into EFS. Remove it after the cut-over (docs/migration.md).",
        schema: nfsSource,
    }),
    estate: key({
        type: "string",
        defaults: "derived",
        description:
            "The estate's name, default the stack's: every logical name (magento-<estate>-...), every physical name that carries one (/magento/<estate>/, magento/<estate>/..., KMS aliases, the search domain) and the Stack tag derive from it. After `pulumi stack rename`, set it to the old name and nothing is replaced (docs/naming.md). Lower-case letters and digits, at most 7.",
        schema: estateName,
    }),
    sharedStorageTarget: key({
        type: "string",
        defaults: "derived",
        description:
            "Phase one of a sharedStorage switch (docs/migrations.md): efs or nfs, the other storage built empty beside the current one, which servers keep using until sharedStorage names the target.",
        schema: z.enum(["efs", "nfs"], { error: "must be efs or nfs: the storage to build beside the current one" }),
    }),
    allowReplace: key({
        type: "array",
        defaults: "derived",
        description:
            "Logical names of protected or stateful resources this change may replace or delete (a migration, docs/day-two.md); the plan check refuses any other, and these lose `protect` for the update. Empty again once applied.",
        schema: z.array(
            z.string().regex(/^[A-Za-z0-9._:$-]+$/, {
                error: "must be a resource's logical name as its URN ends, such as magento-prod-sessions",
            }),
        ),
    }),
    teardown: key({
        type: "boolean",
        defaults: "derived",
        description:
            "true: prepares the stack for `pulumi destroy` (docs/teardown.md): deletion protection and secrets' recovery windows off, disposable buckets emptied, final snapshots' key and option groups kept, protect off (production keeps it for `pulumi state unprotect --all` and needs teardownConfirm).",
        schema: z.boolean({ error: "must be true or false" }),
    }),
    teardownConfirm: key({
        type: "string",
        defaults: "derived",
        description:
            "The stack's own name, repeated: a production stack is prepared for teardown only with it (docs/teardown.md).",
        schema: z.string().min(1, { error: "must be the stack's name" }),
    }),
    accessLogRetentionDays: key({
        type: "integer",
        defaults: { production: 365, preproduction: 30 },
        description: "Days load-balancer and CloudFront access logs are kept in the logs bucket.",
        schema: z.number({ error: "must be a number of days" }).int().min(1, { error: "must be at least 1 day" }),
    }),
    tempExpiryDays: key({
        type: "integer",
        defaults: both(7),
        description: "Days after which objects in the temporary bucket expire.",
        schema: z.number({ error: "must be a number of days" }).int().min(1, { error: "must be at least 1 day" }),
    }),
    storefronts: key({
        type: "objects",
        defaults: "derived",
        description:
            "Magento storefronts beyond the shop's own names: a list of {code: store code, domains: [host names]}; each domain gets a certificate, the load balancer and DNS.",
        schema: z.array(
            z.strictObject(
                {
                    code: storeCode,
                    domains: z.array(hostname).min(1, { error: "must list at least one domain" }),
                },
                { error: "must be an object {code, domains}" },
            ),
        ),
    }),
    publicDns: key({
        // Existing Route 53 zones and ACM-issued certificates: the choice that needs no other key. A domain at a registrar
        // outside AWS (the original estate's) says `registrar` and gives the imported certificates' ARNs.
        type: "string",
        defaults: both("route53"),
        description:
            "registrar: public names live at a registrar outside AWS (the records to create are a stack output); route53: in existing Route 53 zones; managed: in Route 53 zones this stack creates.",
        schema: z.enum(PUBLIC_DNS_MODES, { error: `must be one of ${PUBLIC_DNS_MODES.join(", ")}` }),
    }),
    validatedStorefronts: key({
        type: "array",
        defaults: "derived",
        description:
            "With publicDns registrar: the storefront codes whose ACM validation records (output certificateValidationRecords) exist at the registrar; their certificates are awaited and served. The others' certificates are only requested and their records output, never sharing a certificate with a validated storefront.",
        schema: z.array(storeCode),
    }),
    loadBalancerCertificateArn: key({
        type: "string",
        defaults: "derived",
        description:
            "Imported ACM certificate (stack's region) of the shop's domain and *.domain for the load balancer; unset: ACM issues one, validated in Route 53.",
        schema: z.string().regex(ACM_CERTIFICATE_ARN, {
            error: "must be an ACM certificate ARN such as arn:aws:acm:eu-west-3:123456789012:certificate/<uuid>",
        }),
    }),
    cdnCertificateArn: key({
        type: "string",
        defaults: "derived",
        description:
            "Imported ACM certificate in us-east-1 covering media. and static. of the domain, for CloudFront; set together with loadBalancerCertificateArn.",
        schema: z.string().regex(ACM_CERTIFICATE_ARN, {
            error: "must be an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>",
        }),
    }),
    acmNamesPerCertificate: key({
        type: "integer",
        defaults: both(AWS_LIMITS.acmNamesDefault),
        description:
            "The account's ACM quota of domain names per certificate (10 unless raised, at most 100): a storefront's own domains must fit one; beyond 25 storefront certificates they are packed up to it.",
        schema: z
            .number({ error: "must be a number of names" })
            .int()
            .min(1, { error: "must be at least 1" })
            .max(AWS_LIMITS.acmNamesMax, {
                error: `must be at most ${AWS_LIMITS.acmNamesMax} (ACM's ceiling for the quota)`,
            }),
    }),
    cdnMediaOriginPath: key({
        type: "string",
        defaults: both("/pub/media"),
        description:
            "Path on the load balancer the media distribution fetches from (Magento's pub/media as served by the web servers).",
        schema: originPath,
    }),
    cdnStaticOriginPath: key({
        type: "string",
        defaults: both("/pub/static"),
        description:
            "Path on the load balancer the static distribution fetches from (Magento's pub/static as served by the web servers).",
        schema: originPath,
    }),
    originVerifyRotation: key({
        type: "integer",
        defaults: both(0),
        description:
            "Rotations of the CloudFront origin-verify secret so far: add 1 and up to roll it without an outage (CloudFront moves to the value already accepted, then the one it stopped sending is regenerated: docs/edge.md).",
        schema: z
            .number({ error: "must be a whole number of rotations" })
            .int({ error: "must be a whole number of rotations" })
            .min(0, { error: "must be 0 or more (add 1 to rotate)" }),
    }),
    owner: key({
        type: "string",
        defaults: "required",
        description: "Owner tag on every resource: the team answerable for the stack.",
        schema: z.string().min(1, { error: "must not be empty" }),
    }),
    costCentre: key({
        type: "string",
        defaults: "required",
        description: "CostCentre tag on every resource.",
        schema: z.string().min(1, { error: "must not be empty" }),
    }),
};

type Keys = typeof CONFIG_KEYS;
export type ConfigKey = keyof Keys;

/** A key's value as its schema gives it (a parsed image source, parsed schedules...). */
type Value<K extends ConfigKey> = z.output<Keys[K]["schema"]>;

/**
 * Every key's value once read: what the stack set, else its profile's default; undefined only where a key may be
 * left unset (required, derived, or without a default in some profile) or was refused (then the error lists it).
 */
export type Settings = {
    readonly [K in ConfigKey]: Keys[K]["defaults"] extends {
        readonly production: infer P;
        readonly preproduction: infer Q;
    }
        ? undefined extends P | Q
            ? Value<K> | undefined
            : Value<K>
        : Value<K> | undefined;
};

type ProfileKey = { [K in ConfigKey]: Keys[K]["defaults"] extends ProfileValues<unknown> ? K : never }[ConfigKey];
export type ProfileDefaults = Pick<Settings, ProfileKey>;

/** The entries as one type, for code that walks the table. */
export const KEY_ENTRIES = Object.entries(CONFIG_KEYS) as [ConfigKey, KeyEntry][];

export function profileValues(entry: KeyEntry): ProfileValues<unknown> | undefined {
    return typeof entry.defaults === "object" ? entry.defaults : undefined;
}

/** Each profile's defaults, through the keys' schemas (a default the schema refuses fails here, at load). */
export const PROFILE_DEFAULTS = Object.fromEntries(
    PROFILES.map((profile) => [
        profile,
        Object.fromEntries(
            KEY_ENTRIES.flatMap(([name, entry]) => {
                const values = profileValues(entry);
                return values === undefined
                    ? []
                    : [[name, values[profile] === undefined ? undefined : entry.schema.parse(values[profile])]];
            }),
        ),
    ]),
) as Record<Profile, ProfileDefaults>;

/** The key's `type` in Pulumi.yaml; undefined for lists of objects (see KeyType). */
export function pulumiType(entry: KeyEntry): Exclude<KeyType, "objects"> | undefined {
    return entry.type === "objects" || defaultsTrue(entry) ? undefined : entry.type;
}

/**
 * A boolean some profile defaults to true: left out of Pulumi.yaml like "objects", since its zero value (false) would
 * stand for "the profile's choice" and an explicit false could never be told from an unset key.
 */
function defaultsTrue(entry: KeyEntry): boolean {
    return entry.type === "boolean" && Object.values(profileValues(entry) ?? {}).includes(true);
}

/**
 * Pulumi.yaml default of an optional key. The CLI refuses a stack that leaves a declared key without a value or a
 * default, so optional keys default to their zero value ("", 0, false, []), which stands for "the profile's choice".
 */
export function pulumiDefault(entry: KeyEntry): string | number | boolean | never[] | undefined {
    return entry.defaults === "required" || defaultsTrue(entry)
        ? undefined
        : entry.type === "string"
          ? ""
          : entry.type === "integer"
            ? 0
            : entry.type === "boolean"
              ? false
              : [];
}

export const PROJECT = "magento";

/** The key as it appears in stack files and error messages, e.g. "magento:vpcCidr". */
export function qualified(key: string): string {
    return `${PROJECT}:${key}`;
}

/** Pulumi hands every value over as text; non-string keys hold JSON (as pulumi.Config.getObject reads them). */
export function decodeKey(key: string, text: string): unknown {
    const spec: KeyEntry | undefined = CONFIG_KEYS[key as ConfigKey];
    if (spec === undefined || spec.type === "string") {
        return text;
    }
    try {
        return JSON.parse(text);
    } catch {
        return text; // left as text so the schema reports the key with what it expects
    }
}
