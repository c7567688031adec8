// cdn-serves-static-and-media, asked over the analyzer protocol: an internet-facing load balancer with the media and
// static distributions, one of them missing or pointed elsewhere.
import * as assert from "assert";
import { SECRET_SIG, SIG_KEY, StateResource } from "../../../offline/state";
import { AUTOSCALING_GROUP, CLOUDFRONT_DISTRIBUTION, LB_LOAD_BALANCER } from "../../../policies/lib/types";
import { StackBuilder, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const CUSTOM = { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] };

function stack(
    paths: string[],
    opts: { internal?: boolean; s3Origin?: boolean; magento?: boolean } = {},
): StateResource[] {
    const b = new StackBuilder("prod");
    // Magento's web servers, as the web group component tags them; without them the stack is not a Magento estate.
    if (opts.magento ?? true) {
        b.add(AUTOSCALING_GROUP, "shop-web", { tags: [{ key: "Tier", value: "web", propagateAtLaunch: true }] });
    }
    b.add(LB_LOAD_BALANCER, "shop-alb", { internal: opts.internal ?? false, loadBalancerType: "application" });
    paths.forEach((originPath, i) =>
        b.add(CLOUDFRONT_DISTRIBUTION, `cdn-${i}`, {
            enabled: true,
            origins: [
                {
                    originId: "load-balancer",
                    domainName: "origin.example.com",
                    originPath,
                    ...(opts.s3Origin
                        ? { s3OriginConfig: { originAccessIdentity: "" } }
                        : { customOriginConfig: CUSTOM }),
                },
            ],
        }),
    );
    return b.resources;
}

describe("magento / cdn-serves-static-and-media", () => {
    it("keeps: a media and a static distribution on the load balancer", async () => {
        assert.deepStrictEqual(
            await violations("cdn-serves-static-and-media", stack(["/pub/media", "/pub/static"])),
            [],
        );
    });

    it("keeps: a stack with no Magento web tier (a plain ECS or EKS stack) behind an internet-facing load balancer", async () => {
        assert.deepStrictEqual(await violations("cdn-serves-static-and-media", stack([], { magento: false })), []);
    });

    it("breaks: no static distribution, so CSS/JS come from the PHP servers", async () => {
        assert.deepStrictEqual(await violations("cdn-serves-static-and-media", stack(["/pub/media"])), [
            "mandatory: Load balancer shop-alb faces the internet but no CloudFront distribution serves /pub/static from it: add a distribution per path " +
                "with the load balancer as custom origin and the path as originPath, so that images, CSS and JS come from the CDN's edge caches instead of Magento's PHP servers.",
        ]);
    });

    it("breaks: the paths served from an S3 origin, not the load balancer", async () => {
        assert.match(
            (
                await violations(
                    "cdn-serves-static-and-media",
                    stack(["/pub/media", "/pub/static"], { s3Origin: true }),
                )
            )[0],
            /serves \/pub\/media and \/pub\/static from it/,
        );
    });

    it("stays silent on an export whose origins are an encrypted secret (they carry the origin-verify header)", async () => {
        const resources = stack(["/pub/media"]);
        const cdn = resources.find((r) => r.type === CLOUDFRONT_DISTRIBUTION)!;
        cdn.outputs = { ...cdn.outputs, origins: { [SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" } };
        assert.deepStrictEqual(await violations("cdn-serves-static-and-media", resources), []);
    });

    it("does not apply without an internet-facing load balancer", async () => {
        assert.deepStrictEqual(await violations("cdn-serves-static-and-media", stack([], { internal: true })), []);
    });

    for (const name of ["prod", "preprod"]) {
        it(`passes on the real ${name} stack during preview`, async () => {
            assert.deepStrictEqual(await violations("cdn-serves-static-and-media", await stackResources(name)), []);
        });
    }
});
