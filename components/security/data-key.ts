// A customer-managed KMS key of the stack (one for data at rest, one for secrets: infra/security.ts), rotated yearly,
// whose deletion takes a 30-day window and is protected on top of that. Its policy is explicit (docs/access.md):
// - administration (policy, deletion, rotation, aliases, tags) and use (encrypt, decrypt, grants) are separate
//   statements, both delegated to IAM as AWS's default key policy does
//   (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html): the operators' and deployer's roles
//   administer it through their IAM policies; RDS, ElastiCache, OpenSearch, EFS, Secrets Manager, S3 and EC2 use it
//   for the caller through theirs;
// - the stack's server roles may never administer it, whatever IAM policy is attached to them: an intruder on a
//   server cannot rewrite the policy, disable the key or schedule its deletion (an explicit deny in the key policy);
// - Auto Scaling's service-linked role launches the web groups' encrypted volumes itself and has no IAM permission on
//   customer-managed keys: the key policy names it, with CreateGrant only for AWS resources
//   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
// A user of the key the policy forgets is refused by the magento pack's `required-access` rule.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DataKeyArgs {
    /** Alias suffix: the key is alias/<alias>. */
    readonly alias: string;
    /** What it encrypts, for its description. */
    readonly purpose: string;
    /** The account that owns and administers the key. */
    readonly accountId: pulumi.Input<string>;
    /** Auto Scaling's service-linked role, which must exist before the policy naming it is set. */
    readonly autoScalingRoleArn: pulumi.Input<string>;
    /** The stack's server roles: they may use the key through their IAM grants, never administer it. */
    readonly serverRoleArns: pulumi.Input<string>[];
    /** Kept in AWS when the stack is destroyed (retainOnDelete): what outlives the stack is encrypted with it, such as
     *  final snapshots, which are unreadable once their key is deleted (docs/teardown.md). */
    readonly outlivesStack?: boolean;
    /** Other accounts that may use the key to launch or copy what it encrypts (the release images they are shared). */
    readonly sharedWithAccounts?: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
}

/** What administering a key is: the console's key-administrators statement (key-policy-default.html above), with
 *  kms:Create* narrowed to CreateAlias: the wildcard also matches CreateGrant, which would make the grants statement's
 *  kms:GrantIsForAWSResource condition moot (https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html). */
export const KEY_ADMINISTRATION = [
    "kms:CreateAlias",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];
/** What using it is: the key-users statement. */
const KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
/** Administration a server role never gets (reading the key's metadata and using it stay with IAM). */
const NEVER_BY_SERVERS = [
    "kms:Put*",
    "kms:Enable*",
    "kms:Disable*",
    "kms:Update*",
    "kms:Delete*",
    "kms:Revoke*",
    "kms:CreateAlias",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

export interface AccountKeyArgs {
    readonly accountId: string;
    /** The stack's server roles: ARNs, or ARN patterns (ArnLike) where the roles are created after the key. */
    readonly serverRoleArns: readonly string[];
}

/** The statements every key of the stack starts with: administration and use through IAM, grants for AWS resources
 *  only, and no administration by a server role whatever IAM policy it holds (see the file's comment). */
export function accountKeyStatements(args: AccountKeyArgs): object[] {
    const account = { AWS: `arn:aws:iam::${args.accountId}:root` };
    return [
        {
            Sid: "AdministrationThroughIam",
            Effect: "Allow",
            Principal: account,
            Action: KEY_ADMINISTRATION,
            Resource: "*",
        },
        { Sid: "UseThroughIam", Effect: "Allow", Principal: account, Action: KEY_USE, Resource: "*" },
        {
            Sid: "GrantsForAwsResourcesThroughIam",
            Effect: "Allow",
            Principal: account,
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
            Sid: "NoAdministrationByServers",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: NEVER_BY_SERVERS,
            Resource: "*",
            Condition: { ArnLike: { "aws:PrincipalArn": [...args.serverRoleArns] } },
        },
    ];
}

export interface KeyPolicyArgs extends AccountKeyArgs {
    readonly autoScalingRoleArn: string;
    readonly sharedWithAccounts?: readonly string[];
}

/**
 * Another account launching from, or copying, an image encrypted with the key: what the EC2 guide asks of the key
 * policy for a shared encrypted AMI (DescribeKey, ReEncrypt*, Decrypt, and CreateGrant for the volumes EC2 creates)
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html ; that account's IAM still decides
 * which of its principals may, and a copy there is re-encrypted with its own key (the release runner's promotion).
 */
export function sharedAccountStatements(accounts: readonly string[]): object[] {
    if (accounts.length === 0) {
        return [];
    }
    const principal = { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) };
    return [
        {
            Sid: "SharedImagesUse",
            Effect: "Allow",
            Principal: principal,
            Action: ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncrypt*"],
            Resource: "*",
        },
        {
            Sid: "SharedImagesGrantsForVolumes",
            Effect: "Allow",
            Principal: principal,
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];
}

/** The key policy (see the file's comment). */
export function dataKeyPolicy(args: KeyPolicyArgs): object {
    const autoScaling = { AWS: args.autoScalingRoleArn };
    return {
        Version: "2012-10-17",
        Statement: [
            ...accountKeyStatements(args),
            {
                Sid: "AutoScalingVolumes",
                Effect: "Allow",
                Principal: autoScaling,
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
            },
            {
                Sid: "AutoScalingGrantsForVolumes",
                Effect: "Allow",
                Principal: autoScaling,
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
            ...sharedAccountStatements(args.sharedWithAccounts ?? []),
        ],
    };
}

export class DataKey extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string>;
    public readonly keyId: pulumi.Output<string>;

    constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:DataKey", name, {}, opts);
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `${args.purpose} of ${args.alias}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([args.accountId, args.autoScalingRoleArn, pulumi.all(args.serverRoleArns)])
                    .apply(([accountId, autoScalingRoleArn, serverRoleArns]) =>
                        JSON.stringify(
                            dataKeyPolicy({
                                accountId,
                                autoScalingRoleArn,
                                serverRoleArns,
                                sharedWithAccounts: args.sharedWithAccounts,
                            }),
                        ),
                    ),
                tags: { ...args.tags, Name: `${name}-key` },
            },
            { parent: this, protect: true, retainOnDelete: args.outlivesStack === true },
        );
        new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { parent: this });
        this.keyArn = key.arn;
        this.keyId = key.keyId;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
