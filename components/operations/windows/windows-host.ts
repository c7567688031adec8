// The Windows host of the custom application (docs/estate.md): one server in the first AZ with two protected
// data volumes, reachable on its services' ports from the operators' VPN, and on those the stack opens to the internet
// from the HAProxy gateway; windows.<internal domain>, the name VPN clients and the gateway connect to.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { admit, PortRange, rangeName } from "../../network/clients";
import { DataVolume } from "../../compute/data-volumes";
import { InternalDns } from "../../network/internal-zone";
import { ServerSpec, serverSpec } from "../../compute/placement";
import { Server } from "../../compute/server";
import { firewallScript, ftpScript, prepareDisksScript, WindowsVolume } from "./user-data";

export const RDP_PORT = 3389;

/** Placed in the private subnets, in the operations AZ. */
export interface WindowsHostArgs extends ServerSpec {
    /** The HAProxy gateway's security group, and the TCP port ranges it forwards here (the services open to the internet). */
    readonly gatewaySecurityGroupId: pulumi.Input<string>;
    readonly proxiedPorts: readonly PortRange[];
    /** The OpenVPN server's security group (VPN clients are masqueraded to its address), and the ranges they reach (and RDP). */
    readonly vpnSecurityGroupId: pulumi.Input<string>;
    readonly vpnPorts: readonly PortRange[];
    /** The public subnet the gateway and the VPN server run in: the Windows Firewall admits the services' ports from it. */
    readonly gatewaySubnetCidr: string;
    /** FTP's passive range; and the gateway's Elastic IP when FTP is open to the internet (PASV then answers with it). */
    readonly ftp?: {
        readonly fromPort: number;
        readonly toPort: number;
        readonly externalAddress?: pulumi.Input<string>;
    };
    /** The two data volumes: NTFS label, drive letter, size. */
    readonly volumes: readonly [WindowsVolume, WindowsVolume];
    readonly dns: InternalDns;
}

/** Device names AWS recommends for EBS volumes on Windows instances, in attachment order. */
function windowsDeviceName(index: number): string {
    return `xvd${String.fromCharCode("f".charCodeAt(0) + index)}`;
}

export class WindowsHost extends pulumi.ComponentResource {
    public readonly fqdn: string;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly instanceId: pulumi.Output<string>;
    public readonly volumeIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: WindowsHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:WindowsHost", name, {}, opts);
        const { tags } = args.placement;
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.placement.vpcId,
                description: `Windows host ${name}: its services from VPN clients, those open to the internet from the gateway`,
                tags: { ...tags, Name: `${name}-sg` },
            },
            { parent: this },
        );
        for (const ports of args.proxiedPorts) {
            admit(this, `${name}-from-gateway-${rangeName(ports)}`, {
                securityGroupId: group.id,
                source: { securityGroupId: args.gatewaySecurityGroupId },
                ports,
                description: "HAProxy gateway",
                tags,
            });
        }
        const vpnPorts = [...args.vpnPorts, { fromPort: RDP_PORT, toPort: RDP_PORT }].filter(
            (p, i, all) => all.findIndex((q) => rangeName(q) === rangeName(p)) === i,
        );
        for (const ports of vpnPorts) {
            // RDP keeps the name it had before the other services moved to the VPN: under a new name the rule would be
            // created before the old one is deleted, and EC2 refuses a duplicate rule (InvalidPermission.Duplicate,
            // e.g. https://github.com/galaxyproject/cloudlaunch/issues/56).
            const rule =
                rangeName(ports) === `${RDP_PORT}` ? `${name}-rdp-from-vpn` : `${name}-from-vpn-${rangeName(ports)}`;
            admit(this, rule, {
                securityGroupId: group.id,
                source: { securityGroupId: args.vpnSecurityGroupId },
                ports,
                description: "VPN clients",
                tags,
            });
        }

        const volumes: DataVolume[] = args.volumes.map((v, i) => ({
            name: v.label,
            sizeGb: v.sizeGb,
            deviceName: windowsDeviceName(i),
            mountPoint: `${v.driveLetter}:`,
        }));
        const server = new Server(
            `${name}-server`,
            {
                ...serverSpec(args),
                securityGroupId: group.id,
                rootVolumeGb: 50, // Windows Server's image alone takes 30 GiB
                dataVolumes: volumes,
                userData: {
                    powershell: pulumi.output(args.ftp?.externalAddress).apply((externalAddress) =>
                        [
                            prepareDisksScript(args.volumes),
                            // VPN clients arrive from the VPN server, in the same subnet as the gateway.
                            firewallScript({ remoteCidr: args.gatewaySubnetCidr, ports: vpnPorts }),
                            ...(args.ftp
                                ? [
                                      ftpScript({
                                          ...args.ftp,
                                          externalAddress,
                                          certificateName: `windows.${args.dns.domain}`,
                                      }),
                                  ]
                                : []),
                        ].join(""),
                    ),
                },
                internalName: { dns: args.dns, host: "windows" },
            },
            { parent: this },
        );

        this.fqdn = server.fqdn!;
        this.securityGroupId = group.id;
        this.instanceId = server.instanceId;
        this.volumeIds = server.volumeIds;
        this.registerOutputs({
            securityGroupId: this.securityGroupId,
            instanceId: this.instanceId,
            volumeIds: this.volumeIds,
        });
    }
}
