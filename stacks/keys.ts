// Every configuration key of the project, once: its Pulumi.yaml type, whether a stack must set it, and what it
// means. Pulumi.yaml, the README's reference and the validator are kept in step with this table by tests.
/**
 * "objects": structured entries (a list of YAML mappings, or one mapping: alarmThresholds). Pulumi's project schema
 * types only strings, integers, booleans and arrays of those, and an undeclared type may be inferred from a default,
 * so such a key is left out of Pulumi.yaml (the CLI passes undeclared keys through) and validated in stacks/ alone.
 */
export type KeyType = "string" | "integer" | "boolean" | "array" | "objects";

export interface KeySpec {
    readonly type: KeyType;
    /** Must be set in the stack file; otherwise the environment profile supplies it. */
    readonly required: boolean;
    readonly description: string;
    /**
     * Pulumi.yaml default of an optional key. The CLI refuses a stack that leaves a declared key without a value or a
     * default, so optional keys default to their zero value ("", 0, []), which stands for "the profile's choice".
     */
    readonly default?: string | number | boolean | readonly string[];
}

export const CONFIG_KEYS = {
    profile: {
        type: "string", required: true,
        description: "Environment profile: production (HA everywhere) or preproduction (smaller, single NAT, no standby).",
    },
    vpcCidr: {
        type: "string", required: true,
        description: "The VPC's IPv4 /16; stacks that may be peered must not overlap. Fixed once deployed (docs/network.md).",
    },
    availabilityZones: {
        type: "array", required: true,
        description: "AZ names in the stack's region, one public and one private subnet each, in any order (each AZ's subnets follow its letter); production needs 3.",
    },
    operationsAz: {
        type: "string", required: false, default: "",
        description: "The AZ of the single servers (Rundeck, NFS, Windows, gateway, VPN), and of preproduction's NAT gateway and endpoints; one of availabilityZones, default its first entry. Fixed once deployed: their volumes cannot leave it.",
    },
    publicSubnetCidrs: {
        type: "objects", required: false, default: [],
        description: "Override of some AZs' public /24s: a mapping of AZ name to CIDR; default x.y.1.0/24 for the AZ ending in a, x.y.2.0/24 for b, ... of the VPC. Fixed once deployed.",
    },
    privateSubnetCidrs: {
        type: "objects", required: false, default: [],
        description: "Override of some AZs' private /24s: a mapping of AZ name to CIDR; default x.y.101.0/24 for the AZ ending in a, x.y.102.0/24 for b, ... of the VPC. Fixed once deployed.",
    },
    natGateways: {
        type: "string", required: false, default: "",
        description: "perAz: a NAT gateway in every AZ (production's choice); single: one in the operations AZ (preproduction's).",
    },
    flowLogRetentionDays: {
        type: "integer", required: false, default: 0,
        description: "Days CloudWatch Logs keeps the VPC flow logs; one of the retention periods CloudWatch allows.",
    },
    domain: {
        type: "string", required: true,
        description: "The shop's public domain (apex); media., static. and www. hang below it.",
    },
    internalDomain: {
        type: "string", required: true,
        description: "Private hosted zone name for servers inside the VPC (rundeck., nfs., windows. ...).",
    },
    operatorCidrs: {
        type: "array", required: true,
        description: "Allow-list of operator source ranges (IPv4 CIDRs: the VPC and the gateway have no IPv6) for the admin path and the gateway's internet sources; never 0.0.0.0/0, nor ranges that together cover every internet address.",
    },
    gatewayServices: {
        type: "objects", required: false, default: [],
        description: "Services operators reach through the VPN (and, with gatewayInternet, through the gateway): {name, port (445 or \"8700-8800\"), target (default windows.<internal domain>)}.",
    },
    gatewayInternet: {
        type: "objects", required: false, default: [],
        description: "Gateway services opened to the internet, none by default (docs/gateway.md): a mapping of gatewayServices names to source addresses (IPv4, at least gatewayMinPrefix long, inside operatorCidrs); never SMB; ftp with ftp-passive.",
    },
    gatewayMinPrefix: {
        type: "integer", required: false, default: 0,
        description: "Shortest prefix a gatewayInternet source may have: 32 (one address, the default) down to 24; below 32, lower operator-allow-list's minPrefix in the pack config too.",
    },
    alarmEmail: {
        type: "string", required: true,
        description: "Operators' list that receives alarms.",
    },
    alarmTopicArn: {
        type: "string", required: false, default: "",
        description: "An existing SNS topic (stack's region) the alarms notify instead of a topic of their own subscribing alarmEmail; e.g. preprod routed to a quieter list.",
    },
    cloudTrailLogGroup: {
        type: "string", required: false, default: "",
        description: "The CloudWatch Logs group (stack's region) the account's CloudTrail trail delivers to; set: metric filters and alarms on root use, IAM policy changes and console sign-in without MFA.",
    },
    alarmThresholds: {
        type: "objects", required: false, default: [],
        description: "Alarm thresholds to change: a mapping of some of the names in the default column to numbers (percentages at most 100; GiB; seconds; counts, evictions per 5 minutes).",
    },
    webInstanceType: {
        type: "string", required: false, default: "",
        description: "EC2 instance type of the front-end servers.",
    },
    backOfficeInstanceType: {
        type: "string", required: false, default: "",
        description: "EC2 instance type of the back-office server (admin, cron, indexers).",
    },
    webImage: {
        type: "string", required: true,
        description: "The release: an AMI id (ami-...) with pub/static baked in, or the SSM parameter (/path) a build pipeline updates with it.",
    },
    webMinSize: {
        type: "integer", required: false, default: 0,
        description: "Fewest front-end servers; production never goes below 2 (in 2 AZs).",
    },
    webMaxSize: {
        type: "integer", required: false, default: 0,
        description: "Most front-end servers load-based scaling may run.",
    },
    webScaleSchedule: {
        type: "array", required: false, default: [],
        description: "Time-based scaling of the front end, UTC: entries such as '0 19 * * * min=1 max=1' (cron, then the group's bounds).",
    },
    adminPath: {
        type: "string", required: true,
        description: "Magento's admin front name, the stack's own (not admin or backend): /<adminPath>/* and /index.php/<adminPath>/* go to the back office, from the operators' ranges only.",
    },
    waf: {
        type: "string", required: false, default: "",
        description: "on: a regional WAF web ACL (AWS managed rules and a per-IP rate limit) on the load balancer; always on in production.",
    },
    opsInstanceType: {
        type: "string", required: false, default: "",
        description: "EC2 instance type of the operations servers (gateway, VPN, Rundeck).",
    },
    opsAmiId: {
        type: "string", required: false, default: "",
        description: "AMI of the operations servers; unset: the latest Amazon Linux 2023, kept until a pinned id replaces it.",
    },
    windowsInstanceType: {
        type: "string", required: false, default: "",
        description: "EC2 instance type of the Windows host of the custom application.",
    },
    windowsAmiId: {
        type: "string", required: false, default: "",
        description: "AMI of the Windows host; unset: the latest Windows Server 2022 Base, kept until a pinned id replaces it.",
    },
    siteLinks: {
        type: "objects", required: false, default: [],
        description: "Site-to-site IPsec links: list of {name, customerGatewayIp, bgpAsn} (dynamic) or {name, customerGatewayIp, staticRoutes} (static).",
    },
    dbInstanceClass: {
        type: "string", required: false, default: "",
        description: "RDS instance class of the shop's MySQL database, such as db.r6g.xlarge.",
    },
    dbAllocatedStorageGb: {
        type: "integer", required: false, default: 0,
        description: "Initial gp3 storage of the shop's database, in GiB.",
    },
    dbMaxAllocatedStorageGb: {
        type: "integer", required: false, default: 0,
        description: "Ceiling storage autoscaling may grow the shop's database to, in GiB.",
    },
    dbBackupRetentionDays: {
        type: "integer", required: false, default: 0,
        description: "Days of automated backups (point-in-time restore) for every database; 7 to 35.",
    },
    sideDbInstanceClass: {
        type: "string", required: false, default: "",
        description: "RDS instance class of the database the side applications (PIM, connectors) share.",
    },
    applyImmediately: {
        type: "boolean", required: false, default: false,
        description: "true: this update's changes to the databases and Redis groups (class, node type, storage, engine) apply now, with the restart they need; false: in their maintenance window, and until then the preview shows them again (docs/engine-versions.md).",
    },
    cacheNodeType: {
        type: "string", required: false, default: "",
        description: "ElastiCache node type of the Redis groups, such as cache.r7g.large.",
    },
    cacheLayout: {
        type: "string", required: false, default: "",
        description: "split: separate Redis groups for sessions and cache, as Magento recommends (production's choice); shared: one group.",
    },
    searchInstanceType: {
        type: "string", required: false, default: "",
        description: "OpenSearch data node type, such as r6g.large.search.",
    },
    searchMasterInstanceType: {
        type: "string", required: false, default: "",
        description: "OpenSearch dedicated master node type (production only), such as m6g.large.search.",
    },
    searchVolumeGb: {
        type: "integer", required: false, default: 0,
        description: "gp3 volume per OpenSearch data node, in GiB.",
    },
    sharedStorage: {
        type: "string", required: false, default: "",
        description: "efs: Amazon EFS with elastic throughput (default); nfs: an NFS server on EC2 with protected EBS volumes, as the original estate ran.",
    },
    estate: {
        type: "string", required: false, default: "",
        description: "The estate's name, default the stack's: every logical name (magento-<estate>-...), every physical name that carries one (/magento/<estate>/, magento/<estate>/..., KMS aliases, the search domain) and the Stack tag derive from it. After `pulumi stack rename`, set it to the old name and nothing is replaced (docs/naming.md). Lower-case letters and digits, at most 7.",
    },
    sharedStorageTarget: {
        type: "string", required: false, default: "",
        description: "Phase one of a sharedStorage switch (docs/migrations.md): efs or nfs, the other storage built empty beside the current one, which servers keep using until sharedStorage names the target.",
    },
    allowReplace: {
        type: "array", required: false, default: [],
        description: "Logical names of protected or stateful resources this change may replace or delete (a migration, docs/day-two.md); the plan check refuses any other, and these lose `protect` for the update. Empty again once applied.",
    },
    teardown: {
        type: "boolean", required: false, default: false,
        description: "true: prepares the stack for `pulumi destroy` (docs/teardown.md): deletion protection and secrets' recovery windows off, disposable buckets emptied, final snapshots' key and option groups kept, protect off (production keeps it for `pulumi state unprotect --all` and needs teardownConfirm).",
    },
    teardownConfirm: {
        type: "string", required: false, default: "",
        description: "The stack's own name, repeated: a production stack is prepared for teardown only with it (docs/teardown.md).",
    },
    accessLogRetentionDays: {
        type: "integer", required: false, default: 0,
        description: "Days load-balancer and CloudFront access logs are kept in the logs bucket.",
    },
    tempExpiryDays: {
        type: "integer", required: false, default: 0,
        description: "Days after which objects in the temporary bucket expire.",
    },
    storefronts: {
        type: "objects", required: false, default: [],
        description: "Magento storefronts beyond the shop's own names: a list of {code: store code, domains: [host names]}; each domain gets a certificate, the load balancer and DNS.",
    },
    publicDns: {
        type: "string", required: false, default: "",
        description: "registrar: public names live at a registrar outside AWS (the records to create are a stack output); route53: in existing Route 53 zones; managed: in Route 53 zones this stack creates.",
    },
    validatedStorefronts: {
        type: "array", required: false, default: [],
        description: "With publicDns registrar: the storefront codes whose ACM validation records (output certificateValidationRecords) exist at the registrar; their certificates are awaited and served. The others' certificates are only requested and their records output, never sharing a certificate with a validated storefront.",
    },
    loadBalancerCertificateArn: {
        type: "string", required: false, default: "",
        description: "Imported ACM certificate (stack's region) of the shop's domain and *.domain for the load balancer; unset: ACM issues one, validated in Route 53.",
    },
    cdnCertificateArn: {
        type: "string", required: false, default: "",
        description: "Imported ACM certificate in us-east-1 covering media. and static. of the domain, for CloudFront; set together with loadBalancerCertificateArn.",
    },
    acmNamesPerCertificate: {
        type: "integer", required: false, default: 0,
        description: "The account's ACM quota of domain names per certificate (10 unless raised, at most 100): a storefront's own domains must fit one; beyond 25 storefront certificates they are packed up to it.",
    },
    cdnMediaOriginPath: {
        type: "string", required: false, default: "",
        description: "Path on the load balancer the media distribution fetches from (Magento's pub/media as served by the web servers).",
    },
    cdnStaticOriginPath: {
        type: "string", required: false, default: "",
        description: "Path on the load balancer the static distribution fetches from (Magento's pub/static as served by the web servers).",
    },
    originVerifyRotation: {
        type: "integer", required: false, default: 0,
        description: "Rotations of the CloudFront origin-verify secret so far: add 1 and up to roll it without an outage (CloudFront moves to the value already accepted, then the one it stopped sending is regenerated: docs/edge.md).",
    },
    owner: {
        type: "string", required: true,
        description: "Owner tag on every resource: the team answerable for the stack.",
    },
    costCentre: {
        type: "string", required: true,
        description: "CostCentre tag on every resource.",
    },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The key's `type` in Pulumi.yaml; undefined for lists of objects (see KeyType). */
export function pulumiType(spec: KeySpec): Exclude<KeyType, "objects"> | undefined {
    return spec.type === "objects" ? undefined : spec.type;
}

export const PROJECT = "magento";

/** The key as it appears in stack files and error messages, e.g. "magento:vpcCidr". */
export function qualified(key: string): string {
    return `${PROJECT}:${key}`;
}

/** Pulumi hands every value over as text; non-string keys hold JSON (as pulumi.Config.getObject reads them). */
export function decodeKey(key: string, text: string): unknown {
    const spec = CONFIG_KEYS[key as ConfigKey];
    if (spec === undefined || spec.type === "string") {
        return text;
    }
    try {
        return JSON.parse(text);
    } catch {
        return text; // left as text so the schema reports the key with what it expects
    }
}
