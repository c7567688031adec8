// The admin runs on the back office, never on the shop's front end: an HTTPS listener of the internet-facing load
// balancer forwards /<adminPath> and /<adminPath>/* to a target group other than the one its default action serves
// (shared/platform.md: "a path rule sends /backend/* to the back office"). Admin sessions then hit the one server whose
// cron and indexers see the same state, and a slow import cannot starve shoppers' PHP workers. Target groups are matched
// by property dependency, so a preview decides while every ARN is unknown.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { hasMagentoWebTier, WEB_TIERS_SCHEMA } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, internetFacingBalancers, ofType } from "../../lib/stack";
import { LISTENER_RULES, LISTENERS, LOAD_BALANCERS, TARGET_GROUPS } from "../../lib/types";
import { indices, known, knownString } from "../../lib/values";

const ADMIN_PATH = "backend";

interface Config {
    adminPath?: string;
    webTiers?: string[];
}

/** The path patterns of a listener rule's conditions. */
function pathPatterns(rule: PolicyResource): string[] {
    const conditions = known(rule.props, "conditions");
    return indices(conditions).flatMap((i) => {
        const values = known(conditions, i, "pathPattern", "values");
        return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
    });
}

/** True when every action of the rule forwards (no redirect, no fixed response). */
function forwards(rule: PolicyResource): boolean {
    const actions = known(rule.props, "actions");
    return indices(actions).length > 0 && indices(actions).every((i) => knownString(actions, i, "type") === "forward");
}

export const adminRoutedToBackOffice: StackValidationPolicy = {
    name: "admin-routed-to-back-office",
    description: "On a Magento stack (web tiers tagged Tier), HTTPS listeners of an internet-facing load balancer forward /<adminPath>/* to a target group other than their default one (the back office).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            adminPath: { type: "string", default: ADMIN_PATH, description: "Magento's admin front name, as in the stack's magento:adminPath." },
            ...WEB_TIERS_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        if (!hasMagentoWebTier(args.resources, args.getConfig<Config>().webTiers ?? WEB_TIERS_SCHEMA.webTiers.default)) {
            return; // no Magento here (a plain ECS or EKS stack): no admin to route
        }
        const adminPath = args.getConfig<Config>().adminPath ?? ADMIN_PATH;
        const wanted = `/${adminPath}/*`;
        const balancers = internetFacingBalancers(args.resources);
        const listeners = ofType(args.resources, ...LISTENERS).filter((l) =>
            knownString(l.props, "protocol") === "HTTPS" && dependsOn(l, "loadBalancerArn", ...LOAD_BALANCERS).some((lb) => balancers.includes(lb)));
        for (const listener of listeners) {
            const defaults = dependsOn(listener, "defaultActions", ...TARGET_GROUPS);
            const admin = ofType(args.resources, ...LISTENER_RULES)
                .filter((r) => dependsOn(r, "listenerArn").includes(listener) && pathPatterns(r).includes(wanted));
            const routed = admin.filter((r) => forwards(r) && dependsOn(r, "actions", ...TARGET_GROUPS).some((tg) => !defaults.includes(tg)));
            if (routed.length === 0) {
                const found = admin.length === 0 ? `no rule matches ${wanted}` : `its ${wanted} rule (${admin.map((r) => r.name).join(", ")}) does not forward to another target group`;
                reportViolation(`HTTPS listener ${listener.name} sends the admin to the shop's front end: ${found}. ` +
                    `Add a listener rule forwarding /${adminPath} and ${wanted} to the back-office target group, ` +
                    "so that admin sessions, imports and cron share one server and never take PHP workers from shoppers.", listener.urn);
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...LOAD_BALANCERS, ...LISTENERS, ...LISTENER_RULES, ...TARGET_GROUPS],
    decides: "Decides during preview from listener protocols, rule path patterns and action types, and the target groups wired to defaultActions and actions (property dependencies).",
    controls: controls({}),
};
