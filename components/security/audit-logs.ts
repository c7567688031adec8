// Where the data tier's audit logs go: CloudWatch Logs groups kept SECURITY_LOG_RETENTION_DAYS and encrypted with a
// key of their own, whose policy lets CloudWatch Logs use it for this account's log groups only
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). A key apart from the data key:
// a server role allowed to decrypt data cannot read the record of what was done with it, nor administer the key
// (data-key.ts's accountKeyStatements, shared by every key of the stack).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountKeyStatements } from "./data-key";
import { SECURITY_LOG_RETENTION_DAYS } from "../monitoring/log-retention";

export interface AuditLogsArgs {
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    /** The stack's server roles: they never administer the key. */
    readonly serverRoleArns: pulumi.Input<string>[];
    readonly tags: Readonly<Record<string, string>>;
}

/** What CloudWatch Logs does with a log group's key (the user guide's key policy statement). */
const LOGS_KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

export class AuditLogKey extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AuditLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:AuditLogKey", name, {}, opts);
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `${name}: encrypts the data tier's audit logs`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([args.accountId, pulumi.all(args.serverRoleArns)])
                    .apply(([account, serverRoleArns]) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                ...accountKeyStatements({ accountId: account, serverRoleArns }),
                                {
                                    Sid: "CloudWatchLogsForThisAccountsGroups",
                                    Effect: "Allow",
                                    Principal: { Service: `logs.${args.region}.amazonaws.com` },
                                    Action: LOGS_KEY_ACTIONS,
                                    Resource: "*",
                                    Condition: {
                                        ArnLike: {
                                            "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${args.region}:${account}:log-group:*`,
                                        },
                                    },
                                },
                            ],
                        }),
                    ),
                tags: { ...args.tags, Name: `${name}-key` },
            },
            { parent: this, protect: true },
        ); // deleting it makes the audit record unreadable
        this.keyArn = key.arn;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}

/** An audit log group of `parent`'s, named as the service that writes it expects, under the audit key. */
export function auditLogGroup(
    parent: pulumi.Resource,
    name: string,
    logGroupName: pulumi.Input<string>,
    keyArn: pulumi.Input<string>,
    tags: Readonly<Record<string, string>>,
): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        name,
        {
            name: logGroupName,
            kmsKeyId: keyArn,
            retentionInDays: SECURITY_LOG_RETENTION_DAYS,
            tags: { ...tags, Name: name },
        },
        { parent },
    );
}
