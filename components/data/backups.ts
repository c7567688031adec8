// AWS Backup for everything stateful of the stack (docs/backups.md): one vault under the stack's storage key, one plan
// (a daily rule, and in production a weekly one kept longer), and one selection by tag: every resource tagged
// magento:backup=daily (BACKUP_TAG), which the components set on the EBS data volumes, EFS and the databases.
// - Encryption: EFS recovery points are encrypted with the vault's key; EBS and RDS ones keep their source's key, here
//   the same storage key (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html). The role AWS Backup
//   runs as must be able to use it, "otherwise the job is successful but the objects are not backed up" (same page):
//   the key policy delegates use to IAM (components/security/data-key.ts), so the role's own policy names the key.
// - The role: AWS's managed policies for backups and restores
//   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html,
//   .../AWSBackupServiceRolePolicyForRestores.html), trusted by backup.amazonaws.com only.
// - Selection: the three resource types by ARN wildcard AND the tag as a condition (Conditions, which AWS ANDs with
//   Resources; ListOfTags would be OR'ed with them: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html).
//   Naming the resource types makes the selection independent of the region's service opt-in, which a tag-only
//   selection depends on (https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources-json.html,
//   "Selection by resource type"). EBS, EFS and RDS are resource types AWS Backup supports
//   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetSupportedResourceTypes.html); ElastiCache and
//   OpenSearch are not (docs/backups.md says what covers them).
// - Deletion: the vault's access policy denies deleting recovery points, shortening their lifecycle, and replacing or
//   removing the policy itself to every principal but the break-glass role: the set AWS Config's
//   backup-recovery-point-manual-deletion-disabled counts as protected
//   (https://docs.aws.amazon.com/config/latest/developerguide/backup-recovery-point-manual-deletion-disabled.html;
//   explicit actions, https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html). So an
//   `up` that changes the policy runs as break-glass (docs/backups.md). AWS Backup refuses to delete a vault that holds
//   recovery points; the vault and its policy are kept when the stack is destroyed.
// - Schedule: on Sundays both rules start in the same window, and AWS Backup takes one backup, for the rule that keeps
//   it longer (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_DAILY, BACKUP_TAG } from "../../policies/lib/contracts";
import { serviceTrustPolicy } from "../security/trust-policy";

export interface BackupsArgs {
    /** The stack's storage key: the vault's, and the one EBS volumes and databases are encrypted with. */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly dailyRetentionDays: number;
    /** undefined: no weekly rule. */
    readonly weeklyRetentionDays: number | undefined;
    /** The one principal that may delete recovery points (with an IAM policy given for the occasion: docs/backups.md). */
    readonly breakGlassRoleArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** 05:00 UTC: after the databases' backup window (01:00-02:00) and Sunday's maintenance window (03:00-04:00), so
 *  AWS Backup's snapshot does not meet RDS's own or a maintenance reboot (components/data/database.ts). */
const DAILY = "cron(0 5 ? * * *)";
const WEEKLY = "cron(0 5 ? * SUN *)";

/** AWS's managed policies of the role, by what they let AWS Backup do. */
export const AWS_BACKUP_POLICIES: Readonly<Record<string, string>> = {
    backups: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    restores: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
};

/** What AWS Backup does with the storage key for the stack: encrypt and decrypt EFS recovery points, and let EBS and
 *  RDS copy and restore what the key encrypts (grants for AWS resources only). */
export function backupKeyPolicy(keyArn: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "UseTheStorageKey",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: keyArn,
            },
            {
                Sid: "GrantsForAwsResources",
                Effect: "Allow",
                Action: "kms:CreateGrant",
                Resource: keyArn,
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    };
}

/** Recovery points stay until their lifecycle ends: no principal but the break-glass role deletes one early. */
export const PROTECTED_RECOVERY_POINT_ACTIONS = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"];
/** ...nor lifts that protection by rewriting or removing the vault's policy. */
export const PROTECTED_VAULT_POLICY_ACTIONS = [
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultAccessPolicy",
];

/** What the selection picks, by ARN, before the tag condition filters: every EBS volume, EFS file system and RDS
 *  instance (not clusters: Aurora's type needs the opt-in whatever the selection says, and the stack has none). */
export const BACKED_UP_RESOURCE_ARNS = [
    "arn:aws:ec2:*:*:volume/*",
    "arn:aws:elasticfilesystem:*:*:file-system/*",
    "arn:aws:rds:*:*:db:*",
];

export function vaultAccessPolicy(breakGlassRoleArn: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "RecoveryPointsKeptUntilTheyExpire",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: [...PROTECTED_RECOVERY_POINT_ACTIONS, ...PROTECTED_VAULT_POLICY_ACTIONS],
                Resource: "*",
                Condition: { ArnNotEquals: { "aws:PrincipalArn": breakGlassRoleArn } },
            },
        ],
    };
}

export class Backups extends pulumi.ComponentResource {
    public readonly vaultName: pulumi.Output<string>;
    public readonly vaultArn: pulumi.Output<string>;
    public readonly planId: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:data:Backups", name, {}, opts);
        const child = { parent: this };
        const tags = { ...args.tags, Name: name };

        const role = new aws.iam.Role(
            `${name}-role`,
            { assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com"), tags },
            child,
        );
        const attached = Object.entries(AWS_BACKUP_POLICIES).map(
            ([does, policyArn]) =>
                new aws.iam.RolePolicyAttachment(`${name}-${does}`, { role: role.name, policyArn }, child),
        );
        const keyUse = new aws.iam.RolePolicy(
            `${name}-key`,
            {
                role: role.name,
                policy: pulumi.output(args.kmsKeyArn).apply((arn) => JSON.stringify(backupKeyPolicy(arn))),
            },
            child,
        );

        // Kept (protect) and left in AWS by a destroy (retainOnDelete): its recovery points are the backups, and AWS
        // Backup would refuse to delete it while it holds any (docs/teardown.md).
        const vault = new aws.backup.Vault(
            `${name}-vault`,
            { name, kmsKeyArn: args.kmsKeyArn, tags },
            { ...child, protect: true, retainOnDelete: true },
        );
        // Kept with the vault by a destroy: the policy denies its own deletion to the deployer.
        new aws.backup.VaultPolicy(
            `${name}-vault-policy`,
            {
                backupVaultName: vault.name,
                policy: pulumi.output(args.breakGlassRoleArn).apply((arn) => JSON.stringify(vaultAccessPolicy(arn))),
            },
            { ...child, retainOnDelete: true },
        );

        const rule = (ruleName: string, schedule: string, days: number) => ({
            ruleName,
            targetVaultName: vault.name,
            schedule,
            startWindow: 60,
            completionWindow: 360,
            lifecycle: { deleteAfter: days },
            recoveryPointTags: { ...args.tags, BackupRule: ruleName },
        });
        const plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name,
                rules: [
                    rule("daily", DAILY, args.dailyRetentionDays),
                    ...(args.weeklyRetentionDays === undefined
                        ? []
                        : [rule("weekly", WEEKLY, args.weeklyRetentionDays)]),
                ],
                tags,
            },
            child,
        );
        new aws.backup.Selection(
            `${name}-tagged`,
            {
                name: `${name}-tagged`,
                planId: plan.id,
                iamRoleArn: role.arn,
                resources: BACKED_UP_RESOURCE_ARNS,
                conditions: [{ stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG}`, value: BACKUP_DAILY }] }],
            },
            // AWS Backup checks the role when the selection is created (tag:GetResources, from the managed policy);
            // its jobs need the key policy too. A selection has no update (every argument forces a new one:
            // terraform-provider-aws internal/service/backup/selection.go), and its replacement keeps the name: the
            // old one goes first (a gap of seconds with no selection, never in the backup window's way) rather than
            // two of one name in the plan (whether AWS refuses that is unverified; docs/reviews/2026-12-session-11.md L1).
            { ...child, dependsOn: [...attached, keyUse], deleteBeforeReplace: true },
        );

        this.vaultName = vault.name;
        this.vaultArn = vault.arn;
        this.planId = plan.id;
        this.roleArn = role.arn;
        this.registerOutputs({ vaultName: this.vaultName, planId: this.planId, roleArn: this.roleArn });
    }
}
