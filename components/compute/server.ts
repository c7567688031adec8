// "A server from an image": the one building block every single-instance server of the estate uses. IMDSv2 only,
// encrypted volumes, no SSH keys (SSM Session Manager through the tier's role), cloud-init user data, a subnet
// chosen by AZ, and data on separate protected EBS volumes that outlive the instance: a new image or instance type
// replaces the instance (delete-first) and re-attaches the same volumes. Linux servers boot cloud-init, Windows EC2Launch.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { gzipSync } from "zlib";
import { TIER_TAG } from "../../policies/lib/contracts";
import { USER_DATA_LIMIT } from "../../policies/lib/user-data";
import { CloudConfig, renderCloudConfig } from "./cloud-init";
import { DataVolume } from "./data-volumes";
import { InternalDns, internalRecord } from "../network/internal-zone";
import { renderPowerShellUserData } from "../operations/windows/user-data";

export interface ServerArgs {
    /** Subnet ids by AZ name of the tier the server lives in (public or private). */
    readonly subnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>;
    /** The AZ to run in; single-instance servers live in the operations AZ (docs/estate.md). */
    readonly availabilityZone: string;
    readonly securityGroupIds: pulumi.Input<string>[];
    readonly instanceProfileName: pulumi.Input<string>;
    readonly imageId: pulumi.Input<string>;
    /** Keep the running image when the image id changes by itself (a "latest" lookup), not when an operator pins one. */
    readonly ignoreImageDrift: boolean;
    readonly instanceType: string;
    readonly rootVolumeGb: number;
    readonly dataVolumes: readonly DataVolume[];
    /** cloud-config for Linux; a PowerShell script (EC2Launch v2) for Windows, where cloud-init does not run. */
    readonly userData: CloudConfig | { readonly powershell: pulumi.Input<string> };
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
    /** The server's name under the internal domain (`rundeck` gives rundeck.<internal domain>). */
    readonly internalName?: { readonly dns: InternalDns; readonly host: string };
    /** Tags on the instance only (e.g. the NfsExports contract the policy packs read). */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /** An Elastic IP (protected) that outlives the instance: a rebuilt server keeps its public address. Public subnets only. */
    readonly elasticIp?: boolean;
    /** What the instance reads at boot and must exist first (an edge orders, never replaces: pulumi/pulumi step_generator.go). */
    readonly bootDependsOn?: pulumi.Resource[];
}

/** What a component built on one server takes from its caller: where it runs, as which tier, from which image. */
export interface OpsServerArgs {
    readonly vpcId: pulumi.Input<string>;
    /** The AZ to run in (the first: single-instance servers live there). */
    readonly availabilityZone: string;
    /** The server tier's own security group and instance profile (ServerTier). */
    readonly serverSecurityGroupId: pulumi.Input<string>;
    readonly instanceProfileName: pulumi.Input<string>;
    readonly imageId: pulumi.Input<string>;
    readonly ignoreImageDrift: boolean;
    readonly instanceType: string;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** The ServerArgs a component passes on from its OpsServerArgs: the server sits behind the component's group and its tier's. */
export function tierServerArgs(args: OpsServerArgs, securityGroupId: pulumi.Input<string>): Pick<ServerArgs,
    "availabilityZone" | "securityGroupIds" | "instanceProfileName" | "imageId" | "ignoreImageDrift" | "instanceType" | "kmsKeyArn" | "tags"> {
    return {
        availabilityZone: args.availabilityZone,
        securityGroupIds: [securityGroupId, args.serverSecurityGroupId],
        instanceProfileName: args.instanceProfileName,
        imageId: args.imageId,
        ignoreImageDrift: args.ignoreImageDrift,
        instanceType: args.instanceType,
        kmsKeyArn: args.kmsKeyArn,
        tags: args.tags,
    };
}

/** A server reached from the internet: a public subnet and an Elastic IP (its address is returned), no data volumes. */
export function publicServer(parent: pulumi.Resource, name: string, args: OpsServerArgs & {
    publicSubnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>; securityGroupId: pulumi.Input<string>; userData: CloudConfig;
    /** The Tier tag of the instance (gateway, vpn), as every single server carries one. */
    tier: string;
    bootDependsOn?: pulumi.Resource[];
}): pulumi.Output<string> {
    const server = new Server(`${name}-server`, {
        ...tierServerArgs(args, args.securityGroupId),
        subnetIdsByAz: args.publicSubnetIdsByAz,
        rootVolumeGb: 10,
        dataVolumes: [],
        userData: args.userData,
        elasticIp: true,
        instanceTags: { [TIER_TAG]: args.tier },
        bootDependsOn: args.bootDependsOn,
    }, { parent });
    return server.publicIp!;
}

/** What a component built around one private server takes from its caller: OpsServerArgs and the private subnets. */
export interface HostedServerArgs extends OpsServerArgs {
    readonly privateSubnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Server args for a server in a private subnet, behind the component's own group and its tier's. */
export function hostedServer(args: HostedServerArgs, groupId: pulumi.Input<string>): Omit<ServerArgs, "rootVolumeGb" | "dataVolumes" | "userData"> {
    return { ...tierServerArgs(args, groupId), subnetIdsByAz: args.privateSubnetIdsByAz };
}

/**
 * A cloud-config as the instance takes it: as text while it fits EC2's 16 KB (today's servers keep their userData, so no
 * replacement), gzip-compressed through userDataBase64 when not. cloud-init decompresses gzip user data
 * (https://docs.cloud-init.io/en/21.3/topics/format.html, "Gzip Compressed Content"); pulumi-aws takes binary user data
 * only base64-encoded (https://www.pulumi.com/registry/packages/aws/api-docs/ec2/instance/, userDataBase64). gzip's
 * header carries no time here (Node writes mtime 0), so the same document gives the same bytes at every preview.
 */
function cloudConfigUserData(config: CloudConfig): { userData: string } | { userDataBase64: string } {
    const text = renderCloudConfig(config);
    return Buffer.byteLength(text, "utf8") <= USER_DATA_LIMIT ? { userData: text } : { userDataBase64: gzipSync(text, { level: 9 }).toString("base64") };
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
        const subnetId = args.subnetIdsByAz[args.availabilityZone];
        if (subnetId === undefined) {
            throw new Error(`Server ${name}: no subnet in ${args.availabilityZone}; known AZs: ${Object.keys(args.subnetIdsByAz).join(", ")}`);
        }
        const child = { parent: this };
        const encrypted = { encrypted: true, kmsKeyId: args.kmsKeyArn };

        const instance = new aws.ec2.Instance(`${name}-instance`, {
            ami: args.imageId,
            instanceType: args.instanceType,
            subnetId,
            vpcSecurityGroupIds: args.securityGroupIds,
            iamInstanceProfile: args.instanceProfileName,
            associatePublicIpAddress: false,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            // Root tags here, not volumeTags: volumeTags would fight the data volumes' own tags on every update.
            rootBlockDevice: { ...encrypted, volumeType: "gp3", volumeSize: args.rootVolumeGb, deleteOnTermination: true, tags: { ...args.tags, Name: `${name}-root` } },
            ...("powershell" in args.userData
                ? { userData: pulumi.output(args.userData.powershell).apply((powershell) => renderPowerShellUserData({ powershell })) }
                : cloudConfigUserData(args.userData)),
            // cloud-config runs once: a changed document needs a fresh instance. The Windows script persists and runs at
            // every start, so the provider's in-place change (a stop and start) applies it and keeps what lives on C:
            // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html; pulumi-aws
            // ec2.Instance userDataReplaceOnChange: true destroys and recreates, false updates in place; the same for userDataBase64).
            userDataReplaceOnChange: !("powershell" in args.userData),
            monitoring: true,
            tags: { ...args.tags, ...args.instanceTags, Name: name },
        }, {
            ...child,
            dependsOn: args.bootDependsOn,
            ignoreChanges: args.ignoreImageDrift ? ["ami"] : [],
            // What moves with the server (its volumes, its address) is held by one instance at a time: the old one goes
            // first, its attachments before it, then the new one attaches them (docs/servers.md, "Rebuilds").
            deleteBeforeReplace: args.dataVolumes.length > 0 || args.elasticIp === true,
        });
        // The attachment is replaced with the instance (its instanceId is the instance's id) and, delete-first, detaches
        // before the replacement attaches; the boot scripts wait for the device (data-volumes.ts, windows-user-data.ts).
        const moves = { ...child, deleteBeforeReplace: true };

        const attachments: aws.ec2.VolumeAttachment[] = [];
        this.volumeIds = Object.fromEntries(args.dataVolumes.map((volume) => {
            const ebs = new aws.ebs.Volume(`${name}-${volume.name}`, {
                availabilityZone: args.availabilityZone,
                size: volume.sizeGb,
                type: "gp3",
                ...encrypted,
                tags: { ...args.tags, Name: `${name}-${volume.name}`, MountPoint: volume.mountPoint },
            }, { ...child, protect: true });
            attachments.push(new aws.ec2.VolumeAttachment(`${name}-${volume.name}`, {
                deviceName: volume.deviceName,
                volumeId: ebs.id,
                instanceId: instance.id,
                stopInstanceBeforeDetaching: true, // unmounts cleanly before the volume moves to a new instance
            }, moves));
            return [volume.name, ebs.id];
        }));

        if (args.elasticIp) {
            const eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", tags: { ...args.tags, Name: `${name}-eip` } }, { ...child, protect: true });
            new aws.ec2.EipAssociation(`${name}-eip-assoc`, { allocationId: eip.allocationId, instanceId: instance.id }, moves);
            this.publicIp = eip.publicIp;
        }
        // The name moves to a rebuilt server once it holds the data: the record's update waits for the new attachments
        // (a dependsOn edge orders, never replaces: pulumi/pulumi step_generator.go calculateDependentReplacements).
        this.fqdn = args.internalName && internalRecord(this, name, args.internalName.dns, args.internalName.host, instance.privateIp, attachments);
        this.instanceId = instance.id;
        this.privateIp = instance.privateIp;
        this.registerOutputs({ instanceId: this.instanceId, privateIp: this.privateIp, volumeIds: this.volumeIds, publicIp: this.publicIp });
    }
}
