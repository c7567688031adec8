// The estate's buckets hold application secrets/configuration, load-balancer logs and billing reports: none is ever
// public, each is encrypted by default, and each refuses requests without TLS (aws:SecureTransport false).
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { dependsOn, ofType } from "../../lib/stack";
import { indices, isSet, known, knownString, NOT_KNOWN, read } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";
import {
    S3_BUCKET,
    S3_BUCKET_POLICY,
    S3_BUCKET_PUBLIC_ACCESS_BLOCK,
    S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION,
    S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION_V2,
    S3_BUCKET_V2,
} from "../../lib/types";

const BUCKETS = [S3_BUCKET, S3_BUCKET_V2];
const ENCRYPTION = [S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION, S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION_V2];
const BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** Resources of `types` configuring `bucket`: through a property dependency (the usual `bucket: b.id`) or by its name. */
function attachedTo(
    bucket: PolicyResource,
    resources: readonly PolicyResource[],
    ...types: string[]
): PolicyResource[] {
    const name = knownString(bucket.props, "bucket");
    return ofType(resources, ...types).filter(
        (r) =>
            dependsOn(r, "bucket", ...BUCKETS).includes(bucket) ||
            (name !== undefined && knownString(r.props, "bucket") === name),
    );
}

/** The entries of a value IAM lets be one item or a list (Statement, condition values). */
function items(value: unknown): unknown[] {
    return Array.isArray(value) ? indices(value).map((i) => known(value, i)) : [value];
}

function deniesWithoutTls(statement: unknown): boolean {
    const bool = known(statement, "Condition", "Bool");
    const key =
        typeof bool === "object" && bool !== null
            ? Object.keys(bool).find((k) => k.toLowerCase() === "aws:securetransport")
            : undefined;
    return (
        known(statement, "Effect") === "Deny" &&
        key !== undefined &&
        items(known(bool, key)).some((v) => String(v) === "false")
    );
}

/**
 * Whether a policy document denies requests without TLS. A document passed as an object is read from its known parts
 * (the bucket ARN in Resource may be unknown); one passed as JSON text embedding the bucket ARN is wholly unknown in
 * preview, and then the answer is NOT_KNOWN: the check waits for the update, where the text is known.
 */
function requiresTls(policy: unknown): boolean | typeof NOT_KNOWN {
    if (policy === NOT_KNOWN) {
        return NOT_KNOWN;
    }
    let document = policy;
    if (typeof policy === "string") {
        try {
            document = JSON.parse(policy);
        } catch {
            return false;
        }
    }
    return items(known(document, "Statement")).some(deniesWithoutTls);
}

function missingPublicAccessBlock(bucket: PolicyResource, resources: readonly PolicyResource[]): string | undefined {
    const blocks = attachedTo(bucket, resources, S3_BUCKET_PUBLIC_ACCESS_BLOCK);
    if (blocks.length === 0) {
        return `a public access block (${S3_BUCKET_PUBLIC_ACCESS_BLOCK.split(":").pop()} with ${BLOCKS.join(", ")} all true)`;
    }
    if (blocks.some((b) => BLOCKS.every((flag) => b.props[flag] === true))) {
        return undefined;
    }
    const off = BLOCKS.filter((flag) => blocks.every((b) => b.props[flag] !== true));
    return `${off.join(", ")} set to true on its public access block ${blocks.map((b) => b.name).join(", ")}`;
}

function missingTlsPolicy(bucket: PolicyResource, resources: readonly PolicyResource[]): string | undefined {
    const policies = attachedTo(bucket, resources, S3_BUCKET_POLICY).map((p) => read(p.props, "policy"));
    if (isSet(bucket.props, "policy")) {
        policies.push(read(bucket.props, "policy"));
    }
    const verdicts = policies.map(requiresTls);
    return verdicts.includes(true) || verdicts.includes(NOT_KNOWN)
        ? undefined
        : 'a bucket policy with a Deny statement on Condition Bool aws:SecureTransport "false" (requests without TLS)';
}

export const s3BucketHardening: StackValidationPolicy = {
    name: "s3-bucket-hardening",
    description: "Every S3 bucket blocks public access, is encrypted by default, and denies requests without TLS.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of ofType(args.resources, ...BUCKETS)) {
            const encrypted =
                isSet(bucket.props, "serverSideEncryptionConfiguration") ||
                attachedTo(bucket, args.resources, ...ENCRYPTION).length > 0;
            const missing = [
                missingPublicAccessBlock(bucket, args.resources),
                encrypted ? undefined : "default encryption (a BucketServerSideEncryptionConfiguration for it)",
                missingTlsPolicy(bucket, args.resources),
            ].filter((m): m is string => m !== undefined);
            if (missing.length > 0) {
                reportViolation(`Bucket ${bucket.name} needs ${missing.join("; ")}.`, bucket.urn);
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...BUCKETS, S3_BUCKET_PUBLIC_ACCESS_BLOCK, ...ENCRYPTION, S3_BUCKET_POLICY],
    decides:
        "Decides during preview from public access blocks, encryption configurations and bucket policies wired to each bucket; a policy text embedding the unknown bucket ARN waits for the update.",
    partlyAfterTheUp: true,
    remediation:
        "Add a public access block with all four settings true, a server-side encryption configuration, and a bucket policy denying requests where aws:SecureTransport is false.",
    controls: controls({
        securityHub: ["S3.5", "S3.8"],
        awsConfig: [
            "s3-bucket-ssl-requests-only",
            "s3-bucket-level-public-access-prohibited",
            "s3-bucket-server-side-encryption-enabled",
        ],
        checkov: ["CKV_AWS_19", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
        trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0088", "AVD-AWS-0091", "AVD-AWS-0093"],
    }),
};
