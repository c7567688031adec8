// The stack's customer-managed KMS key for data at rest (databases, caches, search, file systems, secrets): one key
// the operators control, rotated yearly, whose deletion takes a 30-day window and is protected on top of that.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DataKeyArgs {
    /** Alias suffix: the key is alias/<alias>. */
    readonly alias: string;
    readonly tags: Readonly<Record<string, string>>;
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
            tags: { ...args.tags, Name: `${name}-key` },
        }, { parent: this, protect: true });
        new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { parent: this });
        this.keyArn = key.arn;
        this.keyId = key.keyId;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
