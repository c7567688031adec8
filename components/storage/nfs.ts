// Shared storage as the original estate ran it: an NFS (v4) server on EC2 in the first AZ, each share on its own
// protected EBS volume, exported to the VPC; only the client tiers' security groups reach port 2049.
import * as pulumi from "@pulumi/pulumi";
import { NFS_EXPORTS_TAG } from "../../policies/lib/contracts";
import { Client, serviceSecurityGroup } from "../network/clients";
import { NFS_PORT } from "./efs";
import { AGENT_PACKAGES, agentBoot, AgentMetrics, requireTelemetry } from "../compute/cloudwatch-agent";
import { DataVolume, dataDeviceName, prepareVolumesScript, requiresMountsDropIn } from "../compute/data-volumes";
import { InternalDns } from "../network/internal-zone";
import { ServerSpec, serverSpec } from "../compute/placement";
import { Server } from "../compute/server";
import { planShares, Share, SHARE_MODE } from "./shares";
import { SharedStorage, ShareSource } from "./shared-storage";

/** Placed in the private subnets, in the operations AZ. */
export interface NfsStorageArgs extends ServerSpec {
    readonly vpcCidr: string;
    readonly clients: readonly Client[];
    readonly shares: readonly Share[];
    /** Size of each share's volume in GiB, by share name. */
    readonly volumeGb: Readonly<Record<string, number>>;
    /** The server is `nfs.<internal domain>`: clients mount a name that survives a rebuilt server's new address. */
    readonly dns: InternalDns;
}

export const EXPORT_ROOT = "/srv/nfs";

/**
 * /etc/exports: each share to the VPC only, synchronous writes, root squashed, NFSv4 via the pseudo-root. `insecure`
 * accepts source ports above 1023 (exports(5): `secure`, the default, refuses them): the clients mount with
 * noresvport, as AWS advises, so a reconnection takes a new unprivileged port. A reserved port proves only root on
 * the client, and only the client tiers' security groups reach 2049 at all (docs/servers.md, "NFS").
 */
export function exportsFile(shares: readonly Share[], vpcCidr: string): string {
    return (
        shares
            .map((s) => `${EXPORT_ROOT}/${s.name} ${vpcCidr}(rw,sync,no_subtree_check,root_squash,insecure)`)
            .join("\n") + "\n"
    );
}

export class NfsStorage extends pulumi.ComponentResource implements SharedStorage {
    /** The server's internal name (or its address without one). */
    public readonly address: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly shares: readonly Share[];
    /** Export path of each share, by share name. */
    public readonly exportPaths: Record<string, string>;
    public readonly mountSources: Record<string, pulumi.Output<ShareSource>>;
    public readonly parameters: Record<string, pulumi.Input<string>>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly servers: Record<string, AgentMetrics>;
    public readonly fileSystems: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: NfsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:storage:NfsStorage", name, {}, opts);
        const shares = planShares(args.shares); // before any child: a refused share creates nothing
        const group = serviceSecurityGroup(this, name, {
            vpcId: args.placement.vpcId,
            port: NFS_PORT,
            clients: args.clients,
            description: `NFS ${name}`,
            tags: args.placement.tags,
        });
        const volumes: DataVolume[] = shares.map((share, i) => ({
            name: share.name,
            sizeGb: args.volumeGb[share.name] ?? 10,
            deviceName: dataDeviceName(i),
            mountPoint: `${EXPORT_ROOT}/${share.name}`,
        }));
        const exportPaths = Object.fromEntries(volumes.map((v) => [v.name, v.mountPoint]));
        const telemetry = requireTelemetry(name, args.runsAs);
        const agent = agentBoot({
            telemetry,
            logs: [],
            diskPaths: volumes.map((v) => v.mountPoint), // a full share fails Magento's writes
        });
        const server = new Server(
            `${name}-server`,
            {
                ...serverSpec(args),
                securityGroupId: group.id,
                rootVolumeGb: 20,
                dataVolumes: volumes,
                userData: {
                    packages: ["nfs-utils", ...AGENT_PACKAGES],
                    write_files: [
                        {
                            path: "/usr/local/sbin/prepare-volumes",
                            permissions: "0755",
                            content: prepareVolumesScript(volumes),
                        },
                        { path: "/etc/exports", permissions: "0644", content: exportsFile(shares, args.vpcCidr) },
                        // NFSv4 only: one port (2049) for the security group to admit, no rpcbind/mountd ports.
                        { path: "/etc/nfs.conf.d/magento.conf", permissions: "0644", content: "[nfsd]\nvers3=n\n" },
                        requiresMountsDropIn(
                            "nfs-server",
                            "Never export the root disk: every share's volume first.",
                            volumes.map((v) => v.mountPoint),
                        ),
                        ...agent.files,
                    ],
                    runcmd: [
                        ...agent.runcmd,
                        ["/usr/local/sbin/prepare-volumes"],
                        // A fresh XFS root is 0755 root: the share's owner and the access points' mode, so Magento can write.
                        ...shares.flatMap((s) => [
                            ["chown", `${s.uid}:${s.gid}`, `${EXPORT_ROOT}/${s.name}`],
                            ["chmod", SHARE_MODE, `${EXPORT_ROOT}/${s.name}`],
                        ]),
                        ["systemctl", "daemon-reload"], // the drop-in and the new fstab lines take effect now, not at the next boot
                        ["systemctl", "enable", "--now", "nfs-server"],
                        ["exportfs", "-ra"],
                    ],
                },
                internalName: { dns: args.dns, host: "nfs" },
                instanceTags: { [NFS_EXPORTS_TAG]: Object.values(exportPaths).join(",") },
            },
            { parent: this },
        );

        this.address = pulumi.output(server.fqdn ?? server.privateIp);
        this.securityGroupId = group.id;
        this.shares = shares;
        this.exportPaths = exportPaths;
        this.mountSources = Object.fromEntries(
            shares.map((share) => [
                share.name,
                this.address.apply((host) => ({ kind: "nfs" as const, host, exportPath: exportPaths[share.name] })),
            ]),
        );
        this.parameters = {
            "shared/nfs-host": this.address,
            ...Object.fromEntries(Object.entries(exportPaths).map(([share, path]) => [`shared/${share}/export`, path])),
        };
        this.endpoint = this.address;
        this.servers = { nfs: { id: server.instanceId, namespace: telemetry.namespace } };
        this.fileSystems = {};
        this.registerOutputs({ address: this.address, securityGroupId: this.securityGroupId });
    }
}
