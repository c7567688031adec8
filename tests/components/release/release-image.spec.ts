// The release image's pipeline and its access as an operator checks them (docs/release-image.md, "From a release to an
// image"): only the stack that builds has a pipeline; its build runs in a private subnet of its own tier, reaching AWS
// through the endpoints only; the image is encrypted with the release-image key, tagged with the stack and its id
// written to the parameter the web tiers read; failed builds are kept or not by the stack key; every stack keeps its
// last N images.
import * as assert from "assert";
import { LAST_LAUNCHED_DAYS } from "../../../components/release/image-lifecycle";
import { releaseImageParameter } from "../../../model/release";
import { StateResource } from "../../../offline/state";
import { RELEASE_IMAGE_TAG } from "../../../policies/lib/contracts";
import {
    EC2_VPC_ENDPOINT,
    EC2_VPC_ENDPOINT_POLICY,
    IAM_INSTANCE_PROFILE,
    IMAGEBUILDER_COMPONENT,
    IMAGEBUILDER_DISTRIBUTION_CONFIGURATION,
    IMAGEBUILDER_IMAGE_PIPELINE,
    IMAGEBUILDER_IMAGE_RECIPE,
    IMAGEBUILDER_INFRASTRUCTURE_CONFIGURATION,
    IMAGEBUILDER_LIFECYCLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    KMS_KEY,
    S3_BUCKET,
    VPC_SECURITY_GROUP_EGRESS_RULE,
    VPC_SECURITY_GROUP_INGRESS_RULE,
    EC2_SECURITY_GROUP,
} from "../../../policies/lib/types";
import { named } from "../../helpers/reachability";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";

const KEEP_FAILED = { changes: { "magento:keepFailedBuilds": true } };
const SHARED = { preview: false, changes: { "magento:releaseImageAccounts": ["210987654321"] } };
prefetch(["preprod", { preview: false }], ["prod", { preview: false }], ["preprod", KEEP_FAILED], ["preprod", SHARED]);

const only = (r: StateResource[], type: string): StateResource => {
    const found = ofType(r, type);
    assert.strictEqual(found.length, 1, `one ${type}, found ${found.length}`);
    return found[0];
};
const inputs = <T = Record<string, unknown>>(r: StateResource) => r.inputs as T;
const PIPELINE_TYPES = [
    IMAGEBUILDER_COMPONENT,
    IMAGEBUILDER_IMAGE_RECIPE,
    IMAGEBUILDER_INFRASTRUCTURE_CONFIGURATION,
    IMAGEBUILDER_DISTRIBUTION_CONFIGURATION,
    IMAGEBUILDER_IMAGE_PIPELINE,
];

describe("release image pipeline", () => {
    it("only the stack that builds (preprod) has the pipeline; both keep their images and the parameter contract", async () => {
        const [preprod, prod] = [await stackResources("preprod"), await stackResources("prod")];
        for (const type of PIPELINE_TYPES) {
            assert.ok(ofType(preprod, type).length >= 1, `preprod has ${type}`);
            assert.deepStrictEqual(ofType(prod, type), [], `prod builds nothing: ${type}`);
        }
        assert.strictEqual(ofType(prod, IMAGEBUILDER_LIFECYCLE_POLICY).length, 1);
        assert.strictEqual(ofType(preprod, IMAGEBUILDER_LIFECYCLE_POLICY).length, 1);
        assert.ok(
            !ofType(prod, EC2_SECURITY_GROUP).some((g) => g.urn.endsWith("-builder-sg")),
            "no builder tier in prod",
        );
    });

    it("builds on Amazon Linux 2023 by AWS's public parameter, root volume encrypted with the release-image key", async () => {
        const r = await stackResources("preprod");
        const recipe = only(r, IMAGEBUILDER_IMAGE_RECIPE);
        assert.strictEqual(
            inputs(recipe).parentImage,
            "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        );
        const [root] = inputs<{ blockDeviceMappings: { deviceName: string; ebs: Record<string, unknown> }[] }>(
            recipe,
        ).blockDeviceMappings;
        assert.deepStrictEqual(
            [root.deviceName, root.ebs.encrypted, root.ebs.volumeType],
            ["/dev/xvda", "true", "gp3"],
        );
        assert.ok(via(r, recipe, "blockDeviceMappings").includes(named(r, KMS_KEY, "release-image-key")));
        // Every component document of the recipe, in order; each named by its content (a change is a new component).
        // The release's document names the artifacts bucket by a parameter the recipe gives.
        const given = via(r, recipe, "components");
        assert.deepStrictEqual(
            given.filter((c) => c.type === IMAGEBUILDER_COMPONENT).map((c) => c.urn),
            ofType(r, IMAGEBUILDER_COMPONENT).map((c) => c.urn),
        );
        assert.deepStrictEqual(
            given.filter((c) => c.type !== IMAGEBUILDER_COMPONENT).map((c) => c.urn.split("::").pop()),
            ["magento-preprod-buckets-artifacts"],
        );
        assert.deepStrictEqual(
            inputs<{ components: { parameters?: { name: string }[] }[] }>(recipe).components.map((c) =>
                (c.parameters ?? []).map((p) => p.name),
            ),
            [[], ["ArtifactsBucket"], [], []],
        );
        for (const component of ofType(r, IMAGEBUILDER_COMPONENT)) {
            assert.match(
                String(inputs(component).name),
                /^magento-preprod-release-(web-stack|release|web-config|image-test)-[0-9a-f]{10}$/,
            );
            assert.strictEqual(inputs(component).platform, "Linux");
        }
    });

    it("builds in a private subnet of the operations AZ as the builder tier, IMDSv2 only, logging to the logs bucket", async () => {
        const r = await stackResources("preprod");
        const infra = only(r, IMAGEBUILDER_INFRASTRUCTURE_CONFIGURATION);
        assert.deepStrictEqual(
            via(r, infra, "subnetId").map((s) => s.urn.split("::").pop()),
            ["magento-preprod-private-a"],
        );
        assert.ok(via(r, infra, "securityGroupIds").includes(named(r, EC2_SECURITY_GROUP, "builder-sg")));
        assert.ok(via(r, infra, "instanceProfileName").includes(named(r, IAM_INSTANCE_PROFILE, "builder-profile")));
        assert.deepStrictEqual(inputs(infra).instanceMetadataOptions, {
            httpPutResponseHopLimit: 1,
            httpTokens: "required",
        });
        assert.strictEqual(
            inputs<{ logging: { s3Logs: { s3KeyPrefix: string } } }>(infra).logging.s3Logs.s3KeyPrefix,
            "image-builder",
        );
        assert.ok(via(r, infra, "logging").includes(named(r, S3_BUCKET, "buckets-logs")));
    });

    it("terminates a failed build's instance (its logs are in the logs bucket) unless keepFailedBuilds is true", async () => {
        const terminated = only(await stackResources("preprod"), IMAGEBUILDER_INFRASTRUCTURE_CONFIGURATION);
        const kept = only(await stackResources("preprod", KEEP_FAILED), IMAGEBUILDER_INFRASTRUCTURE_CONFIGURATION);
        assert.strictEqual(inputs(kept).terminateInstanceOnFailure, false);
        assert.strictEqual(inputs(terminated).terminateInstanceOnFailure, true);
    });

    it("the builder tier admits nothing and reaches only the VPC endpoints and S3, never the internet", async () => {
        const r = await stackResources("preprod");
        const group = named(r, EC2_SECURITY_GROUP, "builder-sg");
        const rules = (type: string) => ofType(r, type).filter((x) => via(r, x, "securityGroupId").includes(group));
        assert.deepStrictEqual(rules(VPC_SECURITY_GROUP_INGRESS_RULE), []);
        const egress = rules(VPC_SECURITY_GROUP_EGRESS_RULE);
        assert.deepStrictEqual(egress.map((e) => e.urn.split("::").pop()).sort(), [
            "magento-preprod-builder-to-endpoints",
            "magento-preprod-builder-to-s3",
        ]);
        assert.ok(egress.every((e) => inputs(e).cidrIpv4 === undefined && inputs(e).fromPort === 443));
    });

    it("preprod has an Image Builder endpoint and lets the build read AWSTOE, Image Builder's components and the releases through S3", async () => {
        const [preprod, prod] = [
            await stackResources("preprod", { preview: false }),
            await stackResources("prod", { preview: false }),
        ];
        const endpoints = (r: StateResource[]) =>
            ofType(r, EC2_VPC_ENDPOINT)
                .map((e) => String(inputs(e).serviceName))
                .filter((s) => s.endsWith(".imagebuilder"));
        assert.deepStrictEqual(endpoints(preprod), ["com.amazonaws.eu-west-3.imagebuilder"]);
        assert.deepStrictEqual(endpoints(prod), []);
        const statements = (r: StateResource[]) =>
            Object.fromEntries(
                (
                    JSON.parse(String(inputs(only(r, EC2_VPC_ENDPOINT_POLICY)).policy)) as {
                        Statement: { Sid: string; Action: string; Resource: string | string[] }[];
                    }
                ).Statement.map((s) => [s.Sid, s]),
            );
        const build = statements(preprod);
        const arn = (bucket: string) => String(named(preprod, S3_BUCKET, bucket).outputs!.arn);
        const [artifacts, logs] = [arn("buckets-artifacts"), arn("buckets-logs")];
        assert.deepStrictEqual(build.ReleaseBuild.Resource, [
            `${artifacts}/releases/*`,
            "arn:aws:s3:::ec2imagebuilder-toe-eu-west-3-prod/*",
            "arn:aws:s3:::ec2imagebuilder-managed-resources-eu-west-3-prod/components/*",
        ]);
        assert.deepStrictEqual(
            [build.ReleaseBuildLogs.Action, build.ReleaseBuildLogs.Resource],
            ["s3:PutObject", `${logs}/image-builder/*`],
        );
        assert.deepStrictEqual(Object.keys(statements(prod)), ["StackBuckets", "AwsPackagesAndAgents"]);
    });

    it("distributes an encrypted AMI named by stack and build date, tagged with the stack, its id in the release parameter", async () => {
        const r = await stackResources("preprod");
        const distribution = only(r, IMAGEBUILDER_DISTRIBUTION_CONFIGURATION);
        const [target] = inputs<{ distributions: Record<string, Record<string, unknown>>[] }>(
            distribution,
        ).distributions;
        const ami = target.amiDistributionConfiguration;
        assert.strictEqual(ami.name, "preprod-release-{{imagebuilder:buildDate}}");
        assert.strictEqual((ami.amiTags as Record<string, string>)[RELEASE_IMAGE_TAG], "preprod");
        assert.ok(via(r, distribution, "distributions").includes(named(r, KMS_KEY, "release-image-key")));
        assert.strictEqual(ami.launchPermission, undefined, "shared with no account by default");
        assert.deepStrictEqual(target.ssmParameterConfigurations, [
            { parameterName: releaseImageParameter("preprod"), dataType: "aws:ec2:image" },
        ]);
    });

    it("shares the image with releaseImageAccounts: launch permission, and use of the key to launch and copy it", async () => {
        const r = await stackResources("preprod", SHARED);
        const [target] = inputs<{ distributions: Record<string, Record<string, unknown>>[] }>(
            only(r, IMAGEBUILDER_DISTRIBUTION_CONFIGURATION),
        ).distributions;
        assert.deepStrictEqual(target.amiDistributionConfiguration.launchPermission, { userIds: ["210987654321"] });
        const policy = JSON.parse(String(inputs(named(r, KMS_KEY, "release-image-key")).policy)) as {
            Statement: { Sid: string; Principal: unknown; Action: unknown }[];
        };
        const shared = policy.Statement.filter((s) => s.Sid.startsWith("SharedImages"));
        assert.deepStrictEqual(
            shared.map((s) => [s.Principal, s.Action]),
            [
                [{ AWS: ["arn:aws:iam::210987654321:root"] }, ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncrypt*"]],
                [{ AWS: ["arn:aws:iam::210987654321:root"] }, "kms:CreateGrant"],
            ],
        );
    });

    it("runs when CI starts it (no schedule), and tests the image before distributing it", async () => {
        const pipeline = only(await stackResources("preprod"), IMAGEBUILDER_IMAGE_PIPELINE);
        assert.strictEqual(inputs(pipeline).schedule, undefined);
        assert.deepStrictEqual(inputs(pipeline).imageTestsConfiguration, {
            imageTestsEnabled: true,
            timeoutMinutes: 60,
        });
        assert.strictEqual(inputs(pipeline).status, "ENABLED");
    });

    it("keeps the last releaseImagesKept images of the stack (10 in prod, 5 in preprod) and any launched from lately, deleting older AMIs with their snapshots", async () => {
        for (const [stack, kept] of [
            ["prod", 10],
            ["preprod", 5],
        ] as const) {
            const r = await stackResources(stack);
            const policy = only(r, IMAGEBUILDER_LIFECYCLE_POLICY);
            assert.strictEqual(inputs(policy).resourceType, "AMI_IMAGE");
            assert.deepStrictEqual(inputs(policy).resourceSelection, { tagMap: { [RELEASE_IMAGE_TAG]: stack } });
            assert.deepStrictEqual(inputs(policy).policyDetails, [
                {
                    action: { type: "DELETE", includeResources: { amis: true, snapshots: true } },
                    filter: { type: "COUNT", value: kept },
                    // The image the web tiers boot, however many builds came after it, while they launch from it.
                    exclusionRules: { amis: { lastLaunched: { unit: "DAYS", value: LAST_LAUNCHED_DAYS } } },
                },
            ]);
            const attachment = ofType(r, IAM_ROLE_POLICY_ATTACHMENT).find((a) =>
                a.urn.endsWith("release-images-execution"),
            )!;
            // Trusted as AWS documents the lifecycle role: the service, no condition it might not meet.
            const role = ofType(r, "aws:iam/role:Role").find((x) => x.urn.endsWith("release-images-role"))!;
            assert.deepStrictEqual(JSON.parse(String(inputs(role).assumeRolePolicy)).Statement, [
                { Effect: "Allow", Principal: { Service: "imagebuilder.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            assert.strictEqual(
                inputs(attachment).policyArn,
                "arn:aws:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy",
            );
        }
    });
});
