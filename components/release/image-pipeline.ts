// The EC2 Image Builder pipeline of the stack that builds release images (docs/release-image.md, "From a release to
// an image"): the component documents it is given, a recipe on Amazon Linux 2023, the build's infrastructure (the
// builder tier in a private subnet, logs to the logs bucket), the distribution (encrypted with the release-image key,
// tagged with the stack, its id written to the parameter the web tiers' launch templates read) and the pipeline,
// which has no schedule: CI starts it once a release is uploaded.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { RELEASE_IMAGE_TAG } from "../../policies/lib/contracts";
import { architectureOf } from "../../model/architecture";

/** One AWSTOE document (YAML) of the recipe, in build order. */
export interface ImageComponentDocument {
    readonly name: string;
    readonly description: string;
    readonly data: pulumi.Input<string>;
    /** Values of the document's parameters, given by the recipe (a bucket name the document cannot know). */
    readonly parameters?: Readonly<Record<string, pulumi.Input<string>>>;
}

export interface ImagePipelineArgs {
    /** The stack the images are for: their RELEASE_IMAGE_TAG and the start of their names. */
    readonly stack: string;
    readonly region: string;
    readonly components: readonly ImageComponentDocument[];
    /** The build and test instances' type (its architecture decides the parent image's). */
    readonly instanceType: string;
    readonly rootVolumeGb: number;
    /** The builder tier: its instance profile and security group. */
    readonly instanceProfileName: pulumi.Input<string>;
    readonly securityGroupId: pulumi.Input<string>;
    /** A private subnet (of the operations AZ, where the stack's interface endpoints are). */
    readonly subnetId: pulumi.Input<string>;
    /** Keep a failed build's instance instead of terminating it (its logs are in S3 either way). */
    readonly keepFailedBuilds: boolean;
    readonly logsBucketName: pulumi.Input<string>;
    readonly logsPrefix: string;
    /** The release-image key: the image's volumes and the distributed AMI. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The parameter the distribution writes the image id to (releaseImageParameter(stack)). */
    readonly parameterName: string;
    /** Accounts given launch permission on the image. */
    readonly shareWithAccounts: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
}

/** Image Builder's semantic version of every component and recipe: a change of content is a new name instead (below). */
const VERSION = "1.0.0";

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);
/** `<prefix>-<digest of the inputs>`, once every input is known. */
const namedByDigest = (prefix: string, inputs: object): pulumi.Output<string> =>
    pulumi.output(inputs).apply((resolved) => `${prefix}-${digest(JSON.stringify(resolved))}`);

export class ImagePipeline extends pulumi.ComponentResource {
    public readonly pipelineArn: pulumi.Output<string>;
    public readonly recipeArn: pulumi.Output<string>;
    public readonly infrastructureConfigurationArn: pulumi.Output<string>;
    public readonly distributionConfigurationArn: pulumi.Output<string>;

    constructor(name: string, args: ImagePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.components.length === 0) {
            throw new Error(`ImagePipeline ${name}: components must name at least one AWSTOE document`);
        }
        super("magento:release:ImagePipeline", name, {}, opts);
        const child = { parent: this };
        const tags = { ...args.tags, Name: name };

        // A component and a recipe are immutable name-and-version pairs in Image Builder, and every input but tags
        // replaces them (https://github.com/hashicorp/terraform-provider-aws/issues/28677): a replacement under the
        // same name would collide with the one it replaces, so each is named by a digest of all its other inputs (a
        // change creates the new one, moves the pipeline to it, then deletes the old).
        const components = args.components.map((doc) => {
            const inputs = {
                description: doc.description,
                platform: "Linux",
                supportedOsVersions: ["Amazon Linux 2023"],
                version: VERSION,
                data: doc.data,
            };
            return new aws.imagebuilder.Component(
                `${name}-${doc.name}`,
                { ...inputs, name: namedByDigest(`${name}-${doc.name}`, inputs), tags },
                child,
            );
        });
        // The parent image by AWS's public SSM parameter, as the servers boot it (components/compute/images.ts); Image
        // Builder resolves an `ssm:` parent at each build, so every build starts from the latest AL2023
        // (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateImageRecipe.html, parentImage).
        const parentImage = `ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architectureOf(args.instanceType)}`;
        const recipeInputs = {
            version: VERSION,
            parentImage,
            components: components.map((c, i) => ({
                componentArn: c.arn,
                parameters: Object.entries(args.components[i].parameters ?? {}).map(([name, value]) => ({
                    name,
                    value,
                })),
            })),
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    ebs: {
                        volumeSize: args.rootVolumeGb,
                        volumeType: "gp3",
                        encrypted: "true",
                        kmsKeyId: args.kmsKeyArn,
                        deleteOnTermination: "true",
                    },
                },
            ],
        };
        const recipe = new aws.imagebuilder.ImageRecipe(
            `${name}-recipe`,
            {
                ...recipeInputs,
                // Components by name (their content digest) rather than by the ARN AWS completes with a build number.
                name: namedByDigest(name, {
                    ...recipeInputs,
                    components: recipeInputs.components.map((c, i) => ({ ...c, componentArn: components[i].name })),
                }),
                tags,
            },
            child,
        );

        const infrastructure = new aws.imagebuilder.InfrastructureConfiguration(
            `${name}-infrastructure`,
            {
                name: `${name}-infrastructure`,
                description: `Build and test instances of the release images of ${args.stack}: the builder tier, private`,
                instanceProfileName: args.instanceProfileName,
                instanceTypes: [args.instanceType],
                securityGroupIds: [args.securityGroupId],
                subnetId: args.subnetId,
                // false keeps a failed build's instance (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateInfrastructureConfiguration.html).
                terminateInstanceOnFailure: !args.keepFailedBuilds,
                logging: { s3Logs: { s3BucketName: args.logsBucketName, s3KeyPrefix: args.logsPrefix } },
                instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
                resourceTags: tags,
                tags,
            },
            child,
        );

        // The distributed AMI is encrypted with the release-image key by Image Builder's service-linked role, whose
        // managed policy may use a key through EC2 (https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-iam-awsmanpol.html,
        // AWSServiceRoleForImageBuilder); the same role writes the image id to the parameter when the pipeline has no
        // workflow execution role (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cr-upd-ami-distribution-settings.html,
        // "Prerequisites for SSM output parameters"), which its managed policy allows below /imagebuilder/ only
        // (ssm:PutParameter on parameter/imagebuilder/*: model/release.ts names the parameter there).
        const distribution = new aws.imagebuilder.DistributionConfiguration(
            `${name}-distribution`,
            {
                name: `${name}-distribution`,
                description: `Release images of ${args.stack}: encrypted, tagged, their id in ${args.parameterName}`,
                distributions: [
                    {
                        region: args.region,
                        amiDistributionConfiguration: {
                            name: `${args.stack}-release-{{imagebuilder:buildDate}}`,
                            description: `Magento release image of ${args.stack}`,
                            amiTags: { ...args.tags, [RELEASE_IMAGE_TAG]: args.stack },
                            kmsKeyId: args.kmsKeyArn,
                            ...(args.shareWithAccounts.length > 0
                                ? { launchPermission: { userIds: [...args.shareWithAccounts] } }
                                : {}),
                        },
                        ssmParameterConfigurations: [{ parameterName: args.parameterName, dataType: "aws:ec2:image" }],
                    },
                ],
                tags,
            },
            child,
        );

        const pipeline = new aws.imagebuilder.ImagePipeline(
            `${name}-pipeline`,
            {
                name: `${name}-pipeline`,
                description: `Bakes the next release of ${args.stack} (releases/next.json) into an image; started by CI`,
                imageRecipeArn: recipe.arn,
                infrastructureConfigurationArn: infrastructure.arn,
                distributionConfigurationArn: distribution.arn,
                imageTestsConfiguration: { imageTestsEnabled: true, timeoutMinutes: 60 },
                enhancedImageMetadataEnabled: true,
                status: "ENABLED",
                tags,
            },
            child,
        );

        this.pipelineArn = pipeline.arn;
        this.recipeArn = recipe.arn;
        this.infrastructureConfigurationArn = infrastructure.arn;
        this.distributionConfigurationArn = distribution.arn;
        this.registerOutputs({ pipelineArn: this.pipelineArn });
    }
}
