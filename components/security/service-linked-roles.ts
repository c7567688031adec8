// The service-linked roles the estate relies on: adopted where the account has them, created where it has none.
// IAM holds one such role per service and account and refuses to create it twice ("has been taken in this
// account"), and any account that ever ran an Auto Scaling group or a VPC OpenSearch domain has them. So each role
// is looked up first (iam:ListRoles under its path, an empty answer when absent) and declared either way:
// - present: imported by its ARN (the provider's import id), with AWS's description and tags left as they are, so
//   the import matches; a later `up` finds it in state under the same id and treats it as any other resource
//   (https://github.com/pulumi/pulumi/blob/master/developer-docs/architecture/import.md, "import resource option");
// - absent (a new account): created.
// Both kept when a stack is destroyed (retainOnDelete): other stacks of the account use them.
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
export type LinkedService = (typeof SERVICE_LINKED_ROLES)[number];

export interface ServiceLinkedRolesArgs {
    /** Tags of a role the stack creates (an adopted role keeps the tags AWS gave it). */
    readonly tags: Readonly<Record<string, string>>;
}

export class ServiceLinkedRoles extends pulumi.ComponentResource {
    /** Each service's role ARN, an output of the role resource: whatever reads it waits for the role. */
    public readonly roleArns: Readonly<Record<LinkedService, pulumi.Output<string>>>;
    /** Each service's role, for the dependsOn of a resource that needs the role but reads nothing of it. */
    public readonly roles: Readonly<Record<LinkedService, Promise<pulumi.Resource>>>;

    constructor(name: string, args: ServiceLinkedRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:ServiceLinkedRoles", name, {}, opts);
        const declare = async (service: LinkedService): Promise<aws.iam.ServiceLinkedRole> => {
            const found = await aws.iam.getRoles({ pathPrefix: `/aws-service-role/${service}/` }, { parent: this });
            const existing = found.arns[0];
            return new aws.iam.ServiceLinkedRole(
                `${name}-${service.split(".")[0]}`,
                {
                    awsServiceName: service,
                    ...(existing ? {} : { tags: args.tags }),
                },
                existing
                    ? { parent: this, retainOnDelete: true, import: existing, ignoreChanges: ["description", "tags"] }
                    : { parent: this, retainOnDelete: true },
            );
        };
        const roles = Object.fromEntries(SERVICE_LINKED_ROLES.map((service) => [service, declare(service)])) as Record<
            LinkedService,
            Promise<aws.iam.ServiceLinkedRole>
        >;
        this.roles = roles;
        this.roleArns = Object.fromEntries(
            SERVICE_LINKED_ROLES.map((service) => [service, pulumi.output(roles[service]).apply((role) => role.arn)]),
        ) as Record<LinkedService, pulumi.Output<string>>;
        this.registerOutputs({ roleArns: this.roleArns });
    }
}
