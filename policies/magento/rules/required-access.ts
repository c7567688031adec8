// What the stack's own resources need, a real IAM evaluator asked whether the stack's own policies allow it: Auto
// Scaling's service-linked role and CloudWatch Logs using the key that encrypts their volumes and log groups, each
// web tier's boot reads (the parameter path itself, every parameter, the secrets and keys they name) and its EFS
// mounts. Each of these once deployed cleanly and failed at run time: a key policy without Auto Scaling's role, a
// GetParametersByPath grant on path/* only, an EFS policy holding only a Deny. Requirements whose ARNs or policy texts
// a preview does not know yet are left to the update (policies/lib/access/, docs/access.md). And what must be denied:
// a web tier's role reading the master credentials of a database or search domain (docs/data-access.md), or
// administering a key of the stack or granting itself its use, even with kms:* attached (docs/access.md). Every
// server's role may publish its agent's metrics into its own namespace and into no other server's (docs/servers.md).
import { StackValidationPolicy } from "@pulumi/policy";
import { forbiddenAccess } from "../../lib/access/forbidden";
import { accessModel } from "../../lib/access/model";
import { requiredAccess } from "../../lib/access/required";
import { decide } from "../../lib/access/simulate";
import { controls, RuleMetadata } from "../../lib/metadata";
import {
    AUTOSCALING_GROUP,
    CLOUDWATCH_LOG_GROUP,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EFS_FILE_SYSTEM,
    EFS_FILE_SYSTEM_POLICY,
    IAM_INSTANCE_PROFILE,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    KMS_KEY,
    OPENSEARCH_DOMAIN,
    RDS_INSTANCE,
    SECRETSMANAGER_SECRET,
    SECRETSMANAGER_SECRET_VERSION,
    SSM_PARAMETER,
} from "../../lib/types";

export const requiredAccessPolicy: StackValidationPolicy = {
    name: "required-access",
    description:
        "Simulated with the stack's own IAM, key, bucket and file-system policies: Auto Scaling and CloudWatch Logs may use the keys of their volumes and log groups; web servers may read their parameter path, parameters, secrets and keys, and mount their EFS access points, and may not read a database's or search domain's master credentials, nor administer or grant a key even with kms:* attached; each server's role may publish its agent's metrics into its own namespace and no other server's.",
    enforcementLevel: "mandatory",
    validateStack: async (args, reportViolation) => {
        const model = accessModel(args.resources);
        for (const { why, urn, request } of requiredAccess(args.resources, model)) {
            const decision = await decide(model, request);
            if (decision !== "Allowed") {
                reportViolation(
                    `${why}, but ${request.principal} may not ${request.action} on ${request.resource} (${decision}). ` +
                        "Grant it in the role's policy or the resource's policy (a KMS key's own policy for a service-linked role).",
                    urn,
                );
            }
        }
        for (const { why, urn, request } of forbiddenAccess(args.resources, model)) {
            if ((await decide(model, request)) === "Allowed") {
                reportViolation(
                    `${why}, but ${request.principal} may ${request.action} on ${request.resource}. ` +
                        (request.action.startsWith("kms:")
                            ? "Keep the key policy's deny of administration to the server roles, and CreateGrant only with kms:GrantIsForAWSResource (docs/access.md)."
                            : request.action === "cloudwatch:PutMetricData"
                              ? "Give each tier a namespace of its own (components/compute/cloudwatch-agent.ts, serverMetricsNamespace) and its role's cloudwatch:namespace condition that one only."
                              : "Remove it from the role's policies: Magento connects with its own users, the setup job and the break-glass role hold the master's."),
                    urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [
        AUTOSCALING_GROUP,
        EC2_INSTANCE,
        EC2_LAUNCH_TEMPLATE,
        KMS_KEY,
        CLOUDWATCH_LOG_GROUP,
        IAM_ROLE,
        IAM_ROLE_POLICY,
        IAM_ROLE_POLICY_ATTACHMENT,
        IAM_INSTANCE_PROFILE,
        SSM_PARAMETER,
        SECRETSMANAGER_SECRET,
        SECRETSMANAGER_SECRET_VERSION,
        RDS_INSTANCE,
        OPENSEARCH_DOMAIN,
        EFS_FILE_SYSTEM,
        EFS_FILE_SYSTEM_POLICY,
    ],
    decides:
        "Decides during preview from the ARNs, policy texts and user data a preview knows, which are few (most come from other resources): each requirement they leave unknown is decided on the update or an exported stack.",
    partlyAfterTheUp: true,
    remediation:
        "Add the missing statement (the violation names the principal, action and resource) to the role, key, bucket or file-system policy concerned, no wider than the action and resource named.",
    controls: controls({}),
};
