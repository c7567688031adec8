// admin-routed-to-back-office, asked over the analyzer protocol: a load balancer whose HTTPS listener forwards to the
// front end by default, with or without an admin rule to the back office (ARNs unknown, as in a preview).
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { check, StackBuilder, UNKNOWN } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const POLICY = "admin-routed-to-back-office";

interface Shape { adminTo?: "backoffice" | "frontend" | "none"; paths?: string[]; internal?: boolean; magento?: boolean }

function stack(shape: Shape): StateResource[] {
    const b = new StackBuilder("prod");
    // Magento's web servers, as the web group component tags them; without them the stack is not a Magento estate.
    if (shape.magento ?? true) {
        b.add("aws:autoscaling/group:Group", "shop-web", { tags: [{ key: "Tier", value: "web", propagateAtLaunch: true }] });
    }
    const lb = b.add("aws:lb/loadBalancer:LoadBalancer", "shop-alb", { internal: shape.internal ?? false, loadBalancerType: "application" });
    const frontend = b.add("aws:lb/targetGroup:TargetGroup", "shop-fe", { port: 80, protocol: "HTTP" });
    const backoffice = b.add("aws:lb/targetGroup:TargetGroup", "shop-bo", { port: 80, protocol: "HTTP" });
    const https = b.add("aws:lb/listener:Listener", "shop-https", {
        loadBalancerArn: UNKNOWN, port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
    }, { loadBalancerArn: [lb], defaultActions: [frontend] });
    if (shape.adminTo !== "none") {
        b.add("aws:lb/listenerRule:ListenerRule", "shop-admin", {
            listenerArn: UNKNOWN, priority: 10, conditions: [{ pathPattern: { values: shape.paths ?? ["/backend", "/backend/*"] } }],
            actions: [{ type: "forward", targetGroupArn: UNKNOWN }],
        }, { listenerArn: [https], actions: [shape.adminTo === "frontend" ? frontend : backoffice] });
    }
    return b.resources;
}

async function violations(resources: readonly StateResource[]): Promise<string[]> {
    return (await check("magento", resources)).filter((d) => d.policy === POLICY).map((d) => `${d.level}: ${d.message.replace(/^.*\n/, "")}`);
}

describe("magento / admin-routed-to-back-office", () => {
    it("keeps: /backend/* forwarded to the back-office target group", async () => {
        assert.deepStrictEqual(await violations(stack({ adminTo: "backoffice" })), []);
    });

    it("keeps: a stack with no Magento web tier (a plain ECS or EKS stack), whose listener has no admin to route", async () => {
        assert.deepStrictEqual(await violations(stack({ adminTo: "none", magento: false })), []);
    });

    it("breaks: no admin rule, so the admin runs on the shop's front end", async () => {
        assert.deepStrictEqual(await violations(stack({ adminTo: "none" })), [
            "mandatory: HTTPS listener shop-https sends the admin to the shop's front end: no rule matches /backend/*. Add a listener rule forwarding " +
            "/backend and /backend/* to the back-office target group, so that admin sessions, imports and cron share one server and never take PHP workers from shoppers.",
        ]);
    });

    it("breaks: the admin rule forwards to the default (front-end) target group", async () => {
        const found = await violations(stack({ adminTo: "frontend" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /its \/backend\/\* rule \(shop-admin\) does not forward to another target group/);
    });

    it("breaks: a rule for another path does not count", async () => {
        assert.strictEqual((await violations(stack({ paths: ["/admin/*"] }))).length, 1);
    });

    it("does not apply to an internal load balancer", async () => {
        assert.deepStrictEqual(await violations(stack({ adminTo: "none", internal: true })), []);
    });

    for (const name of ["prod", "preprod"]) {
        it(`passes on the real ${name} stack during preview`, async () => {
            assert.deepStrictEqual(await violations(await stackResources(name)), []);
        });
    }
});
