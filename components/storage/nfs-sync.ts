// The estate's NFS shares copied into EFS by AWS DataSync while the shop moves in (docs/migration.md, "Moving the
// shared files"): per share, an NFS location read through the estate's DataSync agent, an EFS location written through
// the share's access point, and a task the operators start (twice: a bulk copy, then the final one at the cut-over).
// DataSync, not rsync from a server: its agent sits beside the NFS server and sends to the DataSync service, whose
// network interfaces write into this VPC, so no network path between the estates is needed.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TIER_TAG } from "../../policies/lib/contracts";
import { Client } from "../network/clients";
import { accountServiceTrustPolicy } from "../security/trust-policy";
import { Share } from "./shares";

/** The estate's NFS server and the agent beside it (stacks/checks/data.ts validates them). */
export interface NfsSource {
    /** Host name or IPv4 address the agent mounts. */
    readonly server: string;
    /** The export holding Magento's layout: each share at `<exportPath>/<its mount path>`, as the estate mounted them. */
    readonly exportPath: string;
    /** The DataSync agent, deployed beside the NFS server and activated by hand (its activation key comes from the agent). */
    readonly agentArn: string;
}

/** The tier name of DataSync's network interfaces: EFS admits them on 2049 (reachability's allowed sources). */
export const COPY_TIER = "datasync";

export interface NfsSyncAccessArgs {
    readonly vpcId: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * What EFS must admit before the copy exists: the group of DataSync's network interfaces (no rule of its own: EFS's
 * admission adds its one egress, 2049 to EFS) and the role DataSync mounts with, which the file system policy grants
 * every share through its access point.
 */
export class NfsSyncAccess extends pulumi.ComponentResource {
    public readonly client: Client;
    public readonly securityGroupArn: pulumi.Output<string>;

    constructor(name: string, args: NfsSyncAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:storage:NfsSyncAccess", name, {}, opts);
        const child = { parent: this };
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "DataSync: copies the estate NFS shares into EFS",
                tags: { ...args.tags, Name: `${name}-sg`, [TIER_TAG]: COPY_TIER },
            },
            child,
        );
        // DataSync assumes it to mount EFS as this role (https://docs.aws.amazon.com/datasync/latest/userguide/create-efs-location.html,
        // "Creating a DataSync IAM role for file system access"); only for this account's DataSync.
        const role = new aws.iam.Role(
            `${name}-role`,
            { assumeRolePolicy: accountServiceTrustPolicy("datasync.amazonaws.com", args.accountId), tags: args.tags },
            child,
        );
        this.client = { name: COPY_TIER, securityGroupId: group.id, roleArn: role.arn };
        this.securityGroupArn = group.arn;
        this.registerOutputs({ securityGroupId: group.id, roleArn: role.arn });
    }
}

export interface NfsSyncArgs {
    readonly source: NfsSource;
    readonly shares: readonly Share[];
    readonly access: NfsSyncAccess;
    readonly fileSystemArn: pulumi.Input<string>;
    readonly accessPointArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** A private subnet with a mount target (the operations AZ's), where DataSync puts its network interfaces. */
    readonly subnetArn: pulumi.Input<string>;
    /**
     * The shared storage component: an EFS location is created only once its mount targets exist ("a subnet ... that
     * has a mount target": https://docs.aws.amazon.com/datasync/latest/userguide/create-efs-location.html), and
     * depending on a component waits for all its children.
     */
    readonly storage: pulumi.Resource;
    readonly tags: Readonly<Record<string, string>>;
}

export class NfsSync extends pulumi.ComponentResource {
    /** Each share's task, by share name: `aws datasync start-task-execution --task-arn` starts a copy. */
    public readonly taskArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: NfsSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:storage:NfsSync", name, {}, opts);
        const child = { parent: this };
        this.taskArns = Object.fromEntries(
            args.shares.map((share) => {
                const tags = { ...args.tags, Name: `${name}-${share.name}`, Share: share.name };
                // An NFS source is read through an agent (onPremConfig.agentArns is required), NFSv4.1 as the estate exports.
                const source = new aws.datasync.NfsLocation(
                    `${name}-${share.name}-nfs`,
                    {
                        serverHostname: args.source.server,
                        subdirectory: `${args.source.exportPath.replace(/\/$/, "")}/${share.mountPath}`,
                        onPremConfig: { agentArns: [args.source.agentArn] },
                        mountOptions: { version: "NFS4_1" },
                        tags,
                    },
                    child,
                );
                // Through the share's access point, which sets the files' owner; with an access point or a role,
                // DataSync requires TLS 1.2 (CreateLocationEfs InTransitEncryption), which the file system policy requires too.
                const destination = new aws.datasync.EfsLocation(
                    `${name}-${share.name}-efs`,
                    {
                        efsFileSystemArn: args.fileSystemArn,
                        accessPointArn: args.accessPointArns[share.name],
                        fileSystemAccessRoleArn: args.access.client.roleArn,
                        inTransitEncryption: "TLS1_2",
                        ec2Config: { subnetArn: args.subnetArn, securityGroupArns: [args.access.securityGroupArn] },
                        tags,
                    },
                    { ...child, dependsOn: [args.storage] },
                );
                const task = new aws.datasync.Task(
                    `${name}-${share.name}`,
                    {
                        name: `${name}-${share.name}`,
                        sourceLocationArn: source.arn,
                        destinationLocationArn: destination.arn,
                        options: {
                            // Files deleted on the estate stay in EFS: a copy run by mistake after the cut-over never
                            // deletes what the new shop wrote. Owners come from the access point, not the estate's ids.
                            preserveDeletedFiles: "PRESERVE",
                            overwriteMode: "ALWAYS",
                            verifyMode: "ONLY_FILES_TRANSFERRED",
                            uid: "NONE",
                            gid: "NONE",
                            posixPermissions: "PRESERVE",
                            logLevel: "OFF",
                        },
                        tags,
                    },
                    child,
                );
                return [share.name, task.arn];
            }),
        );
        this.registerOutputs({ taskArns: this.taskArns });
    }
}
