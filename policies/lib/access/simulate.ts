// One access decision over the stack's own policies, by a real IAM policy evaluator (@cloud-copilot/iam-simulate):
// identity policies of the principal (when it is one of the stack's roles), the resource policy of the target, KMS's
// key-policy rule (IAM policies count only when the key policy delegates to the account), same- and cross-account
// evaluation. No SCPs, RCPs, permission boundaries or session policies: the stack defines none.
import { anonymousPrincipal, runSimulation } from "@cloud-copilot/iam-simulate";
import { AccessModel, arnField, PolicyDocument } from "./model";

export interface AccessRequest {
    /** A role or account ARN, a service principal (logs.eu-west-3.amazonaws.com), or "anonymous" (an NFS client without IAM). */
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    readonly context?: Readonly<Record<string, string | string[]>>;
    /** What the principal's own account grants it, for a principal outside the stack (another account's root, say). */
    readonly identityPolicies?: readonly PolicyDocument[];
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | `invalid: ${string}`;

/** The resource policy that governs `resource`: its own, or its bucket's for an S3 object. */
function resourcePolicy(model: AccessModel, resource: string): PolicyDocument | undefined {
    const bucket = /^(arn:aws:s3:::[^/]+)\//.exec(resource)?.[1];
    return model.resources.get(resource) ?? (bucket === undefined ? undefined : model.resources.get(bucket));
}

/**
 * iam-simulate matches a templated context key only in its `/` form (aws:ResourceTag/x) and drops
 * kms:EncryptionContext:<key> from a request, so the condition CloudWatch Logs' key policy statement carries
 * (docs/access.md) could never match. That one key is evaluated under a stand-in global key, in the request and in
 * every policy alike: still evaluated, never ignored. A request never carries both.
 */
const STAND_INS: Readonly<Record<string, string>> = { "kms:EncryptionContext:aws:logs:arn": "aws:SourceArn" };

function standIn<T>(value: T): T {
    if (value === undefined) {
        return value;
    }
    const text = Object.entries(STAND_INS).reduce((t, [key, stand]) => t.split(key).join(stand), JSON.stringify(value));
    return JSON.parse(text);
}

export async function decide(model: AccessModel, given: AccessRequest): Promise<Decision> {
    const request = standIn(given);
    const own = standIn(model.roles.get(request.principal) ?? []);
    const extra = (request.identityPolicies ?? []).map((policy, i) => ({ name: `caller-${i}`, policy }));
    const result = await runSimulation({
        request: {
            principal: request.principal === "anonymous" ? anonymousPrincipal : request.principal,
            action: request.action,
            resource: { resource: request.resource, accountId: arnField(request.resource, 4) ?? model.account ?? "" },
            // AWS puts the caller's ARN (a role's, for its sessions) in every signed request; the simulator does not.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
            contextVariables: { ...request.principal.startsWith("arn:") ? { "aws:PrincipalArn": request.principal } : {}, ...request.context },
        },
        identityPolicies: [...own.map((p) => ({ name: p.name, policy: p.policy })), ...extra],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: standIn(resourcePolicy(model, request.resource)),
    }, {});
    return result.resultType === "error" ? `invalid: ${JSON.stringify(result.errors)}` : result.overallResult as Decision;
}
