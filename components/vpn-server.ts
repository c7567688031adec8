// The operators' OpenVPN server (shared/platform.md): public subnet, Elastic IP, UDP 1194 open to the world, routes
// to every subnet pushed to clients, whose traffic is NATed to the server's own address. Its identity (CA, server
// key and certificate, tls-crypt key, issued names) lives in one protected Secrets Manager secret, not in the image:
// created by the first server, restored by every rebuilt one, so every profile handed out keeps working.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../stacks/cidr";
import { INSTALL_PACKAGES, installPackagesFile } from "./cloud-init";
import { ADD_USER, addUserScript, natRules, openvpnServerConfig, PKI_DIR, PKI_STORE, PKI_TOOL, pkiScript, pkiStoreScript, VPN_PORT } from "./openvpn";
import { OpsServerArgs, publicServer } from "./server";

/** The tier's security group is how services admit VPN users; its role is granted the PKI secret. */
export interface VpnServerArgs extends OpsServerArgs {
    readonly vpcCidr: string;
    /** Public subnet ids by AZ name: clients connect from the internet. */
    readonly publicSubnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>;
    /** The subnets clients get routes to (the network's six). */
    readonly routedCidrs: readonly string[];
    /** Addresses handed to clients; NATed to the server's address, so only the server needs to know them. */
    readonly clientCidr: string;
    /** The internal domain, pushed to clients with the VPC's resolver. */
    readonly internalDomain: string;
    /** The stack: the PKI secret is magento/<stack>/openvpn-pki. */
    readonly stack: string;
    readonly region: string;
    /** The VPN tier's role, granted the PKI secret. */
    readonly roleName: pulumi.Input<string>;
}

export class VpnServer extends pulumi.ComponentResource {
    public readonly publicIp: pulumi.Output<string>;
    public readonly pkiSecretArn: pulumi.Output<string>;

    constructor(name: string, args: VpnServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:VpnServer", name, {}, opts);
        const child = { parent: this };
        const vpc = parseCidr(args.vpcCidr);
        if (vpc === undefined) {
            throw new Error(`VpnServer ${name}: ${args.vpcCidr} is not an IPv4 CIDR`);
        }
        const resolver = vpc.network.octets.slice(0, 3).join(".") + `.${vpc.network.octets[3] + 2}`; // AWS: VPC base + 2

        const group = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: "OpenVPN: UDP 1194 from anywhere (operators connect from wherever they are; tls-crypt drops strangers)",
            tags: { ...args.tags, Name: `${name}-sg` },
        }, child);
        new aws.vpc.SecurityGroupIngressRule(`${name}-openvpn`, {
            securityGroupId: group.id, ipProtocol: "udp", fromPort: VPN_PORT, toPort: VPN_PORT, cidrIpv4: "0.0.0.0/0",
            description: "OpenVPN clients", tags: { ...args.tags, Name: `${name}-openvpn` },
        }, child);

        // Empty on purpose: the first server generates the PKI and stores it; Pulumi never sees (or keeps) the keys.
        const secretName = `magento/${args.stack}/openvpn-pki`;
        const secret = new aws.secretsmanager.Secret(`${name}-pki`, {
            name: secretName,
            description: "OpenVPN PKI (CA, server key, tls-crypt key, issued names), written by the VPN server itself",
            kmsKeyId: args.kmsKeyArn,
            recoveryWindowInDays: 30,
            tags: { ...args.tags, Name: `${name}-pki` },
        }, { ...child, protect: true });
        new aws.iam.RolePolicy(`${name}-pki`, {
            role: args.roleName,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:ListSecretVersionIds"],
                        Resource: secret.arn,
                    },
                    {
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: args.kmsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } },
                    },
                ],
            }),
        }, child);

        const script = (path: string, content: string) => ({ path, permissions: "0700", content });
        this.publicIp = publicServer(this, name, {
            ...args,
            tier: "vpn",
            securityGroupId: group.id,
            userData: {
                write_files: [
                    installPackagesFile(),
                    script(PKI_TOOL, pkiScript(PKI_DIR)),
                    script(PKI_STORE, pkiStoreScript({ secretId: secretName, region: args.region, pkiDir: PKI_DIR })),
                    script(ADD_USER, addUserScript(PKI_DIR)),
                    {
                        path: "/etc/openvpn/server/magento.conf", permissions: "0644",
                        content: openvpnServerConfig({
                            clientCidr: args.clientCidr, routes: args.routedCidrs, dns: { resolver, domain: args.internalDomain },
                            pkiDir: PKI_DIR, runAs: { user: "openvpn", group: "openvpn" },
                        }),
                    },
                    { path: "/etc/openvpn/server/nat.nft", permissions: "0644", content: natRules(args.clientCidr, args.vpcCidr) },
                    // NAT and forwarding come back with the VPN after every reboot.
                    { path: "/etc/systemd/system/openvpn-server@magento.service.d/nat.conf", permissions: "0644", content: "[Service]\nExecStartPre=/usr/sbin/nft -f /etc/openvpn/server/nat.nft\n" },
                    { path: "/etc/sysctl.d/90-openvpn.conf", permissions: "0644", content: "net.ipv4.ip_forward = 1\n" },
                ],
                runcmd: [
                    [INSTALL_PACKAGES, "openvpn", "nftables"],
                    [PKI_STORE, "restore"],
                    ["sysctl", "--system"],
                    ["systemctl", "daemon-reload"],
                    ["systemctl", "enable", "--now", "openvpn-server@magento"],
                ],
            },
        });
        this.pkiSecretArn = secret.arn;
        this.registerOutputs({ publicIp: this.publicIp, pkiSecretArn: this.pkiSecretArn });
    }
}
