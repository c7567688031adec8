// The stack's own identity and resource policies, read from its resources as an IAM evaluator needs them: each role's
// inline and (modelled) managed policies by role ARN, and each resource policy by the ARN it protects. Only known
// values are read: in a preview, where ARNs and policy texts computed from other resources are unknown, the model is
// partial and the requirements built on it are left to the update (docs/access.md).
import { dependsOn, ofType, StackResource } from "../stack";
import {
    BACKUP_VAULT_POLICY,
    EFS_FILE_SYSTEM,
    EFS_FILE_SYSTEM_POLICY,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    KMS_KEY,
    OPENSEARCH_DOMAIN,
    S3_BUCKET_POLICY,
    SECRETSMANAGER_SECRET_POLICY,
    SNS_TOPIC_POLICY,
} from "../types";
import { knownString, read } from "../values";

export interface PolicyDocument {
    readonly Version?: string;
    readonly Statement: unknown;
}

export interface NamedPolicy {
    readonly name: string;
    readonly policy: PolicyDocument;
}

export interface AccessModel {
    /** The account and region the stack runs in, from its own ARNs. */
    readonly account?: string;
    readonly region?: string;
    /** Identity policies by role ARN. */
    readonly roles: ReadonlyMap<string, readonly NamedPolicy[]>;
    /** Resource policies by the ARN they protect: KMS keys, buckets, EFS file systems, topics, secrets, search domains,
     *  backup vaults, and roles (their trust policies, for sts:AssumeRole). */
    readonly resources: ReadonlyMap<string, PolicyDocument>;
}

export const T = {
    role: IAM_ROLE,
    rolePolicy: IAM_ROLE_POLICY,
    attachment: IAM_ROLE_POLICY_ATTACHMENT,
    key: KMS_KEY,
    bucketPolicy: S3_BUCKET_POLICY,
    fileSystem: EFS_FILE_SYSTEM,
    fileSystemPolicy: EFS_FILE_SYSTEM_POLICY,
    topicPolicy: SNS_TOPIC_POLICY,
    secretPolicy: SECRETSMANAGER_SECRET_POLICY,
    domain: OPENSEARCH_DOMAIN,
    vaultPolicy: BACKUP_VAULT_POLICY,
} as const;

/**
 * The parts of AWS managed policies an evaluation can model (what they grant on the stack's own services). Only
 * AmazonSSMManagedInstanceCore is attached; its Parameter Store grant is on every parameter of the account.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
 */
export const MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore": {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetDocument", "ssm:DescribeDocument"],
                Resource: "*",
            },
        ],
    },
};

/** AWS's default key policy (a key created without one): the account, through IAM, and nothing else.
 *  https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html */
export function defaultKeyPolicy(account: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        ],
    };
}

/** EFS's default file system policy (none set): any client mounting through a mount target gets full access.
 *  https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html#default-filesystempolicy */
export function defaultFileSystemPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: [
                    "elasticfilesystem:ClientRootAccess",
                    "elasticfilesystem:ClientWrite",
                    "elasticfilesystem:ClientMount",
                ],
                Resource: "*",
                Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
            },
        ],
    };
}

/** The policy document in a resource's `property`, when known and valid JSON. */
export function policyOf(r: StackResource, property = "policy"): PolicyDocument | undefined {
    const text = knownString(r.props, property);
    if (text === undefined) {
        return undefined;
    }
    try {
        const parsed = JSON.parse(text);
        return typeof parsed === "object" && parsed !== null && "Statement" in parsed ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** Field `index` (account 4, region 3) of an ARN. */
export const arnField = (arn: string, index: number): string | undefined => arn.split(":")[index] || undefined;

export function accessModel(resources: readonly StackResource[]): AccessModel {
    const arns = resources.map((r) => knownString(r.props, "arn")).filter((a): a is string => a !== undefined);
    const account = arns.map((a) => arnField(a, 4)).find((a) => a !== undefined && /^\d{12}$/.test(a));
    const region = arns.map((a) => arnField(a, 3)).find((r) => r !== undefined);

    const roleArns = new Map(
        ofType(resources, T.role).flatMap((r) => {
            const name = knownString(r.props, "name");
            const arn = knownString(r.props, "arn");
            return name && arn ? [[name, arn] as const] : [];
        }),
    );
    const roles = new Map<string, NamedPolicy[]>();
    const grant = (roleName: string | undefined, policy: NamedPolicy) => {
        const arn = roleName === undefined ? undefined : roleArns.get(roleName);
        if (arn) {
            roles.set(arn, [...(roles.get(arn) ?? []), policy]);
        }
    };
    for (const r of ofType(resources, T.rolePolicy)) {
        const policy = policyOf(r);
        if (policy) {
            grant(knownString(r.props, "role"), { name: r.name, policy });
        }
    }
    for (const r of ofType(resources, T.attachment)) {
        const managed = MANAGED_POLICIES[knownString(r.props, "policyArn") ?? ""];
        if (managed) {
            grant(knownString(r.props, "role"), { name: r.name, policy: managed });
        }
    }

    const protectedBy = new Map<string, PolicyDocument>();
    for (const key of ofType(resources, T.key)) {
        const arn = knownString(key.props, "arn");
        // No policy at all: AWS applies its default one. A policy not known yet (preview): nothing to evaluate.
        const policy =
            policyOf(key) ??
            (account && read(key.props, "policy") === undefined ? defaultKeyPolicy(account) : undefined);
        if (arn && policy) {
            protectedBy.set(arn, policy);
        }
    }
    for (const fs of ofType(resources, T.fileSystem)) {
        const arn = knownString(fs.props, "arn");
        const own = ofType(resources, T.fileSystemPolicy).find((p) =>
            dependsOn(p, "fileSystemId", T.fileSystem).includes(fs),
        );
        const policy = own ? policyOf(own) : defaultFileSystemPolicy();
        if (arn && policy) {
            protectedBy.set(arn, policy);
        }
    }
    const ownArn = (r: StackResource) => knownString(r.props, "arn");
    const byProperty: [string, (r: StackResource) => string | undefined, string][] = [
        [
            T.bucketPolicy,
            (r) => {
                const bucket = knownString(r.props, "bucket");
                return bucket && `arn:aws:s3:::${bucket}`;
            },
            "policy",
        ],
        [T.topicPolicy, ownArn, "policy"],
        [T.secretPolicy, (r) => knownString(r.props, "secretArn"), "policy"],
        [T.role, ownArn, "assumeRolePolicy"],
        [T.domain, ownArn, "accessPolicies"],
        // By the vault's name (an input, known in a first preview), not the policy's backupVaultArn (an output).
        [
            T.vaultPolicy,
            (r) => {
                const vault = knownString(r.props, "backupVaultName");
                return vault && account && region && `arn:aws:backup:${region}:${account}:backup-vault:${vault}`;
            },
            "policy",
        ],
    ];
    for (const [type, target, property] of byProperty) {
        for (const r of ofType(resources, type)) {
            const arn = target(r);
            const policy = policyOf(r, property);
            if (arn && policy) {
                protectedBy.set(arn, policy);
            }
        }
    }
    return { account, region, roles, resources: protectedBy };
}
