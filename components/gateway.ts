// The operators' gateway (shared/platform.md): HAProxy on a server in a public subnet with an Elastic IP, exposing
// selected ports of internal hosts (the Windows host by default) to the operators' allow-list only. Two layers: the
// security group admits the listed CIDRs on the listed ports, and HAProxy refuses any other source itself.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALLOWED_SOURCES_TAG } from "../policies/lib/contracts";
import { INSTALL_PACKAGES, installPackagesFile } from "./cloud-init";
import { GatewayService, haproxyConfig } from "./haproxy";
import { OpsServerArgs, publicServer } from "./server";

export interface GatewayArgs extends OpsServerArgs {
    /** Public subnet ids by AZ name: the gateway is reached from the internet. */
    readonly publicSubnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>;
    /** What the gateway exposes, and where each service leads. */
    readonly services: readonly GatewayService[];
    /** The operators' source CIDRs (IPv4 or IPv6), never the whole internet (stacks/ refuses it). */
    readonly allowedSources: readonly string[];
}

export class Gateway extends pulumi.ComponentResource {
    /** The Elastic IP operators connect to (and the passive-FTP address the FTP server must advertise). */
    public readonly publicIp: pulumi.Output<string>;
    /** The group admitting the operators' allow-list (not the tier's group, which internal hosts admit). */
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:Gateway", name, {}, opts);
        const child = { parent: this };
        const config = haproxyConfig({ services: args.services, allowedSources: args.allowedSources, listenAddress: "::" });
        const group = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: "Gateway: the exposed ports, from the operators' allow-list only",
            // The contract the aws-baseline pack checks every rule of this group against (gateway-allow-list).
            tags: { ...args.tags, Name: `${name}-sg`, [ALLOWED_SOURCES_TAG]: args.allowedSources.join(",") },
        }, child);
        for (const service of args.services) {
            args.allowedSources.forEach((cidr, i) => {
                new aws.vpc.SecurityGroupIngressRule(`${name}-${service.name}-${i}`, {
                    securityGroupId: group.id,
                    ipProtocol: service.protocol,
                    fromPort: service.fromPort,
                    toPort: service.toPort,
                    ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                    description: `${service.name} from operators`,
                    tags: { ...args.tags, Name: `${name}-${service.name}-${i}` },
                }, child);
            });
        }
        this.publicIp = publicServer(this, name, {
            ...args,
            tier: "gateway",
            securityGroupId: group.id,
            userData: {
                write_files: [installPackagesFile(), { path: "/etc/haproxy/haproxy.cfg", permissions: "0644", content: config }],
                runcmd: [[INSTALL_PACKAGES, "haproxy"], ["systemctl", "enable", "--now", "haproxy"]],
            },
        });
        this.securityGroupId = group.id;
        this.registerOutputs({ publicIp: this.publicIp, securityGroupId: this.securityGroupId });
    }
}
