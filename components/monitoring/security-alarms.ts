// Alarms on security events, to the operators' topic:
// - from the account's CloudTrail log group, when the stack names it (CloudTrail is account-level: the trail and its
//   group are the account's, docs/telemetry.md): metric filters with the patterns of Security Hub's CloudWatch
//   controls, which are CIS AWS Foundations' (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html);
// - from the web ACL's own metrics: a spike of blocked requests (AWS/WAFV2 BlockedRequests, dimensions WebACL,
//   Region and Rule ALL: https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecurityAlarmsArgs {
    /** The account's CloudTrail log group in the stack's region; undefined: no CloudTrail alarms. */
    readonly cloudTrailLogGroup: string | undefined;
    /** The web ACL whose blocked requests are watched, if the stack has one. */
    readonly webAcl:
        { readonly name: pulumi.Input<string>; readonly region: string; readonly blockedPer5Min: number } | undefined;
    readonly topicArn: pulumi.Input<string>;
    /** The namespace of the filters' metrics: one per stack, so two stacks reading one trail count apart. */
    readonly namespace: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** The CloudTrail events each alarm counts, by key: the filter pattern of the Security Hub control named. */
export const CLOUDTRAIL_FILTERS = {
    // CloudWatch.1: the root user, not a service acting for it.
    "root-use":
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    // CloudWatch.3: a successful console sign-in of an IAM user without MFA.
    "console-without-mfa":
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    // CloudWatch.4: any change to an IAM policy or its attachment.
    "iam-policy-changes":
        "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || " +
        "($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || " +
        "($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || " +
        "($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || " +
        "($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
} as const;

export class SecurityAlarms extends pulumi.ComponentResource {
    /** Every alarm created here (name and ARN). */
    public readonly alarms: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

    constructor(name: string, args: SecurityAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:monitoring:SecurityAlarms", name, {}, opts);
        const child = { parent: this };
        const alarm = (
            key: string,
            description: string,
            metric: Omit<aws.cloudwatch.MetricAlarmArgs, "comparisonOperator" | "evaluationPeriods">,
        ) => {
            const a = new aws.cloudwatch.MetricAlarm(
                `${name}-${key}`,
                {
                    name: `${name}-${key}`,
                    alarmDescription: description,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    evaluationPeriods: 1,
                    period: 300,
                    statistic: "Sum",
                    treatMissingData: "notBreaching", // no event, no datapoint: that is the quiet case
                    alarmActions: [args.topicArn],
                    okActions: [args.topicArn],
                    tags: { ...args.tags, Name: `${name}-${key}` },
                    ...metric,
                },
                child,
            );
            return { name: a.name, arn: a.arn };
        };
        const trail = args.cloudTrailLogGroup;
        const trailAlarms =
            trail === undefined
                ? []
                : Object.entries(CLOUDTRAIL_FILTERS).map(([key, pattern]) => {
                      new aws.cloudwatch.LogMetricFilter(
                          `${name}-${key}`,
                          {
                              logGroupName: trail,
                              pattern,
                              metricTransformation: { name: key, namespace: args.namespace, value: "1", unit: "Count" },
                          },
                          child,
                      );
                      return alarm(key, `CloudTrail: ${key} (${trail})`, {
                          namespace: args.namespace,
                          metricName: key,
                          threshold: 1,
                      });
                  });
        const waf = args.webAcl;
        const wafAlarms =
            waf === undefined
                ? []
                : [
                      alarm("waf-blocked-spike", "WAF blocked requests: an attack or a rule blocking shoppers", {
                          namespace: "AWS/WAFV2",
                          metricName: "BlockedRequests",
                          threshold: waf.blockedPer5Min,
                          dimensions: { WebACL: waf.name, Region: waf.region, Rule: "ALL" },
                      }),
                  ];
        this.alarms = [...trailAlarms, ...wafAlarms];
        this.registerOutputs({ alarms: this.alarms });
    }
}
