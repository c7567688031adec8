// Who may touch the release images and what builds them, by the IAM evaluator over the stack's own policies (the
// update capture of preprod, the stack that builds): the builder reads releases and writes its logs and nothing else;
// Image Builder's and Auto Scaling's service-linked roles may use the release-image key as distribution and launches
// need; an account the images are shared with may launch and copy them; no server role may administer the key.
import * as assert from "assert";
import { accessModel, AccessModel, PolicyDocument } from "../../policies/lib/access/model";
import { autoScalingRoleArn } from "../../policies/lib/access/required";
import { AccessRequest, decide } from "../../policies/lib/access/simulate";
import { StackResource } from "../../policies/lib/stack";
import { knownString } from "../../policies/lib/values";
import { stackView } from "../../offline/stack-view";
import { IAM_ROLE, KMS_KEY, S3_BUCKET, SECRETSMANAGER_SECRET } from "../../policies/lib/types";
import { prefetch, stackResources } from "../helpers/stacks";

const UPDATE = { preview: false };
const SHARED = { preview: false, changes: { "magento:releaseImageAccounts": ["210987654321"] } };
prefetch(["preprod", UPDATE], ["preprod", SHARED]);

const OTHER_ACCOUNT = "arn:aws:iam::210987654321:root";
const VIA_EC2 = { "kms:ViaService": "ec2.eu-west-3.amazonaws.com" };
const VIA_S3 = { "kms:ViaService": "s3.eu-west-3.amazonaws.com" };
const FOR_AWS_RESOURCE = { "kms:GrantIsForAWSResource": "true" };

/** The KMS statements of AWSServiceRoleForImageBuilder's managed policy: a key through EC2 only, for EBS volumes
 *  (https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-iam-awsmanpol.html). */
const IMAGE_BUILDER_KMS: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Action: [
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:GenerateDataKeyWithoutPlaintext",
                "kms:ReEncryptFrom",
                "kms:ReEncryptTo",
            ],
            Resource: "*",
            Condition: {
                "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["aws:ebs:id"] },
                StringLike: { "kms:ViaService": ["ec2.*.amazonaws.com"] },
            },
        },
        {
            Effect: "Allow",
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { StringLike: { "kms:ViaService": ["ec2.*.amazonaws.com"] } },
        },
        {
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: {
                Bool: { "kms:GrantIsForAWSResource": "true" },
                StringLike: { "kms:ViaService": ["ec2.*.amazonaws.com"] },
            },
        },
    ],
};
/** An administrator's grant on every key, as an IAM policy wrongly attached to a role would give it. */
const ALL_KMS: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }],
};

interface Stack {
    readonly model: AccessModel;
    arn(type: string, name: string): string;
}

async function load(opts: typeof UPDATE | typeof SHARED): Promise<Stack> {
    const resources: StackResource[] = stackView(await stackResources("preprod", opts));
    return {
        model: accessModel(resources),
        arn: (type, short) => {
            const r = resources.find((x) => x.type === type && x.name === `magento-preprod-${short}`);
            const value = r && knownString(r.props, "arn");
            assert.ok(value, `no ${type} magento-preprod-${short} with a known ARN`);
            return value;
        },
    };
}

async function expect(stack: Stack, outcome: "Allowed" | "denied", request: AccessRequest): Promise<void> {
    const decision = await decide(stack.model, request);
    assert.ok(
        outcome === "Allowed" ? decision === "Allowed" : /Denied$/.test(decision),
        `expected ${outcome} for ${request.principal} ${request.action} on ${request.resource}, got ${decision}`,
    );
}

describe("release image access (preprod)", () => {
    let stack: Stack;
    let imageBuilder: string;
    before(async function () {
        this.timeout(300_000);
        stack = await load(UPDATE);
        imageBuilder = `arn:aws:iam::${stack.model.account}:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder`;
    });

    it("the builder reads the releases (decrypting through S3) and writes its logs", async () => {
        const builder = stack.arn(IAM_ROLE, "builder-role");
        const artifacts = stack.arn(S3_BUCKET, "buckets-artifacts");
        await expect(stack, "Allowed", {
            principal: builder,
            action: "s3:GetObject",
            resource: `${artifacts}/releases/2.4.8-p3.17.tar.gz`,
        });
        await expect(stack, "Allowed", {
            principal: builder,
            action: "kms:Decrypt",
            resource: stack.arn(KMS_KEY, "data-key"),
            context: VIA_S3,
        });
        await expect(stack, "Allowed", {
            principal: builder,
            action: "s3:PutObject",
            resource: `${stack.arn(S3_BUCKET, "buckets-logs")}/image-builder/magento-preprod-release/1.0.0/1/build.log`,
        });
    });

    it("the builder may not upload releases, read the configuration, any secret, or decrypt outside S3", async () => {
        const builder = stack.arn(IAM_ROLE, "builder-role");
        const artifacts = stack.arn(S3_BUCKET, "buckets-artifacts");
        await expect(stack, "denied", {
            principal: builder,
            action: "s3:PutObject",
            resource: `${artifacts}/releases/evil.tar.gz`,
        });
        await expect(stack, "denied", {
            principal: builder,
            action: "s3:GetObject",
            resource: `${artifacts}/other/key`,
        });
        await expect(stack, "denied", {
            principal: builder,
            action: "s3:GetObject",
            resource: `${stack.arn(S3_BUCKET, "buckets-config")}/app/etc/env.php`,
        });
        for (const secret of [
            "app-credentials-mysql-secret",
            "app-credentials-search-secret",
            "search-master-secret",
        ]) {
            await expect(stack, "denied", {
                principal: builder,
                action: "secretsmanager:GetSecretValue",
                resource: stack.arn(SECRETSMANAGER_SECRET, secret),
            });
        }
        await expect(stack, "denied", {
            principal: builder,
            action: "kms:Decrypt",
            resource: stack.arn(KMS_KEY, "data-key"),
        });
    });

    it("Image Builder's service-linked role may encrypt the image's volumes with the release-image key, through EC2 only", async () => {
        const key = stack.arn(KMS_KEY, "release-image-key");
        const as = { principal: imageBuilder, resource: key, identityPolicies: [IMAGE_BUILDER_KMS] };
        await expect(stack, "Allowed", {
            ...as,
            action: "kms:GenerateDataKeyWithoutPlaintext",
            context: { ...VIA_EC2, "kms:EncryptionContextKeys": ["aws:ebs:id"] },
        });
        await expect(stack, "Allowed", {
            ...as,
            action: "kms:CreateGrant",
            context: { ...VIA_EC2, ...FOR_AWS_RESOURCE },
        });
        await expect(stack, "Allowed", { ...as, action: "kms:DescribeKey", context: VIA_EC2 });
        await expect(stack, "denied", { ...as, action: "kms:Decrypt" });
        await expect(stack, "denied", { ...as, action: "kms:CreateGrant", context: VIA_EC2 });
    });

    it("Auto Scaling's service-linked role may use the release-image key to launch the web groups from the image", async () => {
        const as = {
            principal: autoScalingRoleArn(stack.model.account!),
            resource: stack.arn(KMS_KEY, "release-image-key"),
        };
        for (const action of [
            "kms:Decrypt",
            "kms:ReEncryptFrom",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:DescribeKey",
        ]) {
            await expect(stack, "Allowed", { ...as, action });
        }
        await expect(stack, "Allowed", { ...as, action: "kms:CreateGrant", context: FOR_AWS_RESOURCE });
        await expect(stack, "denied", { ...as, action: "kms:CreateGrant" });
        await expect(stack, "denied", { ...as, action: "kms:PutKeyPolicy" });
    });

    it("no server role, the builder's included, may administer the release-image key, whatever IAM gives it", async () => {
        const key = stack.arn(KMS_KEY, "release-image-key");
        for (const tier of ["web", "backoffice", "rundeck", "builder"]) {
            for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"]) {
                await expect(stack, "denied", {
                    principal: stack.arn(IAM_ROLE, `${tier}-role`),
                    action,
                    resource: key,
                    identityPolicies: [ALL_KMS],
                });
            }
        }
    });

    it("an account the images are shared with may launch and copy them (use of the key), only once named", async () => {
        const shared = await load(SHARED);
        const request = (s: Stack) => ({
            principal: OTHER_ACCOUNT,
            resource: s.arn(KMS_KEY, "release-image-key"),
            identityPolicies: [ALL_KMS],
        });
        for (const action of ["kms:Decrypt", "kms:ReEncryptFrom", "kms:DescribeKey"]) {
            await expect(shared, "Allowed", { ...request(shared), action });
            await expect(stack, "denied", { ...request(stack), action });
        }
        await expect(shared, "Allowed", { ...request(shared), action: "kms:CreateGrant", context: FOR_AWS_RESOURCE });
        await expect(shared, "denied", { ...request(shared), action: "kms:Encrypt" });
        await expect(shared, "denied", { ...request(shared), action: "kms:PutKeyPolicy" });
    });
});
