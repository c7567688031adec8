// Which release images a stack keeps: the last N (rollback targets), older ones deregistered with their snapshots by an
// Image Builder lifecycle policy over the Image Builder images tagged with the stack (RELEASE_IMAGE_TAG). The policy
// selects image resources by their own tags, not their AMIs' (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LifecyclePolicyResourceSelection.html),
// and a pipeline cannot tag the images it creates through the provider: scripts/release-image tags each image it
// started (imagebuilder tag-resource). An AMI an instance was launched from in the last LAST_LAUNCHED_DAYS days is
// never deleted, however many builds came after it: the one the web tiers boot stays while they run and scale.
// Image Builder acts only on images it built: its execution policy is conditioned on the CreatedBy tag Image Builder
// sets (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/EC2ImageBuilderLifecycleExecutionPolicy.html),
// so a stack's promoted copies (the release runner's, no Image Builder image resource) are pruned by the runner
// after each promotion, to the same count; in such a stack this policy finds nothing to do, and is kept so a stack that starts
// building needs no other change.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RELEASE_IMAGE_TAG } from "../../policies/lib/contracts";
import { serviceTrustPolicy } from "../security/trust-policy";

export interface ImageLifecycleArgs {
    readonly stack: string;
    /** Images kept, newest first; at least 2 (stacks/checks/release.ts). */
    readonly imagesKept: number;
    readonly tags: Readonly<Record<string, string>>;
}

/** AWS's policy for lifecycle execution roles: deprecate, disable, delete images and snapshots Image Builder created
 *  (https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-lifecycle-prerequisites.html). */
export const LIFECYCLE_EXECUTION_POLICY =
    "arn:aws:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy";

/** Days since an instance last launched from an AMI within which the policy keeps it (exclusionRules.amis.lastLaunched:
 *  https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LifecyclePolicyDetailExclusionRulesAmis.html). */
export const LAST_LAUNCHED_DAYS = 30;

export class ImageLifecycle extends pulumi.ComponentResource {
    public readonly policyArn: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: ImageLifecycleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:release:ImageLifecycle", name, {}, opts);
        const child = { parent: this };
        const tags = { ...args.tags, Name: name };
        const role = new aws.iam.Role(
            `${name}-role`,
            // Trusted as AWS documents it, with no condition: whether the lifecycle service sends aws:SourceAccount when
            // it assumes the role is not documented, and a condition it does not meet would stop every run.
            { assumeRolePolicy: serviceTrustPolicy("imagebuilder.amazonaws.com"), tags },
            child,
        );
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-execution`,
            { role: role.name, policyArn: LIFECYCLE_EXECUTION_POLICY },
            child,
        );
        const policy = new aws.imagebuilder.LifecyclePolicy(
            `${name}-policy`,
            {
                name: `${name}-policy`,
                description: `Keeps the last ${args.imagesKept} release images of ${args.stack}; older ones go with their snapshots`,
                executionRole: role.arn,
                resourceType: "AMI_IMAGE",
                resourceSelection: { tagMap: { [RELEASE_IMAGE_TAG]: args.stack } },
                policyDetails: [
                    {
                        action: { type: "DELETE", includeResources: { amis: true, snapshots: true } },
                        filter: { type: "COUNT", value: args.imagesKept },
                        exclusionRules: { amis: { lastLaunched: { unit: "DAYS", value: LAST_LAUNCHED_DAYS } } },
                    },
                ],
                status: "ENABLED",
                tags,
            },
            { ...child, dependsOn: [attachment] },
        );
        this.policyArn = policy.arn;
        this.roleArn = role.arn;
        this.registerOutputs({ policyArn: this.policyArn });
    }
}
