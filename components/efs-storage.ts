// Shared storage on Amazon EFS: encrypted, a mount target in every private subnet, elastic throughput (PHP's small
// reads once exhausted an estate's burst credits), daily backups, old media moved to infrequent access, TLS
// required, and one access point per share with its own POSIX owner.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Client, serviceSecurityGroup } from "./clients";
import { planShares, Share } from "./shares";

export interface EfsStorageArgs {
    readonly vpcId: pulumi.Input<string>;
    /** One mount target per private subnet: every AZ with servers mounts locally. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Tiers that may mount (NFS, 2049). */
    readonly clients: readonly Client[];
    readonly shares: readonly Share[];
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

export const NFS_PORT = 2049;

/**
 * The file system policy. A policy replaces EFS's default one (every client through a mount target may mount, write
 * and act as root), so one that held only the TLS deny would refuse every mount: it allows mounting and writing
 * through a mount target (the security group admits only the tiers that use it), never root access (the access
 * points map every client to their POSIX owner anyway), and refuses anything without TLS.
 * https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
 */
export function efsPolicy(fileSystemArn: string): object {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "MountThroughMountTargets",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: fileSystemArn,
            Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
        }, {
            Sid: "DenyWithoutTls",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "*",
            Resource: fileSystemArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        }],
    };
}

export class EfsStorage extends pulumi.ComponentResource {
    public readonly fileSystemId: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** Access point id of each share, by share name. */
    public readonly accessPointIds: Record<string, pulumi.Output<string>>;
    public readonly shares: readonly Share[];

    constructor(name: string, args: EfsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:storage:EfsStorage", name, {}, opts);
        const shares = planShares(args.shares); // before any child: a refused share creates nothing
        const child = { parent: this };
        const tags = { ...args.tags, Name: name };
        const group = serviceSecurityGroup(this, name, {
            vpcId: args.vpcId, port: NFS_PORT, clients: args.clients, description: `EFS ${name}`, tags: args.tags,
        });
        const fileSystem = new aws.efs.FileSystem(`${name}-fs`, {
            encrypted: true,
            kmsKeyId: args.kmsKeyArn,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
            tags,
        }, { ...child, protect: true });
        new aws.efs.BackupPolicy(`${name}-backup`, { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } }, child);
        new aws.efs.FileSystemPolicy(`${name}-tls`, {
            fileSystemId: fileSystem.id,
            policy: fileSystem.arn.apply((arn) => JSON.stringify(efsPolicy(arn))),
        }, child);
        args.subnetIds.forEach((subnetId, i) => new aws.efs.MountTarget(`${name}-mount-${i}`, {
            fileSystemId: fileSystem.id,
            subnetId,
            securityGroups: [group.id],
        }, child));
        this.accessPointIds = Object.fromEntries(shares.map((share) => [share.name, new aws.efs.AccessPoint(`${name}-${share.name}`, {
            fileSystemId: fileSystem.id,
            rootDirectory: {
                path: `/magento/${share.name}`,
                creationInfo: { ownerUid: share.uid, ownerGid: share.gid, permissions: "2775" },
            },
            posixUser: { uid: share.uid, gid: share.gid },
            tags: { ...args.tags, Name: `${name}-${share.name}`, Share: share.name, MountPath: share.mountPath },
        }, child).id]));

        this.fileSystemId = fileSystem.id;
        this.securityGroupId = group.id;
        this.shares = shares;
        this.registerOutputs({ fileSystemId: this.fileSystemId, accessPointIds: this.accessPointIds });
    }
}
