// What the stack must never allow, derived from its resources: the roles of the web tiers (every launch template's:
// the servers that take the shop's traffic from the internet) reading the data services' master credentials, an RDS
// instance's managed master secret or the secret holding a search domain's master password, or assuming a role that
// may call a search domain's HTTP API (its admin role, master by role mapping). Magento connects with users of its own
// (docs/data-access.md); a server taken over must not become the database's owner. And those roles administering any
// of the stack's keys, or creating a grant on one that is not for an AWS resource, even with kms:* attached: the key
// policy's deny and its GrantIsForAWSResource condition must hold whatever IAM gives a server (docs/access.md, "Keys").
// And any server's role publishing metrics into another tier's namespace (agent-metrics.ts).
import { dependsOn, ofType, StackResource } from "../stack";
import {
    EC2_LAUNCH_TEMPLATE,
    KMS_KEY,
    RDS_INSTANCE,
    SEARCH_DOMAINS,
    SECRETSMANAGER_SECRET,
    SECRETSMANAGER_SECRET_VERSION,
} from "../types";
import { knownString } from "../values";
import { agentMetricsForbidden } from "./agent-metrics";
import { AccessModel, T } from "./model";
import { Requirement, templateRole } from "./required";

/** What an intruder on a server would attach to its role, were it able to. */
const EVERYTHING_ON_KMS = [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }];
const KEY_ADMINISTRATION_PROBES = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"];

/** The master secrets of the stack's databases and search domains, each with what it opens, when known. */
export function masterSecrets(resources: readonly StackResource[]): { readonly arn: string; readonly of: string }[] {
    const databases = ofType(resources, RDS_INSTANCE).flatMap((db) => {
        const arn = knownString(db.props, "masterUserSecrets", 0, "secretArn");
        return arn ? [{ arn, of: db.name }] : [];
    });
    // A search domain's master password and a secret's value computed from the same generated password.
    const searches = ofType(resources, ...SEARCH_DOMAINS).flatMap((domain) => {
        const passwords = dependsOn(domain, "advancedSecurityOptions");
        return ofType(resources, SECRETSMANAGER_SECRET_VERSION)
            .filter((v) => dependsOn(v, "secretString").some((p) => passwords.includes(p)))
            .flatMap((v) => dependsOn(v, "secretId", SECRETSMANAGER_SECRET))
            .flatMap((secret) => {
                const arn = knownString(secret.props, "arn");
                return arn ? [{ arn, of: domain.name }] : [];
            });
    });
    return [...databases, ...searches];
}

/** Requests that must be denied: each web tier's role reading each master secret, assuming a search role, or
 *  administering or granting a key; each server's role publishing into another's metric namespace. */
export function forbiddenAccess(resources: readonly StackResource[], model: AccessModel): Requirement[] {
    return [...masterReads(resources, model), ...keyAbuse(resources, model), ...agentMetricsForbidden(resources)];
}

function keyAbuse(resources: readonly StackResource[], model: AccessModel): Requirement[] {
    const roles = [
        ...new Set(
            ofType(resources, EC2_LAUNCH_TEMPLATE)
                .map((t) => templateRole(resources, t))
                .filter((r): r is string => r !== undefined),
        ),
    ];
    return ofType(resources, KMS_KEY).flatMap((key) => {
        const arn = knownString(key.props, "arn");
        if (!arn || !model.resources.has(arn)) {
            return [];
        }
        const probe = (principal: string, action: string) => ({
            principal,
            action,
            resource: arn,
            identityPolicies: EVERYTHING_ON_KMS,
        });
        return roles.flatMap((role) => [
            ...KEY_ADMINISTRATION_PROBES.map((action) => ({
                why: `${key.name}'s policy must keep the servers' roles from administering it, whatever IAM policy they hold`,
                urn: key.urn,
                request: probe(role, action),
            })),
            {
                why: `${key.name}'s policy must allow grants only for AWS resources`,
                urn: key.urn,
                request: probe(role, "kms:CreateGrant"),
            },
        ]);
    });
}

/** The roles granted a search domain's HTTP API (es:ESHttp*): what the security plugin maps, by role ARN, to its users. */
export function searchRoles(resources: readonly StackResource[], model: AccessModel): string[] {
    const grantsSearch = (arn: string) =>
        (model.roles.get(arn) ?? []).some(({ policy }) =>
            [policy.Statement]
                .flat()
                .some((st) =>
                    [(st as { Action?: string | string[] }).Action ?? []].flat().some((a) => /^es:ESHttp/i.test(a)),
                ),
        );
    return ofType(resources, T.role)
        .map((r) => knownString(r.props, "arn"))
        .filter((arn): arn is string => arn !== undefined && grantsSearch(arn));
}

function masterReads(resources: readonly StackResource[], model: AccessModel): Requirement[] {
    const secrets = masterSecrets(resources);
    const admins = searchRoles(resources, model);
    return ofType(resources, EC2_LAUNCH_TEMPLATE).flatMap((template) => {
        const role = templateRole(resources, template);
        const why = `${template.name} boots servers that take the shop's traffic; they must not`;
        return role
            ? [
                  ...secrets.map(({ arn, of }) => ({
                      why: `${why} read the master credentials of ${of}`,
                      urn: template.urn,
                      request: { principal: role, action: "secretsmanager:GetSecretValue", resource: arn },
                  })),
                  ...admins.map((arn) => ({
                      why: `${why} assume ${arn}, which may call a search domain's API`,
                      urn: template.urn,
                      request: { principal: role, action: "sts:AssumeRole", resource: arn },
                  })),
              ]
            : [];
    });
}
