// The one way into a data service: an ingress rule per client tier's security group, on the service's port only.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A tier of servers that uses a service: its security group admits, its role is granted. */
export interface Client {
    /** Short name, used in rule names and descriptions (web, backOffice, rundeck). */
    readonly name: string;
    readonly securityGroupId: pulumi.Input<string>;
    readonly roleArn: pulumi.Input<string>;
}

/**
 * A security group for a service, admitting `port` from each client's group and from nothing else. It has no egress
 * rule: a database, cache or file system never opens connections of its own.
 */
export function serviceSecurityGroup(
    parent: pulumi.Resource,
    name: string,
    args: {
        vpcId: pulumi.Input<string>;
        port: number;
        clients: readonly Client[];
        description: string;
        tags: Readonly<Record<string, string>>;
    },
): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: args.vpcId,
            description: args.description,
            tags: { ...args.tags, Name: `${name}-sg` },
        },
        { parent },
    );
    for (const client of args.clients) {
        admit(parent, `${name}-from-${client.name}`, {
            securityGroupId: group.id,
            source: client,
            ports: { fromPort: args.port, toPort: args.port },
            description: `${client.name} servers`,
            tags: args.tags,
        });
    }
    return group;
}

/** A TCP port range, e.g. RDP {3389, 3389} or passive FTP {2048, 4096}. */
export interface PortRange {
    readonly fromPort: number;
    readonly toPort: number;
}

/** A range as rule names spell it: 3389, or 2048-4096. */
export const rangeName = (p: PortRange) => (p.fromPort === p.toPort ? `${p.fromPort}` : `${p.fromPort}-${p.toPort}`);

/** Where admitted traffic comes from: a tier's security group, or an address range (the VPC's CIDR). */
export type Source = { readonly securityGroupId: pulumi.Input<string> } | { readonly cidrIpv4: string };

/** One ingress rule named `rule` on a group: TCP `ports` from one source, and from nothing else. A source group gets
 *  the matching egress rule (`rule`-out): tiers' egress is an allow-list (components/compute/server-tier.ts). */
export function admit(
    parent: pulumi.Resource,
    rule: string,
    args: {
        securityGroupId: pulumi.Input<string>;
        source: Source;
        ports: PortRange;
        description: string;
        tags: Readonly<Record<string, string>>;
    },
): aws.vpc.SecurityGroupIngressRule {
    const { source, ports } = args;
    if ("securityGroupId" in source) {
        new aws.vpc.SecurityGroupEgressRule(
            `${rule}-out`,
            {
                securityGroupId: source.securityGroupId,
                referencedSecurityGroupId: args.securityGroupId,
                ipProtocol: "tcp",
                fromPort: ports.fromPort,
                toPort: ports.toPort,
                description: `to ${rule}`,
                tags: { ...args.tags, Name: `${rule}-out` },
            },
            { parent },
        );
    }
    return new aws.vpc.SecurityGroupIngressRule(
        rule,
        {
            securityGroupId: args.securityGroupId,
            ...("cidrIpv4" in source
                ? { cidrIpv4: source.cidrIpv4 }
                : { referencedSecurityGroupId: source.securityGroupId }),
            ipProtocol: "tcp",
            fromPort: ports.fromPort,
            toPort: ports.toPort,
            description: args.description,
            tags: { ...args.tags, Name: rule },
        },
        { parent },
    );
}
