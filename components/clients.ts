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
export function serviceSecurityGroup(parent: pulumi.Resource, name: string, args: {
    vpcId: pulumi.Input<string>; port: number; clients: readonly Client[]; description: string; tags: Readonly<Record<string, string>>;
}): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(`${name}-sg`, {
        vpcId: args.vpcId,
        description: args.description,
        tags: { ...args.tags, Name: `${name}-sg` },
    }, { parent });
    for (const client of args.clients) {
        new aws.vpc.SecurityGroupIngressRule(`${name}-from-${client.name}`, {
            securityGroupId: group.id,
            referencedSecurityGroupId: client.securityGroupId,
            ipProtocol: "tcp",
            fromPort: args.port,
            toPort: args.port,
            description: `${client.name} servers`,
            tags: { ...args.tags, Name: `${name}-from-${client.name}` },
        }, { parent });
    }
    return group;
}
