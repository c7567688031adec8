// cdn-paths-origin-verified, asked over the analyzer protocol: a load balancer in front of Magento and CloudFront whose
// HTTPS listener forwards the CDN's paths only with the origin-verify header and refuses them otherwise, and the ways
// that leave media or static files open around the CDN (Magento's /media/ and /static/ aliases above all).
import * as assert from "assert";
import { SECRET_SIG, SIG_KEY, StateResource } from "../../../offline/state";
import {
    AUTOSCALING_GROUP,
    CLOUDFRONT_DISTRIBUTION,
    LB_LISTENER,
    LB_LISTENER_RULE,
    LB_LOAD_BALANCER,
    LB_TARGET_GROUP,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const ALL = ["/pub/media/*", "/pub/static/*", "/media/*", "/static/*"];

interface Shape {
    /** Patterns the header rule forwards and the refusal answers. */
    refused?: string[];
    /** A further condition on the refusal, which a request can avoid. */
    refusalHost?: boolean;
    cdn?: boolean;
    encrypted?: boolean;
}

function stack(shape: Shape): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(AUTOSCALING_GROUP, "shop-web", { tags: [{ key: "Tier", value: "web", propagateAtLaunch: true }] });
    if (shape.cdn ?? true) {
        b.add(CLOUDFRONT_DISTRIBUTION, "cdn-media", { enabled: true });
    }
    const lb = b.add(LB_LOAD_BALANCER, "shop-alb", { internal: false, loadBalancerType: "application" });
    const frontend = b.add(LB_TARGET_GROUP, "shop-fe", { port: 80, protocol: "HTTP" });
    const https = b.add(
        LB_LISTENER,
        "shop-https",
        {
            loadBalancerArn: UNKNOWN,
            port: 443,
            protocol: "HTTPS",
            defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
        },
        { loadBalancerArn: [lb], defaultActions: [frontend] },
    );
    const values = shape.refused ?? ALL;
    for (let k = 0; k * 3 < values.length; k++) {
        const paths = { pathPattern: { values: values.slice(3 * k, 3 * k + 3) } };
        b.add(
            LB_LISTENER_RULE,
            `shop-cdn-origin-${k}`,
            {
                listenerArn: UNKNOWN,
                priority: 20 + k,
                conditions: shape.encrypted
                    ? { [SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" }
                    : [paths, { httpHeader: { httpHeaderName: "X-Origin-Verify", values: [UNKNOWN, UNKNOWN] } }],
                actions: [{ type: "forward", targetGroupArn: UNKNOWN }],
            },
            { listenerArn: [https], actions: [frontend] },
        );
        b.add(
            LB_LISTENER_RULE,
            `shop-cdn-only-${k}`,
            {
                listenerArn: UNKNOWN,
                priority: 30 + k,
                conditions: [paths, ...(shape.refusalHost ? [{ hostHeader: { values: ["origin.example.com"] } }] : [])],
                actions: [{ type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain" } }],
            },
            { listenerArn: [https] },
        );
    }
    return b.resources;
}

describe("magento / cdn-paths-origin-verified", () => {
    it("keeps: /pub/media/, /pub/static/, /media/ and /static/ forwarded with the header only, refused without it", async () => {
        assert.deepStrictEqual(await violations("cdn-paths-origin-verified", stack({})), []);
    });

    it("keeps: no CloudFront, so the load balancer itself serves media and static files", async () => {
        assert.deepStrictEqual(await violations("cdn-paths-origin-verified", stack({ cdn: false, refused: [] })), []);
    });

    it("breaks: only the origin paths refused, so Magento's /media/ and /static/ serve the same files to anyone", async () => {
        assert.deepStrictEqual(
            await violations("cdn-paths-origin-verified", stack({ refused: ["/pub/media/*", "/pub/static/*"] })),
            ["/media", "/static"].map(
                (base) =>
                    `mandatory: HTTPS listener shop-https serves ${base}/ to requests without the X-Origin-Verify header (its default action), so anyone can fetch ` +
                    `the CDN's files around CloudFront: forward ${base}/* only under an http-header condition on X-Origin-Verify, and answer it with a fixed response otherwise.`,
            ),
        );
    });

    it("breaks: a refusal that also needs a host name, which a request to the load balancer's own name avoids", async () => {
        assert.strictEqual((await violations("cdn-paths-origin-verified", stack({ refusalHost: true }))).length, 4);
    });

    it("stays silent on an export whose rule conditions are an encrypted secret (they hold the header's values)", async () => {
        assert.deepStrictEqual(await violations("cdn-paths-origin-verified", stack({ encrypted: true })), []);
    });

    for (const name of ["prod", "preprod"]) {
        it(`passes on the real ${name} stack during preview`, async () => {
            assert.deepStrictEqual(await violations("cdn-paths-origin-verified", await stackResources(name)), []);
        });
    }
});
