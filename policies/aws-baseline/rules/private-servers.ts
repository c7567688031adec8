// The servers that hold the estate's operations and data (Rundeck, NFS, the Windows host) and the databases are
// reached from inside only: no public address, and none of their security groups admits the whole internet, on any
// port (no-internet-ingress still lets UDP 1194 through; not here). Servers are recognised by the Tier tag contract
// (lib/contracts.ts), which the program sets on each instance and a preview knows; databases by their type. Whether
// an RDS database is publicly accessible is rds-encrypted-private's.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TIER_TAG } from "../../lib/contracts";
import {
    describeIngress,
    describeInternet,
    ingresses,
    INGRESS_TYPES,
    internetOpenings,
    ownerOf,
    SECURITY_GROUPS,
} from "../../lib/ingress";
import { dependsOn, ofType } from "../../lib/stack";
import { EC2_EIP, EC2_EIP_ASSOCIATION, EC2_INSTANCE, RDS_CLUSTER, RDS_INSTANCE } from "../../lib/types";
import { knownEntries, known } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const PRIVATE_TIERS = ["rundeck", "nfs", "windows"];

interface Config {
    privateTiers?: string[];
}

function tierOf(instance: PolicyResource): string | undefined {
    return knownEntries(known(instance.props, "tags")).find(([key]) => key === TIER_TAG)?.[1];
}

export const privateServers: StackValidationPolicy = {
    name: "private-servers",
    description:
        "Rundeck, NFS and the Windows host (by their Tier tag) and databases have no public IP and admit nothing from 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            privateTiers: {
                type: "array",
                items: { type: "string" },
                default: PRIVATE_TIERS,
                description: "Values of the Tier tag of servers that must stay private.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const tiers = args.getConfig<Config>().privateTiers ?? PRIVATE_TIERS;
        const servers = ofType(args.resources, EC2_INSTANCE).filter((i) => tiers.includes(tierOf(i) ?? ""));
        const label = new Map<PolicyResource, string>([
            ...servers.map((s) => [s, `${tierOf(s)} server ${s.name}`] as const),
            ...ofType(args.resources, RDS_INSTANCE, RDS_CLUSTER).map((d) => [d, `database ${d.name}`] as const),
        ]);

        for (const server of servers) {
            if (server.props.associatePublicIpAddress !== false) {
                reportViolation(
                    `${label.get(server)} may get a public IP: set associatePublicIpAddress: false ` +
                        "(left out, the subnet's mapPublicIpOnLaunch decides).",
                    server.urn,
                );
            }
        }
        const addresses = [
            ...ofType(args.resources, EC2_EIP).map((e) => [e, dependsOn(e, "instance")] as const),
            ...ofType(args.resources, EC2_EIP_ASSOCIATION).map((e) => [e, dependsOn(e, "instanceId")] as const),
        ];
        for (const [eip, instances] of addresses) {
            for (const server of instances.filter((i) => servers.includes(i))) {
                reportViolation(
                    `${label.get(server)} has the Elastic IP ${eip.name}; it is reached through the VPN or the gateway only.`,
                    eip.urn,
                );
            }
        }

        const open = [...internetOpenings(ingresses(args.resources))].filter(([i]) => i.group !== undefined);
        for (const [target, what] of label) {
            const groups = dependsOn(target, "vpcSecurityGroupIds", ...SECURITY_GROUPS);
            for (const [ingress, sources] of open.filter(([i]) => groups.includes(i.group!))) {
                reportViolation(
                    `${what} is reachable from the internet: ${ownerOf(ingress)} admits ${describeIngress(ingress)} from ` +
                        `${describeInternet(sources)}. Admit the VPC's CIDR, the VPN's or the gateway's security group instead.`,
                    ingress.rule.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_INSTANCE, RDS_INSTANCE, RDS_CLUSTER, EC2_EIP, EC2_EIP_ASSOCIATION, ...INGRESS_TYPES],
    decides:
        "Decides during preview from the Tier tag, associatePublicIpAddress/publiclyAccessible, Elastic IPs wired to the instance, and ingress CIDRs of the groups it uses.",
    remediation:
        "Launch the server in a private subnet with no public IP (associatePublicIpAddress false, no Elastic IP) and admit only the tiers that use it in its security group.",
    controls: controls({
        securityHub: ["EC2.9", "RDS.2"],
        awsConfig: ["ec2-instance-no-public-ip", "rds-instance-public-access-check"],
        checkov: ["CKV_AWS_88", "CKV_AWS_17"],
        trivy: ["AVD-AWS-0180"],
    }),
};
