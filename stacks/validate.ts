// Turns the raw key/value configuration of a stack into a StackConfig, or a ConfigError listing every problem.
import { architectureOf } from "../model/architecture";
import { limitProblems, planEdge, Storefront, storefrontProblems } from "../model/edge-plan";
import { ExposedService, exposedServices, GatewayService } from "../model/gateway-services";
import type { ImageSource } from "../model/images";
import type { SiteLink } from "../model/site-links";
import type { AlarmThresholds } from "../model/alarm-thresholds";
import { internetCovered } from "../policies/lib/cidr";
import { Cidr, contains, formatCidr, isWholeInternet, overlaps, parseCidr } from "./cidr";
import { ConfigError, ConfigProblem, UNDECRYPTED_SECRET } from "./errors";
import { CONFIG_KEYS, ConfigKey, KeySpec, qualified } from "./keys";
import { GatewayServiceSetting, PROFILE_DEFAULTS, Profile, ProfileDefaults } from "./profiles";
import { parseScaleSchedule, ScaleSchedule } from "./schedule";
import { ACM_CERTIFICATE_ARN, ESTATE_NAME, FIELD_SCHEMAS, SNS_TOPIC_ARN } from "./schema";
import { EdgeConfig, StackConfig } from "./stack-config";
import { deriveSubnetPlan, vpnClientCidr } from "./subnets";

export interface StackContext {
    readonly stack: string;
    /** `aws:region` of the stack, if set. */
    readonly region: string | undefined;
}

type Parsed = { -readonly [K in ConfigKey]?: unknown };

/**
 * Keys whose value the program only passes on (a subscription endpoint, tags): offline, where a `secure:` value cannot
 * be decrypted, such a value may stay the placeholder. Every other key shapes what the program plans (subnets from
 * the VPC range, rules from the allow-list, names from the domain), so it must be known to run the program at all.
 */
const PASSED_THROUGH: readonly ConfigKey[] = ["alarmEmail", "owner", "costCentre"];

/** A value without its undecrypted parts: a whole secret has no known part, a list keeps its known items. */
function knownPart(value: unknown): unknown {
    return value === UNDECRYPTED_SECRET ? undefined
        : Array.isArray(value) && value.includes(UNDECRYPTED_SECRET) ? value.filter((v) => v !== UNDECRYPTED_SECRET) : value;
}

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
        const known = knownPart(value);
        if (known === undefined) {
            if (PASSED_THROUGH.includes(key)) {
                parsed[key] = value; // a secret string, unknown offline: kept as it reads, not validated
            } else {
                problems.push({ path: qualified(key), message: `is encrypted (secure:) and cannot be decrypted offline, but the program plans resources from it; `
                    + `give it in plain text to the offline preview (--config-file), or keep encrypted only ${PASSED_THROUGH.map(qualified).join(", ")}` });
            }
            continue;
        }
        const result = FIELD_SCHEMAS[key].safeParse(known);
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
    const operationsAz = (parsed.operationsAz as string | undefined) ?? azs?.[0];
    if (azs && operationsAz !== undefined && !azs.includes(operationsAz)) {
        problems.push({ path: qualified("operationsAz"), message: `${operationsAz} is not one of magento:availabilityZones (${azs.join(", ")}); the single servers live in one of the stack's AZs` });
    }
    const plan = vpc && azs ? deriveSubnetPlan(vpc, azs) : undefined;
    const overrides = { publicSubnetCidrs: parsed.publicSubnetCidrs as Record<string, string> | undefined, privateSubnetCidrs: parsed.privateSubnetCidrs as Record<string, string> | undefined };
    const publicSubnetCidrs = plan && { ...plan.publicSubnetCidrs, ...overrides.publicSubnetCidrs };
    const privateSubnetCidrs = plan && { ...plan.privateSubnetCidrs, ...overrides.privateSubnetCidrs };
    if (vpc && azs && publicSubnetCidrs && privateSubnetCidrs) {
        problems.push(...checkSubnets(vpc, azs, overrides, { publicSubnetCidrs, privateSubnetCidrs }));
    }

    const windowsType = (parsed.windowsInstanceType as string | undefined) ?? defaults.windowsInstanceType;
    if (architectureOf(windowsType) === "arm64") {
        problems.push({ path: qualified("windowsInstanceType"), message: `${windowsType} is a Graviton (arm64) type; Windows Server runs on x86_64 types such as m6i.large` });
    }
    const siteLinks = (parsed.siteLinks as SiteLink[] | undefined) ?? [];
    problems.push(...checkSiteLinks(siteLinks, vpc));
    const operatorCidrs = parsed.operatorCidrs as string[] | undefined;
    problems.push(...checkOperatorCidrs(operatorCidrs ?? []));
    // The whole internet however it is split (0.0.0.0/1 + 128.0.0.0/1, every public block): coverage, not only the
    // literal /0, which the key's schema already refuses item by item.
    for (const family of (operatorCidrs ?? []).some(isWholeInternet) ? [] : internetCovered(operatorCidrs ?? [])) {
        problems.push({ path: qualified("operatorCidrs"), message: `together cover every internet ${family} address, which opens the operators' ports to the whole internet; list the operators' ranges` });
    }
    const gateway = resolveGatewayServices(
        (parsed.gatewayServices as GatewayServiceSetting[] | undefined) ?? defaults.gatewayServices,
        (parsed.internalDomain as string | undefined) ?? "internal",
        operatorCidrs ?? [],
    );
    const internet = resolveGatewayInternet(gateway.services, {
        opened: (parsed.gatewayInternet as Record<string, string[]> | undefined) ?? defaults.gatewayInternet,
        minPrefix: (parsed.gatewayMinPrefix as number | undefined) ?? defaults.gatewayMinPrefix,
        operatorCidrs: operatorCidrs ?? [],
    });
    problems.push(...internet.problems);
    problems.push(...gateway.problems);

    const allocated = (parsed.dbAllocatedStorageGb as number | undefined) ?? defaults.dbAllocatedStorageGb;
    const ceiling = (parsed.dbMaxAllocatedStorageGb as number | undefined) ?? defaults.dbMaxAllocatedStorageGb;
    if (ceiling <= allocated) {
        problems.push({ path: qualified("dbMaxAllocatedStorageGb"), message: `must exceed the allocated ${allocated} GiB, or storage autoscaling has no headroom (got ${ceiling})` });
    }

    problems.push(...checkWeb(parsed, defaults, profile));
    problems.push(...checkSearchZones(azs, profile), ...checkTeardown(parsed, ctx.stack, profile));
    const storage = (parsed.sharedStorage as string | undefined) ?? defaults.sharedStorage;
    if (parsed.sharedStorageTarget === storage) {
        problems.push({ path: qualified("sharedStorageTarget"), message: `is the current ${qualified("sharedStorage")} (${storage}); it names the other storage to build beside it, and is removed in the update that switches` });
    }
    const topicRegion = parsed.alarmTopicArn === undefined ? undefined : SNS_TOPIC_ARN.exec(parsed.alarmTopicArn as string)?.[1];
    if (topicRegion !== undefined && ctx.region !== undefined && topicRegion !== ctx.region) {
        problems.push({ path: qualified("alarmTopicArn"), message: `is a topic in ${topicRegion}; CloudWatch alarms in ${ctx.region} notify topics in ${ctx.region} only` });
    }
    const value = <T>(key: ConfigKey, fallback: T): T => (parsed[key] as T | undefined) ?? fallback;
    const edge = checkEdge(parsed, {
        region: ctx.region,
        publicDns: value("publicDns", defaults.publicDns),
        namesPerCertificate: value("acmNamesPerCertificate", defaults.acmNamesPerCertificate),
        originPaths: { media: value("cdnMediaOriginPath", defaults.cdnMediaOriginPath), static: value("cdnStaticOriginPath", defaults.cdnStaticOriginPath) },
        originVerifyRotation: value("originVerifyRotation", defaults.originVerifyRotation),
    }, problems);

    // Names and the Stack tag derive from the estate, not the stack: a renamed stack keeps them (docs/naming.md).
    const estate = (parsed.estate as string | undefined) ?? ctx.stack;
    if (parsed.estate === undefined && !ESTATE_NAME.test(ctx.stack)) {
        problems.push({ path: qualified("estate"), message: `is required for stack '${ctx.stack}': the names derive from it, and a stack's name must then be 1 to 7 lower-case letters or digits, starting with a letter` });
    }

    if (problems.length > 0) {
        throw new ConfigError(ctx.stack, problems);
    }
    return {
        stack: estate,
        region: ctx.region!,
        profile: profile!,
        production: profile === "production",
        network: {
            vpcCidr: parsed.vpcCidr as string,
            availabilityZones: azs!,
            operationsAz: operationsAz!,
            publicSubnetCidrs: publicSubnetCidrs!,
            privateSubnetCidrs: privateSubnetCidrs!,
            natGatewayPerAz: value("natGateways", defaults.natGateways) === "perAz",
            flowLogRetentionDays: value("flowLogRetentionDays", defaults.flowLogRetentionDays),
            endpointsPerAz: profile === "production", // preproduction: one AZ's endpoints serve all (docs/network.md)
        },
        domain: parsed.domain as string,
        internalDomain: parsed.internalDomain as string,
        operatorCidrs: operatorCidrs!,
        gatewayServices: gateway.services,
        gatewayInternet: internet.exposed,
        vpnClientCidr: vpnClientCidr(vpc!),
        alarmEmail: parsed.alarmEmail as string,
        alarmTopicArn: parsed.alarmTopicArn as string | undefined,
        cloudTrailLogGroup: parsed.cloudTrailLogGroup as string | undefined,
        alarmThresholds: { ...defaults.alarmThresholds, ...(parsed.alarmThresholds as Partial<AlarmThresholds> | undefined) },
        instanceTypes: {
            web: value("webInstanceType", defaults.webInstanceType),
            backOffice: value("backOfficeInstanceType", defaults.backOfficeInstanceType),
            ops: value("opsInstanceType", defaults.opsInstanceType),
        },
        opsAmiId: parsed.opsAmiId as string | undefined,
        web: {
            image: parsed.webImage as ImageSource,
            minSize: value("webMinSize", defaults.webMinSize),
            maxSize: value("webMaxSize", defaults.webMaxSize),
            schedule: value<ScaleSchedule[] | undefined>("webScaleSchedule", undefined) ?? defaults.webScaleSchedule.map((e) => parseScaleSchedule(e) as ScaleSchedule),
            adminPath: parsed.adminPath as string,
            waf: value("waf", defaults.waf) === "on",
        },
        windows: {
            instanceType: value("windowsInstanceType", defaults.windowsInstanceType),
            amiId: parsed.windowsAmiId as string | undefined,
        },
        siteLinks,
        database: {
            instanceClass: value("dbInstanceClass", defaults.dbInstanceClass),
            allocatedStorageGb: value("dbAllocatedStorageGb", defaults.dbAllocatedStorageGb),
            maxAllocatedStorageGb: value("dbMaxAllocatedStorageGb", defaults.dbMaxAllocatedStorageGb),
            backupRetentionDays: value("dbBackupRetentionDays", defaults.dbBackupRetentionDays),
            sideInstanceClass: value("sideDbInstanceClass", defaults.sideDbInstanceClass),
        },
        applyImmediately: value("applyImmediately", false),
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
        sharedStorageTarget: parsed.sharedStorageTarget as "efs" | "nfs" | undefined,
        allowReplace: value<string[]>("allowReplace", []),
        teardown: value("teardown", false),
        tempExpiryDays: value("tempExpiryDays", defaults.tempExpiryDays),
        accessLogRetentionDays: value("accessLogRetentionDays", defaults.accessLogRetentionDays),
        edge: edge!,
        tags: {
            Project: "magento",
            Stack: estate, // what the session role and Rundeck's deploy policy scope by: it follows the names
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

/** Overrides name AZs of the stack; every subnet lies in the VPC and overlaps no other subnet nor the VPN pool. */
function checkSubnets(vpc: Cidr, azs: readonly string[], overrides: Partial<Record<SubnetKey, Record<string, string>>>, plan: Record<SubnetKey, Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const pool = vpnClientCidr(vpc);
    const seen: { path: string; cidr: Cidr; text: string }[] = [{ path: "the VPN clients' pool", cidr: parseCidr(pool)!, text: pool }];
    for (const tier of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
        for (const az of Object.keys(overrides[tier] ?? {}).filter((a) => !azs.includes(a))) {
            problems.push({ path: `${qualified(tier)}.${az}`, message: `${az} is not one of magento:availabilityZones (${azs.join(", ")}); remove it, or list the AZ` });
        }
        for (const az of azs) {
            const text = plan[tier][az];
            const path = `${qualified(tier)}.${az}`;
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
        }
    }
    return problems;
}

type SubnetKey = "publicSubnetCidrs" | "privateSubnetCidrs";

/** Front-end capacity across keys: production keeps 2 servers in 2 AZs at all times, and its WAF. */
function checkWeb(parsed: Parsed, defaults: ProfileDefaults, profile: Profile | undefined): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const min = (parsed.webMinSize as number | undefined) ?? defaults.webMinSize;
    const max = (parsed.webMaxSize as number | undefined) ?? defaults.webMaxSize;
    const floor = profile === "production" ? 2 : 1;
    if (min < floor) {
        problems.push({ path: qualified("webMinSize"), message: `must be at least ${floor} in production, so that losing an AZ or a server leaves the shop serving (got ${min})` });
    }
    if (max < min) {
        problems.push({ path: qualified("webMaxSize"), message: `must be at least webMinSize (${min}), got ${max}` });
    }
    ((parsed.webScaleSchedule as ScaleSchedule[] | undefined) ?? []).forEach((entry, i) => {
        if (entry.minSize < floor) {
            problems.push({ path: `${qualified("webScaleSchedule")}[${i}]`, message: `min=${entry.minSize} would take production below ${floor} front-end servers` });
        }
    });
    if (profile === "production" && parsed.waf === "off") {
        problems.push({ path: qualified("waf"), message: "cannot be off in production: the web ACL is what stands between the shop and bursts like the one that took an estate down" });
    }
    return problems;
}

/** Production's search domain spans every AZ of the stack, and OpenSearch spreads a domain over 2 or 3 AZs only, one
 *  subnet each (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_ZoneAwarenessConfig.html). */
function checkSearchZones(azs: readonly string[] | undefined, profile: Profile | undefined): ConfigProblem[] {
    return profile === "production" && azs !== undefined && (azs.length < 2 || azs.length > 3) ? [{
        path: qualified("availabilityZones"),
        message: `lists ${azs.length} AZs, but production's search domain spans every AZ of the stack and OpenSearch allows 2 or 3; list 3`,
    }] : [];
}

/** Teardown (docs/teardown.md): a production stack only with its own name repeated in teardownConfirm. */
function checkTeardown(parsed: Parsed, stack: string, profile: Profile | undefined): ConfigProblem[] {
    const confirm = parsed.teardownConfirm as string | undefined;
    if (parsed.teardown !== true) {
        return confirm === undefined ? [] : [{ path: qualified("teardownConfirm"), message: `applies only with ${qualified("teardown")} true; remove it` }];
    }
    if (profile === "production" && confirm !== stack) {
        return [{
            path: qualified("teardownConfirm"),
            message: `must be ${stack} (this stack's name) to prepare a production stack for destruction with ${qualified("teardown")} true${confirm === undefined ? "" : ` (got ${confirm})`}; or set ${qualified("teardown")} false`,
        }];
    }
    return confirm !== undefined && confirm !== stack ? [{ path: qualified("teardownConfirm"), message: `must be ${stack} (this stack's name), got ${confirm}` }] : [];
}

/** Across links: unique names (they name AWS resources and alarms), static routes outside the VPC and each other. */
function checkSiteLinks(links: readonly SiteLink[], vpc: Cidr | undefined): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const routes: { path: string; cidr: Cidr; text: string }[] = [];
    links.forEach((link, i) => {
        const at = `${qualified("siteLinks")}[${i}]`;
        if (links.findIndex((l) => l.name === link.name) !== i) {
            problems.push({ path: `${at}.name`, message: `${link.name} is used by another link; each link needs its own name` });
        }
        (link.staticRoutes ?? []).forEach((text, j) => {
            const path = `${at}.staticRoutes[${j}]`;
            const cidr = parseCidr(text)!;
            if (vpc && overlaps(vpc, cidr)) {
                problems.push({ path, message: `${text} overlaps the VPC ${formatCidr(vpc)}: traffic to it would never leave the VPC` });
            }
            const clash = routes.find((r) => overlaps(r.cidr, cidr));
            if (clash) {
                problems.push({ path, message: `${text} overlaps ${clash.text} (${clash.path}): a destination must reach one site` });
            }
            routes.push({ path, cidr, text });
        });
    });
    return problems;
}

/** The gateway's only address is an Elastic IP (IPv4 only) in a subnet without an IPv6 CIDR, as is the whole VPC: a
 *  client reaches it over IPv4, so its IPv4 address is what the allow-list sees and an IPv6 range never matches
 *  (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html). */
function checkOperatorCidrs(operatorCidrs: readonly string[]): ConfigProblem[] {
    return operatorCidrs.flatMap((cidr, i) => (cidr.includes(":") ? [{
        path: `${qualified("operatorCidrs")}[${i}]`,
        message: `${cidr} is an IPv6 range, but the VPC and the gateway have IPv4 addresses only, so operators could never connect from it; list the IPv4 ranges they connect from, such as 203.0.113.0/24`,
    }] : []));
}

/** AWS's default quota of inbound rules per security group (IPv4 sources; IPv6 ones are refused above). */
const RULES_PER_GROUP = 60;
/** AWS's longest tag value: the gateway's security group lists the allow-list in one (policies/lib/contracts.ts). */
const TAG_VALUE_CHARS = 256;

/** The gateway's services with ports and targets resolved, and every problem with them or with the allow-list they open. */
function resolveGatewayServices(settings: readonly GatewayServiceSetting[], internalDomain: string, operatorCidrs: readonly string[]): { services: GatewayService[]; problems: ConfigProblem[] } {
    const key = qualified("gatewayServices");
    const problems: ConfigProblem[] = [];
    const services = settings.map((s): GatewayService => {
        const [fromPort, toPort] = typeof s.port === "number" ? [s.port, s.port] : s.port.split("-").map(Number);
        return { name: s.name, protocol: "tcp", fromPort, toPort, target: s.target ?? `windows.${internalDomain}` };
    });
    services.forEach((service, i) => {
        for (const other of services.slice(0, i)) {
            if (other.name === service.name) {
                problems.push({ path: `${key}[${i}].name`, message: `${service.name} is listed twice; each service needs its own name` });
            }
            // The estate's passive FTP range (2048-4096) holds RDP's 3389: harmless while both go to the same host.
            if (service.fromPort <= other.toPort && other.fromPort <= service.toPort && service.target !== other.target) {
                problems.push({ path: `${key}[${i}].port`, message: `${service.fromPort}-${service.toPort} overlaps the ports of ${other.name}, which go to ${other.target}; a port can lead to one host only` });
            }
        }
    });
    if (operatorCidrs.join(",").length > TAG_VALUE_CHARS) {
        problems.push({ path: qualified("operatorCidrs"), message: `joined with commas must fit AWS's ${TAG_VALUE_CHARS}-character tag value (the gateway's security group lists them for the policies): merge ranges` });
    }
    return { services, problems };
}

/** Ports that are SMB (and NetBIOS sessions): Microsoft asks perimeter firewalls to block them from the internet
 *  (https://support.microsoft.com/en-us/topic/preventing-smb-traffic-from-lateral-connections-and-entering-or-leaving-the-network-c0541db7-2244-0dce-18fd-14a3ddeb282a),
 *  and Security Hub's EC2.19 counts 445 a high-risk port (https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19). */
const SMB_PORTS = [445, 139];

interface InternetSettings {
    readonly opened: Readonly<Record<string, readonly string[]>>;
    readonly minPrefix: number;
    readonly operatorCidrs: readonly string[];
}

/** The services opened to the internet with their ports, and every problem with what the stack opens (docs/gateway.md). */
function resolveGatewayInternet(services: readonly GatewayService[], settings: InternetSettings): { exposed: ExposedService[]; problems: ConfigProblem[] } {
    const key = qualified("gatewayInternet");
    const problems: ConfigProblem[] = [];
    const operators = settings.operatorCidrs.map(parseCidr).filter((c): c is Cidr => c !== undefined);
    for (const [name, sources] of Object.entries(settings.opened)) {
        const service = services.find((s) => s.name === name);
        if (service === undefined) {
            problems.push({ path: `${key}.${name}`, message: `is not a service of magento:gatewayServices (${services.map((s) => s.name).join(", ")})` });
            continue;
        }
        const smb = SMB_PORTS.find((p) => service.fromPort <= p && p <= service.toPort);
        if (smb !== undefined) {
            problems.push({ path: `${key}.${name}`, message: `opens SMB (port ${smb}) to the internet, which Microsoft and AWS's Security Hub (EC2.19) advise against; reach it through the VPN` });
        }
        sources.forEach((source, i) => {
            const cidr = parseCidr(source)!;
            if (cidr.prefix < settings.minPrefix) {
                problems.push({ path: `${key}.${name}[${i}]`, message: `${source} is wider than a /${settings.minPrefix}: open a service to operators' own addresses (magento:gatewayMinPrefix sets the shortest prefix, 24 to 32)` });
            } else if (!operators.some((o) => contains(o, cidr))) {
                problems.push({ path: `${key}.${name}[${i}]`, message: `${source} is not inside magento:operatorCidrs (${settings.operatorCidrs.join(", ")}): the gateway admits operators' addresses only; add its range there first` });
            }
        });
    }
    // FTP's data connections use the passive range: one without the other fails every transfer.
    const [ftp, passive] = [settings.opened.ftp, settings.opened["ftp-passive"]];
    if ((ftp === undefined) !== (passive === undefined) || (ftp && passive && [...ftp].sort().join() !== [...passive].sort().join())) {
        problems.push({ path: key, message: "opens ftp and ftp-passive with different sources; FTP's transfers use the passive ports: open both to the same addresses, or neither" });
    }
    const exposed = problems.length > 0 ? [] : exposedServices(services, settings.opened);
    for (const e of exposed.filter((x) => x.ports.length === 0)) {
        problems.push({ path: `${key}.${e.service.name}`, message: `every port of ${e.service.name} belongs to another service listed before it or kept behind the VPN` });
    }
    const rules = exposed.reduce((n, e) => n + e.ports.length * e.sources.length, 0);
    if (rules > RULES_PER_GROUP) {
        problems.push({ path: key, message: `needs ${rules} security group rules (a rule per port range and source); AWS allows ${RULES_PER_GROUP} per group: open fewer services or addresses` });
    }
    return { exposed, problems };
}

type EdgeDefaults = Pick<EdgeConfig, "publicDns" | "namesPerCertificate" | "originPaths" | "originVerifyRotation"> & { readonly region: string | undefined };

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
    const validated = parsed.validatedStorefronts as string[] | undefined;
    if (validated !== undefined && edge.publicDns !== "registrar") {
        problems.push({ path: qualified("validatedStorefronts"), message: `applies to magento:publicDns registrar only: in Route 53 (${edge.publicDns}) the stack creates the validation records itself and always waits` });
    }

    const domain = parsed.domain as string | undefined;
    const storefronts = (parsed.storefronts as Storefront[] | undefined) ?? [];
    if (domain !== undefined) {
        problems.push(...storefrontProblems(domain, storefronts).map((p) => ({ path: qualified("storefronts") + p.path, message: p.message })));
    }
    (validated ?? []).forEach((code, i) => {
        if (!storefronts.some((s) => s.code === code)) {
            problems.push({ path: `${qualified("validatedStorefronts")}[${i}]`, message: `'${code}' is not the code of a storefront in magento:storefronts (${storefronts.map((s) => s.code).join(", ") || "none"})` });
        }
    });
    // At a registrar a certificate waits only once the operator says its records exist: they are outputs, seen only
    // after the up. A storefront not listed (a new one) is pending, and is packed apart from the listed ones.
    const pendingStorefronts = edge.publicDns === "registrar" ? new Set(storefronts.map((s) => s.code).filter((c) => !(validated ?? []).includes(c))) : new Set<string>();
    if (domain === undefined || problems.length > before) {
        return undefined;
    }
    const plan = planEdge({ domain, storefronts, namesPerCertificate: edge.namesPerCertificate, importedShopCertificates: arns.loadBalancer !== undefined, pendingStorefronts });
    problems.push(...limitProblems(plan, edge.namesPerCertificate).map((message) => ({ path: qualified("storefronts"), message })));
    return {
        storefronts,
        publicDns: edge.publicDns,
        importedCertificates: arns.loadBalancer === undefined ? undefined : { loadBalancerArn: arns.loadBalancer, cdnArn: arns.cdn! },
        namesPerCertificate: edge.namesPerCertificate,
        originPaths: edge.originPaths,
        originVerifyRotation: edge.originVerifyRotation,
        plan,
    };
}
