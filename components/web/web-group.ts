// A group of Magento web servers: a launch template (the release image, IMDSv2, encrypted root, no public address,
// SSM instead of SSH) and an autoscaling group over every private subnet behind a target group. A new image or
// template version rolls out by instance refresh: new servers join and pass the load balancer's health check before
// old ones leave (100% minimum healthy), so capacity never drops during a release.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAUNCH_IMAGE_TAG, RELEASE_VERSION_TAG, SHARED_MOUNTS_TAG, TIER_TAG } from "../../policies/lib/contracts";
import { CloudConfig, renderCloudConfig } from "../compute/cloud-init";
import { ServerSpec, subnetIds } from "../compute/placement";

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
}

export interface ScheduledBounds {
    readonly recurrence: string;
    readonly minSize: number;
    readonly maxSize: number;
}

/** Seconds a new server gets (boot, mounts, PHP warm-up) before failed health checks replace it. */
export const HEALTH_CHECK_GRACE_SECONDS = 300;

export class WebGroup extends pulumi.ComponentResource {
    public readonly groupName: pulumi.Output<string>;
    public readonly launchTemplateId: pulumi.Output<string>;
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
                userData: pulumi
                    .output(args.userData)
                    .apply((config) => Buffer.from(renderCloudConfig(config as CloudConfig)).toString("base64")),
                updateDefaultVersion: true,
                tagSpecifications: [
                    { resourceType: "instance", tags: { ...tags, [RELEASE_VERSION_TAG]: args.releaseVersion } },
                    ...["volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
                ],
                tags: { ...tags, [SHARED_MOUNTS_TAG]: args.sharedMounts, [LAUNCH_IMAGE_TAG]: args.imageSource },
            },
            { ...child, ignoreChanges: args.image.ignoreImageDrift ? ["imageId"] : [] },
        );

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
                defaultInstanceWarmup: 120,
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
                tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
            },
            { ...child, dependsOn: args.bootDependsOn, ignoreChanges: ["desiredCapacity"] },
        ); // scaling owns the desired count, not the program

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

        this.groupName = group.name;
        this.launchTemplateId = template.id;
        this.instanceTags = pulumi.output(tags);
        this.registerOutputs({
            groupName: this.groupName,
            launchTemplateId: this.launchTemplateId,
            instanceTags: this.instanceTags,
        });
    }
}
