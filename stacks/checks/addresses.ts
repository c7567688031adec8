// The public addresses an existing estate keeps (docs/migration.md): Elastic IPs partners allow-list, taken over by the
// gateway, the VPN server and the NAT gateways instead of new ones. One allocation per NAT gateway, each address used
// once; and StackConfig's part the network and the two servers read.
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import type { Concern } from "./concern";

/** Allocation ids of Elastic IPs the account already holds; none of them is a resource of the stack. */
export interface KeptAddresses {
    readonly gateway?: string;
    readonly vpn?: string;
    /** By AZ name: every NAT gateway's, or none. */
    readonly nat: Readonly<Record<string, string>>;
}

export interface AddressSettings {
    readonly keptAddresses: KeptAddresses;
}

export function addresses(v: Settings): Concern<AddressSettings> {
    const problems: ConfigProblem[] = [];
    const nat = v.natAllocationIds ?? {};
    const azs = v.availabilityZones ?? [];
    const natAzs = v.natGateways === "perAz" ? azs : [v.operationsAz ?? azs[0]].filter((az) => az !== undefined);
    const given = Object.keys(nat);
    if (given.length > 0) {
        for (const az of given.filter((a) => !natAzs.includes(a))) {
            problems.push({
                path: `${qualified("natAllocationIds")}.${az}`,
                message: azs.includes(az)
                    ? `${az} has no NAT gateway with natGateways ${v.natGateways} (only ${natAzs.join(", ")}); remove it`
                    : `${az} is not one of magento:availabilityZones (${azs.join(", ")}); remove it, or list the AZ`,
            });
        }
        const missing = natAzs.filter((az) => !given.includes(az));
        if (missing.length > 0) {
            problems.push({
                path: qualified("natAllocationIds"),
                message: `gives ${given.length} allocation(s) for ${natAzs.length} NAT gateway(s): add ${missing.join(", ")} (one each, or none: a NAT gateway without one would get a new address partners do not know)`,
            });
        }
    }
    const uses: [string, string | undefined][] = [
        [qualified("gatewayAllocationId"), v.gatewayAllocationId],
        [qualified("vpnAllocationId"), v.vpnAllocationId],
        ...Object.entries(nat).map(([az, id]): [string, string] => [`${qualified("natAllocationIds")}.${az}`, id]),
    ];
    uses.forEach(([path, id], i) => {
        const first = uses.findIndex(([, other]) => other === id);
        if (id !== undefined && first < i) {
            problems.push({
                path,
                message: `${id} is already ${uses[first][0]}'s; an Elastic IP is associated with one instance or NAT gateway at a time`,
            });
        }
    });
    return {
        problems,
        config: () => ({ keptAddresses: { gateway: v.gatewayAllocationId, vpn: v.vpnAllocationId, nat } }),
    };
}
