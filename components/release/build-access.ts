// What an image build may touch, as IAM statements of the builder tier's role and as the objects the S3 endpoint lets
// it reach (components/network/network.ts): the releases (read), its logs (write), the component documents of this
// stack's pipeline, Image Builder's inventory association, and nothing else.
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../compute/server-tier";
import type { ReleaseBuildObjects } from "../network/network";
import { viaService } from "../security/kms-conditions";

/** Where the build instance writes its logs in the logs bucket (InfrastructureConfiguration's s3Logs prefix). */
export const BUILD_LOGS_PREFIX = "image-builder";

export interface BuildBuckets {
    readonly artifactsBucketArn: pulumi.Input<string>;
    readonly logsBucketArn: pulumi.Input<string>;
}

/** The releases CI uploads (model/release.ts keys), and the build's log prefix. */
export function releaseBuildObjects(buckets: BuildBuckets): ReleaseBuildObjects {
    return {
        reads: pulumi.interpolate`${buckets.artifactsBucketArn}/releases/*`,
        writes: pulumi.interpolate`${buckets.logsBucketArn}/${BUILD_LOGS_PREFIX}/*`,
    };
}

export interface BuilderAccessArgs extends BuildBuckets {
    /** The storage key the artifacts bucket encrypts with (SSE-KMS): decrypted through S3 only. */
    readonly storageKeyArn: pulumi.Input<string>;
    /** Prefix of the pipeline's component names: the only documents the instance fetches. */
    readonly componentPrefix: string;
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
}

/**
 * The build instance's grants beyond the SSM agent's (ServerTier gives those), instead of AWS's
 * EC2InstanceProfileForImageBuilder (imagebuilder:GetComponent on every component, s3:GetObject on every
 * ec2imagebuilder* bucket, logs on /aws/imagebuilder/*:
 * https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-iam-awsmanpol.html) and
 * AmazonSSMManagedInstanceCore (Parameter Store and documents account-wide:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html):
 * - the release objects, decrypted through S3 (the artifacts bucket is SSE-KMS with the storage key);
 * - its log objects (the logs bucket is SSE-S3: no key to grant);
 * - this pipeline's component documents (AWSTOE fetches them by ARN), and AWSTOE's own log group, as the managed
 *   policy grants them;
 * - the State Manager actions the software-inventory association Image Builder creates on the instance runs
 *   (AWS-GatherSoftwareInventory, enhanced image metadata), from AmazonSSMManagedInstanceCore.
 */
export function builderStatements(args: BuilderAccessArgs): PolicyStatement[] {
    const objects = releaseBuildObjects(args);
    return [
        { Effect: "Allow", Action: "s3:GetObject", Resource: objects.reads },
        {
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: args.storageKeyArn,
            Condition: viaService("s3", args.region),
        },
        { Effect: "Allow", Action: "s3:PutObject", Resource: objects.writes },
        {
            Effect: "Allow",
            Action: "imagebuilder:GetComponent",
            Resource: pulumi.interpolate`arn:aws:imagebuilder:${args.region}:${args.accountId}:component/${args.componentPrefix}-*`,
        },
        {
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`arn:aws:logs:${args.region}:${args.accountId}:log-group:/aws/imagebuilder/*`,
        },
        {
            Effect: "Allow",
            Action: [
                "ssm:ListAssociations",
                "ssm:ListInstanceAssociations",
                "ssm:DescribeAssociation",
                "ssm:GetDocument",
                "ssm:DescribeDocument",
                "ssm:UpdateAssociationStatus",
                "ssm:UpdateInstanceAssociationStatus",
                "ssm:PutInventory",
            ],
            Resource: "*",
        },
    ];
}
