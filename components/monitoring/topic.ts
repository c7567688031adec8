// The operators' alarm topic (docs/estate.md: alarms by email to an operators' list): an SNS topic per stack with
// the list subscribed. AWS mails a confirmation first; nothing is delivered until someone on the list confirms it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmTopicArgs {
    /** The operators' list, subscribed by email. */
    readonly email: string;
    /** The account whose alarms may publish (and which administers the topic). */
    readonly accountId: pulumi.Input<string>;
    /** The stack's region: alarms publish to topics of their own region. */
    readonly region: string;
    /** Customer-managed key of the topic, whose policy lets CloudWatch alarms use it (the telemetry key). */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The topic's policy, explicit rather than SNS's default: the account administers it, and CloudWatch alarms of this
 * account and region, and only they, publish to it.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 */
export function alarmTopicPolicy(topicArn: string, accountId: string, region: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: [
                    "sns:GetTopicAttributes",
                    "sns:SetTopicAttributes",
                    "sns:AddPermission",
                    "sns:RemovePermission",
                    "sns:DeleteTopic",
                    "sns:Subscribe",
                    "sns:ListSubscriptionsByTopic",
                    "sns:Publish",
                ],
                Resource: topicArn,
            },
            {
                Sid: "AlarmsOfThisAccountPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
                },
            },
        ],
    };
}

export class AlarmTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:monitoring:AlarmTopic", name, {}, opts);
        // Encrypted with a customer-managed key: CloudWatch cannot publish to a topic under the AWS-managed SNS key,
        // whose policy nobody can edit (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
        const topic = new aws.sns.Topic(
            `${name}-topic`,
            {
                displayName: `Alarms ${name}`,
                kmsMasterKeyId: args.kmsKeyArn,
                tags: { ...args.tags, Name: `${name}-topic` },
            },
            { parent: this },
        );
        new aws.sns.TopicPolicy(
            `${name}-policy`,
            {
                arn: topic.arn,
                policy: pulumi
                    .all([topic.arn, args.accountId])
                    .apply(([arn, account]) => JSON.stringify(alarmTopicPolicy(arn, account, args.region))),
            },
            { parent: this },
        );
        new aws.sns.TopicSubscription(
            `${name}-email`,
            { topic: topic.arn, protocol: "email", endpoint: args.email },
            { parent: this },
        );
        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
