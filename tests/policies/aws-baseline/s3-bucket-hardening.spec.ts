// s3-bucket-hardening, asked over the analyzer protocol as a stack policy: each bucket with the resources that lock
// it down, wired by property dependencies as a preview sends them (the bucket's name and ARN are still unknown).
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    S3_BUCKET,
    S3_BUCKET_POLICY,
    S3_BUCKET_PUBLIC_ACCESS_BLOCK,
    S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION,
    S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION_V2,
    S3_BUCKET_V2,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const BLOCK_ALL = {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
};
const DENY_WITHOUT_TLS = {
    Sid: "DenyWithoutTls",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::magento-config", "arn:aws:s3:::magento-config/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const document = (...statements: object[]) => ({ Version: "2012-10-17", Statement: statements });

interface Hardening {
    block?: Record<string, boolean> | null;
    encryption?: string | null;
    policy?: unknown;
    bucketProps?: Record<string, unknown>;
    bucketType?: string;
}

/** A bucket with a public access block, default encryption and a TLS-only policy, unless `h` says otherwise. */
function hardened(b: StackBuilder, name: string, h: Hardening = {}): StateResource {
    const bucket = b.add(h.bucketType ?? S3_BUCKET, name, { forceDestroy: false, ...h.bucketProps });
    const onBucket = { bucket: [bucket] };
    if (h.block !== null) {
        b.add(S3_BUCKET_PUBLIC_ACCESS_BLOCK, `${name}-pab`, { bucket: UNKNOWN, ...(h.block ?? BLOCK_ALL) }, onBucket);
    }
    if (h.encryption !== null) {
        b.add(
            h.encryption ?? S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION,
            `${name}-sse`,
            { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
            onBucket,
        );
    }
    if (h.policy !== null) {
        b.add(
            S3_BUCKET_POLICY,
            `${name}-policy`,
            { bucket: UNKNOWN, policy: h.policy ?? JSON.stringify(document(DENY_WITHOUT_TLS)) },
            onBucket,
        );
    }
    return bucket;
}

/** The stack of one bucket, config, hardened as `h` says. */
function configBucket(h: Hardening = {}): StateResource[] {
    const b = new StackBuilder("prod");
    hardened(b, "config", h);
    return b.resources;
}

describe("aws-baseline / s3-bucket-hardening", () => {
    it("keeps: a bucket with all four public access blocks, default encryption and a TLS-only policy", async () => {
        assert.deepStrictEqual(await violations("s3-bucket-hardening", configBucket()), []);
        assert.deepStrictEqual(
            await violations(
                "s3-bucket-hardening",
                configBucket({
                    bucketType: S3_BUCKET_V2,
                    encryption: S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION_V2,
                }),
            ),
            [],
        );
    });

    it("keeps: encryption and the TLS-only policy written inline on the bucket", async () => {
        const inline = {
            serverSideEncryptionConfiguration: {
                rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            },
        };
        assert.deepStrictEqual(
            await violations("s3-bucket-hardening", configBucket({ encryption: null, bucketProps: inline })),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "s3-bucket-hardening",
                configBucket({ policy: null, bucketProps: { policy: JSON.stringify(document(DENY_WITHOUT_TLS)) } }),
            ),
            [],
        );
    });

    it("decides in preview from a policy document whose bucket ARN is still unknown", async () => {
        const policy = document({ ...DENY_WITHOUT_TLS, Resource: [UNKNOWN, UNKNOWN] });
        assert.deepStrictEqual(await violations("s3-bucket-hardening", configBucket({ policy })), []);
        const allowOnly = document({
            Effect: "Allow",
            Principal: { AWS: UNKNOWN },
            Action: "s3:GetObject",
            Resource: UNKNOWN,
        });
        assert.match(
            (await violations("s3-bucket-hardening", configBucket({ policy: allowOnly })))[0],
            /^mandatory: Bucket config needs a bucket policy with a Deny statement/,
        );
    });

    it("leaves only the TLS check to the update when the whole policy text is unknown, and still decides the rest", async () => {
        assert.deepStrictEqual(await violations("s3-bucket-hardening", configBucket({ policy: UNKNOWN })), []);
        assert.deepStrictEqual(
            await violations("s3-bucket-hardening", configBucket({ policy: UNKNOWN, block: null })),
            [
                "mandatory: Bucket config needs a public access block (BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, " +
                    "ignorePublicAcls, restrictPublicBuckets all true).",
            ],
        );
    });

    it("breaks: one public access block setting left off", async () => {
        assert.deepStrictEqual(
            await violations(
                "s3-bucket-hardening",
                configBucket({ block: { ...BLOCK_ALL, blockPublicPolicy: false } }),
            ),
            ["mandatory: Bucket config needs blockPublicPolicy set to true on its public access block config-pab."],
        );
    });

    it("breaks: no default encryption", async () => {
        assert.deepStrictEqual(await violations("s3-bucket-hardening", configBucket({ encryption: null })), [
            "mandatory: Bucket config needs default encryption (a BucketServerSideEncryptionConfiguration for it).",
        ]);
    });

    it("breaks: no bucket policy, or one that denies only when TLS is used", async () => {
        const expected =
            "mandatory: Bucket config needs a bucket policy with a Deny statement on Condition Bool " +
            'aws:SecureTransport "false" (requests without TLS).';
        assert.deepStrictEqual(await violations("s3-bucket-hardening", configBucket({ policy: null })), [expected]);
        const inverted = { ...DENY_WITHOUT_TLS, Condition: { Bool: { "aws:SecureTransport": "true" } } };
        assert.deepStrictEqual(
            await violations("s3-bucket-hardening", configBucket({ policy: JSON.stringify(document(inverted)) })),
            [expected],
        );
    });

    it("reports everything a bare bucket lacks in one message, and does not lend one bucket's guards to another", async () => {
        const b = new StackBuilder("preprod");
        hardened(b, "logs");
        b.add(S3_BUCKET, "tmp", {});
        const found = await violations("s3-bucket-hardening", b.resources);
        assert.strictEqual(found.length, 1);
        assert.match(
            found[0],
            /^mandatory: Bucket tmp needs a public access block .*; default encryption .*; a bucket policy with a Deny statement/,
        );
    });

    it("matches guards by bucket name on an exported stack without property dependencies", async () => {
        const b = new StackBuilder("prod");
        b.add(S3_BUCKET, "billing", { bucket: "magento-billing" });
        b.add(S3_BUCKET_PUBLIC_ACCESS_BLOCK, "billing-pab", { bucket: "magento-billing", ...BLOCK_ALL });
        b.add(S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION, "billing-sse", { bucket: "magento-billing", rules: [] });
        b.add(S3_BUCKET_POLICY, "billing-policy", {
            bucket: "magento-billing",
            policy: JSON.stringify(document(DENY_WITHOUT_TLS)),
        });
        assert.deepStrictEqual(await violations("s3-bucket-hardening", b.resources), []);
    });
});
