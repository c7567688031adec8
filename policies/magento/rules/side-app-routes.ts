// Applications behind the shop's load balancer on host names of their own (components/sideapps) keep their admin to an
// allow-list as the shop does: on an internet-facing HTTPS listener, a rule limited to host names that forwards only
// from source addresses admits less than the whole internet, and a refusal of the same paths on the same hosts follows
// it before any rule forwarding them from anywhere; a refusal is never shadowed by such a forward. It checks the rules
// on names a side application's target group declares (listener-rules.ts); the shop's rules (on every host, or limited
// to any other name) are admin-routed-to-back-office's and cdn-paths-origin-verified's.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { internetCovered } from "../../lib/cidr";
import { conditionValues, forwards, priority, publicHttpsListeners, refuses } from "../../lib/listener-rules";
import { controls, RuleMetadata } from "../../lib/metadata";
import { LISTENER_RULES, LISTENERS, LOAD_BALANCERS } from "../../lib/types";

interface HostRule {
    readonly rule: PolicyResource;
    readonly hosts: readonly string[];
    /** Its path patterns; undefined: every path. */
    readonly paths: readonly string[] | undefined;
    readonly sources: readonly string[] | undefined;
    readonly priority: number;
}

/** The host-limited rules of every internet-facing HTTPS listener, by listener, in priority order. */
function hostRules(resources: readonly PolicyResource[]): HostRule[][] {
    return publicHttpsListeners(resources, "limited").map(({ rules }) =>
        rules
            .flatMap((rule): HostRule[] => {
                const p = priority(rule);
                return p === undefined
                    ? []
                    : [
                          {
                              rule,
                              // ELB compares host names case-insensitively
                              hosts: conditionValues(rule, "hostHeader")!.map((h) => h.toLowerCase()),
                              paths: conditionValues(rule, "pathPattern"),
                              sources: conditionValues(rule, "sourceIp"),
                              priority: p,
                          },
                      ];
            })
            .sort((a, b) => a.priority - b.priority),
    );
}

const sharesHost = (a: HostRule, b: HostRule) => a.hosts.some((h) => b.hosts.includes(h));
/** `b` answers every request of `a`'s paths (every path, or each of `a`'s patterns among its own). */
const coversPaths = (b: HostRule, a: HostRule) =>
    b.paths === undefined || (a.paths !== undefined && a.paths.every((p) => b.paths!.includes(p)));
/** A forward from anywhere that answers some of `a`'s paths. */
const openForward = (f: HostRule, a: HostRule) =>
    forwards(f.rule) &&
    f.sources === undefined &&
    sharesHost(f, a) &&
    (f.paths === undefined || a.paths === undefined || f.paths.some((p) => a.paths!.includes(p)));

export const sideAppRoutes: StackValidationPolicy = {
    name: "side-app-routes",
    description:
        "Rules limited to host names on an internet-facing HTTPS listener forward an allow-listed path from less than the whole internet, then refuse it to everyone else before any rule forwards it from anywhere.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const rules of hostRules(args.resources)) {
            for (const allowed of rules.filter((r) => forwards(r.rule) && r.sources !== undefined)) {
                const what = `${allowed.hosts.join(",")}${allowed.paths ? ` ${allowed.paths.join(",")}` : ""}`;
                const covered = internetCovered(allowed.sources!);
                if (covered.length > 0) {
                    reportViolation(
                        `Listener rule ${allowed.rule.name} forwards ${what} from every ${covered.join(" and ")} internet address: list the operators' ranges only.`,
                        allowed.rule.urn,
                    );
                }
                const later = rules.filter((r) => r.priority > allowed.priority);
                const refusal = later.find(
                    (r) =>
                        refuses(r.rule) && r.sources === undefined && sharesHost(r, allowed) && coversPaths(r, allowed),
                );
                const leak = later.find(
                    (r) => openForward(r, allowed) && (refusal === undefined || r.priority < refusal.priority),
                );
                if (refusal === undefined || leak !== undefined) {
                    reportViolation(
                        `Listener rule ${allowed.rule.name} admits ${what} from an allow-list, but ` +
                            (leak
                                ? `${leak.rule.name} forwards it from anywhere before it is refused`
                                : "no refusal of those paths on that host follows it") +
                            ": add a fixed response for them (403) right after the allow-list's rules.",
                        allowed.rule.urn,
                    );
                }
            }
            for (const refusal of rules.filter((r) => refuses(r.rule) && r.sources === undefined)) {
                const shadow = rules.find((r) => r.priority < refusal.priority && openForward(r, refusal));
                if (shadow) {
                    reportViolation(
                        `Listener rule ${refusal.rule.name} refuses ${refusal.paths?.join(",") ?? "every path"} on ${refusal.hosts.join(",")}, ` +
                            `but ${shadow.rule.name} forwards them from anywhere first: give it a source-ip condition (the operators' ranges).`,
                        shadow.rule.urn,
                    );
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...LISTENER_RULES, ...LISTENERS, ...LOAD_BALANCERS],
    decides:
        "Decides during preview from the rules' host, path and source-ip conditions, priorities and actions as written, and the listener and load balancer they hang off (property dependencies). A host rule is a side application's when every name it lists is declared by a side application's target group (tag magento:side-app-host); a rule on any other name is the shop's, which admin-routed-to-back-office and cdn-paths-origin-verified check.",
    remediation:
        "Give each host-limited rule that forwards an admin path a source-ip condition with the allow-list, and add a rule refusing that path to everyone else before any rule that forwards it from anywhere.",
    controls: controls({}),
};
