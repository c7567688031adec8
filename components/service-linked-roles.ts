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
//   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr-aos.html
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The services whose service-linked role the estate needs. */
export const SERVICE_LINKED_ROLES = ["autoscaling.amazonaws.com", "opensearchservice.amazonaws.com"] as const;
export type LinkedService = typeof SERVICE_LINKED_ROLES[number];

/** The name IAM gives each service's role (under /aws-service-role/<service>/). */
const ROLE_NAMES: Readonly<Record<LinkedService, string>> = {
    "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
    "opensearchservice.amazonaws.com": "AWSServiceRoleForAmazonOpenSearchService",
};

export interface ServiceLinkedRolesArgs {
    /** The services whose role this stack creates (the account has none yet). */
    readonly create: readonly LinkedService[];
    /** The account, for the ARNs of the roles it already has. */
    readonly accountId: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

export class ServiceLinkedRoles extends pulumi.ComponentResource {
    /**
     * Each service's role ARN: the created role's output (so whatever uses it waits for the role; a component's
     * dependsOn does not reach its children), or the ARN of the role the account already has.
     */
    public readonly roleArns: Readonly<Record<LinkedService, pulumi.Output<string>>>;

    constructor(name: string, args: ServiceLinkedRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:ServiceLinkedRoles", name, {}, opts);
        const arnOf = (service: LinkedService): pulumi.Output<string> => args.create.includes(service)
            ? new aws.iam.ServiceLinkedRole(`${name}-${service.split(".")[0]}`, {
                awsServiceName: service,
                tags: args.tags,
            }, { parent: this, retainOnDelete: true }).arn
            : pulumi.interpolate`arn:aws:iam::${args.accountId}:role/aws-service-role/${service}/${ROLE_NAMES[service]}`;
        this.roleArns = Object.fromEntries(SERVICE_LINKED_ROLES.map((service) => [service, arnOf(service)])) as Record<LinkedService, pulumi.Output<string>>;
        this.registerOutputs({ roleArns: this.roleArns });
    }
}
