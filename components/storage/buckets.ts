// The five buckets of one environment (docs/estate.md): application configuration, access logs, temporary
// storage, billing reports, and the release artifacts CI uploads for the image pipeline (docs/release-image.md). Each is a SecureBucket; what differs is encryption, versioning, expiry, protection and
// which AWS services may write into it.
import * as pulumi from "@pulumi/pulumi";
import { DISPOSABLE_TAG } from "../../policies/lib/contracts";
import { SecureBucket } from "./secure-bucket";

export interface BucketsArgs {
    /** The stack's KMS key, for the buckets whose writers can use it (configuration, temporary storage). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The account the estate runs in: log and report deliveries are scoped to it. */
    readonly accountId: pulumi.Input<string>;
    /** The stack's region, which decides who delivers load-balancer logs. */
    readonly region: string;
    /** Days the access logs are kept. */
    readonly logRetentionDays: number;
    /** The access logs may go with the stack (preproduction's): tagged Disposable, emptied by a teardown (docs/teardown.md). */
    readonly logsDisposable: boolean;
    /** Days after which temporary objects are deleted. */
    readonly tempExpiryDays: number;
    /** Tags for every bucket. */
    readonly tags: Readonly<Record<string, string>>;
}

/** Elastic Load Balancing's log-delivery account per region opened before August 2022 (ALB user guide, access logs). */
const ELB_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

/** Regions opened in August 2022 or later: Elastic Load Balancing delivers logs there as a service principal. */
const ELB_SERVICE_PRINCIPAL_REGIONS: readonly string[] = [
    "me-central-1",
    "eu-central-2",
    "eu-south-2",
    "ap-south-2",
    "ap-southeast-4",
    "il-central-1",
    "ca-west-1",
    "ap-southeast-5",
    "ap-southeast-7",
    "mx-central-1",
    "ap-east-2",
    "ap-southeast-6",
];

/** The principal a bucket policy names so that Elastic Load Balancing can write access logs in `region`. */
export function elbLogDeliveryPrincipal(region: string): { AWS: string } | { Service: string } {
    const account = ELB_ACCOUNTS[region];
    if (account) {
        return { AWS: `arn:aws:iam::${account}:root` };
    }
    if (ELB_SERVICE_PRINCIPAL_REGIONS.includes(region)) {
        return { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    }
    throw new Error(
        `no known Elastic Load Balancing log-delivery principal for region '${region}': add it to ` +
            `components/storage/buckets.ts from the ALB user guide ("Enable access logs for your Application Load Balancer"); ` +
            `China and GovCloud regions also need their own ARN partition`,
    );
}

/** Lets the region's load balancers write access logs under AWSLogs/<account>/ (the ALB is configured without a prefix). */
export function elbAccessLogStatement(bucketArn: string, accountId: string, region: string): object {
    return {
        Sid: "ElbAccessLogsWrite",
        Effect: "Allow",
        Principal: elbLogDeliveryPrincipal(region),
        Action: "s3:PutObject",
        Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
    };
}

/**
 * Lets CloudWatch vended-log delivery (CloudFront standard logging v2, the only CloudFront logging that works with
 * ACLs disabled) write under AWSLogs/<account>/ for this account only.
 */
export function cloudFrontLogDeliveryStatements(bucketArn: string, accountId: string): object[] {
    const principal = { Service: "delivery.logs.amazonaws.com" };
    return [
        {
            Sid: "LogDeliveryWrite",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
            Condition: {
                StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": accountId },
            },
        },
        {
            Sid: "LogDeliveryAclCheck",
            Effect: "Allow",
            Principal: principal,
            Action: ["s3:GetBucketAcl", "s3:ListBucket"],
            Resource: bucketArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
    ];
}

/** Lets Cost and Usage Reports and Data Exports (both run in us-east-1) check the policy and write reports, for this account only. */
export function billingReportStatement(bucketArn: string, accountId: string): object {
    return {
        Sid: "BillingReportsWriteAndCheckPolicy",
        Effect: "Allow",
        Principal: { Service: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"] },
        Action: ["s3:PutObject", "s3:GetBucketPolicy"],
        Resource: [`${bucketArn}/*`, bucketArn],
        Condition: {
            StringLike: {
                "aws:SourceAccount": accountId,
                "aws:SourceArn": [
                    `arn:aws:cur:us-east-1:${accountId}:definition/*`,
                    `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/*`,
                ],
            },
        },
    };
}

export class Buckets extends pulumi.ComponentResource {
    public readonly configBucketName: pulumi.Output<string>;
    public readonly configBucketArn: pulumi.Output<string>;
    public readonly logsBucketName: pulumi.Output<string>;
    public readonly logsBucketArn: pulumi.Output<string>;
    public readonly tempBucketName: pulumi.Output<string>;
    public readonly tempBucketArn: pulumi.Output<string>;
    public readonly billingBucketName: pulumi.Output<string>;
    public readonly billingBucketArn: pulumi.Output<string>;
    public readonly artifactsBucketName: pulumi.Output<string>;
    public readonly artifactsBucketArn: pulumi.Output<string>;

    constructor(name: string, args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        elbLogDeliveryPrincipal(args.region); // an unknown region fails here, before anything is registered
        super("magento:storage:Buckets", name, {}, opts);
        const child = { parent: this };
        const withAccount = (arn: pulumi.Output<string>, statements: (arn: string, account: string) => object[]) =>
            pulumi.all([arn, args.accountId]).apply(([a, account]) => statements(a, account));

        // Application configuration and secrets the servers fetch at boot: never public, every version kept.
        // Every version kept, encrypted with the storage key, protected: the config bucket and the artifacts bucket.
        const kept = {
            versioned: true,
            encryption: "kms" as const,
            kmsKeyArn: args.kmsKeyArn,
            protect: true,
            tags: args.tags,
        };
        const config = new SecureBucket(`${name}-config`, kept, child);

        // Load-balancer and CloudFront access logs. SSE-S3: ALB log delivery supports no other encryption.
        const logs = new SecureBucket(
            `${name}-logs`,
            {
                versioned: true,
                encryption: "s3",
                expireAfterDays: args.logRetentionDays,
                extraPolicyStatements: (arn) =>
                    withAccount(arn, (a, account) => [
                        elbAccessLogStatement(a, account, args.region),
                        ...cloudFrontLogDeliveryStatements(a, account),
                    ]),
                protect: true,
                tags: args.logsDisposable
                    ? { ...args.tags, [DISPOSABLE_TAG]: "access logs of a stack that may be torn down" }
                    : args.tags,
            },
            child,
        );

        // Scratch space: nothing business-critical, so it expires, keeps no versions and may be deleted with the stack.
        const temp = new SecureBucket(
            `${name}-temp`,
            {
                versioned: false,
                encryption: "kms",
                kmsKeyArn: args.kmsKeyArn,
                expireAfterDays: args.tempExpiryDays,
                protect: false,
                tags: { ...args.tags, [DISPOSABLE_TAG]: "scratch: objects expire" },
            },
            child,
        );

        // Cost and Usage Reports / Data Exports. SSE-S3: AWS's report delivery is not granted the stack's KMS key.
        const billing = new SecureBucket(
            `${name}-billing`,
            {
                versioned: true,
                encryption: "s3",
                extraPolicyStatements: (arn) => withAccount(arn, (a, account) => [billingReportStatement(a, account)]),
                protect: true,
                tags: args.tags,
            },
            child,
        );

        // Releases CI uploads (releases/<version>.tar.gz, its checksum, next.json: model/release.ts): every version kept,
        // so a release, once built into an image, can be rebuilt from the very bytes it was.
        const artifacts = new SecureBucket(`${name}-artifacts`, kept, child);

        this.configBucketName = config.bucketName;
        this.configBucketArn = config.bucketArn;
        this.logsBucketName = logs.bucketName;
        this.logsBucketArn = logs.bucketArn;
        this.tempBucketName = temp.bucketName;
        this.tempBucketArn = temp.bucketArn;
        this.billingBucketName = billing.bucketName;
        this.billingBucketArn = billing.bucketArn;
        this.artifactsBucketName = artifacts.bucketName;
        this.artifactsBucketArn = artifacts.bucketArn;
        this.registerOutputs({
            configBucketName: this.configBucketName,
            configBucketArn: this.configBucketArn,
            logsBucketName: this.logsBucketName,
            logsBucketArn: this.logsBucketArn,
            tempBucketName: this.tempBucketName,
            tempBucketArn: this.tempBucketArn,
            billingBucketName: this.billingBucketName,
            billingBucketArn: this.billingBucketArn,
            artifactsBucketName: this.artifactsBucketName,
            artifactsBucketArn: this.artifactsBucketArn,
        });
    }
}
