// The operators' alarm topic (shared/platform.md: alarms by email to an operators' list): an SNS topic per stack with
// the list subscribed. AWS mails a confirmation first; nothing is delivered until someone on the list confirms it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmTopicArgs {
    /** The operators' list, subscribed by email. */
    readonly email: string;
    readonly tags: Readonly<Record<string, string>>;
}

export class AlarmTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:monitoring:AlarmTopic", name, {}, opts);
        // Not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and alarm
        // notifications carry names and thresholds, not data.
        const topic = new aws.sns.Topic(`${name}-topic`, {
            displayName: `Alarms ${name}`,
            tags: { ...args.tags, Name: `${name}-topic` },
        }, { parent: this });
        new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: args.email }, { parent: this });
        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
