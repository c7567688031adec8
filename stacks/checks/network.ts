// The network's keys together: AZs of the stack's region, the operations AZ among them, subnets inside the VPC and
// apart, site-to-site routes outside it; and StackConfig's network part.
import type { NetworkPlan } from "../../model/network-plan";
import type { SiteLink } from "../../model/site-links";
import { Cidr, contains, formatCidr, overlaps, parseCidr } from "../../model/cidr";
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import { MIN_AVAILABILITY_ZONES, Profile } from "../profiles";
import { deriveSubnetPlan, vpnClientCidr } from "../subnets";
import type { Concern, StackContext } from "./concern";

/** The network's layout is configuration; region and tags come from the stack as a whole. */
export type NetworkConfig = NetworkPlan;

export interface NetworkSettings {
    readonly network: NetworkConfig;
    readonly internalDomain: string;
    /** Site-to-site IPsec links to the merchant's other sites; empty: no virtual private gateway. */
    readonly siteLinks: readonly SiteLink[];
}

export function network(v: Settings, ctx: StackContext): Concern<NetworkSettings> {
    const problems: ConfigProblem[] = [];
    const azs = v.availabilityZones;
    const vpc = v.vpcCidr === undefined ? undefined : parseCidr(v.vpcCidr);
    if (azs) {
        problems.push(...checkAvailabilityZones(azs, ctx.region, v.profile));
    }
    const operationsAz = v.operationsAz ?? azs?.[0];
    if (azs && operationsAz !== undefined && !azs.includes(operationsAz)) {
        problems.push({
            path: qualified("operationsAz"),
            message: `${operationsAz} is not one of magento:availabilityZones (${azs.join(", ")}); the single servers live in one of the stack's AZs`,
        });
    }
    const plan = vpc && azs ? deriveSubnetPlan(vpc, azs) : undefined;
    const overrides = { publicSubnetCidrs: v.publicSubnetCidrs, privateSubnetCidrs: v.privateSubnetCidrs };
    const publicSubnetCidrs = plan && { ...plan.publicSubnetCidrs, ...overrides.publicSubnetCidrs };
    const privateSubnetCidrs = plan && { ...plan.privateSubnetCidrs, ...overrides.privateSubnetCidrs };
    if (vpc && azs && publicSubnetCidrs && privateSubnetCidrs) {
        problems.push(...checkSubnets(vpc, azs, overrides, { publicSubnetCidrs, privateSubnetCidrs }));
    }
    problems.push(...checkSiteLinks(v.siteLinks, vpc));
    return {
        problems,
        config: () => ({
            network: {
                vpcCidr: v.vpcCidr!,
                availabilityZones: azs!,
                operationsAz: operationsAz!,
                publicSubnetCidrs: publicSubnetCidrs!,
                privateSubnetCidrs: privateSubnetCidrs!,
                natGatewayPerAz: v.natGateways === "perAz",
                flowLogRetentionDays: v.flowLogRetentionDays,
                endpointsPerAz: v.profile === "production", // preproduction: one AZ's endpoints serve all (docs/network.md)
            },
            internalDomain: v.internalDomain!,
            siteLinks: v.siteLinks,
        }),
    };
}

function checkAvailabilityZones(
    azs: readonly string[],
    region: string | undefined,
    profile: Profile | undefined,
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const path = qualified("availabilityZones");
    azs.forEach((az, i) => {
        if (region && !(az.startsWith(region) && az.length === region.length + 1)) {
            problems.push({
                path: `${path}[${i}]`,
                message: `${az} is not an availability zone of ${region} (such as ${region}a)`,
            });
        }
        if (azs.indexOf(az) !== i) {
            problems.push({
                path: `${path}[${i}]`,
                message: `${az} is listed twice; each AZ holds one public and one private subnet`,
            });
        }
    });
    const minimum = profile ? MIN_AVAILABILITY_ZONES[profile] : 1;
    if (azs.length < minimum) {
        problems.push({
            path,
            message: `the ${profile} profile needs at least ${minimum} availability zones (got ${azs.length}) so that losing one AZ leaves capacity in two`,
        });
    }
    return problems;
}

/** Overrides name AZs of the stack; every subnet lies in the VPC and overlaps no other subnet nor the VPN pool. */
function checkSubnets(
    vpc: Cidr,
    azs: readonly string[],
    overrides: Partial<Record<SubnetKey, Record<string, string>>>,
    plan: Record<SubnetKey, Record<string, string>>,
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const pool = vpnClientCidr(vpc);
    const seen: { path: string; cidr: Cidr; text: string }[] = [
        { path: "the VPN clients' pool", cidr: parseCidr(pool)!, text: pool },
    ];
    for (const tier of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
        for (const az of Object.keys(overrides[tier] ?? {}).filter((a) => !azs.includes(a))) {
            problems.push({
                path: `${qualified(tier)}.${az}`,
                message: `${az} is not one of magento:availabilityZones (${azs.join(", ")}); remove it, or list the AZ`,
            });
        }
        for (const az of azs) {
            const text = plan[tier][az];
            const path = `${qualified(tier)}.${az}`;
            const cidr = parseCidr(text)!;
            if (!contains(vpc, cidr)) {
                problems.push({
                    path,
                    message: `${text} lies outside the VPC ${vpc.network.toString()}/${vpc.prefix}`,
                });
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

/** Across links: unique names (they name AWS resources and alarms), static routes outside the VPC and each other. */
function checkSiteLinks(links: readonly SiteLink[], vpc: Cidr | undefined): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const routes: { path: string; cidr: Cidr; text: string }[] = [];
    links.forEach((link, i) => {
        const at = `${qualified("siteLinks")}[${i}]`;
        if (links.findIndex((l) => l.name === link.name) !== i) {
            problems.push({
                path: `${at}.name`,
                message: `${link.name} is used by another link; each link needs its own name`,
            });
        }
        (link.staticRoutes ?? []).forEach((text, j) => {
            const path = `${at}.staticRoutes[${j}]`;
            const cidr = parseCidr(text)!;
            if (vpc && overlaps(vpc, cidr)) {
                problems.push({
                    path,
                    message: `${text} overlaps the VPC ${formatCidr(vpc)}: traffic to it would never leave the VPC`,
                });
            }
            const clash = routes.find((r) => overlaps(r.cidr, cidr));
            if (clash) {
                problems.push({
                    path,
                    message: `${text} overlaps ${clash.text} (${clash.path}): a destination must reach one site`,
                });
            }
            routes.push({ path, cidr, text });
        });
    });
    return problems;
}
