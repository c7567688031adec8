// Production must survive losing one AZ: subnets in at least three AZs, and a NAT gateway in each of them that the
// private subnets of that AZ route through (a single NAT, or a cross-AZ route, dies with its AZ). Every subnet that
// compute runs in (autoscaling groups, instances) has an explicit route table here: one left on the VPC's main table
// shares a single table, so a single default route, with every AZ. A NAT in every AZ covers the AZs compute uses.
import { StackValidationPolicy } from "@pulumi/policy";
import { azOf, compute } from "../../lib/placement";
import { dependsOn, isProduction, ofType, PRODUCTION_STACKS_SCHEMA } from "../../lib/stack";
import { controls, RuleMetadata } from "../../lib/metadata";
import { EC2_NAT_GATEWAY, EC2_ROUTE_TABLE, EC2_ROUTE_TABLE_ASSOCIATION, EC2_SUBNET, EC2_VPC } from "../../lib/types";

interface Config {
    productionStacks?: string[];
    minAvailabilityZones?: number;
}

export const productionNetworkHa: StackValidationPolicy = {
    name: "production-network-ha",
    description:
        "Production VPCs span at least 3 AZs, with a NAT gateway in each AZ that its private subnets route through; every subnet compute runs in has its own route table association.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...PRODUCTION_STACKS_SCHEMA,
            minAvailabilityZones: {
                type: "integer",
                default: 3,
                minimum: 2,
                description: "Fewest AZs a production VPC spans.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        if (!isProduction(args.resources, config)) {
            return;
        }
        const minAzs = config.minAvailabilityZones ?? 3;
        for (const vpc of ofType(args.resources, EC2_VPC)) {
            const subnets = ofType(args.resources, EC2_SUBNET).filter((s) =>
                dependsOn(s, "vpcId", EC2_VPC).includes(vpc),
            );
            const azs = [...new Set(subnets.map(azOf))].sort();
            if (azs.length < minAzs) {
                reportViolation(
                    `Production VPC ${vpc.name} has subnets in ${azs.length} availability zone(s) (${azs.join(", ") || "none"}); ` +
                        `it needs at least ${minAzs} so that losing one AZ leaves the stack serving from the others.`,
                    vpc.urn,
                );
            }
            const natAzs = new Set(
                ofType(args.resources, EC2_NAT_GATEWAY)
                    .flatMap((nat) => dependsOn(nat, "subnetId", EC2_SUBNET))
                    .filter((s) => subnets.includes(s))
                    .map(azOf),
            );
            const withoutNat = azs.filter((az) => !natAzs.has(az));
            if (withoutNat.length > 0) {
                reportViolation(
                    `Production VPC ${vpc.name} has no NAT gateway in ${withoutNat.join(", ")}: ` +
                        "servers there lose their way out to the internet when the AZ holding the NAT fails; put one NAT gateway in every AZ.",
                    vpc.urn,
                );
            }
            const associated = ofType(args.resources, EC2_ROUTE_TABLE_ASSOCIATION).flatMap((a) =>
                dependsOn(a, "subnetId", EC2_SUBNET),
            );
            for (const { compute: c, subnets: used } of compute(args.resources)) {
                for (const subnet of used.filter((s) => subnets.includes(s) && !associated.includes(s))) {
                    reportViolation(
                        `${c.name} runs in subnet ${subnet.name} (${azOf(subnet)}), which has no route table association: it uses the VPC's main ` +
                            "route table, one default route for every AZ. Associate it with a route table through its own AZ's NAT gateway (or the internet gateway).",
                        c.urn,
                    );
                }
            }
            for (const association of ofType(args.resources, EC2_ROUTE_TABLE_ASSOCIATION)) {
                const subnet = dependsOn(association, "subnetId", EC2_SUBNET).find((s) => subnets.includes(s));
                const table = dependsOn(association, "routeTableId", EC2_ROUTE_TABLE)[0];
                if (!subnet || !table) {
                    continue;
                }
                const crossAz = dependsOn(table, "routes", EC2_NAT_GATEWAY)
                    .flatMap((nat) => dependsOn(nat, "subnetId", EC2_SUBNET))
                    .filter((natSubnet) => azOf(natSubnet) !== azOf(subnet));
                if (crossAz.length > 0) {
                    reportViolation(
                        `Subnet ${subnet.name} in ${azOf(subnet)} routes through the NAT gateway in ${azOf(crossAz[0])}; ` +
                            "route each private subnet through the NAT gateway of its own AZ.",
                        subnet.urn,
                    );
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_VPC, EC2_SUBNET, EC2_NAT_GATEWAY, EC2_ROUTE_TABLE, EC2_ROUTE_TABLE_ASSOCIATION],
    decides:
        "Decides during preview from subnet AZs and the NAT gateways, route tables and associations wired to them (property dependencies); ids stay unknown.",
    remediation:
        "Spread the VPC's subnets over 3 AZs with a NAT gateway per AZ, route each private subnet through its own AZ's gateway, and associate every compute subnet with a route table.",
    controls: controls({}),
};
