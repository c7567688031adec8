// The Windows host of the custom application (shared/platform.md): one server in the first AZ with two protected
// data volumes, reachable on the ports the HAProxy gateway forwards only from the gateway, and on RDP from the
// operators' VPN; windows.<internal domain>, the name the gateway forwards to.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TIER_TAG } from "../policies/lib/contracts";
import { admit, PortRange } from "./clients";
import { DataVolume } from "./data-volumes";
import { InternalDns } from "./internal-zone";
import { HostedServerArgs, hostedServer, Server } from "./server";
import { firewallScript, ftpPassiveScript, prepareDisksScript, WindowsVolume } from "./windows-user-data";

export const RDP_PORT = 3389;

export interface WindowsHostArgs extends HostedServerArgs {
    readonly vpcId: pulumi.Input<string>;
    /** The HAProxy gateway's security group, and the TCP port ranges it forwards to this host. */
    readonly gatewaySecurityGroupId: pulumi.Input<string>;
    readonly proxiedPorts: readonly PortRange[];
    /** The OpenVPN server's security group: VPN clients are masqueraded to its address. */
    readonly vpnSecurityGroupId: pulumi.Input<string>;
    /** The public subnet the gateway and the VPN server run in: the Windows Firewall admits the forwarded ports from it. */
    readonly gatewaySubnetCidr: string;
    /** The passive FTP range the gateway forwards and its Elastic IP, which the FTP server must advertise. */
    readonly ftpPassive?: { readonly fromPort: number; readonly toPort: number; readonly externalAddress: pulumi.Input<string> };
    /** The two data volumes: NTFS label, drive letter, size. */
    readonly volumes: readonly [WindowsVolume, WindowsVolume];
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly dns: InternalDns;
    readonly tags: Readonly<Record<string, string>>;
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
        const group = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: `Windows host ${name}: proxied ports from the gateway, RDP from VPN clients`,
            tags: { ...args.tags, Name: `${name}-sg` },
        }, { parent: this });
        for (const ports of args.proxiedPorts) {
            const range = ports.fromPort === ports.toPort ? `${ports.fromPort}` : `${ports.fromPort}-${ports.toPort}`;
            admit(this, `${name}-from-gateway-${range}`, {
                securityGroupId: group.id, source: { securityGroupId: args.gatewaySecurityGroupId }, ports, description: "HAProxy gateway", tags: args.tags,
            });
        }
        admit(this, `${name}-rdp-from-vpn`, {
            securityGroupId: group.id, source: { securityGroupId: args.vpnSecurityGroupId }, ports: { fromPort: RDP_PORT, toPort: RDP_PORT }, description: "VPN clients", tags: args.tags,
        });

        const volumes: DataVolume[] = args.volumes.map((v, i) => ({
            name: v.label, sizeGb: v.sizeGb, deviceName: windowsDeviceName(i), mountPoint: `${v.driveLetter}:`,
        }));
        const server = new Server(`${name}-server`, {
            ...hostedServer(args, group.id),
            rootVolumeGb: 50, // Windows Server's image alone takes 30 GiB
            dataVolumes: volumes,
            userData: { powershell: pulumi.output(args.ftpPassive?.externalAddress).apply((externalAddress) => [
                prepareDisksScript(args.volumes),
                // RDP from VPN clients arrives from the VPN server, in the same subnet as the gateway.
                firewallScript({ remoteCidr: args.gatewaySubnetCidr, ports: [...args.proxiedPorts, { fromPort: RDP_PORT, toPort: RDP_PORT }] }),
                ...(args.ftpPassive && externalAddress ? [ftpPassiveScript({ ...args.ftpPassive, externalAddress })] : []),
            ].join("")) },
            kmsKeyArn: args.kmsKeyArn,
            tags: args.tags,
            internalName: { dns: args.dns, host: "windows" },
            instanceTags: { [TIER_TAG]: "windows" },
        }, { parent: this });

        this.fqdn = server.fqdn!;
        this.securityGroupId = group.id;
        this.instanceId = server.instanceId;
        this.volumeIds = server.volumeIds;
        this.registerOutputs({ securityGroupId: this.securityGroupId, instanceId: this.instanceId, volumeIds: this.volumeIds });
    }
}
