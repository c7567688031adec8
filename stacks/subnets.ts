// The operators' subnet convention (docs/estate.md): public x.y.1-3.0/24, private x.y.101-103.0/24, one of each
// per AZ. The third octet follows the AZ's letter (a: 1 and 101, b: 2 and 102 ...), not its place in the list, so a
// reordered or inserted AZ leaves every existing subnet's CIDR alone (a new CIDR replaces the subnet: docs/network.md).
import { Cidr, formatCidr, slash24Of } from "../model/cidr";

export const PUBLIC_THIRD_OCTET = 1;
export const PRIVATE_THIRD_OCTET = 101;
/** The VPN clients' pool: inside the VPC's /16, so prod and preprod pools never clash, but in no subnet. */
export const VPN_CLIENT_THIRD_OCTET = 250;

/** A /24 per AZ name, for each tier. */
export interface SubnetPlan {
    readonly publicSubnetCidrs: Record<string, string>;
    readonly privateSubnetCidrs: Record<string, string>;
}

export function vpnClientCidr(vpc: Cidr): string {
    return formatCidr(slash24Of(vpc, VPN_CLIENT_THIRD_OCTET));
}

/** 0 for an AZ ending in a, 25 for z (AZ names end in one letter: stacks/schema.ts). */
export function azLetterIndex(az: string): number {
    return az.charCodeAt(az.length - 1) - "a".charCodeAt(0);
}

/** One public and one private /24 per AZ, derived from the VPC's /16 and the AZ's letter so the plan is never typed twice. */
export function deriveSubnetPlan(vpc: Cidr, azs: readonly string[]): SubnetPlan {
    const plan = (third: number) =>
        Object.fromEntries(azs.map((az) => [az, formatCidr(slash24Of(vpc, third + azLetterIndex(az)))]));
    return { publicSubnetCidrs: plan(PUBLIC_THIRD_OCTET), privateSubnetCidrs: plan(PRIVATE_THIRD_OCTET) };
}
