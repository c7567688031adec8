// Reading ELB listener rules as the load balancer evaluates them: conditions by kind, what the actions do, priority,
// and the HTTPS listeners of the internet-facing load balancers they hang off.
import { PolicyResource } from "@pulumi/policy";
import { dependsOn, internetFacingBalancers, ofType } from "./stack";
import { LISTENER_RULES, LISTENERS, LOAD_BALANCERS, TARGET_GROUPS } from "./types";
import { indices, known, knownString, knownTags } from "./values";
import { wildcardMatches } from "./wildcards";

/** The values of the rule's conditions of one kind (pathPattern, sourceIp); undefined when it has none. */
export function conditionValues(
    rule: PolicyResource,
    kind: "pathPattern" | "sourceIp" | "hostHeader",
): string[] | undefined {
    const conditions = known(rule.props, "conditions");
    const found = indices(conditions)
        .map((i) => known(conditions, i, kind, "values"))
        .filter(Array.isArray);
    return found.length === 0 ? undefined : found.flat().filter((v): v is string => typeof v === "string");
}

/** True when every action of the rule forwards (no redirect, no fixed response). */
export function forwards(rule: PolicyResource): boolean {
    const actions = known(rule.props, "actions");
    return indices(actions).length > 0 && indices(actions).every((i) => knownString(actions, i, "type") === "forward");
}

export function refuses(rule: PolicyResource): boolean {
    const actions = known(rule.props, "actions");
    return indices(actions).some((i) => knownString(actions, i, "type") === "fixed-response");
}

/**
 * Whether an ELB path pattern matches a path as the load balancer compares them: case-sensitively, on the path as sent
 * (no slash merging, no decoding), `*` any run of characters and `?` exactly one.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_PathPatternConditionConfig.html
 */
export const pathMatches = (pattern: string, path: string): boolean => wildcardMatches(pattern, path);

export const priority = (rule: PolicyResource) => {
    const p = known(rule.props, "priority");
    return typeof p === "number" ? p : undefined;
};

/**
 * The tag by which another application's target group (components/sideapps) declares the host name it answers on.
 * Only names so declared are that application's: a rule limited to other names (the shop's own, www.<domain>) is the
 * shop's and meets the shop's rules.
 */
export const SIDE_APP_HOST_TAG = "magento:side-app-host";

/** The host names the stack's side applications declare, lowercased (ELB compares host names case-insensitively). */
function sideAppHosts(resources: readonly PolicyResource[]): Set<string> {
    return new Set(
        ofType(resources, ...TARGET_GROUPS).flatMap((tg) =>
            knownTags(tg.props)
                .filter(([key]) => key === SIDE_APP_HOST_TAG)
                .map(([, host]) => host.toLowerCase()),
        ),
    );
}

/**
 * HTTPS listeners of the internet-facing load balancers, each with the shop's rules (`every`: those on every host
 * name and those limited to names no side application declares, whose host condition is then ignored, as if they
 * matched the shop's), or with the side applications' (`limited`: every name of the rule declared by a side
 * application's target group, SIDE_APP_HOST_TAG, which side-app-routes checks).
 */
export function publicHttpsListeners(
    resources: readonly PolicyResource[],
    hosts: "every" | "limited" = "every",
): { listener: PolicyResource; rules: PolicyResource[] }[] {
    const balancers = internetFacingBalancers(resources);
    const declared = sideAppHosts(resources);
    const sideApps = (rule: PolicyResource) => {
        const names = conditionValues(rule, "hostHeader");
        return names !== undefined && names.every((h) => declared.has(h.toLowerCase()));
    };
    return ofType(resources, ...LISTENERS)
        .filter(
            (l) =>
                knownString(l.props, "protocol") === "HTTPS" &&
                dependsOn(l, "loadBalancerArn", ...LOAD_BALANCERS).some((lb) => balancers.includes(lb)),
        )
        .map((listener) => ({
            listener,
            rules: ofType(resources, ...LISTENER_RULES).filter(
                (r) => dependsOn(r, "listenerArn").includes(listener) && sideApps(r) === (hosts === "limited"),
            ),
        }));
}
