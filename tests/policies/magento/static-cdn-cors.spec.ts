// static-cdn-cors, asked over the analyzer protocol: the static distribution with a CORS policy naming the page
// origins passes; without a policy, with a policy allowing every origin, or one without CORS, it fails.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { CLOUDFRONT_DISTRIBUTION, CLOUDFRONT_RESPONSE_HEADERS_POLICY } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const ORIGINS = ["https://example.com", "https://www.example.com", "https://brand-a.example"];
const cors = (items: string[]) => ({
    accessControlAllowCredentials: false,
    originOverride: true,
    accessControlAllowHeaders: { items: ["*"] },
    accessControlAllowMethods: { items: ["GET", "HEAD", "OPTIONS"] },
    accessControlAllowOrigins: { items },
});

function stack(opts: { policy?: Record<string, unknown>; originPath?: string; alias?: string } = {}): StateResource[] {
    const b = new StackBuilder("prod");
    const policy = opts.policy && b.add(CLOUDFRONT_RESPONSE_HEADERS_POLICY, "cdn-static-cors", opts.policy);
    b.add(
        CLOUDFRONT_DISTRIBUTION,
        "cdn-static",
        {
            enabled: true,
            aliases: [opts.alias ?? "static.example.com"],
            origins: [
                {
                    originId: "load-balancer",
                    domainName: "origin.example.com",
                    originPath: opts.originPath ?? "/pub/static",
                },
            ],
            defaultCacheBehavior: {
                targetOriginId: "load-balancer",
                viewerProtocolPolicy: "redirect-to-https",
                ...(policy ? { responseHeadersPolicyId: UNKNOWN } : {}),
            },
        },
        policy ? { defaultCacheBehavior: [policy] } : {},
    );
    return b.resources;
}

describe("magento / static-cdn-cors", () => {
    it("keeps: the static distribution answers the shop's and storefronts' page origins", async () => {
        assert.deepStrictEqual(
            await violations("static-cdn-cors", stack({ policy: { corsConfig: cors(ORIGINS) } })),
            [],
        );
    });

    it("breaks: no response headers policy, so browsers refuse fonts and RequireJS text! templates", async () => {
        assert.deepStrictEqual(await violations("static-cdn-cors", stack()), [
            "mandatory: Distribution cdn-static serves Magento's static content to pages on other names, but its default cache behaviour has no response headers policy: " +
                "browsers then refuse its fonts and the RequireJS text! templates of checkout and the minicart. Attach a response headers policy with corsConfig " +
                "listing https://<name> for every name that serves pages.",
        ]);
    });

    it("breaks: a policy that allows every origin, or one without CORS", async () => {
        assert.match(
            (await violations("static-cdn-cors", stack({ policy: { corsConfig: cors(["*"]) } })))[0],
            /allows every origin \(\*\)/,
        );
        assert.match(
            (await violations("static-cdn-cors", stack({ policy: { securityHeadersConfig: {} } })))[0],
            /has no CORS configuration/,
        );
    });

    it("finds the static distribution by its alias where the origins are unreadable, and leaves media alone", async () => {
        const hidden = stack({ originPath: "/elsewhere" });
        assert.strictEqual((await violations("static-cdn-cors", hidden)).length, 1, "static. alias");
        assert.deepStrictEqual(
            await violations("static-cdn-cors", stack({ originPath: "/pub/media", alias: "media.example.com" })),
            [],
        );
    });
});
