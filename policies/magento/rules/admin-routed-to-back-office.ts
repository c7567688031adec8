// The admin runs on the back office, never on the shop's front end, and only for the operators (docs/admin.md): an
// HTTPS listener of the internet-facing load balancer forwards the admin paths to a target group other than the one
// its default action serves, only under a source-ip condition short of the whole internet; /index.php/<admin>, which
// Magento serves as the same admin, is routed alike; a fixed response after those rules refuses the admin paths from
// anywhere else, so the front end never receives them, also with repeated slashes, which Magento drops; and the path is not admin or backend, the ones Adobe says to
// avoid. Target groups are matched by property dependency, so a preview decides while every ARN is unknown.
import { StackValidationPolicy } from "@pulumi/policy";
import { internetCovered } from "../../lib/cidr";
import { hasMagentoWebTier, WEB_TIERS_SCHEMA } from "../../lib/contracts";
import {
    conditionValues,
    forwards,
    pathMatches,
    priority,
    publicHttpsListeners,
    refuses,
} from "../../lib/listener-rules";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn } from "../../lib/stack";
import { LISTENER_RULES, LISTENERS, LOAD_BALANCERS, TARGET_GROUPS } from "../../lib/types";

/** Adobe's security best practices: a unique admin path, not admin or the often-used backend (docs/admin.md). */
const SCANNED = ["admin", "backend"];
const INDEX_PHP = "/index.php";

interface Config {
    webTiers?: string[];
}

/** The admin bases a rule's patterns serve: "/x" for "/x" or "/x/*". */
const bases = (patterns: readonly string[]) => [...new Set(patterns.map((p) => p.replace(/\/\*$/, "")))];
const both = (base: string) => [base, `${base}/*`];
/**
 * Paths Magento serves as its admin that the exact patterns miss: it drops repeated slashes before it reads the front
 * name (magento/magento2 Framework/App/Request/PathInfo.php) and cuts the base /index.php off without a slash after
 * it (laminas-http's detectBaseUrl), while ELB compares the path as sent (docs/admin.md).
 */
const respelled = (name: string) => [
    `//${name}`,
    `//${name}/x`,
    `${INDEX_PHP}//${name}/x`,
    `///${name}/`,
    `${INDEX_PHP}${name}/x`,
];

export const adminRoutedToBackOffice: StackValidationPolicy = {
    name: "admin-routed-to-back-office",
    description:
        "On a Magento stack (web tiers tagged Tier), HTTPS listeners of an internet-facing load balancer forward /<adminPath>/* and /index.php/<adminPath>/* to a target group other than their default one (the back office) from an allow-list only, refuse them from elsewhere (respelled with repeated slashes or /index.php<admin> too), and the path is not admin or backend.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...WEB_TIERS_SCHEMA } },
    validateStack: (args, reportViolation) => {
        if (
            !hasMagentoWebTier(args.resources, args.getConfig<Config>().webTiers ?? WEB_TIERS_SCHEMA.webTiers.default)
        ) {
            return; // no Magento here (a plain ECS or EKS stack): no admin to route
        }
        for (const { listener, rules } of publicHttpsListeners(args.resources)) {
            const defaults = dependsOn(listener, "defaultActions", ...TARGET_GROUPS);
            const routed = rules.filter(
                (r) => forwards(r) && dependsOn(r, "actions", ...TARGET_GROUPS).some((tg) => !defaults.includes(tg)),
            );
            if (routed.length === 0) {
                reportViolation(
                    `HTTPS listener ${listener.name} sends the admin to the shop's front end: no rule forwards to another target group than its default. ` +
                        "Add listener rules forwarding /<adminPath>, /<adminPath>/* and their /index.php/ variants to the back-office target group, " +
                        "so that admin sessions, imports and cron share one server and never take PHP workers from shoppers.",
                    listener.urn,
                );
                continue;
            }
            for (const rule of routed) {
                const sources = conditionValues(rule, "sourceIp");
                if (sources === undefined || internetCovered(sources).length > 0) {
                    reportViolation(
                        `Listener rule ${rule.name} forwards ${bases(conditionValues(rule, "pathPattern") ?? []).join(" and ")} to the back office from any internet address ` +
                            `(${sources === undefined ? "no source-ip condition" : sources.join(", ")}): add a source-ip condition listing the operators' ranges only.`,
                        rule.urn,
                    );
                }
            }
            const served = routed.flatMap((r) => conditionValues(r, "pathPattern") ?? []);
            const lastAllowed = Math.max(...routed.map((r) => priority(r) ?? 0));
            const refused = rules
                .filter(
                    (r) =>
                        refuses(r) && conditionValues(r, "sourceIp") === undefined && (priority(r) ?? 0) > lastAllowed,
                )
                .flatMap((r) => conditionValues(r, "pathPattern") ?? []);
            for (const base of bases(served).filter((b) => !b.startsWith(`${INDEX_PHP}/`))) {
                const name = base.slice(1);
                if (SCANNED.includes(name.toLowerCase())) {
                    reportViolation(
                        `HTTPS listener ${listener.name} serves the admin at ${base}, a path Adobe's security best practices say to avoid: ` +
                            "set magento:adminPath to a name of the stack's own.",
                        listener.urn,
                    );
                    continue;
                }
                const indexed = both(`${INDEX_PHP}${base}`);
                if (!indexed.every((p) => served.includes(p))) {
                    reportViolation(
                        `HTTPS listener ${listener.name} routes ${base} but not ${indexed.join(" and ")}, which Magento also serves as its admin: ` +
                            `route and restrict them like ${base}.`,
                        listener.urn,
                    );
                }
                const missed = respelled(name).filter((path) => !refused.some((p) => pathMatches(p, path)));
                if (missed.length > 0) {
                    reportViolation(
                        `HTTPS listener ${listener.name} sends ${missed.join(", ")} from anywhere to the front end, which Magento serves as its admin ` +
                            `(it drops repeated slashes and a base /index.php; the load balancer compares the path as sent): refuse *${name} and *${name}/* after the allow rules too.`,
                        listener.urn,
                    );
                }
                for (const variant of [base, `${INDEX_PHP}${base}`]) {
                    if (!both(variant).every((p) => refused.includes(p))) {
                        reportViolation(
                            `HTTPS listener ${listener.name} sends ${both(variant).join(" and ")} from outside the allow-list to the front end: ` +
                                `add a rule after the allow rules (priority above ${lastAllowed}) answering them with a fixed response, so the front end never serves the admin.`,
                            listener.urn,
                        );
                    }
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...LOAD_BALANCERS, ...LISTENERS, ...LISTENER_RULES, ...TARGET_GROUPS],
    decides:
        "Decides during preview from listener protocols, rule priorities, path-pattern and source-ip values and action types, and the target groups wired to defaultActions and actions (property dependencies). A rule limited to host names counts as the shop's unless a side application's target group declares every one of them (tag magento:side-app-host), and is then checked as if it matched every host.",
    remediation:
        "Add listener rules, ahead of the default action, that forward /<adminPath>/* and /index.php/<adminPath>/* to the back-office target group from the allow-list only and answer them with a fixed 403 from elsewhere; use an admin path other than admin or backend.",
    controls: controls({}),
};
