// The stack's KMS key for security telemetry: flow logs, WAF logs, Session Manager session logs and data, the alarm
// topic. A key of its own, not the data key: whoever may read the logs need not decrypt the databases, and the
// services writing here get no use of the data key. Its policy (docs/telemetry.md, "The telemetry key"):
// - the account administers and uses it through IAM, apart, and no server role administers it (data-key.ts's
//   accountKeyStatements, shared by every key of the stack);
// - CloudWatch Logs encrypts the log groups of this account and region, and only those
//   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html);
// - CloudWatch alarms publish to the encrypted topic, which takes Decrypt and GenerateDataKey* on its key
//   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services), for this
//   account's alarms only: aws:SourceAccount and aws:SourceArn, which CloudWatch's requests carry (AWS's own MDAA
//   construct conditions its CloudWatch key grant so: docs/access.md, "The telemetry key").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountKeyStatements } from "./data-key";

export interface TelemetryKeyArgs {
    /** Alias suffix: the key is alias/<alias>. */
    readonly alias: string;
    readonly accountId: pulumi.Input<string>;
    /** The stack's region: the only one whose log groups the key encrypts. */
    readonly region: string;
    /** The stack's server roles (ARN patterns: the roles come after the network, which needs this key first). */
    readonly serverRoleArns: pulumi.Input<string>[];
    readonly tags: Readonly<Record<string, string>>;
}

export function telemetryKeyPolicy(accountId: string, region: string, serverRoleArns: readonly string[]): object {
    return {
        Version: "2012-10-17",
        Statement: [
            ...accountKeyStatements({ accountId, serverRoleArns }),
            {
                Sid: "LogGroupsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: {
                    ArnLike: {
                        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*`,
                    },
                },
            },
            {
                Sid: "AlarmsPublishToEncryptedTopic",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
                },
            },
        ],
    };
}

export class TelemetryKey extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: TelemetryKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:TelemetryKey", name, {}, opts);
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Security telemetry of ${args.alias}: logs, sessions, alarms`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([args.accountId, pulumi.all(args.serverRoleArns)])
                    .apply(([account, roles]) => JSON.stringify(telemetryKeyPolicy(account, args.region, roles))),
                tags: { ...args.tags, Name: `${name}-key` },
            },
            { parent: this, protect: true },
        ); // the logs it encrypts are unreadable without it
        new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { parent: this });
        this.keyArn = key.arn;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
