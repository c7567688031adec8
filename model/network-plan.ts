// The VPC's layout as the stack configures it (docs/network.md): CIDRs by AZ, NAT and endpoint placement.

export interface NetworkPlan {
    /** The VPC's /16. */
    readonly vpcCidr: string;
    /** AZ names, in any order: every per-AZ resource is named and built from its AZ, never from its place in the list. */
    readonly availabilityZones: readonly string[];
    /** The AZ of the single NAT gateway and of the endpoints when they are not in every AZ (one of availabilityZones). */
    readonly operationsAz: string;
    /** The public /24 of each AZ, by AZ name: load balancers, NAT gateways and the servers that need a public address. */
    readonly publicSubnetCidrs: Readonly<Record<string, string>>;
    /** The private /24 of each AZ, by AZ name: everything else. */
    readonly privateSubnetCidrs: Readonly<Record<string, string>>;
    /** A NAT gateway in every AZ (an AZ outage then leaves the others their way out) or a single one in the operations AZ. */
    readonly natGatewayPerAz: boolean;
    /** Days the flow logs are kept. */
    readonly flowLogRetentionDays: number;
    /** Interface endpoints in every AZ (an AZ outage leaves the others theirs), or only in the operations AZ (cheaper; the other
     *  AZs reach it across AZs): billed per endpoint and AZ-hour (docs/network.md). */
    readonly endpointsPerAz: boolean;
}
