// The zod schemas the keys' entries (stacks/keys.ts) are built from: values, ranges and the structured keys' shapes.
import { InstanceType } from "@pulumi/aws/types/enums/ec2";
import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { isWholeInternet, parseCidr } from "../model/cidr";
import type { ImageSource } from "../model/images";
import { ALARM_THRESHOLD_DEFAULTS, AlarmThresholds } from "../model/alarm-thresholds";
import { parseScaleSchedule, ScaleSchedule } from "./schedule";

const EC2_INSTANCE_TYPES: ReadonlySet<string> = new Set(Object.values(InstanceType));

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const hostname = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "must be a lower-case DNS name such as shop.example.com",
});

/**
 * Admin front names a stack may not take (docs/admin.md; the storefront list is Magento's core front names as we know
 * them, not checked against a release): the two Adobe's security best practices name as the ones to
 * avoid, and the front names of Magento's own storefront routes and web APIs, which the admin rules would take from shoppers.
 */
const SCANNED_ADMIN_PATHS = ["admin", "backend"];
const STOREFRONT_ROUTES = [
    "checkout",
    "customer",
    "catalog",
    "catalogsearch",
    "cms",
    "contact",
    "sales",
    "wishlist",
    "review",
    "newsletter",
    "search",
    "rest",
    "soap",
    "graphql",
    "media",
    "static",
    "pub",
    "setup",
];

export function refusedAdminPath(v: string): string | undefined {
    return SCANNED_ADMIN_PATHS.includes(v)
        ? "admin and backend are the paths scanners try first (Adobe's security best practices)"
        : STOREFRONT_ROUTES.includes(v)
          ? "it is a storefront route or web API of Magento, whose requests would go to the admin rules"
          : undefined;
}

/** Magento's store code: `store.code` is varchar(32), and the admin accepts letters, digits and '_' after a letter. */
export const storeCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, {
    error: "must be a Magento store code: up to 32 lower-case letters, digits and '_', starting with a letter",
});

/**
 * An estate's name (magento:estate, or the stack's): it goes into names AWS limits, the longest being the load
 * balancer's magento-<estate>-shop-alb plus Pulumi's 8 random characters within 32 (tests/components/naming.spec.ts).
 */
export const ESTATE_NAME = /^[a-z][a-z0-9]{0,6}$/;
export const estateName = z.string().regex(ESTATE_NAME, {
    error: "must be 1 to 7 lower-case letters or digits, starting with a letter (it is in names AWS limits to 32 characters)",
});

/** An ACM certificate ARN; its region is checked against where it is used in checks/edge.ts. */
export const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

/**
 * An Elastic IP's allocation id: `eipalloc-` and 8 hexadecimal characters (allocated before 2016) or 17 (since; EC2's
 * resource ids, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
 */
export const eipAllocationId = z.string().regex(/^eipalloc-([0-9a-f]{8}|[0-9a-f]{17})$/, {
    error: "must be an Elastic IP allocation id: eipalloc- and 8 or 17 hexadecimal characters, such as eipalloc-0123456789abcdef0 (aws ec2 describe-addresses shows it)",
});

/** CloudFront's origin path: starts with '/', does not end with one. */
export const originPath = z.string().regex(/^(\/[A-Za-z0-9._~-]+)+$/, {
    error: "must be a path such as /pub/media: starting with '/', without a trailing '/'",
});

export const ipv4Cidr = z.string().refine((v) => parseCidr(v) !== undefined, {
    error: "must be an IPv4 CIDR with its host bits zero, such as 10.20.1.0/24",
});

export const instanceType = z.string().refine((v) => EC2_INSTANCE_TYPES.has(v), {
    error: "must be an EC2 instance type name such as m6i.large (see aws.ec2.InstanceType)",
});

/** RDS, ElastiCache and OpenSearch classes name an EC2 type with a prefix or suffix: db.r6g.xlarge, r6g.large.search. */
export function serviceClass(prefix: string, suffix: string, example: string) {
    return z
        .string()
        .refine(
            (v) =>
                v.startsWith(prefix) &&
                v.endsWith(suffix) &&
                EC2_INSTANCE_TYPES.has(v.slice(prefix.length, v.length - suffix.length)),
            { error: `must be a ${prefix || ""}<EC2 type>${suffix} class such as ${example}` },
        );
}

export const gib = (min: number, max: number) =>
    z
        .number({ error: "must be a number of GiB" })
        .int()
        .min(min, { error: `must be at least ${min} GiB` })
        .max(max, { error: `must be at most ${max} GiB` });

export const operatorCidr = z
    .string()
    .refine((v) => (v.includes(":") ? ipaddr.IPv6.isValidCIDR(v) : parseCidr(v) !== undefined), {
        error: "must be an IPv4 or IPv6 CIDR such as 203.0.113.0/24",
    })
    .refine((v) => !isWholeInternet(v), {
        error: "0.0.0.0/0 and ::/0 open the operators' ports to the whole internet; list the operators' ranges",
    });

const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

export const imageSource = z.string().transform((v, ctx): ImageSource => {
    if (AMI_ID.test(v)) {
        return { amiId: v };
    }
    if (/^\/[A-Za-z0-9_./-]+$/.test(v)) {
        return { parameterName: v };
    }
    ctx.addIssue({
        code: "custom",
        message:
            "must be an AMI id such as ami-0123456789abcdef0 or an SSM parameter name such as /magento/prod/release/ami",
    });
    return z.NEVER;
});

export const scaleSchedule = z.string().transform((v, ctx): ScaleSchedule => {
    const parsed = parseScaleSchedule(v);
    if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
    }
    return parsed;
});

export const serverCount = z
    .number({ error: "must be a number of servers" })
    .int()
    .min(1, { error: "must be at least 1" })
    .max(100, { error: "must be at most 100" });
export const amiId = z.string().regex(AMI_ID, { error: "must be an AMI id such as ami-0123456789abcdef0" });

/** Address classes a customer gateway cannot have: AWS reaches it over the internet. Documentation ranges pass. */
const NOT_ROUTABLE = ["unspecified", "private", "loopback", "linkLocal", "carrierGradeNat", "multicast", "broadcast"];

/** Private ASNs (RFC 6996): 2-byte 64512-65534, 4-byte 4200000000-4294967294. */
export function isPrivateAsn(asn: number): boolean {
    return (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
}

export const siteLink = z
    .strictObject(
        {
            name: z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, {
                error: "must be a short lower-case name such as warehouse (letters, digits, -; at most 24)",
            }),
            customerGatewayIp: z
                .string()
                .refine((v) => ipaddr.IPv4.isValidFourPartDecimal(v), {
                    error: "must be the site's public IPv4 address such as 198.51.100.10",
                })
                .refine(
                    (v) =>
                        !ipaddr.IPv4.isValidFourPartDecimal(v) || !NOT_ROUTABLE.includes(ipaddr.IPv4.parse(v).range()),
                    {
                        error: "must be a public address: AWS reaches the customer gateway over the internet (not private, 0.0.0.0, loopback or link-local)",
                    },
                ),
            bgpAsn: z
                .number({ error: "must be a number" })
                .int()
                .refine(isPrivateAsn, {
                    error: "must be a private ASN: 64512-65534 or 4200000000-4294967294",
                })
                .optional(),
            staticRoutes: z.array(ipv4Cidr).min(1, { error: "must list at least one of the site's CIDRs" }).optional(),
        },
        {
            error: (issue) =>
                `${issue.code === "unrecognized_keys" ? `has unknown field(s) ${issue.keys.join(", ")}; ` : ""}` +
                "must be {name, customerGatewayIp, bgpAsn} or {name, customerGatewayIp, staticRoutes}",
        },
    )
    .refine((v) => (v.bgpAsn === undefined) !== (v.staticRoutes === undefined), {
        error: "needs exactly one of bgpAsn (routes learned over BGP) or staticRoutes (the site's CIDRs)",
    });
const port = z
    .number({ error: "must be a port number" })
    .int()
    .min(1, { error: "must be a port from 1 to 65535" })
    .max(65535, { error: "must be a port from 1 to 65535" });

/** 445, or "2048-4096" (a range, low end first). */
const portOrRange = z.union(
    [
        port,
        z
            .string()
            .regex(/^\d{1,5}-\d{1,5}$/, { error: 'must be a port (445) or a range such as "8700-8800"' })
            .refine(
                (v) => {
                    const [from, to] = v.split("-").map(Number);
                    return from >= 1 && to <= 65535 && from < to;
                },
                { error: "must be a range of ports from 1 to 65535, low end first" },
            ),
    ],
    { error: 'must be a port (445) or a range such as "8700-8800"' },
);

/** A gateway service as a stack file writes it: a port (445) or a range ("8700-8800"); target defaults to the Windows host. */
export const gatewayService = z.strictObject(
    {
        name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, {
            error: "must be 1-31 of [a-z0-9-], starting with a letter (it names the HAProxy frontend)",
        }),
        port: portOrRange,
        target: hostname.optional(),
    },
    {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `has unknown field(s) ${issue.keys.join(", ")}; allowed: name, port, target`
                : "must be {name, port, target?}",
    },
);
export type GatewayServiceSetting = z.output<typeof gatewayService>;

export const gatewayInternet = z.record(
    z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: "must be the name of a service in magento:gatewayServices" }),
    z
        .array(ipv4Cidr, { error: "must be a list of source addresses such as 203.0.113.10/32" })
        .min(1, { error: "must list at least one source address (or leave the service out: VPN only)" }),
    {
        error: "must be a mapping of gatewayServices names to lists of source addresses, such as {ftp: [203.0.113.10/32], ftp-passive: [203.0.113.10/32]}",
    },
);

/** SNS topic ARN; its region is checked against the stack's in checks/monitoring.ts (alarms notify topics of their own region). */
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** A KMS key by its ARN (an alias will not do: a key policy and an IAM grant name keys): region, account. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(?:mrk-)?[0-9a-f-]{32,36}$/;

const percent = z
    .number({ error: "must be a number" })
    .gt(0, { error: "must be above 0" })
    .max(100, { error: "must be a percentage, at most 100" });
const positive = z.number({ error: "must be a number" }).gt(0, { error: "must be above 0" });

export const alarmThresholds = z
    .strictObject(
        {
            databaseCpuPercent: percent,
            databaseConnections: positive.int(),
            databaseFreeStorageGb: positive,
            loadBalancer5xxPercent: percent,
            target5xxPercent: percent,
            latencyP95Seconds: positive,
            unhealthyHosts: positive.int(),
            redisCpuPercent: percent,
            redisMemoryPercent: percent,
            redisEvictions: positive.int(),
            efsThroughputPercent: percent,
            searchFreeStoragePercent: percent,
            diskUsedPercent: percent,
        } satisfies Record<keyof AlarmThresholds, z.ZodType>,
        {
            error: (issue) =>
                issue.code === "unrecognized_keys"
                    ? `has unknown threshold(s) ${issue.keys.join(", ")}; allowed: ${Object.keys(ALARM_THRESHOLD_DEFAULTS).join(", ")}`
                    : "must be a mapping of threshold names to numbers",
        },
    )
    .partial();

export const azName = z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, { error: "must be an availability zone name such as eu-west-3a" });
/** A mapping of AZ name to `value`, never a list: a list would pair values with AZs by position, and give an AZ
 *  another's when the AZs are reordered (docs/network.md). `example` is one entry, as a stack file writes it. */
function byAz<V extends z.ZodType>(value: V, what: string, example: string) {
    return z.record(azName, value, {
        error: (issue) =>
            issue.code === "invalid_type"
                ? `must be a mapping of availability zone to ${what}, such as ${example} (a list would pair them with AZs by position)`
                : issue.code === "invalid_key"
                  ? "must be an availability zone name such as eu-west-3a"
                  : undefined,
    });
}

export const subnetOverrides = byAz(ipv4Cidr, "CIDR", "eu-west-3a: 10.20.1.0/24");

/** Kept Elastic IPs of the NAT gateways, by AZ. */
export const natAllocationIds = byAz(eipAllocationId, "allocation id", "eu-west-3a: eipalloc-0123456789abcdef0");

/** An RDS DB snapshot's identifier as RDS names one: a letter, then letters, digits and single hyphens, no trailing
 *  hyphen, at most 255 (the provider's check of the instance's final snapshot identifier, the same name rules:
 *  https://github.com/hashicorp/terraform-provider-aws/blob/main/website/docs/r/db_instance.html.markdown). */
const RDS_SNAPSHOT_NAME = "[A-Za-z](?:[A-Za-z0-9]|-(?!-|$)){0,254}";
const RDS_SNAPSHOT = new RegExp(
    `^(?:${RDS_SNAPSHOT_NAME}|arn:aws[a-z-]*:rds:[a-z0-9-]+:\\d{12}:snapshot:${RDS_SNAPSHOT_NAME})$`,
);

/**
 * The manual DB snapshot a database is created from (docs/migration.md): its identifier, or its ARN when another
 * account shares it (RestoreDBInstanceFromDBSnapshot takes a shared snapshot by ARN only:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html). Not an automated
 * `rds:` snapshot: RDS upgrades the engine of manual snapshots only, and re-encrypts only a copy.
 */
export const rdsSnapshot = z
    .string()
    .refine((v) => !v.startsWith("rds:"), {
        error: "names an automated snapshot (rds:...): copy it to a manual one first (aws rds copy-db-snapshot --kms-key-id <the stack's storage key>), which RDS can also upgrade",
    })
    .refine((v) => v.startsWith("rds:") || RDS_SNAPSHOT.test(v), {
        error: "must be a manual DB snapshot's identifier (a letter, then letters, digits and single hyphens) or its ARN, arn:aws:rds:<region>:<account>:snapshot:<identifier>",
    });

/** A DataSync agent's ARN (arn:aws:datasync:<region>:<account>:agent/agent-<17 characters>); its region is checked against
 *  the stack's in checks/data.ts. */
export const DATASYNC_AGENT_ARN = /^arn:aws[a-z-]*:datasync:([a-z0-9-]+):\d{12}:agent\/agent-[0-9a-z]{17}$/;

/** The estate's NFS server that DataSync copies the shares from (docs/migration.md, "Moving the shared files"). */
export const nfsSource = z.strictObject(
    {
        server: z.string().refine((v) => ipaddr.IPv4.isValidFourPartDecimal(v) || hostname.safeParse(v).success, {
            error: "must be the NFS server's host name or IPv4 address, as the DataSync agent reaches it",
        }),
        exportPath: z.string().regex(/^(\/[A-Za-z0-9._-]+)+\/?$|^\/$/, {
            error: "must be the absolute path of the export holding Magento's folders, such as /export/magento",
        }),
        agentArn: z.string().regex(DATASYNC_AGENT_ARN, {
            error: "must be the activated DataSync agent's ARN, arn:aws:datasync:<region>:<account>:agent/agent-<id> (docs/migration.md)",
        }),
    },
    { error: "must be a mapping {server, exportPath, agentArn}" },
);
export type NfsSourceSetting = z.output<typeof nfsSource>;
