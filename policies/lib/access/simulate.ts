// One access decision over the stack's own policies, by a real IAM policy evaluator (@cloud-copilot/iam-simulate):
// identity policies of the principal (when it is one of the stack's roles), the resource policy of the target, KMS's
// key-policy rule (IAM policies count only when the key policy delegates to the account), same- and cross-account
// evaluation. No SCPs, RCPs, permission boundaries or session policies: the stack defines none.
import { anonymousPrincipal, runSimulation } from "@cloud-copilot/iam-simulate";
import { createHash } from "crypto";
import { AccessModel, arnField, NamedPolicy, PolicyDocument } from "./model";
import { wildcardMatches } from "../wildcards";

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

/** The resource policy that governs `resource`: its own, or its bucket's for an S3 object, or its domain's for a path
 *  of a search domain. */
function resourcePolicy(model: AccessModel, resource: string): PolicyDocument | undefined {
    const parent = /^(arn:aws:s3:::[^/]+|arn:aws:es:[^:]*:\d*:domain\/[^/]+)\//.exec(resource)?.[1];
    return model.resources.get(resource) ?? (parent === undefined ? undefined : model.resources.get(parent));
}

/**
 * The resource policy with its kms:EncryptionContext:<key> conditions decided here: the simulator knows only context
 * keys whose variable part follows a slash (aws:PrincipalTag/...), so it ignores these and never matches them. A
 * statement whose encryption-context condition holds for the request loses the condition; one whose does not is
 * dropped. Equals/Like operators only (what key policies use:
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context).
 */
function withEncryptionContextDecided(
    policy: PolicyDocument | undefined,
    context: Readonly<Record<string, string | string[]>>,
): PolicyDocument | undefined {
    if (!policy || !Array.isArray(policy.Statement)) {
        return policy;
    }
    const isContextKey = (k: string) => /^kms:EncryptionContext:/i.test(k);
    const given = (k: string) => Object.entries(context).find(([c]) => c.toLowerCase() === k.toLowerCase())?.[1];
    const statements = (policy.Statement as Record<string, unknown>[]).flatMap((s) => {
        const conditions = (s.Condition ?? {}) as Record<string, Record<string, string | string[]>>;
        let holds = true;
        const rest = Object.fromEntries(
            Object.entries(conditions)
                .map(([operator, keys]) => {
                    const kept = Object.entries(keys).filter(([key, patterns]) => {
                        if (!isContextKey(key)) {
                            return true;
                        }
                        const value = given(key);
                        holds &&=
                            /^(Arn|String)(Equals|Like)$/.test(operator) &&
                            value !== undefined &&
                            [value]
                                .flat()
                                .every((v) =>
                                    [patterns]
                                        .flat()
                                        .some((p) => (operator.endsWith("Like") ? wildcardMatches(p, v) : p === v)),
                                );
                        return false;
                    });
                    return [operator, Object.fromEntries(kept)];
                })
                .filter(([, keys]) => Object.keys(keys).length > 0),
        );
        return holds
            ? [{ ...s, ...(Object.keys(rest).length > 0 ? { Condition: rest } : { Condition: undefined }) }]
            : [];
    });
    return { ...policy, Statement: statements.map((s) => JSON.parse(JSON.stringify(s))) };
}

/** Decisions already made, by a digest of all they were made from: the request, the principal's identity policies, the
 *  resource's policy and the account. The same question over the same policies gets the same answer, so a pack asked
 *  about stack after stack (the tests' mutations, each changing one property) simulates only what a change touched. */
const decisions = new Map<string, Promise<Decision>>();
/** Enough for every question of a few stacks; past it the cache starts again rather than grow. */
const DECISIONS_KEPT = 20_000;

export function decide(model: AccessModel, request: AccessRequest): Promise<Decision> {
    const own = model.roles.get(request.principal) ?? [];
    const policy = resourcePolicy(model, request.resource);
    const key = createHash("sha256")
        .update(JSON.stringify([request, own, policy ?? null, model.account ?? null]))
        .digest("base64");
    let decision = decisions.get(key);
    if (!decision) {
        if (decisions.size >= DECISIONS_KEPT) {
            decisions.clear();
        }
        decision = simulate(model, request, own, policy);
        decisions.set(key, decision);
    }
    return decision;
}

async function simulate(
    model: AccessModel,
    request: AccessRequest,
    own: readonly NamedPolicy[],
    policy: PolicyDocument | undefined,
): Promise<Decision> {
    const extra = (request.identityPolicies ?? []).map((policy, i) => ({ name: `caller-${i}`, policy }));
    const result = await runSimulation(
        {
            request: {
                principal: request.principal === "anonymous" ? anonymousPrincipal : request.principal,
                action: request.action,
                resource: {
                    resource: request.resource,
                    accountId: arnField(request.resource, 4) ?? model.account ?? "",
                },
                // AWS puts the caller's ARN (a role's, for its sessions) in every signed request; the simulator does not.
                // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
                contextVariables: {
                    ...(request.principal.startsWith("arn:") ? { "aws:PrincipalArn": request.principal } : {}),
                    ...request.context,
                },
            },
            identityPolicies: [...own.map((p) => ({ name: p.name, policy: p.policy })), ...extra],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: withEncryptionContextDecided(policy, request.context ?? {}),
        },
        {},
    );
    return result.resultType === "error" ? `invalid: ${JSON.stringify(result.errors)}` : result.overallResult;
}
