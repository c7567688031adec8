// Shared storage on Amazon EFS: encrypted, a mount target in every private subnet, elastic throughput (PHP's small
// reads once exhausted an estate's burst credits), daily backups (the stack's plan), old media moved to infrequent access, TLS
// required, and one access point per share with its own POSIX owner, mountable only by the tiers the share names.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_DAILY, BACKUP_TAG } from "../../policies/lib/contracts";
import { AgentMetrics } from "../compute/cloudwatch-agent";
import { Client, serviceSecurityGroup } from "../network/clients";
import { mountedBy, planShares, Share } from "./shares";
import { SharedStorage, ShareSource } from "./shared-storage";

export interface EfsStorageArgs {
    readonly vpcId: pulumi.Input<string>;
    /** The private subnet of each AZ, by AZ name: a mount target in each, so every AZ with servers mounts locally. */
    readonly subnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>;
    /** The AZs in the order their mount targets were numbered before they were named by AZ (`-mount-0`, `-mount-1`...,
     *  the stack's availabilityZones as deployed then): those names are kept as aliases, so the targets move in state. */
    readonly formerMountOrder: readonly string[];
    /** Tiers that may mount (NFS, 2049), each share only by the tiers it names (Share.tiers). */
    readonly clients: readonly Client[];
    readonly shares: readonly Share[];
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
    /** Who copies the estate's files into every share while it moves in (DataSync: components/storage/nfs-sync.ts). */
    readonly copiedInBy?: Client;
}

export const NFS_PORT = 2049;

/** Who may mount a share: its access point and the roles of the tiers that use it. */
export interface ShareGrant {
    readonly accessPointArn: string;
    readonly roleArns: readonly string[];
}

/**
 * The file system policy. The servers mount with `iam` (components/web/web-boot.ts), so EFS authorises each mount as the
 * tier's role: a share's tiers may mount and write it through its access point (elasticfilesystem:AccessPointArn) and
 * a mount target, nobody may mount without an access point (the file system's root, every share at once) or as root,
 * and nothing goes without TLS. The denies hold whatever an identity policy allows (an Allow in either suffices).
 * https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html ;
 * https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html (condition keys for access points)
 */
export function efsPolicy(fileSystemArn: string, grants: readonly ShareGrant[]): object {
    const deny = (Sid: string, Action: string | string[], Condition?: object) => ({
        Sid,
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action,
        Resource: fileSystemArn,
        ...(Condition ? { Condition } : {}),
    });
    return {
        Version: "2012-10-17",
        Statement: [
            ...grants.map((g, i) => ({
                Sid: `MountShare${i}ThroughItsAccessPoint`,
                Effect: "Allow",
                Principal: { AWS: [...g.roleArns] },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: fileSystemArn,
                Condition: {
                    StringEquals: { "elasticfilesystem:AccessPointArn": g.accessPointArn },
                    Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" },
                },
            })),
            deny(
                "DenyWithoutAccessPoint",
                [
                    "elasticfilesystem:ClientMount",
                    "elasticfilesystem:ClientWrite",
                    "elasticfilesystem:ClientRootAccess",
                ],
                { Null: { "elasticfilesystem:AccessPointArn": "true" } },
            ),
            deny("DenyRootAccess", "elasticfilesystem:ClientRootAccess"),
            deny("DenyWithoutTls", "*", { Bool: { "aws:SecureTransport": "false" } }),
        ],
    };
}

export class EfsStorage extends pulumi.ComponentResource implements SharedStorage {
    public readonly fileSystemId: pulumi.Output<string>;
    public readonly fileSystemArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** Access point id of each share, by share name. */
    public readonly accessPointIds: Record<string, pulumi.Output<string>>;
    public readonly accessPointArns: Record<string, pulumi.Output<string>>;
    public readonly shares: readonly Share[];
    public readonly mountSources: Record<string, pulumi.Output<ShareSource>>;
    public readonly parameters: Record<string, pulumi.Input<string>>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly fileSystems: Record<string, pulumi.Output<string>>;
    public readonly servers: Record<string, AgentMetrics> = {};

    constructor(name: string, args: EfsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:storage:EfsStorage", name, {}, opts);
        const shares = planShares(args.shares); // before any child: a refused share creates nothing
        const child = { parent: this };
        const tags = { ...args.tags, Name: name };
        const group = serviceSecurityGroup(this, name, {
            vpcId: args.vpcId,
            port: NFS_PORT,
            clients: [...args.clients, ...(args.copiedInBy ? [args.copiedInBy] : [])],
            description: `EFS ${name}`,
            tags: args.tags,
        });
        const fileSystem = new aws.efs.FileSystem(
            `${name}-fs`,
            {
                encrypted: true,
                kmsKeyId: args.kmsKeyArn,
                performanceMode: "generalPurpose",
                throughputMode: "elastic",
                lifecyclePolicies: [
                    { transitionToIa: "AFTER_30_DAYS" },
                    { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
                ],
                tags: { ...tags, [BACKUP_TAG]: BACKUP_DAILY },
            },
            { ...child, protect: true },
        );
        // Backed up by the stack's plan (components/data/backups.ts: its vault, its key, its retention), so EFS's own
        // automatic backups are off: they go to aws/efs/automatic-backup-vault under AWS Backup's default key, daily for
        // 35 days (https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html), a second bill for the same copies. Turning
        // them off keeps the recovery points already made until their 35 days end. The status changes in place.
        new aws.efs.BackupPolicy(
            `${name}-backup`,
            { fileSystemId: fileSystem.id, backupPolicy: { status: "DISABLED" } },
            child,
        );
        // One mount target per AZ, and a new subnet replaces it (https://docs.aws.amazon.com/efs/latest/ug/accessing-fs:
        // its IP cannot change, moving means deleting it first): named by AZ, never by the AZ's place in a list.
        Object.keys(args.subnetIdsByAz)
            .sort()
            .map(
                (az) =>
                    new aws.efs.MountTarget(
                        `${name}-mount-${az.slice(-1)}`,
                        {
                            fileSystemId: fileSystem.id,
                            subnetId: args.subnetIdsByAz[az],
                            securityGroups: [group.id],
                        },
                        {
                            ...child,
                            aliases: args.formerMountOrder.includes(az)
                                ? [{ name: `${name}-mount-${args.formerMountOrder.indexOf(az)}` }]
                                : [],
                        },
                    ),
            );
        const accessPoints = Object.fromEntries(
            shares.map((share) => [
                share.name,
                new aws.efs.AccessPoint(
                    `${name}-${share.name}`,
                    {
                        fileSystemId: fileSystem.id,
                        rootDirectory: {
                            path: `/magento/${share.name}`,
                            creationInfo: { ownerUid: share.uid, ownerGid: share.gid, permissions: "2775" },
                        },
                        posixUser: { uid: share.uid, gid: share.gid },
                        tags: {
                            ...args.tags,
                            Name: `${name}-${share.name}`,
                            Share: share.name,
                            MountPath: share.mountPath,
                        },
                    },
                    child,
                ),
            ]),
        );
        const grants = shares.map((share) =>
            pulumi
                .all([
                    accessPoints[share.name].arn,
                    ...args.clients.filter((c) => mountedBy(share, c.name)).map((c) => c.roleArn),
                    ...(args.copiedInBy ? [args.copiedInBy.roleArn] : []),
                ])
                .apply(([accessPointArn, ...roleArns]) => ({ accessPointArn, roleArns })),
        );
        new aws.efs.FileSystemPolicy(
            `${name}-tls`,
            {
                fileSystemId: fileSystem.id,
                policy: pulumi
                    .all([fileSystem.arn, pulumi.all(grants)])
                    .apply(([arn, g]) => JSON.stringify(efsPolicy(arn, g))),
            },
            child,
        );

        this.accessPointIds = Object.fromEntries(shares.map((share) => [share.name, accessPoints[share.name].id]));
        this.accessPointArns = Object.fromEntries(shares.map((share) => [share.name, accessPoints[share.name].arn]));
        this.fileSystemId = fileSystem.id;
        this.fileSystemArn = fileSystem.arn;
        this.securityGroupId = group.id;
        this.shares = shares;
        this.mountSources = Object.fromEntries(
            shares.map((share) => [
                share.name,
                pulumi
                    .all([fileSystem.id, accessPoints[share.name].id])
                    .apply(([fileSystemId, accessPointId]) => ({ kind: "efs" as const, fileSystemId, accessPointId })),
            ]),
        );
        this.parameters = {
            "shared/efs-id": fileSystem.id,
            ...Object.fromEntries(
                shares.map((share) => [`shared/${share.name}/access-point`, accessPoints[share.name].id]),
            ),
        };
        this.endpoint = fileSystem.id;
        this.fileSystems = { shared: fileSystem.id };
        this.registerOutputs({ fileSystemId: this.fileSystemId, accessPointIds: this.accessPointIds });
    }
}
