// The service-linked roles the estate relies on, created where the account has none yet. IAM holds one such role per
// service and account and refuses to create it twice, so a stack lists in `magento:existingServiceLinkedRoles` the
// ones its account already has; the others are created here and kept when the stack is destroyed (other stacks of
// the account use them too).
// - Auto Scaling's (AWSServiceRoleForAutoScaling): the data key's policy names it, and KMS refuses a key policy whose
//   principal does not exist yet (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html); Auto
//   Scaling would create it only with the first group, after the key.
//   https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
// - OpenSearch's (AWSServiceRoleForAmazonOpenSearchService): a VPC domain needs it to place its network interfaces,
//   and CreateDomain fails in an account without it.
//   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The services whose service-linked role the estate needs. */
export const SERVICE_LINKED_ROLES = ["autoscaling.amazonaws.com", "opensearchservice.amazonaws.com"] as const;
export type LinkedService = typeof SERVICE_LINKED_ROLES[number];

export interface ServiceLinkedRolesArgs {
    /** The services whose role this stack creates (the account has none yet). */
    readonly create: readonly LinkedService[];
    readonly tags: Readonly<Record<string, string>>;
}

export class ServiceLinkedRoles extends pulumi.ComponentResource {
    /** ARNs of the roles this stack created; depend on the component to wait for them. */
    public readonly roleArns: pulumi.Output<string[]>;

    constructor(name: string, args: ServiceLinkedRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:ServiceLinkedRoles", name, {}, opts);
        const roles = args.create.map((service) => new aws.iam.ServiceLinkedRole(`${name}-${service.split(".")[0]}`, {
            awsServiceName: service,
            tags: args.tags,
        }, { parent: this, retainOnDelete: true }));
        this.roleArns = pulumi.output(roles.map((r) => r.arn));
        this.registerOutputs({ roleArns: this.roleArns });
    }
}
