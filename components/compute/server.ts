// "A server from an image": the one building block every single-instance server of the estate uses. IMDSv2 only,
// encrypted volumes, no SSH keys (SSM Session Manager through the tier's role), cloud-init user data, a subnet
// chosen by AZ, and data on separate protected EBS volumes that outlive the instance: a new image or instance type
// replaces the instance (delete-first) and re-attaches the same volumes. Linux servers boot cloud-init, Windows EC2Launch.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_DAILY, BACKUP_TAG, TIER_TAG } from "../../policies/lib/contracts";
import { CloudConfig, cloudConfigBytes } from "./cloud-init";
import { DataVolume } from "./data-volumes";
import { InternalDns, internalRecord } from "../network/internal-zone";
import { renderPowerShellUserData } from "../operations/windows/user-data";
import { bootDependencies, ServerSpec, serverSpec } from "./placement";

export interface ServerArgs extends ServerSpec {
    /** The component's own security group, beside its tier's. */
    readonly securityGroupId: pulumi.Input<string>;
    readonly rootVolumeGb: number;
    readonly dataVolumes: readonly DataVolume[];
    /** cloud-config for Linux; a PowerShell script (EC2Launch v2) for Windows, where cloud-init does not run. */
    readonly userData: CloudConfig | { readonly powershell: pulumi.Input<string> };
    /** The server's name under the internal domain (`rundeck` gives rundeck.<internal domain>). */
    readonly internalName?: { readonly dns: InternalDns; readonly host: string };
    /** Tags on the instance only (e.g. the NfsExports contract the policy packs read), besides its tier's Tier tag. */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /** An Elastic IP that outlives the instance: a rebuilt server keeps its public address. Public subnets only. */
    readonly elasticIp?: ElasticIp;
    /** What the instance reads at boot and must exist first (an edge orders, never replaces: pulumi/pulumi step_generator.go). */
    readonly bootDependsOn?: pulumi.Resource[];
}

/**
 * The server's own Elastic IP (protected), or one the account already holds (`keptAllocationId`: an address partners
 * allow-list, docs/migration.md), which the stack only associates: it is no resource of the stack, so no destroy,
 * replacement or teardown of it can release it.
 */
export interface ElasticIp {
    readonly keptAllocationId?: string;
}

/** A server reached from the internet: a public subnet and an Elastic IP (its address and the instance are returned),
 *  no data volumes. */
export function publicServer(
    parent: pulumi.Resource,
    name: string,
    args: ServerSpec & {
        securityGroupId: pulumi.Input<string>;
        userData: CloudConfig;
        bootDependsOn?: pulumi.Resource[];
        elasticIp: ElasticIp;
    },
): { readonly publicIp: pulumi.Output<string>; readonly instanceId: pulumi.Output<string> } {
    const server = new Server(
        `${name}-server`,
        {
            ...serverSpec(args),
            securityGroupId: args.securityGroupId,
            rootVolumeGb: 10,
            dataVolumes: [],
            userData: args.userData,
            elasticIp: args.elasticIp,
            bootDependsOn: args.bootDependsOn,
        },
        { parent },
    );
    return { publicIp: server.publicIp!, instanceId: server.instanceId };
}

/** A cloud-config as the instance takes it (cloudConfigBytes): text through userData, gzip through userDataBase64;
 *  pulumi-aws takes binary user data only base64-encoded
 *  (https://www.pulumi.com/registry/packages/aws/api-docs/ec2/instance/, userDataBase64). */
function cloudConfigUserData(config: CloudConfig): { userData: string } | { userDataBase64: string } {
    const { bytes, gzipped } = cloudConfigBytes(config);
    return gzipped ? { userDataBase64: bytes.toString("base64") } : { userData: bytes.toString("utf8") };
}

export class Server extends pulumi.ComponentResource {
    public readonly instanceId: pulumi.Output<string>;
    public readonly privateIp: pulumi.Output<string>;
    public readonly volumeIds: Record<string, pulumi.Output<string>>;
    /** Fully qualified internal name, when the server has one. */
    public readonly fqdn: string | undefined;
    /** The Elastic IP's address, when the server has one. */
    public readonly publicIp: pulumi.Output<string> | undefined;

    constructor(name: string, args: ServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:compute:Server", name, {}, opts);
        const { availabilityZone, subnetIdsByAz, tags } = args.placement;
        const subnetId = availabilityZone === undefined ? undefined : subnetIdsByAz[availabilityZone];
        if (availabilityZone === undefined || subnetId === undefined) {
            throw new Error(
                `Server ${name}: no subnet in ${availabilityZone ?? "(no AZ given)"}; known AZs: ${Object.keys(subnetIdsByAz).join(", ")}`,
            );
        }
        const child = { parent: this };
        const encrypted = { encrypted: true, kmsKeyId: args.placement.kmsKeyArn };

        const instance = new aws.ec2.Instance(
            `${name}-instance`,
            {
                ami: args.image.imageId,
                instanceType: args.instanceType,
                subnetId,
                vpcSecurityGroupIds: [args.securityGroupId, args.runsAs.securityGroupId],
                iamInstanceProfile: args.runsAs.instanceProfileName,
                associatePublicIpAddress: false,
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                // Root tags here, not volumeTags: volumeTags would fight the data volumes' own tags on every update.
                rootBlockDevice: {
                    ...encrypted,
                    volumeType: "gp3",
                    volumeSize: args.rootVolumeGb,
                    deleteOnTermination: true,
                    tags: { ...tags, Name: `${name}-root` },
                },
                ...("powershell" in args.userData
                    ? {
                          userData: pulumi
                              .output(args.userData.powershell)
                              .apply((powershell) => renderPowerShellUserData({ powershell })),
                      }
                    : cloudConfigUserData(args.userData)),
                // cloud-config runs once: a changed document needs a fresh instance. The Windows script persists and runs at
                // every start, so the provider's in-place change (a stop and start) applies it and keeps what lives on C:
                // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html; pulumi-aws
                // ec2.Instance userDataReplaceOnChange: true destroys and recreates, false updates in place; the same for userDataBase64).
                userDataReplaceOnChange: !("powershell" in args.userData),
                monitoring: true,
                tags: { ...tags, ...args.instanceTags, [TIER_TAG]: args.runsAs.tier, Name: name },
            },
            {
                ...child,
                dependsOn: bootDependencies(args.runsAs, args.bootDependsOn),
                ignoreChanges: args.image.ignoreImageDrift ? ["ami"] : [],
                // What moves with the server (its volumes, its address) is held by one instance at a time: the old one goes
                // first, its attachments before it, then the new one attaches them (docs/servers.md, "Rebuilds").
                deleteBeforeReplace: args.dataVolumes.length > 0 || args.elasticIp !== undefined,
            },
        );
        // The attachment is replaced with the instance (its instanceId is the instance's id) and, delete-first, detaches
        // before the replacement attaches; the boot scripts wait for the device (data-volumes.ts, operations/windows/user-data.ts).
        const moves = { ...child, deleteBeforeReplace: true };

        const attachments: aws.ec2.VolumeAttachment[] = [];
        this.volumeIds = Object.fromEntries(
            args.dataVolumes.map((volume) => {
                const ebs = new aws.ebs.Volume(
                    `${name}-${volume.name}`,
                    {
                        availabilityZone,
                        size: volume.sizeGb,
                        type: "gp3",
                        ...encrypted,
                        tags: {
                            ...tags,
                            Name: `${name}-${volume.name}`,
                            MountPoint: volume.mountPoint,
                            [BACKUP_TAG]: BACKUP_DAILY, // the stack's backup plan (components/data/backups.ts)
                        },
                    },
                    { ...child, protect: true },
                );
                attachments.push(
                    new aws.ec2.VolumeAttachment(
                        `${name}-${volume.name}`,
                        {
                            deviceName: volume.deviceName,
                            volumeId: ebs.id,
                            instanceId: instance.id,
                            stopInstanceBeforeDetaching: true, // unmounts cleanly before the volume moves to a new instance
                        },
                        moves,
                    ),
                );
                return [volume.name, ebs.id];
            }),
        );

        if (args.elasticIp) {
            const kept = args.elasticIp.keptAllocationId;
            // A kept address is read, never managed: the association's delete disassociates it and EC2 keeps it in the
            // account (https://www.pulumi.com/registry/packages/aws/api-docs/ec2/eipassociation/; DisassociateAddress).
            const address =
                kept === undefined
                    ? new aws.ec2.Eip(
                          `${name}-eip`,
                          { domain: "vpc", tags: { ...tags, Name: `${name}-eip` } },
                          { ...child, protect: true },
                      )
                    : { allocationId: kept, publicIp: aws.ec2.getElasticIpOutput({ id: kept }, child).publicIp };
            new aws.ec2.EipAssociation(
                `${name}-eip-assoc`,
                { allocationId: address.allocationId, instanceId: instance.id },
                moves,
            );
            this.publicIp = address.publicIp;
        }
        // The name moves to a rebuilt server once it holds the data: the record's update waits for the new attachments
        // (a dependsOn edge orders, never replaces: pulumi/pulumi step_generator.go calculateDependentReplacements).
        this.fqdn =
            args.internalName &&
            internalRecord(this, name, args.internalName.dns, args.internalName.host, instance.privateIp, attachments);
        this.instanceId = instance.id;
        this.privateIp = instance.privateIp;
        this.registerOutputs({
            instanceId: this.instanceId,
            privateIp: this.privateIp,
            volumeIds: this.volumeIds,
            publicIp: this.publicIp,
        });
    }
}
