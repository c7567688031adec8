// The operators' gateway (shared/platform.md): HAProxy on a server in a public subnet with an Elastic IP, exposing the
// services a stack opens to the internet (none by default: operators reach every service through the VPN,
// docs/gateway.md), each to its own sources only. Two layers: the security group admits each service's sources on
// its ports, and HAProxy refuses any other source itself and logs every connection with the client's address.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALLOWED_SOURCES_TAG } from "../policies/lib/contracts";
import { CloudConfig, INSTALL_PACKAGES, installPackagesFile } from "./cloud-init";
import { ExposedService, haproxyConfig } from "./haproxy";
import { OpsServerArgs, publicServer } from "./server";

export interface GatewayArgs extends OpsServerArgs {
    /** Public subnet ids by AZ name: the gateway is reached from the internet. */
    readonly publicSubnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>;
    /** The services opened to the internet, their sources and ports (exposedServices); none: HAProxy is not installed. */
    readonly services: readonly ExposedService[];
    /** The operators' CIDRs, never the whole internet (stacks/ refuses it): every source of the group lies inside them. */
    readonly allowedSources: readonly string[];
}

export class Gateway extends pulumi.ComponentResource {
    /** The Elastic IP internet clients connect to (and the passive-FTP address the FTP server advertises to them). */
    public readonly publicIp: pulumi.Output<string>;
    /** The group admitting the opened services' sources (not the tier's group, which internal hosts admit). */
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:Gateway", name, {}, opts);
        const child = { parent: this };
        const group = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: "Gateway: the services opened to the internet, each from its own sources",
            // The contract the aws-baseline pack checks every rule of this group against (operator-allow-list).
            tags: { ...args.tags, Name: `${name}-sg`, [ALLOWED_SOURCES_TAG]: args.allowedSources.join(",") },
        }, child);
        for (const { service, sources, ports } of args.services) {
            ports.flatMap(([fromPort, toPort]) => sources.map((cidr) => ({ fromPort, toPort, cidr }))).forEach(({ fromPort, toPort, cidr }, i) => {
                new aws.vpc.SecurityGroupIngressRule(`${name}-${service.name}-${i}`, {
                    securityGroupId: group.id,
                    ipProtocol: service.protocol,
                    fromPort,
                    toPort,
                    cidrIpv4: cidr, // IPv4 only: the gateway has no IPv6 address (stacks/validate.ts)
                    description: `${service.name} from ${cidr}`,
                    tags: { ...args.tags, Name: `${name}-${service.name}-${i}` },
                }, child);
            });
        }
        this.publicIp = publicServer(this, name, {
            ...args,
            tier: "gateway",
            securityGroupId: group.id,
            userData: gatewayUserData(args.services),
        });
        this.securityGroupId = group.id;
        this.registerOutputs({ publicIp: this.publicIp, securityGroupId: this.securityGroupId });
    }
}

/** HAProxy and its configuration; nothing while no service is open to the internet (HAProxy refuses to start without a listener). */
function gatewayUserData(services: readonly ExposedService[]): CloudConfig {
    if (services.length === 0) {
        return {};
    }
    const config = haproxyConfig({ services, listenAddress: "::" });
    return {
        write_files: [installPackagesFile(), { path: "/etc/haproxy/haproxy.cfg", permissions: "0644", content: config }],
        runcmd: [[INSTALL_PACKAGES, "haproxy"], ["systemctl", "enable", "--now", "haproxy"]],
    };
}
