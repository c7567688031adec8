// Turns the raw key/value configuration of a stack into a StackConfig, or a ConfigError listing every problem.
import { limitProblems, planEdge, PublicDns, Storefront, storefrontProblems } from "../components/edge-plan";
import { Cidr, contains, overlaps, parseCidr } from "./cidr";
import { ConfigError, ConfigProblem } from "./errors";
import { CONFIG_KEYS, ConfigKey, KeySpec, qualified } from "./keys";
import { PROFILE_DEFAULTS, Profile } from "./profiles";
import { ACM_CERTIFICATE_ARN, FIELD_SCHEMAS } from "./schema";
import { EdgeConfig, StackConfig } from "./stack-config";
import { deriveSubnetPlan } from "./subnets";

export interface StackContext {
    readonly stack: string;
    /** `aws:region` of the stack, if set. */
    readonly region: string | undefined;
}

type Parsed = { -readonly [K in ConfigKey]?: unknown };

export function parseStackConfig(raw: Readonly<Record<string, unknown>>, ctx: StackContext): StackConfig {
    const problems: ConfigProblem[] = [];
    const parsed: Parsed = {};

    for (const key of Object.keys(raw)) {
        if (!(key in CONFIG_KEYS)) {
            problems.push({ path: qualified(key), message: `is not a configuration key of this project; allowed: ${Object.keys(CONFIG_KEYS).join(", ")}` });
        }
    }
    for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
        const spec: KeySpec = CONFIG_KEYS[key];
        const value = isZero(raw[key], spec) ? undefined : raw[key];
        if (value === undefined) {
            if (CONFIG_KEYS[key].required) {
                problems.push({ path: qualified(key), message: `is required: ${CONFIG_KEYS[key].description}` });
            }
            continue;
        }
        const result = FIELD_SCHEMAS[key].safeParse(value);
        if (result.success) {
            parsed[key] = result.data;
        } else {
            problems.push(...result.error.issues.map((issue) => ({ path: keyPath(key, issue.path), message: issue.message })));
        }
    }
    if (!ctx.region) {
        problems.push({ path: "aws:region", message: "is required: the region the stack deploys to, such as eu-west-3" });
    }

    const profile = parsed.profile as Profile | undefined;
    const defaults = PROFILE_DEFAULTS[profile ?? "production"];
    const azs = parsed.availabilityZones as string[] | undefined;
    const vpc = parsed.vpcCidr === undefined ? undefined : parseCidr(parsed.vpcCidr as string);

    if (azs) {
        problems.push(...checkAvailabilityZones(azs, ctx.region, profile));
    }
    const plan = vpc && azs ? deriveSubnetPlan(vpc, azs.length) : undefined;
    const publicSubnetCidrs = (parsed.publicSubnetCidrs as string[] | undefined) ?? plan?.publicSubnetCidrs;
    const privateSubnetCidrs = (parsed.privateSubnetCidrs as string[] | undefined) ?? plan?.privateSubnetCidrs;
    if (vpc && azs && publicSubnetCidrs && privateSubnetCidrs) {
        problems.push(...checkSubnets(vpc, azs.length, { publicSubnetCidrs, privateSubnetCidrs }));
    }

    const allocated = (parsed.dbAllocatedStorageGb as number | undefined) ?? defaults.dbAllocatedStorageGb;
    const ceiling = (parsed.dbMaxAllocatedStorageGb as number | undefined) ?? defaults.dbMaxAllocatedStorageGb;
    if (ceiling <= allocated) {
        problems.push({ path: qualified("dbMaxAllocatedStorageGb"), message: `must exceed the allocated ${allocated} GiB, or storage autoscaling has no headroom (got ${ceiling})` });
    }

    const value = <T>(key: ConfigKey, fallback: T): T => (parsed[key] as T | undefined) ?? fallback;
    const edge = checkEdge(parsed, {
        region: ctx.region,
        publicDns: value("publicDns", defaults.publicDns),
        namesPerCertificate: value("acmNamesPerCertificate", defaults.acmNamesPerCertificate),
        originPaths: { media: value("cdnMediaOriginPath", defaults.cdnMediaOriginPath), static: value("cdnStaticOriginPath", defaults.cdnStaticOriginPath) },
    }, problems);

    if (problems.length > 0) {
        throw new ConfigError(ctx.stack, problems);
    }
    return {
        stack: ctx.stack,
        region: ctx.region!,
        profile: profile!,
        production: profile === "production",
        network: {
            vpcCidr: parsed.vpcCidr as string,
            availabilityZones: azs!,
            publicSubnetCidrs: publicSubnetCidrs!,
            privateSubnetCidrs: privateSubnetCidrs!,
            natGatewayPerAz: value("natGateways", defaults.natGateways) === "perAz",
            flowLogRetentionDays: value("flowLogRetentionDays", defaults.flowLogRetentionDays),
        },
        domain: parsed.domain as string,
        internalDomain: parsed.internalDomain as string,
        operatorCidrs: parsed.operatorCidrs as string[],
        alarmEmail: parsed.alarmEmail as string,
        instanceTypes: {
            web: value("webInstanceType", defaults.webInstanceType),
            backOffice: value("backOfficeInstanceType", defaults.backOfficeInstanceType),
            ops: value("opsInstanceType", defaults.opsInstanceType),
        },
        opsAmiId: parsed.opsAmiId as string | undefined,
        database: {
            instanceClass: value("dbInstanceClass", defaults.dbInstanceClass),
            allocatedStorageGb: value("dbAllocatedStorageGb", defaults.dbAllocatedStorageGb),
            maxAllocatedStorageGb: value("dbMaxAllocatedStorageGb", defaults.dbMaxAllocatedStorageGb),
            backupRetentionDays: value("dbBackupRetentionDays", defaults.dbBackupRetentionDays),
            sideInstanceClass: value("sideDbInstanceClass", defaults.sideDbInstanceClass),
        },
        cache: {
            nodeType: value("cacheNodeType", defaults.cacheNodeType),
            separateSessions: value("cacheLayout", defaults.cacheLayout) === "split",
        },
        search: {
            instanceType: value("searchInstanceType", defaults.searchInstanceType),
            // Dedicated masters go with zone awareness: production only, whatever the key says elsewhere.
            masterInstanceType: profile === "production" ? value("searchMasterInstanceType", defaults.searchMasterInstanceType) || undefined : undefined,
            volumeGb: value("searchVolumeGb", defaults.searchVolumeGb),
        },
        sharedStorage: value("sharedStorage", defaults.sharedStorage),
        tempExpiryDays: value("tempExpiryDays", defaults.tempExpiryDays),
        accessLogRetentionDays: value("accessLogRetentionDays", defaults.accessLogRetentionDays),
        edge: edge!,
        tags: {
            Project: "magento",
            Stack: ctx.stack,
            Environment: profile!,
            Owner: parsed.owner as string,
            CostCentre: parsed.costCentre as string,
        },
    };
}

/** An optional key left at its Pulumi.yaml default ("", 0, []) is unset: the profile decides. */
function isZero(value: unknown, spec: KeySpec): boolean {
    return spec.default !== undefined && JSON.stringify(value) === JSON.stringify(spec.default);
}

function keyPath(key: string, path: readonly PropertyKey[]): string {
    return qualified(key) + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

function checkAvailabilityZones(azs: string[], region: string | undefined, profile: Profile | undefined): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const path = qualified("availabilityZones");
    azs.forEach((az, i) => {
        if (region && !(az.startsWith(region) && az.length === region.length + 1)) {
            problems.push({ path: `${path}[${i}]`, message: `${az} is not an availability zone of ${region} (such as ${region}a)` });
        }
        if (azs.indexOf(az) !== i) {
            problems.push({ path: `${path}[${i}]`, message: `${az} is listed twice; each AZ holds one public and one private subnet` });
        }
    });
    const minimum = profile ? PROFILE_DEFAULTS[profile].minAvailabilityZones : 1;
    if (azs.length < minimum) {
        problems.push({ path, message: `the ${profile} profile needs at least ${minimum} availability zones (got ${azs.length}) so that losing one AZ leaves capacity in two` });
    }
    return problems;
}

function checkSubnets(vpc: Cidr, azCount: number, plan: Record<"publicSubnetCidrs" | "privateSubnetCidrs", string[]>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const seen: { path: string; cidr: Cidr; text: string }[] = [];
    for (const tier of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
        const cidrs = plan[tier];
        if (cidrs.length !== azCount) {
            problems.push({ path: qualified(tier), message: `must list one subnet per availability zone (${azCount}), got ${cidrs.length}` });
        }
        cidrs.forEach((text, i) => {
            const path = `${qualified(tier)}[${i}]`;
            const cidr = parseCidr(text)!;
            if (!contains(vpc, cidr)) {
                problems.push({ path, message: `${text} lies outside the VPC ${vpc.network.toString()}/${vpc.prefix}` });
            }
            for (const other of seen) {
                if (overlaps(other.cidr, cidr)) {
                    problems.push({ path, message: `${text} overlaps ${other.text} (${other.path})` });
                }
            }
            seen.push({ path, cidr, text });
        });
    }
    return problems;
}

type EdgeDefaults = Pick<EdgeConfig, "publicDns" | "namesPerCertificate" | "originPaths"> & { readonly region: string | undefined };

/** Certificates, storefronts and AWS's limits; undefined (with problems added) when the edge cannot be planned. */
function checkEdge(parsed: Parsed, edge: EdgeDefaults, problems: ConfigProblem[]): EdgeConfig | undefined {
    const before = problems.length;
    const arns = { loadBalancer: parsed.loadBalancerCertificateArn as string | undefined, cdn: parsed.cdnCertificateArn as string | undefined };
    const checkRegion = (key: ConfigKey, arn: string | undefined, region: string | undefined, use: string) => {
        const found = arn === undefined ? undefined : ACM_CERTIFICATE_ARN.exec(arn)?.[1];
        if (found !== undefined && region !== undefined && found !== region) {
            problems.push({ path: qualified(key), message: `is a certificate in ${found}; ${use} only uses ACM certificates in ${region}` });
        }
    };
    checkRegion("loadBalancerCertificateArn", arns.loadBalancer, edge.region, "the load balancer");
    checkRegion("cdnCertificateArn", arns.cdn, "us-east-1", "CloudFront");
    if ((arns.loadBalancer === undefined) !== (arns.cdn === undefined)) {
        const missing = arns.loadBalancer === undefined ? "loadBalancerCertificateArn" : "cdnCertificateArn";
        problems.push({ path: qualified(missing), message: "is required with its pair: the shop's certificates are either both imported or both issued by ACM" });
    } else if (arns.loadBalancer === undefined && edge.publicDns === "registrar") {
        problems.push({ path: qualified("loadBalancerCertificateArn"), message: "is required when magento:publicDns is registrar: without a Route 53 zone ACM cannot validate the shop's domain, so its certificates are imported (with magento:cdnCertificateArn)" });
    }

    const domain = parsed.domain as string | undefined;
    const storefronts = (parsed.storefronts as Storefront[] | undefined) ?? [];
    if (domain !== undefined) {
        problems.push(...storefrontProblems(domain, storefronts).map((p) => ({ path: qualified("storefronts") + p.path, message: p.message })));
    }
    if (domain === undefined || problems.length > before) {
        return undefined;
    }
    const plan = planEdge({ domain, storefronts, namesPerCertificate: edge.namesPerCertificate, importedShopCertificates: arns.loadBalancer !== undefined });
    problems.push(...limitProblems(plan, edge.namesPerCertificate).map((message) => ({ path: qualified("storefronts"), message })));
    return {
        storefronts,
        publicDns: edge.publicDns as PublicDns,
        importedCertificates: arns.loadBalancer === undefined ? undefined : { loadBalancerArn: arns.loadBalancer, cdnArn: arns.cdn! },
        namesPerCertificate: edge.namesPerCertificate,
        originPaths: edge.originPaths,
        plan,
    };
}
