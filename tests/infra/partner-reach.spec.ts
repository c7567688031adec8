// A partner's address (magento:partnerCidrs) reaches the gateway services opened to it and nothing else: no admin
// allow-list holds it, neither the load balancer's source-ip conditions (the shop's admin, the side applications'
// admin paths and the PIM's whole host) nor the WAF's IP set of the admin's sources (review of 4 Dec, I-F11).
import * as assert from "assert";
import { within } from "../../policies/lib/cidr";
import {
    EC2_SECURITY_GROUP,
    LB_LISTENER_RULE,
    VPC_SECURITY_GROUP_INGRESS_RULE,
    WAFV2_IP_SET,
} from "../../policies/lib/types";
import { StateResource } from "../../offline/state";
import { violations } from "../helpers/packs";
import { ofType, prefetch, stackResources, via } from "../helpers/stacks";

const OPERATORS = ["203.0.113.0/24", "198.51.100.17/32"]; // both stacks' magento:operatorCidrs
const PARTNER = "192.0.2.77/32"; // inside neither of them
const opened = (stackChanges: Record<string, unknown> = {}) => ({
    changes: {
        "magento:partnerCidrs": [PARTNER],
        "magento:gatewayInternet": {
            ftp: [PARTNER],
            "ftp-passive": [PARTNER],
            "orders-ftp": [PARTNER],
            "orders-ftp-passive": [PARTNER],
        },
        ...stackChanges,
    },
});
// preprod's WAF is off by default: turned on so that its IP set is checked too.
const STACKS: [string, ReturnType<typeof opened>][] = [
    ["prod", opened()],
    ["preprod", opened({ "magento:waf": "on" })],
];

/** Every admin allow-list of a stack, each entry with where it is. */
function adminSources(r: readonly StateResource[]): [where: string, cidr: string][] {
    type Condition = { sourceIp?: { values: string[] } };
    const rules = ofType(r, LB_LISTENER_RULE).flatMap((x) =>
        ((x.inputs!.conditions ?? []) as Condition[]).flatMap((c) =>
            (c.sourceIp?.values ?? []).map((v): [string, string] => [x.urn.split("::").pop()!, v]),
        ),
    );
    const sets = ofType(r, WAFV2_IP_SET).flatMap((x) =>
        ((x.inputs!.addresses ?? []) as string[]).map((v): [string, string] => [x.urn.split("::").pop()!, v]),
    );
    return [...rules, ...sets];
}

describe("partners: a partner's address opens the gateway only", () => {
    prefetch(...STACKS);

    for (const [stack, changes] of STACKS) {
        it(`${stack}: the gateway admits the partner on the opened services; no listener rule or WAF IP set does`, async () => {
            const r = await stackResources(stack, changes);
            const [group] = ofType(r, EC2_SECURITY_GROUP).filter((g) => g.urn.endsWith("haproxy-sg"));
            const admitted = ofType(r, VPC_SECURITY_GROUP_INGRESS_RULE)
                .filter((rule) => via(r, rule, "securityGroupId").includes(group))
                .map((x) => `${x.inputs!.fromPort}-${x.inputs!.toPort} ${x.inputs!.cidrIpv4}`);
            assert.deepStrictEqual(admitted.sort(), [
                `2048-3388 ${PARTNER}`,
                `21-21 ${PARTNER}`,
                `3390-4096 ${PARTNER}`,
                `5021-5021 ${PARTNER}`,
                `5100-5199 ${PARTNER}`,
            ]);
            // The gateway's allow-list names the partner, so operator-allow-list accepts its rules.
            assert.strictEqual(
                (group.inputs!.tags as Record<string, string>).AllowedSources,
                [...OPERATORS, PARTNER].join(","),
            );
            assert.deepStrictEqual(await violations("operator-allow-list", r), []);

            const admin = adminSources(r);
            assert.ok(
                admin.some(([where]) => where.endsWith("-operators")),
                "the WAF's IP set is checked",
            );
            assert.ok(
                admin.some(([where]) => where.includes("-pim-")),
                "the PIM's host rule is checked",
            );
            // Each admin entry is an operator range, so none holds the partner.
            for (const [where, cidr] of admin) {
                assert.ok(OPERATORS.includes(cidr), `${where} admits ${cidr}, not an operatorCidrs entry`);
                assert.ok(!within(PARTNER, cidr), `${where} admits the partner ${PARTNER} through ${cidr}`);
            }
        });
    }
});
