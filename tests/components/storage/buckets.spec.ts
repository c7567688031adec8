// The stack's buckets and application parameters, read from what a test program registers under the offline engine
// (tests/fixtures/programs/storage.ts), plus the pure pieces the components are built from.
import * as assert from "assert";
import * as path from "path";
import { appParametersProblems, parameterNameProblem } from "../../../components/data/app-parameters";
import {
    billingReportStatement,
    cloudFrontLogDeliveryStatements,
    elbAccessLogStatement,
    elbLogDeliveryPrincipal,
} from "../../../components/storage/buckets";
import { denyInsecureTransport, secureBucketProblems } from "../../../components/storage/secure-bucket";
import { CaptureResult } from "../../../offline/capture";
import { capturedResources } from "../../../offline/engine";
import { loadStackSettings } from "../../../offline/project";
import { StateResource, UNKNOWN, urnName } from "../../../offline/state";
import {
    S3_BUCKET,
    S3_BUCKET_LIFECYCLE_CONFIGURATION,
    S3_BUCKET_OWNERSHIP_CONTROLS,
    S3_BUCKET_POLICY,
    S3_BUCKET_PUBLIC_ACCESS_BLOCK,
    S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION,
    S3_BUCKET_VERSIONING,
    SSM_PARAMETER,
} from "../../../policies/lib/types";
import { captureProgram, ofType, project, via } from "../../helpers/stacks";

const ACCOUNT = "123456789012";
const KMS_KEY = "arn:aws:kms:eu-west-3:123456789012:key/0b3f6a2e-5c1d-4e8f-9a7b-2d4c6e8f0a1b";
const PURPOSES = ["config", "logs", "temp", "billing", "artifacts"] as const;
type Purpose = (typeof PURPOSES)[number];

const program = (file: string) => path.join(__dirname, "../../fixtures/programs", file);
const runs = new Map<string, Promise<CaptureResult>>();

/** The test program captured once per (program, mode) and shared by the tests that read it. */
function run(file: string, preview: boolean): Promise<CaptureResult> {
    const key = `${file}|${preview}`;
    if (!runs.has(key)) {
        runs.set(key, captureProgram("prod", loadStackSettings(project, "prod"), preview, program(file)));
    }
    return runs.get(key)!;
}

function storage(preview: boolean): Promise<StateResource[]> {
    return run("storage.ts", preview).then(capturedResources);
}

/** Each bucket by purpose (its name is magento-prod-<purpose>). */
function buckets(resources: StateResource[]): Record<Purpose, StateResource> {
    return Object.fromEntries(
        ofType(resources, S3_BUCKET).map((b) => [urnName(b.urn).replace("magento-prod-", ""), b]),
    ) as Record<Purpose, StateResource>;
}

/** The configuration resources of `type` that apply to `bucket` (their `bucket` input comes from it). */
function settingsOf(resources: StateResource[], bucket: StateResource, type: string): StateResource[] {
    return ofType(resources, type).filter((r) => via(resources, r, "bucket").includes(bucket));
}

function one(resources: StateResource[], bucket: StateResource, type: string): StateResource {
    const found = settingsOf(resources, bucket, type);
    assert.strictEqual(found.length, 1, `${urnName(bucket.urn)}: ${found.length} ${type}`);
    return found[0];
}

/**
 * The bucket's ARN as the update reported it. Undefined while offline/fakes.ts has no entry for S3 buckets: the
 * policy then reads `undefined/...` in strings and `null` where the ARN stands alone, which the assertions expect.
 */
function arnOf(bucket: StateResource): string | undefined {
    return bucket.outputs!.arn as string | undefined;
}

interface Statement {
    Sid: string;
    Effect: string;
    Principal: unknown;
    Action: unknown;
    Resource: unknown;
    Condition?: unknown;
}

/** The bucket policy's statements by Sid, as registered in an update (the policy is unknown in preview). */
function statements(resources: StateResource[], bucket: StateResource): Record<string, Statement> {
    const policy = JSON.parse(one(resources, bucket, S3_BUCKET_POLICY).inputs!.policy as string) as {
        Statement: Statement[];
    };
    return Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
}

describe("buckets", () => {
    // The captures start when the spec loads, in the shared workers; each test awaits the one it reads.
    for (const [file, preview] of [
        ["storage.ts", true],
        ["storage.ts", false],
        ["storage-bad-parameter.ts", true],
        ["storage-secret-parameter.ts", true],
    ] as const) {
        void run(file, preview);
    }

    it("builds the five buckets of the platform, one of each purpose", async () => {
        assert.deepStrictEqual(Object.keys(buckets(await storage(true))).sort(), [...PURPOSES].sort());
    });

    it("no bucket can be made public or take ACLs, and every policy waits for the public access block", async () => {
        const resources = await storage(true);
        for (const bucket of Object.values(buckets(resources))) {
            const block = one(resources, bucket, S3_BUCKET_PUBLIC_ACCESS_BLOCK);
            const { blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets } = block.inputs!;
            assert.deepStrictEqual(
                [blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets],
                [true, true, true, true],
                bucket.urn,
            );
            assert.deepStrictEqual(one(resources, bucket, S3_BUCKET_OWNERSHIP_CONTROLS).inputs!.rule, {
                objectOwnership: "BucketOwnerEnforced",
            });
            const policy = one(resources, bucket, S3_BUCKET_POLICY);
            assert.ok(
                policy.dependencies!.includes(block.urn),
                `${bucket.urn}: the policy is applied before the public access block`,
            );
            assert.strictEqual(
                policy.inputs!.policy,
                UNKNOWN,
                "the policy names the bucket's ARN, which a preview cannot know",
            );
        }
    });

    it("configuration, temporary objects and release artifacts are encrypted with the stack's KMS key; logs and billing reports with S3-managed keys", async () => {
        const resources = await storage(true);
        const encryption = Object.fromEntries(
            Object.entries(buckets(resources)).map(([purpose, bucket]) => [
                purpose,
                one(resources, bucket, S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION).inputs!.rules,
            ]),
        );
        const kms = [
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KMS_KEY },
                bucketKeyEnabled: true,
            },
        ];
        const s3 = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];
        assert.deepStrictEqual(encryption, { config: kms, logs: s3, temp: kms, billing: s3, artifacts: kms });
    });

    it("only temporary storage can be deleted by Pulumi; it keeps no versions, the others keep every version", async () => {
        const resources = await storage(true);
        const shape = Object.fromEntries(
            Object.entries(buckets(resources)).map(([purpose, bucket]) => [
                purpose,
                {
                    protect: bucket.protect,
                    versioning: settingsOf(resources, bucket, S3_BUCKET_VERSIONING).map(
                        (v) => (v.inputs!.versioningConfiguration as { status: string }).status,
                    ),
                },
            ]),
        );
        assert.deepStrictEqual(shape, {
            config: { protect: true, versioning: ["Enabled"] },
            logs: { protect: true, versioning: ["Enabled"] },
            temp: { protect: false, versioning: [] },
            billing: { protect: true, versioning: ["Enabled"] },
            // every release ever uploaded, so an image can be rebuilt from the very bytes it was built from
            artifacts: { protect: true, versioning: ["Enabled"] },
        });
        // the tag that tells production-stateful-protected the temp bucket may go
        assert.deepStrictEqual(
            Object.fromEntries(
                Object.entries(buckets(resources)).map(([purpose, b]) => [
                    purpose,
                    (b.inputs!.tags as Record<string, string>).Disposable,
                ]),
            ),
            {
                config: undefined,
                logs: undefined,
                temp: "scratch: objects expire",
                billing: undefined,
                artifacts: undefined,
            },
        );
        for (const type of [
            S3_BUCKET_PUBLIC_ACCESS_BLOCK,
            S3_BUCKET_OWNERSHIP_CONTROLS,
            S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION,
            S3_BUCKET_VERSIONING,
            S3_BUCKET_LIFECYCLE_CONFIGURATION,
            S3_BUCKET_POLICY,
        ]) {
            assert.ok(
                ofType(resources, type).every((r) => !r.protect),
                `${type} can be recreated freely`,
            );
        }
    });

    it("temporary objects expire after 7 days and logs after the retention; configuration, billing reports and releases never", async () => {
        const resources = await storage(true);
        const expiry = Object.fromEntries(
            Object.entries(buckets(resources)).map(([purpose, bucket]) => [
                purpose,
                settingsOf(resources, bucket, S3_BUCKET_LIFECYCLE_CONFIGURATION).map((l) => l.inputs!.rules),
            ]),
        );
        assert.deepStrictEqual(expiry, {
            config: [],
            logs: [
                [
                    {
                        id: "expire",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: 365 },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            ],
            temp: [
                [
                    {
                        id: "expire",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: 7 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            ],
            billing: [],
            artifacts: [],
        });
        const [logsLifecycle] = settingsOf(resources, buckets(resources).logs, S3_BUCKET_LIFECYCLE_CONFIGURATION);
        assert.ok(
            logsLifecycle.dependencies!.includes(one(resources, buckets(resources).logs, S3_BUCKET_VERSIONING).urn),
            "noncurrent-version rules follow versioning",
        );
    });

    it("every bucket refuses requests made without TLS, on the bucket and on its objects", async () => {
        const resources = await storage(false);
        for (const bucket of Object.values(buckets(resources))) {
            const deny = statements(resources, bucket).DenyInsecureTransport;
            assert.deepStrictEqual(
                [deny.Effect, deny.Principal, deny.Action, deny.Condition],
                ["Deny", "*", "s3:*", { Bool: { "aws:SecureTransport": "false" } }],
                bucket.urn,
            );
            const arn = arnOf(bucket);
            assert.deepStrictEqual(deny.Resource, [arn ?? null, `${arn}/*`]);
        }
    });

    it("configuration, temporary and artifacts buckets grant nothing to anyone: their policy only denies", async () => {
        const resources = await storage(false);
        for (const purpose of ["config", "temp", "artifacts"] as const) {
            assert.deepStrictEqual(Object.keys(statements(resources, buckets(resources)[purpose])), [
                "DenyInsecureTransport",
            ]);
        }
    });

    it("eu-west-3's load balancers may write access logs under AWSLogs/<account>/, and only there", async () => {
        const resources = await storage(false);
        const elb = statements(resources, buckets(resources).logs).ElbAccessLogsWrite;
        assert.deepStrictEqual(
            [elb.Effect, elb.Principal, elb.Action],
            ["Allow", { AWS: "arn:aws:iam::009996457667:root" }, "s3:PutObject"],
        );
        assert.strictEqual(elb.Resource, `${arnOf(buckets(resources).logs)}/AWSLogs/123456789012/*`);
    });

    it("CloudFront log delivery (v2) may write logs for this account only", async () => {
        const resources = await storage(false);
        const { LogDeliveryWrite: write, LogDeliveryAclCheck: check } = statements(resources, buckets(resources).logs);
        assert.deepStrictEqual(
            [write.Principal, write.Action, write.Condition],
            [
                { Service: "delivery.logs.amazonaws.com" },
                "s3:PutObject",
                { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": ACCOUNT } },
            ],
        );
        assert.strictEqual(write.Resource, `${arnOf(buckets(resources).logs)}/AWSLogs/123456789012/*`);
        assert.deepStrictEqual(check.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
    });

    it("billing reports may be written by CUR and Data Exports, for this account only", async () => {
        const resources = await storage(false);
        const billing = statements(resources, buckets(resources).billing);
        assert.deepStrictEqual(Object.keys(billing), ["DenyInsecureTransport", "BillingReportsWriteAndCheckPolicy"]);
        const grant = billing.BillingReportsWriteAndCheckPolicy;
        assert.deepStrictEqual(grant.Principal, {
            Service: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"],
        });
        assert.deepStrictEqual(
            (grant.Condition as { StringLike: Record<string, unknown> }).StringLike["aws:SourceAccount"],
            ACCOUNT,
        );
    });

    it("every bucket and parameter carries the stack's tags", async () => {
        const resources = await storage(true);
        for (const r of [...ofType(resources, S3_BUCKET), ...ofType(resources, SSM_PARAMETER)]) {
            const tags = r.inputs!.tags as Record<string, string>;
            assert.deepStrictEqual(
                [tags.Stack, tags.Environment, tags.Owner, tags.CostCentre],
                ["prod", "production", "ecommerce-platform", "CC-4200"],
                r.urn,
            );
        }
    });
});

describe("bucket policy statements", () => {
    const arn = "arn:aws:s3:::magento-prod-logs-0123abc";

    it("the TLS-only statement covers the bucket and every object", () => {
        assert.deepStrictEqual(denyInsecureTransport(arn), {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("load-balancer logs come from the region's ELB account before August 2022, from a service principal since", () => {
        assert.deepStrictEqual(
            ["eu-west-3", "eu-west-1", "eu-central-1", "us-east-1", "eu-south-2"].map(elbLogDeliveryPrincipal),
            [
                { AWS: "arn:aws:iam::009996457667:root" },
                { AWS: "arn:aws:iam::156460612806:root" },
                { AWS: "arn:aws:iam::054676820928:root" },
                { AWS: "arn:aws:iam::127311923021:root" },
                { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            ],
        );
        assert.deepStrictEqual(elbAccessLogStatement(arn, ACCOUNT, "eu-west-3"), {
            Sid: "ElbAccessLogsWrite",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::009996457667:root" },
            Action: "s3:PutObject",
            Resource: `${arn}/AWSLogs/${ACCOUNT}/*`,
        });
    });

    it("a region the table does not know is refused with its name, rather than guessed", () => {
        assert.throws(
            () => elbLogDeliveryPrincipal("eu-west-9"),
            /no known Elastic Load Balancing log-delivery principal for region 'eu-west-9'/,
        );
    });

    it("CloudFront and billing grants name the bucket and the account", () => {
        const [write, check] = cloudFrontLogDeliveryStatements(arn, ACCOUNT) as Statement[];
        assert.strictEqual(write.Resource, `${arn}/AWSLogs/${ACCOUNT}/*`);
        assert.deepStrictEqual([check.Action, check.Resource], [["s3:GetBucketAcl", "s3:ListBucket"], arn]);
        assert.deepStrictEqual(billingReportStatement(arn, ACCOUNT), {
            Sid: "BillingReportsWriteAndCheckPolicy",
            Effect: "Allow",
            Principal: { Service: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"] },
            Action: ["s3:PutObject", "s3:GetBucketPolicy"],
            Resource: [`${arn}/*`, arn],
            Condition: {
                StringLike: {
                    "aws:SourceAccount": ACCOUNT,
                    "aws:SourceArn": [
                        `arn:aws:cur:us-east-1:${ACCOUNT}:definition/*`,
                        `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/*`,
                    ],
                },
            },
        });
    });

    it("a bucket's encryption and expiry arguments are checked, each problem naming its argument", () => {
        const base = { versioned: false, protect: false, tags: {} };
        assert.deepStrictEqual(
            secureBucketProblems({ ...base, encryption: "kms", kmsKeyArn: KMS_KEY, expireAfterDays: 1 }),
            [],
        );
        assert.deepStrictEqual(secureBucketProblems({ ...base, encryption: "kms" }), [
            `encryption "kms" needs kmsKeyArn`,
        ]);
        assert.match(
            secureBucketProblems({ ...base, encryption: "s3", kmsKeyArn: KMS_KEY })[0],
            /^kmsKeyArn is set but encryption is "s3"/,
        );
        for (const days of [0, 1.5, -3]) {
            assert.deepStrictEqual(secureBucketProblems({ ...base, encryption: "s3", expireAfterDays: days }), [
                `expireAfterDays must be a whole number of days, at least 1 (got ${days})`,
            ]);
        }
    });
});

describe("application parameters", () => {
    it("land under /magento/prod/ as plain String parameters, readable in previews", async () => {
        const parameters = ofType(await storage(true), SSM_PARAMETER).map((p) => [
            p.inputs!.name,
            p.inputs!.type,
            p.inputs!.insecureValue,
            p.inputs!.value,
        ]);
        assert.deepStrictEqual(parameters.sort(), [
            ["/magento/prod/config-bucket", "String", UNKNOWN, undefined],
            ["/magento/prod/database/host", "String", "db.prod.example.internal", undefined],
            [
                "/magento/prod/database/password-secret-arn",
                "String",
                "arn:aws:secretsmanager:eu-west-3:123456789012:secret:magento/prod/db-AbCdEf",
                undefined,
            ],
        ]);
    });

    it("a parameter fed by a resource follows it (the config bucket's name)", async () => {
        const resources = await storage(true);
        const parameter = ofType(resources, SSM_PARAMETER).find(
            (p) => p.inputs!.name === "/magento/prod/config-bucket",
        )!;
        assert.deepStrictEqual(via(resources, parameter, "insecureValue"), [buckets(resources).config]);
    });

    it("the component gives servers the path to read, its ARN (what GetParametersByPath is authorised on) and the parameters' pattern", async () => {
        const [component] = ofType(await storage(true), "magento:config:AppParameters");
        assert.deepStrictEqual(component.outputs, {
            prefix: "/magento/prod",
            pathArn: "arn:aws:ssm:eu-west-3:123456789012:parameter/magento/prod",
            parameterArns: "arn:aws:ssm:eu-west-3:123456789012:parameter/magento/prod/*",
        });
    });

    it("a parameter name SSM would refuse stops the program before anything is registered, naming it", async () => {
        const result = await run("storage-bad-parameter.ts", true);
        assert.strictEqual(result.ok, false);
        assert.match(
            (result as { error: string }).error,
            /AppParameters magento-prod: parameter name 'admin url' is not allowed: use letters, digits, '-', '_' and '\/'/,
        );
    });

    it("a secret value is refused: a String parameter would keep it in clear text", async () => {
        const result = await run("storage-secret-parameter.ts", true);
        assert.strictEqual(result.ok, false);
        assert.match(
            (result as { error: string }).error,
            /'database\/password' is a secret, which a String parameter would store in clear text/,
        );
    });

    it("names are letters, digits, '-', '_' and '/' between non-empty parts", () => {
        for (const good of ["database/host", "redis_port", "a-b/c_d/E9"]) {
            assert.strictEqual(parameterNameProblem(good), undefined, good);
        }
        for (const bad of ["admin url", "/database/host", "database/", "database//host", "php.ini", "", "clé"]) {
            assert.match(
                parameterNameProblem(bad) ?? "",
                new RegExp(`^parameter name '${bad.replace(/[.]/g, "\\.")}' is not allowed`),
                bad,
            );
        }
        assert.match(
            parameterNameProblem(Array(14).fill("x").join("/")) ?? "",
            /has 14 levels; SSM allows 13 below \/magento\/<stack>\//,
        );
        assert.deepStrictEqual(
            appParametersProblems("pre prod", ["ok", "not ok"]).map((p) => p.split(":")[0]),
            ["stack 'pre prod' cannot be part of a parameter name", "parameter name 'not ok' is not allowed"],
        );
    });
});
