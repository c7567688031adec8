// The release runner (docs/releasing.md): the Step Functions state machine every trigger starts, its log group and
// its role. The role may make only the calls the definition makes (model/release-runner.ts), on this stack's groups,
// templates, web servers, records, topic, pipeline and images.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    RELEASE_COMMIT_TAG,
    RELEASE_IMAGE_TAG,
    RELEASE_SOURCE_TAG,
    RELEASE_VERSION_TAG,
    TIER_TAG,
} from "../../policies/lib/contracts";
import { releaseRecordParameter, releaseRunnerArn, releaseRunnerName } from "../../model/release";
import { releaseRunnerDefinition, RunnerTargets } from "../../model/release-runner";
import { SECURITY_LOG_RETENTION_DAYS } from "../monitoring/log-retention";
import { RUN_SHELL_DOCUMENT } from "../operations/rundeck/policy";

type Unwrapped<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export interface ReleaseRunnerArgs {
    /** The stack's resource prefix (the runner is releaseRunnerName(prefix)). */
    readonly prefix: string;
    /** What the definition drives: groups, templates, records, topic, pipeline, keys (model/release-runner.ts). */
    readonly targets: pulumi.Input<Unwrapped<RunnerTargets>>;
    /** The web tiers' roles, which the new launch template versions' instance profiles carry. */
    readonly webRoleArns: pulumi.Input<string>[];
    /** Encrypts the runner's log group. */
    readonly telemetryKeyArn: pulumi.Input<string>;
    /** The operators' topic's key; undefined when the stack notifies a topic it does not own (its owner grants). */
    readonly topicKeyArn?: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** The role's policy: the definition's calls, scoped to the stack (tested with the IAM evaluator,
 *  tests/access/release-runner.spec.ts). */
export function runnerPolicy(
    t: RunnerTargets,
    machineArn: string,
    webRoleArns: readonly string[],
    topicKeyArn?: string,
): object {
    const { region, accountId: account, stack } = t;
    const groupArn = (name: string) =>
        `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/${name}`;
    const templateArns = [t.frontEnd, t.backOffice].map(
        (g) => `arn:aws:ec2:${region}:${account}:launch-template/${g.launchTemplateId}`,
    );
    const parameterArn = (which: "current" | "previous") =>
        `arn:aws:ssm:${region}:${account}:parameter${releaseRecordParameter(stack, which)}`;
    // Images and snapshots have no account in their ARNs
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html).
    const images = `arn:aws:ec2:${region}::image/*`;
    const snapshots = `arn:aws:ec2:${region}::snapshot/*`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "Notify", Effect: "Allow", Action: "sns:Publish", Resource: t.topicArn },
            ...(topicKeyArn
                ? [
                      {
                          // An encrypted topic takes the publisher's GenerateDataKey and Decrypt on its key
                          // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
                          Sid: "NotifyEncrypted",
                          Effect: "Allow",
                          Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                          Resource: topicKeyArn,
                          Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
                      },
                  ]
                : []),
            {
                Sid: "Records",
                Effect: "Allow",
                Action: ["ssm:GetParameter", "ssm:PutParameter"],
                Resource: [parameterArn("current"), parameterArn("previous")],
            },
            {
                // One release at a time: the runner lists its own running executions.
                Sid: "AloneCheck",
                Effect: "Allow",
                Action: "states:ListExecutions",
                Resource: machineArn,
            },
            {
                // Started, and rolled back when the runner stops following it.
                Sid: "RefreshTheWebGroups",
                Effect: "Allow",
                Action: ["autoscaling:StartInstanceRefresh", "autoscaling:RollbackInstanceRefresh"],
                Resource: [groupArn(t.frontEnd.groupName), groupArn(t.backOffice.groupName)],
            },
            {
                Sid: "VersionTheWebTemplates",
                Effect: "Allow",
                Action: [
                    "ec2:CreateLaunchTemplateVersion",
                    "ec2:ModifyLaunchTemplate",
                    "ec2:DeleteLaunchTemplateVersions",
                ],
                Resource: templateArns,
            },
            {
                // A refresh to a launch template version is authorised as the launches it makes: RunInstances with
                // the template, and PassRole on its instance profile's role
                // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html).
                Sid: "LaunchFromTheWebTemplates",
                Effect: "Allow",
                Action: "ec2:RunInstances",
                Resource: "*",
                Condition: { ArnEquals: { "ec2:LaunchTemplate": templateArns } },
            },
            {
                // Whoever may start the runner (CI's release role, Rundeck) names the image: only the stack's own release
                // images (tagged by its pipeline's distribution, or by the runner's copy) may be launched, so a run
                // given another image (a public or another account's AMI, whose tags this account does not see)
                // is refused at StartInstanceRefresh, which is authorised as its launches.
                Sid: "LaunchOnlyReleaseImages",
                Effect: "Deny",
                Action: "ec2:RunInstances",
                Resource: `arn:aws:ec2:${region}::image/*`,
                Condition: { StringNotEquals: { [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: t.stack } },
            },
            {
                Sid: "TagWhatTheTemplatesLaunch",
                Effect: "Allow",
                Action: "ec2:CreateTags",
                Resource: ["instance", "volume", "network-interface"].map(
                    (r) => `arn:aws:ec2:${region}:${account}:${r}/*`,
                ),
                Condition: { StringEquals: { "ec2:CreateAction": "RunInstances" } },
            },
            {
                Sid: "PassTheWebRoles",
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: [...webRoleArns],
                Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
            },
            {
                // Only the release tags: the policies' own image tags (the stack's) stay the pipeline's.
                Sid: "TagReleaseImages",
                Effect: "Allow",
                Action: "ec2:CreateTags",
                Resource: images,
                Condition: {
                    "ForAllValues:StringEquals": { "aws:TagKeys": [RELEASE_VERSION_TAG, RELEASE_COMMIT_TAG] },
                },
            },
            // What a promotion needs: only a stack with a source copies and prunes (model/release-runner.ts).
            ...(t.promotionSource
                ? [
                      {
                          // A promotion's copy and its snapshots are tagged as the stack's release image, with their source, as
                          // they are created (CopyImage's TagSpecifications,
                          // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html).
                          Sid: "TagCopies",
                          Effect: "Allow",
                          Action: "ec2:CreateTags",
                          Resource: [images, snapshots],
                          Condition: {
                              StringEquals: { "ec2:CreateAction": "CopyImage" },
                              "ForAllValues:StringEquals": { "aws:TagKeys": [RELEASE_IMAGE_TAG, RELEASE_SOURCE_TAG] },
                          },
                      },
                      {
                          // After a promotion, older copies go with their snapshots (DeregisterImage's DeleteAssociatedSnapshots);
                          // only the runner's own copies of this stack: the pipeline's images are its lifecycle policy's.
                          Sid: "PruneCopies",
                          Effect: "Allow",
                          Action: ["ec2:DeregisterImage", "ec2:DeleteSnapshot"],
                          Resource: [images, snapshots],
                          Condition: {
                              StringEquals: { [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: stack },
                              Null: { [`aws:ResourceTag/${RELEASE_SOURCE_TAG}`]: "false" },
                          },
                      },
                      // CopyImage may be authorised on the snapshots too (resource-level since 2024-10-28:
                      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/copy-ami-permissions.html).
                      { Sid: "PromoteImages", Effect: "Allow", Action: "ec2:CopyImage", Resource: [images, snapshots] },
                      {
                          // The copy is encrypted with the stack's image key, through EC2 (EBS snapshots).
                          Sid: "EncryptCopies",
                          Effect: "Allow",
                          Action: [
                              "kms:CreateGrant",
                              "kms:DescribeKey",
                              "kms:GenerateDataKeyWithoutPlaintext",
                              "kms:ReEncrypt*",
                              "kms:Decrypt",
                          ],
                          Resource: t.imageKeyArn,
                          Condition: { StringEquals: { "kms:ViaService": `ec2.${region}.amazonaws.com` } },
                      },
                      {
                          // A promotion reads the building stack's image, encrypted with that stack's key: through EC2
                          // only, grants for the copy's volumes only
                          // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/copy-ami-permissions.html). That key's
                          // policy admits this account: its IAM delegation, or releaseImageAccounts in another account.
                          Sid: "ReadTheSourceImages",
                          Effect: "Allow",
                          Action: ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom"],
                          Resource: t.promotionSource.keyArn,
                          Condition: { StringEquals: { "kms:ViaService": `ec2.${region}.amazonaws.com` } },
                      },
                      {
                          Sid: "ReadTheSourceImagesGrants",
                          Effect: "Allow",
                          Action: "kms:CreateGrant",
                          Resource: t.promotionSource.keyArn,
                          Condition: {
                              StringEquals: { "kms:ViaService": `ec2.${region}.amazonaws.com` },
                              Bool: { "kms:GrantIsForAWSResource": "true" },
                          },
                      },
                  ]
                : []),
            ...(t.pipelineArn
                ? [
                      {
                          Sid: "Build",
                          Effect: "Allow",
                          Action: "imagebuilder:StartImagePipelineExecution",
                          Resource: t.pipelineArn,
                      },
                      {
                          Sid: "FollowBuilds",
                          Effect: "Allow",
                          Action: "imagebuilder:GetImage",
                          Resource: `arn:aws:imagebuilder:${region}:${account}:image/*`,
                      },
                      {
                          // The stack's tag only, which the lifecycle policy selects on.
                          Sid: "TagBuilds",
                          Effect: "Allow",
                          Action: "imagebuilder:TagResource",
                          Resource: `arn:aws:imagebuilder:${region}:${account}:image/*`,
                          Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [RELEASE_IMAGE_TAG] } },
                      },
                  ]
                : []),
            {
                Sid: "RunOnTheWebServers",
                Effect: "Allow",
                Action: "ssm:SendCommand",
                Resource: `arn:aws:ec2:${region}:${account}:instance/*`,
                Condition: {
                    StringEquals: { [`ssm:resourceTag/${TIER_TAG}`]: [...t.webTiers], "ssm:resourceTag/Stack": stack },
                },
            },
            // SendCommand is authorised on the document too: only the shell-script one.
            {
                Sid: "WithTheShellDocument",
                Effect: "Allow",
                Action: "ssm:SendCommand",
                Resource: `arn:aws:ssm:${region}::document/${RUN_SHELL_DOCUMENT}`,
            },
            {
                // Describe and list calls take no resource-level permission.
                Sid: "Follow",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeInstanceRefreshes",
                    "ec2:DescribeImages",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ssm:GetCommandInvocation",
                    "ssm:ListCommands",
                ],
                Resource: "*",
            },
            {
                // Step Functions delivers its logs through CloudWatch Logs' vended log delivery, authorised on *
                // (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
                Sid: "LogDelivery",
                Effect: "Allow",
                Action: [
                    "logs:CreateLogDelivery",
                    "logs:GetLogDelivery",
                    "logs:UpdateLogDelivery",
                    "logs:DeleteLogDelivery",
                    "logs:ListLogDeliveries",
                    "logs:PutResourcePolicy",
                    "logs:DescribeResourcePolicies",
                    "logs:DescribeLogGroups",
                ],
                Resource: "*",
            },
        ],
    };
}

export class ReleaseRunner extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: ReleaseRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:release:ReleaseRunner", name, {}, opts);
        const child = { parent: this };
        const machineName = releaseRunnerName(args.prefix);
        const targets = pulumi.output(args.targets) as pulumi.Output<RunnerTargets>;

        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                // Step Functions' convention for vended logs (/aws/vendedlogs/states/...) keeps the log-group resource
                // policy short (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
                name: `/aws/vendedlogs/states/${machineName}`,
                retentionInDays: SECURITY_LOG_RETENTION_DAYS, // who released what: audit history
                kmsKeyId: args.telemetryKeyArn,
                tags: { ...args.tags, Name: `${name}-logs` },
            },
            child,
        );
        // Trusted by Step Functions for this state machine only: aws:SourceArn and aws:SourceAccount
        // (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html).
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: targets.apply((t) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "states.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: {
                                    StringEquals: { "aws:SourceAccount": t.accountId },
                                    ArnLike: {
                                        "aws:SourceArn": releaseRunnerArn(t.region, t.accountId, args.prefix),
                                    },
                                },
                            },
                        ],
                    }),
                ),
                tags: { ...args.tags, Name: `${name}-role` },
            },
            child,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.name,
                policy: pulumi
                    .all([targets, pulumi.all(args.webRoleArns), args.topicKeyArn])
                    .apply(([t, roles, key]) =>
                        JSON.stringify(
                            runnerPolicy(t, releaseRunnerArn(t.region, t.accountId, args.prefix), roles, key),
                        ),
                    ),
            },
            child,
        );
        const machine = new aws.sfn.StateMachine(
            `${name}-sm`,
            {
                name: machineName,
                type: "STANDARD",
                roleArn: role.arn,
                definition: targets.apply((t) => JSON.stringify(releaseRunnerDefinition(t))),
                // Errors only, without execution data (inputs and outputs stay out of the logs).
                loggingConfiguration: {
                    level: "ERROR",
                    includeExecutionData: false,
                    logDestination: pulumi.interpolate`${logs.arn}:*`,
                },
                tracingConfiguration: { enabled: false },
                tags: { ...args.tags, Name: machineName },
            },
            { ...child, dependsOn: [policy] }, // logging is checked against the role when the machine is created
        );
        this.arn = machine.arn;
        this.roleArn = role.arn;
        this.registerOutputs({ arn: this.arn, roleArn: this.roleArn });
    }
}
