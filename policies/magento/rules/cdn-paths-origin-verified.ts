// Media and static files reach shoppers through CloudFront only (its cache, its WAF-free fetches): on a Magento stack
// with distributions, the internet-facing load balancer serves every path Magento serves those files under only to
// requests carrying CloudFront's secret origin header, and refuses them otherwise. Magento's docroot pub/ serves them
// at /pub/media/ and /pub/static/ (the distributions' origin paths) and at /media/ and /static/ too (its
// nginx.conf.sample, docs/edge.md "CDN paths"): a refusal of the first two alone leaves the same files open at the
// others. The rule replays the listener as ELB evaluates it (rules by priority, then the default action) for a
// request on each path without the header.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { hasMagentoWebTier, WEB_TIERS_SCHEMA } from "../../lib/contracts";
import { conditionValues, forwards, priority, publicHttpsListeners } from "../../lib/listener-rules";
import { controls, RuleMetadata } from "../../lib/metadata";
import { ofType } from "../../lib/stack";
import { CLOUDFRONT_DISTRIBUTION, LISTENER_RULES, LISTENERS, LOAD_BALANCERS } from "../../lib/types";
import { indices, known, knownString } from "../../lib/values";

const PATHS = ["/pub/media", "/pub/static", "/media", "/static"];
const HEADER = "X-Origin-Verify";

interface Config {
    paths?: string[];
    header?: string;
    webTiers?: string[];
}

/** ELB path patterns: `*` any characters, `?` exactly one, case-sensitive (docs/edge.md, "CDN paths"). */
function matches(pattern: string, path: string): boolean {
    const regex = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${regex}$`).test(path);
}

/** What a request on `path` without `header` meets: a rule, the default action, or undefined when it cannot be read. */
function reached(
    rules: readonly PolicyResource[],
    path: string,
    header: string,
): PolicyResource | "default" | undefined {
    const ordered = [...rules].sort((a, b) => (priority(a) ?? Infinity) - (priority(b) ?? Infinity));
    for (const rule of ordered) {
        const conditions = known(rule.props, "conditions");
        if (!Array.isArray(conditions)) {
            return undefined; // an export's conditions holding the secret are one encrypted value
        }
        const patterns = conditionValues(rule, "pathPattern");
        if (patterns !== undefined && !patterns.some((p) => matches(p, path))) {
            continue;
        }
        if (
            indices(conditions).some(
                (i) =>
                    knownString(conditions, i, "httpHeader", "httpHeaderName")?.toLowerCase() === header.toLowerCase(),
            )
        ) {
            continue; // CloudFront's own requests
        }
        if (forwards(rule)) {
            return rule;
        }
        // A refusal (or redirect) stops every such request only when the path is its one condition.
        if (indices(conditions).every((i) => known(conditions, i, "pathPattern") !== undefined)) {
            return rule;
        }
    }
    return "default";
}

function forwardsByDefault(listener: PolicyResource): boolean {
    const actions = known(listener.props, "defaultActions");
    return indices(actions).some((i) => knownString(actions, i, "type") === "forward");
}

export const cdnPathsOriginVerified: StackValidationPolicy = {
    name: "cdn-paths-origin-verified",
    description:
        "On a Magento stack with CloudFront, HTTPS listeners of an internet-facing load balancer serve /pub/media/, /pub/static/, /media/ and /static/ only to requests carrying the origin-verify header, refusing them otherwise.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            paths: {
                type: "array",
                items: { type: "string" },
                default: PATHS,
                description:
                    "Paths under which the web servers serve the CDN's files (origin paths and Magento's aliases).",
            },
            header: {
                type: "string",
                default: HEADER,
                description: "Header CloudFront adds to its origin requests with a secret value.",
            },
            ...WEB_TIERS_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const cdn = ofType(args.resources, CLOUDFRONT_DISTRIBUTION).some((d) => known(d.props, "enabled") !== false);
        if (!cdn || !hasMagentoWebTier(args.resources, config.webTiers ?? WEB_TIERS_SCHEMA.webTiers.default)) {
            return; // without a CDN the load balancer is where media and static files come from
        }
        const header = config.header ?? HEADER;
        for (const { listener, rules } of publicHttpsListeners(args.resources)) {
            for (const base of config.paths ?? PATHS) {
                const hit = reached(rules, `${base}/x`, header);
                const served = hit === "default" ? forwardsByDefault(listener) : hit !== undefined && forwards(hit);
                if (served) {
                    reportViolation(
                        `HTTPS listener ${listener.name} serves ${base}/ to requests without the ${header} header ` +
                            `(${hit === "default" ? "its default action" : `rule ${(hit as PolicyResource).name}`}), so anyone can fetch the CDN's files around CloudFront: ` +
                            `forward ${base}/* only under an http-header condition on ${header}, and answer it with a fixed response otherwise.`,
                        listener.urn,
                    );
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...LOAD_BALANCERS, ...LISTENERS, ...LISTENER_RULES, CLOUDFRONT_DISTRIBUTION],
    decides:
        "Decides during preview from listener protocols and default actions, rule priorities, path patterns, http-header condition names (never their secret values) and action types; on an export whose rule conditions are one encrypted secret it cannot read them and stays silent. A rule limited to host names counts as the shop's unless a side application's target group declares every one of them (tag magento:side-app-host), and is then checked as if it matched every host.",
    remediation:
        "Add listener rules that forward the CDN's paths only when the origin-verify header matches, and a rule that refuses those paths otherwise, before any rule that forwards them.",
    controls: controls({}),
};
