// A self-healing single server: an Auto Scaling group of exactly one over the private subnets of every AZ, so a failed
// server is replaced, and when launches fail in its AZ the group launches in another (the default balanced-best-effort:
// https://docs.amazonaws.cn/AWSCloudFormation/latest/TemplateReference/aws-properties-autoscaling-autoscalinggroup-availabilityzonedistribution.html); behind the
// shop's load balancer on a host name of its own (HTTPS there), its admin paths from the operators' allow-list only.
// It boots the stock Amazon Linux 2023 image and deploys its release itself (boot.ts): nothing on it outlives it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TIER_TAG } from "../../policies/lib/contracts";
import { SIDE_APP_HOST_TAG } from "../../policies/lib/listener-rules";
import { PlannedRule } from "../../model/side-apps";
import { CloudConfig, launchTemplateUserData } from "../compute/cloud-init";
import { AgentMetrics, requireTelemetry } from "../compute/cloudwatch-agent";
import { bootDependencies, ServerSpec, subnetIds } from "../compute/placement";
import { HEALTH_CHECK_GRACE_SECONDS } from "../../model/web-timing";
import { healthCheck, WEB_PORT } from "../web/load-balancer";
import { HEALTH_PATH } from "./boot";

export interface SideAppArgs extends ServerSpec {
    /** The application's name (pim, orders, cashout): its instances' SideApp tag. */
    readonly app: string;
    /** The host name it answers on, which the listener's certificate must cover. */
    readonly host: string;
    /** Its listener rules (model/side-apps.ts): priorities, paths and the allow-list's chunks. */
    readonly rules: readonly PlannedRule[];
    /** The shop's HTTPS listener, and the VPC its target group is in. */
    readonly listenerArn: pulumi.Input<string>;
    readonly rootVolumeGb: number;
    readonly userData: pulumi.Input<CloudConfig>;
    /** 1 once a release is named (its parameter exists), 0 before: no server boots with nothing to deploy. */
    readonly size: pulumi.Input<number>;
    /** The parameters its boot reads (boot.ts), below `path`: names and ARNs, never a secret. */
    readonly parameters: {
        readonly path: string;
        readonly values: Readonly<Record<string, pulumi.Input<string>>>;
    };
    /** What the server reads at boot and must exist first (its secret's value, its grants); its parameters too. */
    readonly bootDependsOn: pulumi.Resource[];
}

export class SideApp extends pulumi.ComponentResource {
    public readonly groupName: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    /** What the dashboard draws of it: its agent's metrics, per group, in its tier's namespace. */
    public readonly agentMetrics: AgentMetrics;
    /** targetgroup/<name>/<id>: the dimension of its load balancer metrics (the alarms and the dashboard). */
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    public readonly url: string;

    constructor(name: string, args: SideAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:sideapps:SideApp", name, {}, opts);
        const child = { parent: this };
        const tags: Record<string, string> = {
            ...args.placement.tags,
            [TIER_TAG]: args.runsAs.tier,
            SideApp: args.app,
            Name: name,
        };

        const parameters = Object.entries(args.parameters.values).map(
            ([key, value]) =>
                new aws.ssm.Parameter(
                    `${name}-${key}`,
                    // insecureValue: `value` would hide names and ARNs in previews and diffs although none is secret
                    { name: `${args.parameters.path}/${key}`, type: "String", insecureValue: value, tags },
                    child,
                ),
        );

        // The logical name alone (magento-<estate>-<app>): target group names hold 32 characters, auto-naming suffix
        // included, which the estate's 7 characters at most (stacks/schema.ts) leave for an app name of 7
        // (tests/components/sideapps/side-apps.spec.ts).
        const targetGroup = new aws.lb.TargetGroup(
            name,
            {
                vpcId: args.placement.vpcId,
                port: WEB_PORT,
                protocol: "HTTP",
                targetType: "instance",
                deregistrationDelay: 30,
                healthCheck: healthCheck(HEALTH_PATH),
                // Its host is a side application's, not the shop's: the packs check its rules as such (listener-rules.ts).
                tags: { ...tags, [SIDE_APP_HOST_TAG]: args.host },
            },
            child,
        );

        const template = new aws.ec2.LaunchTemplate(
            `${name}-lt`,
            {
                imageId: args.image.imageId,
                instanceType: args.instanceType,
                iamInstanceProfile: { name: args.runsAs.instanceProfileName },
                networkInterfaces: [
                    {
                        deviceIndex: 0,
                        associatePublicIpAddress: "false",
                        securityGroups: [args.runsAs.securityGroupId],
                        deleteOnTermination: "true",
                    },
                ],
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: args.rootVolumeGb,
                            volumeType: "gp3",
                            encrypted: "true",
                            kmsKeyId: args.placement.kmsKeyArn,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                monitoring: { enabled: true },
                userData: pulumi
                    .output(args.userData)
                    // gzip over EC2's 16 KB (raw): the order connector's, with its FTP drop, is 18 KB of text.
                    .apply((config) => launchTemplateUserData(config as CloudConfig)),
                updateDefaultVersion: true,
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                    resourceType,
                    tags,
                })),
                tags,
            },
            { ...child, ignoreChanges: args.image.ignoreImageDrift ? ["imageId"] : [] },
        );

        // One server, replaced on a failed load balancer check. A new template version (or an operator's refresh after
        // a release: docs/sideapps.md) launches the new server before the old one leaves (200%), so the application is
        // served throughout; the cash-out's job is kept to one of the two by its lock (boot.ts).
        const group = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: subnetIds(args.placement),
                launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
                minSize: args.size,
                maxSize: args.size,
                targetGroupArns: [targetGroup.arn],
                healthCheckType: "ELB",
                healthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS,
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: {
                        minHealthyPercentage: 100,
                        maxHealthyPercentage: 200,
                        instanceWarmup: String(HEALTH_CHECK_GRACE_SECONDS),
                    },
                },
                tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
            },
            { ...child, dependsOn: bootDependencies(args.runsAs, [...args.bootDependsOn, ...parameters]) },
        );

        const forward: aws.types.input.lb.ListenerRuleAction = { type: "forward", targetGroupArn: targetGroup.arn };
        const refuse: aws.types.input.lb.ListenerRuleAction = {
            type: "fixed-response",
            fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
        };
        for (const rule of args.rules) {
            new aws.lb.ListenerRule(
                `${name}-${rule.suffix}`,
                {
                    listenerArn: args.listenerArn,
                    priority: rule.priority,
                    conditions: [
                        { hostHeader: { values: [args.host] } },
                        ...(rule.paths ? [{ pathPattern: { values: [...rule.paths] } }] : []),
                        ...(rule.sources ? [{ sourceIp: { values: [...rule.sources] } }] : []),
                    ],
                    actions: [rule.action === "forward" ? forward : refuse],
                    tags: { ...tags, Name: `${name}-${rule.suffix}` },
                },
                child,
            );
        }

        this.groupName = group.name;
        this.agentMetrics = { id: group.name, namespace: requireTelemetry(name, args.runsAs).namespace };
        this.targetGroupArn = targetGroup.arn;
        this.targetGroupArnSuffix = targetGroup.arnSuffix;
        this.url = `https://${args.host}`;
        this.registerOutputs({
            groupName: this.groupName,
            targetGroupArn: this.targetGroupArn,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            url: this.url,
        });
    }
}
