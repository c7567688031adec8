// magento-health-check, asked over the analyzer protocol: web-tier autoscaling groups and the target groups they
// register into (ARNs unknown, as in a preview).
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { AUTOSCALING_GROUP, LB_TARGET_GROUP } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const GOOD = { path: "/health_check.php", matcher: "200", protocol: "HTTP", interval: 15 };

function stack(healthCheck: Record<string, unknown>, tier = "web"): StateResource[] {
    const b = new StackBuilder("preprod");
    const target = b.add(LB_TARGET_GROUP, "shop-fe", { port: 80, protocol: "HTTP", healthCheck });
    b.add(
        AUTOSCALING_GROUP,
        "frontend",
        {
            minSize: 1,
            maxSize: 4,
            targetGroupArns: [UNKNOWN],
            tags: [{ key: "Tier", value: tier, propagateAtLaunch: false }],
        },
        { targetGroupArns: [target] },
    );
    return b.resources;
}

describe("magento / magento-health-check", () => {
    it("keeps: /health_check.php, 200 only", async () => {
        assert.deepStrictEqual(await violations("magento-health-check", stack(GOOD)), []);
    });

    it("breaks: the estate's /pub/health_check.php (install root) and the default matcher", async () => {
        assert.deepStrictEqual(await violations("magento-health-check", stack({ path: "/pub/health_check.php" })), [
            "mandatory: Target group shop-fe of web tier web (frontend) health check checks /pub/health_check.php, accepts the default 200-399; " +
                'check /health_check.php over HTTP with matcher "200", which fails when Magento cannot reach MySQL or Redis.',
        ]);
    });

    it("breaks: a TCP check, which keeps servers whose PHP fails", async () => {
        assert.match(
            (await violations("magento-health-check", stack({ ...GOOD, protocol: "TCP" })))[0],
            /health check uses TCP/,
        );
    });

    it("does not judge target groups of other tiers", async () => {
        assert.deepStrictEqual(await violations("magento-health-check", stack({ path: "/" }, "gateway")), []);
    });

    for (const name of ["prod", "preprod"]) {
        it(`passes on the real ${name} stack during preview`, async () => {
            assert.deepStrictEqual(await violations("magento-health-check", await stackResources(name)), []);
        });
    }
});
