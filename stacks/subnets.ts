// The operators' subnet convention (shared/platform.md): public x.y.1-3.0/24, private x.y.101-103.0/24.
import { Cidr, formatCidr, slash24Of } from "./cidr";

export const PUBLIC_THIRD_OCTET = 1;
export const PRIVATE_THIRD_OCTET = 101;
/** The VPN clients' pool: inside the VPC's /16, so prod and preprod pools never clash, but in no subnet. */
export const VPN_CLIENT_THIRD_OCTET = 250;

export interface SubnetPlan {
    readonly publicSubnetCidrs: string[];
    readonly privateSubnetCidrs: string[];
}

export function vpnClientCidr(vpc: Cidr): string {
    return formatCidr(slash24Of(vpc, VPN_CLIENT_THIRD_OCTET));
}

/** One public and one private /24 per AZ, derived from the VPC's /16 so the plan is never typed twice. */
export function deriveSubnetPlan(vpc: Cidr, azCount: number): SubnetPlan {
    const range = Array.from({ length: azCount }, (_, i) => i);
    return {
        publicSubnetCidrs: range.map((i) => formatCidr(slash24Of(vpc, PUBLIC_THIRD_OCTET + i))),
        privateSubnetCidrs: range.map((i) => formatCidr(slash24Of(vpc, PRIVATE_THIRD_OCTET + i))),
    };
}
