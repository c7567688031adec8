// The stack's customer-managed KMS key for data at rest (databases, caches, search, file systems, secrets, buckets,
// server volumes): one key the operators control, rotated yearly, whose deletion takes a 30-day window and is
// protected on top of that. Its policy is explicit (docs/access.md):
// - the account administers and uses it through IAM policies, as AWS's default key policy allows
//   (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html); RDS, ElastiCache, OpenSearch,
//   EFS, Secrets Manager, S3 and EC2 use the key on behalf of the caller (Pulumi's deployer, a server role), through
//   that statement and the caller's IAM permissions;
// - Auto Scaling's service-linked role launches the web groups' encrypted volumes itself and has no IAM permission on
//   customer-managed keys: the key policy names it, with CreateGrant only for AWS resources
//   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
// A user of the key the policy forgets is refused by the magento pack's `required-access` rule.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DataKeyArgs {
    /** Alias suffix: the key is alias/<alias>. */
    readonly alias: string;
    /** The account that owns and administers the key. */
    readonly accountId: pulumi.Input<string>;
    /** Auto Scaling's service-linked role, which must exist before the policy naming it is set. */
    readonly autoScalingRoleArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** The key policy: the account through IAM, and Auto Scaling's service-linked role for launched volumes. */
export function dataKeyPolicy(accountId: string, autoScalingRoleArn: string): object {
    const autoScaling = { AWS: autoScalingRoleArn };
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "AutoScalingVolumes", Effect: "Allow", Principal: autoScaling,
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*",
            },
            {
                Sid: "AutoScalingGrantsForVolumes", Effect: "Allow", Principal: autoScaling, Action: "kms:CreateGrant", Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    };
}

export class DataKey extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string>;
    public readonly keyId: pulumi.Output<string>;

    constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:DataKey", name, {}, opts);
        const key = new aws.kms.Key(`${name}-key`, {
            description: `Data at rest of ${args.alias}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.all([args.accountId, args.autoScalingRoleArn]).apply(([account, role]) => JSON.stringify(dataKeyPolicy(account, role))),
            tags: { ...args.tags, Name: `${name}-key` },
        }, { parent: this, protect: true });
        new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { parent: this });
        this.keyArn = key.arn;
        this.keyId = key.keyId;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
