// side-app-routes, asked over the analyzer protocol: an application on its own host name behind the shop's listener,
// its admin forwarded from the operators' ranges, refused to anyone else, the rest of the host forwarded (ARNs unknown,
// as in a preview); and each way that opens its admin to the internet.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { SIDE_APP_HOST_TAG } from "../../../policies/lib/listener-rules";
import { LB_LISTENER, LB_LISTENER_RULE, LB_LOAD_BALANCER, LB_TARGET_GROUP } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const HOST = "orders.example.com";
const ADMIN = ["/admin", "/admin/*"];

interface Shape {
    /** The allow rule's source-ip values; null: none. */
    sources?: string[] | null;
    /** The refusal: after the allow rule and before the host's forward, after that forward, or none. */
    refusal?: "before-forward" | "after-forward" | "none";
    internal?: boolean;
    /** The host the target group declares; another than the rules' makes them the shop's. */
    declared?: string;
}

function stack(shape: Shape): StateResource[] {
    const b = new StackBuilder("prod");
    const lb = b.add(LB_LOAD_BALANCER, "shop-alb", {
        internal: shape.internal ?? false,
        loadBalancerType: "application",
    });
    // The application declares its host on its target group (components/sideapps): its rules are its own.
    const app = b.add(LB_TARGET_GROUP, "orders", {
        port: 80,
        protocol: "HTTP",
        tags: { [SIDE_APP_HOST_TAG]: shape.declared ?? HOST },
    });
    const https = b.add(
        LB_LISTENER,
        "shop-https",
        { loadBalancerArn: UNKNOWN, port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward" }] },
        { loadBalancerArn: [lb] },
    );
    const rule = (name: string, priority: number, conditions: unknown[], action: Record<string, unknown>) =>
        b.add(
            LB_LISTENER_RULE,
            name,
            {
                listenerArn: UNKNOWN,
                priority,
                conditions: [{ hostHeader: { values: [HOST] } }, ...conditions],
                actions: [action],
            },
            { listenerArn: [https], ...(action.type === "forward" ? { actions: [app] } : {}) },
        );
    const forward = { type: "forward", targetGroupArn: UNKNOWN };
    const refuse = { type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain" } };
    const sources = shape.sources === undefined ? ["203.0.113.0/24", "198.51.100.17/32"] : shape.sources;
    rule(
        "orders-admin-0",
        7,
        [{ pathPattern: { values: ADMIN } }, ...(sources === null ? [] : [{ sourceIp: { values: sources } }])],
        forward,
    );
    const refusal = shape.refusal ?? "before-forward";
    if (refusal !== "none") {
        rule(
            "orders-admin-refused",
            refusal === "before-forward" ? 11 : 13,
            [{ pathPattern: { values: ADMIN } }],
            refuse,
        );
    }
    rule("orders-host", 12, [], forward);
    return b.resources;
}

describe("magento / side-app-routes", () => {
    it("keeps: the admin from the allow-list, refused to everyone else before the host's forward", async () => {
        assert.deepStrictEqual(await violations("side-app-routes", stack({})), []);
    });

    it("leaves to the shop's rules a host no side application declares (www.example.com's rules are the shop's)", async () => {
        // Open to the internet and unrefused, but not on a side application's name: admin-routed-to-back-office and
        // cdn-paths-origin-verified see these rules (tests/policies/mutations.ts, "a shop-host rule").
        const shop = stack({ declared: "pim.example.com", sources: null, refusal: "none" });
        assert.deepStrictEqual(await violations("side-app-routes", shop), []);
    });

    it("keeps: an internal load balancer, whose listener the internet does not reach", async () => {
        assert.deepStrictEqual(await violations("side-app-routes", stack({ internal: true, refusal: "none" })), []);
    });

    it("keeps: both stacks as the program builds them", async function () {
        this.timeout(300_000);
        for (const name of ["prod", "preprod"]) {
            assert.deepStrictEqual(await violations("side-app-routes", await stackResources(name)), [], name);
        }
    });

    it("breaks: no refusal follows the allow-list, so the host's forward serves the admin to anyone", async () => {
        assert.deepStrictEqual(await violations("side-app-routes", stack({ refusal: "none" })), [
            `mandatory: Listener rule orders-admin-0 admits ${HOST} /admin,/admin/* from an allow-list, but orders-host forwards it from anywhere before it is refused: add a fixed response for them (403) right after the allow-list's rules.`,
        ]);
    });

    it("breaks: the refusal comes after the host's forward, which answers first", async () => {
        const found = await violations("side-app-routes", stack({ refusal: "after-forward" }));
        assert.strictEqual(found.length, 2);
        assert.match(found[0], /orders-host forwards it from anywhere before it is refused/);
        assert.match(found[1], /orders-admin-refused refuses \/admin,\/admin\/\* .* but orders-host forwards them/);
    });

    it("breaks: the admin rule loses its source-ip condition, or lists the whole internet", async () => {
        const open = await violations("side-app-routes", stack({ sources: null }));
        assert.deepStrictEqual(open, [
            `mandatory: Listener rule orders-admin-refused refuses /admin,/admin/* on ${HOST}, but orders-admin-0 forwards them from anywhere first: give it a source-ip condition (the operators' ranges).`,
        ]);
        for (const sources of [["0.0.0.0/0"], ["0.0.0.0/1", "128.0.0.0/1"]]) {
            const found = await violations("side-app-routes", stack({ sources }));
            assert.strictEqual(found.length, 1, found.join("\n"));
            assert.match(
                found[0],
                /forwards orders\.example\.com \/admin,\/admin\/\* from every IPv4 internet address/,
            );
        }
    });
});
