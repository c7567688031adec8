// One private S3 bucket with the baseline every bucket of the estate gets: no public access, ACLs disabled, default
// encryption, TLS-only access, and optionally versioning and expiry. Built from the separate aws.s3 configuration
// resources (the inline Bucket arguments are deprecated in @pulumi/aws 7) so that policy packs see each setting.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecureBucketArgs {
    /** Keep every version of every object (recovery from overwrites and deletes). */
    readonly versioned: boolean;
    /** Days after which current objects expire; absent: objects are kept until deleted. */
    readonly expireAfterDays?: number;
    /** Default encryption: the stack's KMS key, or S3-managed keys (the only kind load-balancer access logs support). */
    readonly encryption: "kms" | "s3";
    /** The KMS key for encryption "kms"; must be absent for "s3". */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Statements added to the bucket policy (e.g. log delivery grants), given the bucket's ARN. */
    readonly extraPolicyStatements?: (bucketArn: pulumi.Output<string>) => pulumi.Input<object[]>;
    /** Protect the bucket from deletion by Pulumi: true for buckets holding data, false for temporary storage. */
    readonly protect: boolean;
    /** Tags for the bucket. */
    readonly tags: Readonly<Record<string, string>>;
}

/** Days a deleted or overwritten version stays recoverable when the bucket also expires objects. */
export const NONCURRENT_VERSION_DAYS = 30;
/** Days before S3 discards the parts of a multipart upload that was never completed (they are billed meanwhile). */
export const INCOMPLETE_UPLOAD_DAYS = 7;

/** The statement that refuses every request made without TLS, on the bucket and on its objects. */
export function denyInsecureTransport(bucketArn: string): object {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** Problems with a SecureBucket's arguments, each naming the argument; empty when they are valid. */
export function secureBucketProblems(args: SecureBucketArgs): string[] {
    const problems: string[] = [];
    if (args.encryption === "kms" && args.kmsKeyArn === undefined) {
        problems.push(`encryption "kms" needs kmsKeyArn`);
    }
    if (args.encryption === "s3" && args.kmsKeyArn !== undefined) {
        problems.push(
            `kmsKeyArn is set but encryption is "s3" (S3-managed keys); use encryption "kms" or drop the key`,
        );
    }
    const days = args.expireAfterDays;
    if (days !== undefined && !(Number.isInteger(days) && days >= 1)) {
        problems.push(`expireAfterDays must be a whole number of days, at least 1 (got ${days})`);
    }
    return problems;
}

export class SecureBucket extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = secureBucketProblems(args);
        if (problems.length > 0) {
            throw new Error(`SecureBucket ${name}: ${problems.join("; ")}`);
        }
        super("magento:storage:SecureBucket", name, {}, opts);
        const child = { parent: this };

        // Auto-named (`<name>-<7 hex>`): bucket names are global, and a fixed name would collide across accounts.
        const bucket = new aws.s3.Bucket(
            name,
            { tags: { ...args.tags, Name: name } },
            { ...child, protect: args.protect },
        );

        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            name,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );

        // ACLs disabled: the bucket owner owns every object, whoever wrote it; access is decided by policies alone.
        new aws.s3.BucketOwnershipControls(
            name,
            {
                bucket: bucket.id,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            },
            child,
        );

        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                bucket: bucket.id,
                rules: [
                    args.encryption === "kms"
                        ? // A bucket key cuts KMS requests (and their cost) by reusing a data key per bucket for a while.
                          {
                              applyServerSideEncryptionByDefault: {
                                  sseAlgorithm: "aws:kms",
                                  kmsMasterKeyId: args.kmsKeyArn,
                              },
                              bucketKeyEnabled: true,
                          }
                        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                ],
            },
            child,
        );

        const versioning = args.versioned
            ? new aws.s3.BucketVersioning(
                  name,
                  { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
                  child,
              )
            : undefined;

        if (args.expireAfterDays !== undefined) {
            new aws.s3.BucketLifecycleConfiguration(
                name,
                {
                    bucket: bucket.id,
                    rules: [
                        {
                            id: "expire",
                            status: "Enabled",
                            filter: {}, // every object
                            expiration: { days: args.expireAfterDays },
                            ...(versioning
                                ? { noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS } }
                                : {}),
                            abortIncompleteMultipartUpload: { daysAfterInitiation: INCOMPLETE_UPLOAD_DAYS },
                        },
                    ],
                },
                { ...child, dependsOn: versioning ? [versioning] : [] },
            ); // rules on noncurrent versions need versioning first
        }

        const extra = args.extraPolicyStatements?.(bucket.arn) ?? [];
        new aws.s3.BucketPolicy(
            name,
            {
                bucket: bucket.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: pulumi
                        .all([bucket.arn, extra])
                        .apply(([arn, more]) => [denyInsecureTransport(arn), ...more]),
                }),
            },
            { ...child, dependsOn: [publicAccessBlock] },
        ); // S3 can refuse a policy while the access block is being applied

        this.bucketName = bucket.id; // an S3 bucket's id is its name
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
