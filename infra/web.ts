// The web tier: one load balancer and its WAF in front (after CloudFront, before the public names: infra/edge.ts), then
// the servers: the front end scaling over every AZ, the back office as one server; both boot the release image, mount
// the shared folders and read the parameters.
import * as pulumi from "@pulumi/pulumi";
import { agentBoot, MAGENTO_LOGS, requireTelemetry } from "../components/compute/cloudwatch-agent";
import { ReleaseImageChoice, releaseImage } from "../components/compute/images";
import { ServerTier } from "../components/compute/server-tier";
import { viaService } from "../components/security/kms-conditions";
import { sharedMountsTag, sharesOf } from "../components/storage/shares";
import { LoadBalancer } from "../components/web/load-balancer";
import { WebAcl } from "../components/web/web-acl";
import { redisUsages } from "../components/web/env-php";
import { webBootConfig, WebRole } from "../components/web/web-boot";
import { launchHookName, WebGroup } from "../components/web/web-group";
import { campaignPlan } from "../model/campaigns";
import { releaseImageParameter, releaseRecordParameter } from "../model/release";
import { SIDE_APPS, sideAppHost } from "../model/side-apps";
import { StackContext } from "./context";
import { AppSettings, DataLayer } from "./data";
import { CdnEdge, EdgeCertificates } from "./edge";
import { NetworkLayer } from "./network";
import { Keys, Telemetry } from "./security";
import { StorageLayer } from "./storage";
import { ServerTiers } from "./tiers";

export interface LoadBalancing {
    readonly loadBalancer: LoadBalancer;
    /** The WAF in front of the load balancer, unless magento:waf is off. */
    readonly webAcl: WebAcl | undefined;
}

/** The load balancer in the public subnets, with the edge's certificates and the CDN's secret header, and its WAF. */
export function loadBalancing(
    { config, prefix, accountId }: StackContext,
    { network: vpc }: NetworkLayer,
    tiers: ServerTiers,
    edge: EdgeCertificates,
    cdn: CdnEdge,
    storage: StorageLayer,
    telemetry: Telemetry,
): LoadBalancing {
    const { tags } = config;
    const { buckets } = storage;
    const loadBalancer = new LoadBalancer(`${prefix}-shop`, {
        vpcId: vpc.vpcId,
        subnetIds: vpc.publicSubnetIds,
        certificateArn: edge.certificates.loadBalancerCertificateArn,
        extraCertificateArns: edge.certificates.extraCertificateArns,
        formerCertificateIndex: config.edge.plan.former.listenerIndexOf,
        adminPath: config.web.adminPath,
        adminSources: config.operatorCidrs, // not the VPN's clients: they reach the internet directly (docs/admin.md)
        cdnPaths: cdn.cdnPaths,
        originVerify: cdn.originVerify,
        targetSecurityGroupIds: { frontend: tiers.web.securityGroupId, backoffice: tiers.backOffice.securityGroupId },
        accessLogsBucket: buckets.logsBucketName,
        accessLogsDependsOn: [buckets], // its logs bucket policy among them
        deletionProtection: config.production,
        tags,
    });
    const webAcl = config.web.waf
        ? new WebAcl(`${prefix}-waf`, {
              resourceArn: loadBalancer.arn,
              ratePerIpPer5Min: 2000,
              originVerify: cdn.originVerify,
              cdnPaths: Object.values(config.edge.originPaths),
              largeBodyPaths: loadBalancer.adminPaths,
              adminPath: config.web.adminPath,
              adminSources: config.operatorCidrs,
              sideApps: SIDE_APPS.map((app) => ({
                  name: app.name,
                  host: sideAppHost(app, config.domain),
                  adminPaths: app.adminPaths,
              })),
              logKeyArn: telemetry.keyArn,
              accountId,
              region: config.region,
              tags,
          })
        : undefined;
    return { loadBalancer, webAcl };
}

export interface WebServers {
    readonly frontEnd: WebGroup;
    readonly backOffice: WebGroup;
    /** What the web tiers boot: the release record's name, `pinned`, another parameter's name, or `none` (no release
     *  yet). */
    readonly releaseImage: Promise<string>;
}

export function webServers(
    { config, prefix }: StackContext,
    { network: vpc }: NetworkLayer,
    tiers: ServerTiers,
    keys: Keys,
    data: DataLayer,
    app: AppSettings,
    storage: StorageLayer,
    { loadBalancer }: LoadBalancing,
): WebServers {
    const { tags } = config;
    const { parameters, credentials } = app;
    const { buckets, shared } = storage;
    // Each web tier's boot policy: its parameters and the secrets they name (Magento's own users and Redis AUTH, never a
    // master's), the secrets key only through Secrets Manager (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
    // One policy per tier: the front end and the back office run the same Magento and need the same secrets today; the
    // release's setup step, which needs the masters, runs on Rundeck (infra/operations.ts).
    const bootReads = (secrets: pulumi.Input<string>[]) => [
        { Effect: "Allow" as const, Action: "ssm:GetParametersByPath", Resource: parameters.pathArn },
        {
            Effect: "Allow" as const,
            Action: ["ssm:GetParameters", "ssm:GetParameter"],
            Resource: parameters.parameterArns,
        },
        { Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: secrets },
        {
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: keys.secrets,
            Condition: viaService("secretsmanager", config.region),
        },
    ];
    const magentoSecrets = [
        credentials.databaseSecretArn,
        credentials.searchSecretArn,
        credentials.cryptKeySecretArn, // Magento's crypt key: env.php's crypt.key
        ...Object.values(data.caches).map((c) => c.authTokenSecretArn),
    ];
    tiers.web.grant("boot-reads", bootReads(magentoSecrets));
    tiers.backOffice.grant("boot-reads", bootReads(magentoSecrets));
    // The configuration bucket is read-only for both (the release puts it there); scratch files (imports, exports) are
    // the back office's alone. SSE-KMS objects need the key, through S3 only: Decrypt to read, GenerateDataKey to write.
    const readConfig = [
        { Effect: "Allow" as const, Action: "s3:ListBucket", Resource: buckets.configBucketArn },
        {
            Effect: "Allow" as const,
            Action: "s3:GetObject",
            Resource: pulumi.interpolate`${buckets.configBucketArn}/*`,
        },
        {
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: keys.storage,
            Condition: viaService("s3", config.region),
        },
    ];
    tiers.web.grant("config-bucket", readConfig);
    tiers.backOffice.grant("config-bucket", [
        ...readConfig,
        { Effect: "Allow" as const, Action: "s3:ListBucket", Resource: buckets.tempBucketArn },
        {
            Effect: "Allow" as const,
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: pulumi.interpolate`${buckets.tempBucketArn}/*`,
        },
        {
            Effect: "Allow" as const,
            Action: "kms:GenerateDataKey",
            Resource: keys.storage,
            Condition: viaService("s3", config.region),
        },
    ]);

    // Each tier mounts its own shares: the order exports are the back office's alone (components/storage/shares.ts).
    const redis = redisUsages(Object.keys(data.caches));
    const webUserData = (group: ServerTier, role: WebRole, launchHook?: string) =>
        pulumi.all(shared.mountSources).apply((sources) =>
            webBootConfig({
                role,
                redis,
                mounts: sharesOf(group.tier, shared.shares).map((share) => ({ share, source: sources[share.name] })),
                parameterPath: parameters.prefix,
                region: config.region,
                launchHook,
                agent: agentBoot({ telemetry: requireTelemetry(role, group), logs: MAGENTO_LOGS }),
            }),
        );
    const webGroup = (group: ServerTier, instanceType: string, target: "frontend" | "backoffice", hook?: string) => ({
        placement: { vpcId: vpc.vpcId, subnetIdsByAz: vpc.privateSubnetIdsByAz, kmsKeyArn: keys.storage, tags },
        runsAs: group,
        ...bootImage(instanceType),
        instanceType,
        rootVolumeGb: 30,
        userData: webUserData(group, target, hook),
        sharedMounts: sharedMountsTag(sharesOf(group.tier, shared.shares)),
        targetGroupArn: loadBalancer.targetGroups[target].arn,
        bootDependsOn: [shared, parameters], // servers mount the shares and read the parameters at boot
    });
    // The front end's burst readiness (docs/burst.md): its warm pool, whose servers report their boot to the group's
    // launch hook, and the campaign windows still to come, read against this `up`'s clock.
    const warm = config.burst.warmPool;
    const hook = warm > 0 ? launchHookName(`${prefix}-frontend`) : undefined;
    const campaigns = campaignPlan(config.burst.campaigns, config.web.minSize, new Date());
    campaigns.notes.forEach((note) => void pulumi.log.info(note));
    const frontEndGroup = webGroup(tiers.web, config.instanceTypes.web, "frontend", hook);
    const frontEnd = new WebGroup(`${prefix}-frontend`, {
        ...frontEndGroup,
        minSize: untilReleased(frontEndGroup.image, campaigns.minSize, 0),
        maxSize: untilReleased(frontEndGroup.image, config.web.maxSize, 0),
        scaling: {
            cpuTargetPercent: 60,
            requestsPerTarget: 1000,
            requestCountLabel: pulumi.interpolate`${loadBalancer.arnSuffix}/${loadBalancer.targetGroups.frontend.arnSuffix}`,
        },
        schedule: untilReleased(frontEndGroup.image, config.web.schedule, []),
        minimumChanges: untilReleased(frontEndGroup.image, campaigns.changes, []),
        // Before the first release the pool holds nothing, as the group does.
        warmPool:
            warm > 0
                ? {
                      size: untilReleased(frontEndGroup.image, warm, 0),
                      maxPrepared: untilReleased(frontEndGroup.image, config.web.minSize + warm, 0),
                  }
                : undefined,
    });
    if (hook) {
        // Its boot completes the hook (web-boot.ts, magento-ready): it finds its group and state first. Describe calls
        // take no resource (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html).
        tiers.web.grant("launch-hook", [
            { Effect: "Allow" as const, Action: "autoscaling:DescribeAutoScalingInstances", Resource: "*" },
            { Effect: "Allow" as const, Action: "autoscaling:CompleteLifecycleAction", Resource: frontEnd.groupArn },
        ]);
    }
    const backOfficeGroup = webGroup(tiers.backOffice, config.instanceTypes.backOffice, "backoffice");
    const backOffice = new WebGroup(`${prefix}-backoffice`, {
        ...backOfficeGroup,
        // One server runs cron and the indexers (two would run every job twice); the group replaces it in another AZ.
        minSize: untilReleased(backOfficeGroup.image, 1, 0),
        maxSize: untilReleased(backOfficeGroup.image, 1, 0),
        schedule: [],
    });
    return { frontEnd, backOffice, releaseImage: frontEndGroup.image.source };

    // The image the runner released (components/compute/images.ts), or before the first release the stock image of
    // the type's architecture, which no server boots. The candidate parameter is the runner's input only.
    function bootImage(instanceType: string): {
        image: ReleaseImageChoice;
        imageSource: Promise<string>;
        releaseVersion: Promise<string>;
    } {
        const own = {
            candidate: releaseImageParameter(config.stack),
            record: releaseRecordParameter(config.stack, "current"),
        };
        const image = releaseImage(config.web.image, own, instanceType);
        return { image, imageSource: image.source, releaseVersion: image.version };
    }
}

/** A group's setting once a release image exists; before it (a fresh stack's first up), the one that keeps no server:
 *  no bounds, so neither load nor a schedule launches one from a bare OS image (docs/release-image.md). */
function untilReleased<T>(image: ReleaseImageChoice, value: T, none: T): Promise<T> {
    return image.released.then((released) => (released ? value : none));
}
