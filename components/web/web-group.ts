// A group of Magento web servers: a launch template (the release image, IMDSv2, encrypted root, no public address,
// SSM instead of SSH) and an autoscaling group over every private subnet behind a target group. A new image or
// template version rolls out by instance refresh: new servers join and pass the load balancer's health check before
// old ones leave (100% minimum healthy), so capacity never drops during a release. The front end may keep a warm pool:
// servers booted once and stopped, which a scale-out starts instead of launching new ones (docs/burst.md).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAUNCH_IMAGE_TAG, RELEASE_VERSION_TAG, SHARED_MOUNTS_TAG, TIER_TAG } from "../../policies/lib/contracts";
import { CloudConfig, launchTemplateUserData } from "../compute/cloud-init";
import { AgentMetrics, requireTelemetry } from "../compute/cloudwatch-agent";
import { bootDependencies, ServerSpec, subnetIds } from "../compute/placement";
import type { MinimumChange } from "../../model/campaigns";
import {
    DEFAULT_INSTANCE_WARMUP_SECONDS,
    HEALTH_CHECK_GRACE_SECONDS,
    LAUNCH_HOOK_TIMEOUT_SECONDS,
} from "../../model/web-timing";

/**
 * Placed in the private subnets of every AZ it may place servers in; runs as its tier (its Tier tag is what Rundeck's
 * role and the policies select on) and boots the release image (pub/static baked in).
 */
export interface WebGroupArgs extends ServerSpec {
    readonly rootVolumeGb: number;
    /** Boot configuration; unknown during a preview when it embeds ids AWS has yet to assign (an EFS id). */
    readonly userData: pulumi.Input<CloudConfig>;
    /** Magento-relative mount points of shared storage the user data mounts (the SharedMounts contract). */
    readonly sharedMounts: string;
    readonly targetGroupArn: pulumi.Input<string>;
    /** What a server reads or mounts at boot, which must exist before the group launches one: the shared storage (EFS
     *  with its mount targets, or the NFS server) and the application parameters. The user data names them by ids and
     *  paths, which carry no ordering of their own. */
    readonly bootDependsOn: pulumi.Resource[];
    /** Which image the template boots (LAUNCH_IMAGE_TAG): the release record's name, `pinned`, another parameter's
     *  name, or `none`. */
    readonly imageSource: pulumi.Input<string>;
    /** The release its servers run (RELEASE_VERSION_TAG on each instance): the record's version, or `none`. */
    readonly releaseVersion: pulumi.Input<string>;
    /** Bounds of the group; 0 and 0 before the first release image (a fresh stack). */
    readonly minSize: pulumi.Input<number>;
    readonly maxSize: pulumi.Input<number>;
    /** Load-based scaling; absent for a fixed-size group (the back office). */
    readonly scaling?: {
        readonly cpuTargetPercent: number;
        readonly requestsPerTarget: number;
        /** app/<lb>/<id>/targetgroup/<tg>/<id>: the target group whose request count per target is tracked. */
        readonly requestCountLabel: pulumi.Input<string>;
    };
    /** Time-based bounds, cron in UTC; known once the program knows whether a release image exists (none before). */
    readonly schedule: Promise<readonly ScheduledBounds[]> | readonly ScheduledBounds[];
    /** One-time changes of the minimum (campaign windows: model/campaigns.ts), each named for its window and edge;
     *  known, as the schedule, once the program knows whether a release image exists. */
    readonly minimumChanges?: Promise<readonly MinimumChange[]>;
    /** A warm pool beside the group, and the launch hook its boot reports to (launchHookName); absent: neither. */
    readonly warmPool?: WarmPool;
}

/**
 * Stopped servers kept beside the group (PutWarmPool:
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html). Stopped, they cost their volumes
 * only (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html); `maxPrepared` is the
 * group's servers and the pool's together, so the pool holds `size` at the group's minimum, and never fewer than
 * `size` above it (its MinSize).
 */
export interface WarmPool {
    readonly size: pulumi.Input<number>;
    readonly maxPrepared: pulumi.Input<number>;
}

export interface ScheduledBounds {
    readonly recurrence: string;
    readonly minSize: number;
    readonly maxSize: number;
}

/** The launch hook of a group with a warm pool, which its servers' boot completes (web-boot.ts, magento-ready). */
export function launchHookName(groupName: string): string {
    return `${groupName}-boot`;
}

export class WebGroup extends pulumi.ComponentResource {
    public readonly groupName: pulumi.Output<string>;
    public readonly groupArn: pulumi.Output<string>;
    public readonly launchTemplateId: pulumi.Output<string>;
    /** What the dashboard draws of it: its agent's metrics, per group, in its tier's namespace. */
    public readonly agentMetrics: AgentMetrics;
    /** The tags the template gives its instances, without RELEASE_VERSION_TAG: the release runner's template versions
     *  carry these plus that tag, so an `up` after a release finds the tags it declares. */
    public readonly instanceTags: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: WebGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:web:WebGroup", name, {}, opts);
        const child = { parent: this };
        const tags: Record<string, string> = { ...args.placement.tags, [TIER_TAG]: args.runsAs.tier, Name: name };

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
                metadataOptions: {
                    httpTokens: "required",
                    httpEndpoint: "enabled",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "enabled",
                },
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
                userData: pulumi.output(args.userData).apply((config) => launchTemplateUserData(config as CloudConfig)), // gzip over 16 KB
                updateDefaultVersion: true,
                tagSpecifications: [
                    { resourceType: "instance", tags: { ...tags, [RELEASE_VERSION_TAG]: args.releaseVersion } },
                    ...["volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
                ],
                tags: { ...tags, [SHARED_MOUNTS_TAG]: args.sharedMounts, [LAUNCH_IMAGE_TAG]: args.imageSource },
            },
            { ...child, ignoreChanges: args.image.ignoreImageDrift ? ["imageId"] : [] },
        );

        // AWS stops a server as soon as it has launched into the warm pool, without waiting for its user data
        // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pool-instance-lifecycle.html): the hook holds
        // it in Warmed:Pending:Wait until its boot reports, and again in Pending:Wait when it is started into
        // service. A boot that never reports is abandoned (terminated), never put in the pool or in service.
        const launchHook = args.warmPool && {
            name: launchHookName(name),
            lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            heartbeatTimeout: LAUNCH_HOOK_TIMEOUT_SECONDS,
            defaultResult: "ABANDON",
        };
        const group = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: subnetIds(args.placement),
                launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
                minSize: args.minSize,
                maxSize: args.maxSize,
                targetGroupArns: [args.targetGroupArn],
                healthCheckType: "ELB",
                healthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS,
                defaultInstanceWarmup: DEFAULT_INSTANCE_WARMUP_SECONDS,
                capacityRebalance: false,
                enabledMetrics: [
                    "GroupMinSize",
                    "GroupMaxSize",
                    "GroupDesiredCapacity",
                    "GroupInServiceInstances",
                    "GroupTotalInstances",
                ],
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: {
                        minHealthyPercentage: 100,
                        maxHealthyPercentage: 200,
                        instanceWarmup: String(HEALTH_CHECK_GRACE_SECONDS),
                        skipMatching: true,
                        // No automatic rollback: the provider moves the group to the new template version before it
                        // starts the refresh, so AWS would "roll back" to that same version
                        // (https://github.com/hashicorp/terraform-provider-aws/issues/34189). A failed refresh stops
                        // with the old servers serving (100% healthy kept). Releases and rollbacks are the release
                        // runner's, with its own refresh and AutoRollback (docs/release-image.md, "Rolling back").
                        autoRollback: false,
                    },
                },
                // A scale-in stops servers back into the pool rather than terminating them; an instance refresh replaces
                // the pool's servers too (InstanceRefreshWarmPoolProgress:
                // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceRefreshWarmPoolProgress.html).
                // AWS refuses a warm pool on a group with a mixed instances policy or Spot (PutWarmPool, above): this
                // group has neither.
                warmPool: args.warmPool && {
                    poolState: "Stopped",
                    minSize: args.warmPool.size,
                    maxGroupPreparedCapacity: args.warmPool.maxPrepared,
                    instanceReusePolicy: { reuseOnScaleIn: true },
                },
                // In the create call, so the hook holds the very first servers: a separate hook is attached only once
                // the group exists and may have launched them
                // (https://pub.dev/documentation/pulumi_aws/latest/autoscaling/LifecycleHook-class.html). A change of
                // it forces a new group (offline/plan/forces-new.data.json), so it is ignored after creation and the
                // separate hook below keeps the hook current.
                initialLifecycleHooks: launchHook ? [launchHook] : undefined,
                tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
            },
            {
                ...child,
                dependsOn: bootDependencies(args.runsAs, args.bootDependsOn),
                ignoreChanges: ["desiredCapacity", "initialLifecycleHooks"], // scaling owns the desired count
            },
        );
        if (launchHook) {
            // The same hook again (PutLifecycleHook creates or updates, no clash with the group's own:
            // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html), so a group created
            // before it had one gets it, and a change of its timeout reaches AWS. The provider warns against the two
            // because deleting this one deletes the group's: both follow the warm pool, so they go together.
            new aws.autoscaling.LifecycleHook(
                `${name}-boot`,
                { ...launchHook, autoscalingGroupName: group.name },
                child,
            );
        }
        if (args.scaling) {
            const tracking = (suffix: string, spec: aws.types.input.autoscaling.PolicyTargetTrackingConfiguration) =>
                new aws.autoscaling.Policy(
                    `${name}-${suffix}`,
                    {
                        autoscalingGroupName: group.name,
                        policyType: "TargetTrackingScaling",
                        targetTrackingConfiguration: spec,
                    },
                    child,
                );
            tracking("cpu", {
                predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                targetValue: args.scaling.cpuTargetPercent,
            });
            tracking("requests", {
                predefinedMetricSpecification: {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: args.scaling.requestCountLabel,
                },
                targetValue: args.scaling.requestsPerTarget,
            });
        }
        // Declared once the schedule is known (as ServiceLinkedRoles declares after its lookup): none before a release.
        void Promise.resolve(args.schedule).then((entries) =>
            entries.forEach(
                (entry, i) =>
                    new aws.autoscaling.Schedule(
                        `${name}-schedule-${i}`,
                        {
                            autoscalingGroupName: group.name,
                            scheduledActionName: `${name}-${entry.minSize}-${entry.maxSize}-${i}`,
                            recurrence: entry.recurrence,
                            timeZone: "Etc/UTC",
                            minSize: entry.minSize,
                            maxSize: entry.maxSize,
                            desiredCapacity: -1, // leave the desired count to load-based scaling within the new bounds
                        },
                        child,
                    ),
            ),
        );

        void Promise.resolve(args.minimumChanges ?? []).then((changes) =>
            changes.forEach(
                (change) =>
                    new aws.autoscaling.Schedule(
                        `${name}-campaign-${change.name}`,
                        {
                            autoscalingGroupName: group.name,
                            scheduledActionName: `${name}-campaign-${change.name}`,
                            startTime: change.startTime, // one time: no recurrence
                            minSize: change.minSize,
                            // The provider's default for an unset size is 0: -1 leaves each as it is
                            // (https://www.pulumi.com/registry/packages/aws/api-docs/autoscaling/schedule/).
                            maxSize: -1,
                            desiredCapacity: -1,
                        },
                        child,
                    ),
            ),
        );
        this.groupName = group.name;
        this.agentMetrics = { id: group.name, namespace: requireTelemetry(name, args.runsAs).namespace };
        this.groupArn = group.arn;
        this.launchTemplateId = template.id;
        this.instanceTags = pulumi.output(tags);
        this.registerOutputs({
            groupName: this.groupName,
            groupArn: this.groupArn,
            launchTemplateId: this.launchTemplateId,
            instanceTags: this.instanceTags,
        });
    }
}
