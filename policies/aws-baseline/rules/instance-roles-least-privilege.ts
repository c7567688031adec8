// A server's role holds what its agent and its boot need, nothing account-wide. AWS's managed SSM policies grant
// ssm:GetParameter(s) on every parameter of the account, and more
// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html): a compromised
// server would read every stack's parameters. Session Manager and Run Command need only the agent's messaging actions
// (docs/telemetry.md, "The SSM agent's policy").
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { IAM_ROLE_POLICY_ATTACHMENT } from "../../lib/types";
import { knownString } from "../../lib/values";

/** AWS managed policies that grant SSM reads across the account (or everything in SSM). */
const BROAD_SSM_POLICIES = [
    "AmazonSSMManagedInstanceCore",
    "AmazonEC2RoleforSSM",
    "AmazonSSMFullAccess",
    "AmazonSSMReadOnlyAccess",
];

export const instanceRolesLeastPrivilege: ResourceValidationPolicy = {
    name: "instance-roles-least-privilege",
    description:
        "No role carries an AWS managed SSM policy (AmazonSSMManagedInstanceCore and the like), which reads every parameter of the account; servers get the SSM agent's actions inline.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const policy = args.type === IAM_ROLE_POLICY_ATTACHMENT ? knownString(args.props, "policyArn") : undefined;
        const name = policy?.match(/^arn:aws[\w-]*:iam::aws:policy\/(?:service-role\/)?([\w-]+)$/)?.[1];
        if (name && BROAD_SSM_POLICIES.includes(name)) {
            reportViolation(
                `${args.name} attaches ${name}, which allows ssm:GetParameter(s) on every parameter of the account; ` +
                    "grant the SSM agent's actions (ssm:UpdateInstanceInformation, ssmmessages:*Channel, ec2messages:*) inline instead.",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [IAM_ROLE_POLICY_ATTACHMENT],
    decides: "Decides during preview from the attachment's policyArn, a literal.",
    remediation:
        "Detach the AWS managed SSM policy and grant the SSM agent's own actions (ssm:UpdateInstanceInformation, ssmmessages:*, ec2messages:*) inline, with parameter reads limited to the server's path.",
    controls: controls({}),
};
