// Release images (docs/release-image.md): the release-image key and the lifecycle of the images in every stack; in
// the stack that builds (magento:releaseImageBuilds), the builder tier and the Image Builder pipeline that bakes the
// releases CI uploads to the artifacts bucket, its image id written to the parameter the web tiers boot from.
import * as pulumi from "@pulumi/pulumi";
import { BUILD_LOGS_PREFIX, builderStatements } from "../components/release/build-access";
import { ServerTier } from "../components/compute/server-tier";
import { ImagePipeline } from "../components/release/image-pipeline";
import { ImageLifecycle } from "../components/release/image-lifecycle";
import { ReleaseRunner } from "../components/release/release-runner";
import { DataKey } from "../components/security/data-key";
import { ARTIFACTS_BUCKET_PARAMETER, imageComponents, renderComponent } from "../model/image-components";
import { releaseImageParameter } from "../model/release";
import { StackContext } from "./context";
import { NetworkLayer } from "./network";
import { Keys, Telemetry } from "./security";
import { StorageLayer } from "./storage";
import { ServerTiers } from "./tiers";
import { Watch } from "./monitoring";
import { WebServers } from "./web";

export interface ReleaseLayer {
    /** Encrypts the release images (and the volumes launched from them are re-encrypted with the storage key). */
    readonly imageKeyArn: pulumi.Output<string>;
    /** The pipeline CI starts; undefined in a stack that does not build. */
    readonly pipeline: ImagePipeline | undefined;
    readonly lifecycle: ImageLifecycle;
}

/** The build and test instances' type: compiling DI and deploying static content want cores and memory. */
const BUILDER_INSTANCE_TYPE = "c6i.xlarge";

export function releaseImages(
    { config, prefix, accountId }: StackContext,
    { network: vpc }: NetworkLayer,
    tiers: ServerTiers,
    keys: Keys,
    { buckets }: StorageLayer,
): ReleaseLayer {
    const { tags, release } = config;
    // The builder tier (infra/tiers.ts): egress only, and only to the endpoints and S3's prefix list. Packages come from
    // AL2023's repositories in S3, the release from the artifacts bucket, Image Builder's documents from its endpoint;
    // nothing needs the internet.
    const { builder } = tiers;
    // Its own key (not the storage key): shared accounts may use it to launch and copy images, never to read data.
    // Image Builder's service-linked role uses it through its managed policy (EC2 only, EBS context), which the key's
    // IAM delegation admits; Auto Scaling's role is named, as for every data key (components/security/data-key.ts).
    const imageKey = new DataKey(`${prefix}-release-image`, {
        alias: `${prefix}-release-image`,
        purpose: "Release images (AMIs and their snapshots)",
        accountId,
        autoScalingRoleArn: keys.linkedRoles.roleArns["autoscaling.amazonaws.com"],
        serverRoleArns: tiers.roleArns, // the builder's among them
        sharedWithAccounts: release.shareWithAccounts,
        tags,
    });
    const pipeline = builder ? buildPipeline(`${prefix}-release`, imageKey.keyArn, builder) : undefined;
    const lifecycle = new ImageLifecycle(`${prefix}-release-images`, {
        stack: config.stack,
        imagesKept: release.imagesKept,
        tags,
    });
    return { imageKeyArn: imageKey.keyArn, pipeline, lifecycle };

    function buildPipeline(name: string, kmsKeyArn: pulumi.Output<string>, tier: ServerTier) {
        tier.grant(
            "release-build",
            builderStatements({
                artifactsBucketArn: buckets.artifactsBucketArn,
                logsBucketArn: buckets.logsBucketArn,
                storageKeyArn: keys.storage,
                componentPrefix: name,
                region: config.region,
                accountId,
            }),
        );
        return new ImagePipeline(name, {
            stack: config.stack,
            region: config.region,
            // The release image's documents (model/image-components.ts); the release's names its bucket by parameter.
            components: imageComponents({ staticContent: release.staticContent, region: config.region }).map((c) => ({
                name: c.name,
                description: c.description,
                data: renderComponent(c.document),
                parameters:
                    c.name === "release" ? { [ARTIFACTS_BUCKET_PARAMETER]: buckets.artifactsBucketName } : undefined,
            })),
            instanceType: BUILDER_INSTANCE_TYPE,
            rootVolumeGb: 30,
            instanceProfileName: tier.instanceProfileName,
            securityGroupId: tier.securityGroupId,
            subnetId: vpc.privateSubnetIdsByAz[config.network.operationsAz],
            keepFailedBuilds: release.keepFailedBuilds,
            logsBucketName: buckets.logsBucketName,
            logsPrefix: BUILD_LOGS_PREFIX,
            kmsKeyArn,
            parameterName: releaseImageParameter(config.stack),
            shareWithAccounts: release.shareWithAccounts,
            tags,
        });
    }
}

/** Seconds each of the runner's waiting steps may take (docs/releasing.md, "Steps and their bounds"). */
const RUNNER_TIMEOUTS = {
    imageBuild: 3 * 3600, // a build and its tests (Image Builder's own timeouts are within it)
    imageCopy: 3600,
    refresh: 2 * 3600, // per group: servers replaced one warm-up at a time at 100% healthy
    command: 15 * 60, // maintenance, db:status, cache:flush
    upgrade: 2 * 3600, // setup:upgrade on a large catalogue
};
/** The front-end alarms whose ALARM fails (and rolls back) its refresh: its servers' 5xx rate (monitoring's names). */
const FRONT_END_ALARM_SUFFIX = "-frontend-5xx-rate";

/** The release runner (docs/releasing.md): the state machine every trigger starts, driving the two web groups. */
export function releaseRunner(
    { config, prefix, accountId }: StackContext,
    tiers: ServerTiers,
    telemetry: Telemetry,
    release: ReleaseLayer,
    web: WebServers,
    topicArn: pulumi.Input<string>,
    watch: Watch,
): ReleaseRunner {
    const group = (g: WebServers["frontEnd"]) =>
        pulumi.output({ groupName: g.groupName, launchTemplateId: g.launchTemplateId, instanceTags: g.instanceTags });
    return new ReleaseRunner(`${prefix}-release-runner`, {
        prefix,
        targets: {
            stack: config.stack,
            region: config.region,
            accountId,
            topicArn,
            frontEnd: group(web.frontEnd),
            backOffice: group(web.backOffice),
            webTiers: [tiers.web.tier, tiers.backOffice.tier],
            pipelineArn: release.pipeline?.pipelineArn,
            imageKeyArn: release.imageKeyArn,
            promotionSource: config.release.promotionSource,
            imagesKept: config.release.imagesKept,
            frontEndAlarms: pulumi
                .all(watch.alarms.map((a) => a.name))
                .apply((names) => names.filter((n) => n.endsWith(FRONT_END_ALARM_SUFFIX))),
            timeouts: RUNNER_TIMEOUTS,
        },
        webRoleArns: [tiers.web.roleArn, tiers.backOffice.roleArn],
        telemetryKeyArn: telemetry.keyArn,
        // The stack's own topic is encrypted with the telemetry key (infra/monitoring.ts); a named one is its owner's.
        topicKeyArn: config.alarmTopicArn ? undefined : telemetry.keyArn,
        tags: config.tags,
    });
}
