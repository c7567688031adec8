// Reading ELB listener rules as the load balancer evaluates them: conditions by kind, what the actions do, priority,
// and the HTTPS listeners of the internet-facing load balancers they hang off.
import { PolicyResource } from "@pulumi/policy";
import { dependsOn, internetFacingBalancers, ofType } from "./stack";
import { LISTENER_RULES, LISTENERS, LOAD_BALANCERS } from "./types";
import { indices, known, knownString } from "./values";
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
 * HTTPS listeners of the internet-facing load balancers, each with its rules on every host name (the shop's), or with
 * those limited to host names (`limited`: another application's on the listener, components/sideapps, which
 * side-app-routes checks). A limited rule never sees the shop's requests so long as its names are not the shop's.
 */
export function publicHttpsListeners(
    resources: readonly PolicyResource[],
    hosts: "every" | "limited" = "every",
): { listener: PolicyResource; rules: PolicyResource[] }[] {
    const balancers = internetFacingBalancers(resources);
    return ofType(resources, ...LISTENERS)
        .filter(
            (l) =>
                knownString(l.props, "protocol") === "HTTPS" &&
                dependsOn(l, "loadBalancerArn", ...LOAD_BALANCERS).some((lb) => balancers.includes(lb)),
        )
        .map((listener) => ({
            listener,
            rules: ofType(resources, ...LISTENER_RULES).filter(
                (r) =>
                    dependsOn(r, "listenerArn").includes(listener) &&
                    (conditionValues(r, "hostHeader") === undefined) === (hosts === "every"),
            ),
        }));
}
