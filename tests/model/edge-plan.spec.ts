// Which names go on which certificate and zone, and the limits AWS enforces, decided without Pulumi.
import * as assert from "assert";
import {
    AWS_LIMITS,
    covers,
    delegationRecords,
    EdgePlan,
    limitProblems,
    planEdge,
    registrarRecords,
    Storefront,
    storefrontProblems,
    validationNames,
    zoneOf,
} from "../../model/edge-plan";
import { brands } from "../helpers/storefronts";

const plan = (storefronts: Storefront[], namesPerCertificate: number = AWS_LIMITS.acmNamesDefault, imported = false) =>
    planEdge({ domain: "example.com", storefronts, namesPerCertificate, importedShopCertificates: imported });

/** Every certificate a name can be served with on the listener: the shop's default and the storefront ones. */
function certificatesOf(p: EdgePlan, name: string): string[] {
    return [p.shopCertificate, ...p.storefrontCertificates]
        .filter((c) => c?.names.some((n) => covers(n, name)))
        .map((c) => c!.key);
}

describe("edge plan", () => {
    it("a wildcard covers exactly one label below its base, never the base or deeper names", () => {
        assert.deepStrictEqual(
            ["www.example.com", "example.com", "a.b.example.com", "wwwexample.com"].map((d) =>
                covers("*.example.com", d),
            ),
            [true, false, false, false],
        );
        assert.strictEqual(covers("brand-a.example", "brand-a.example"), true);
    });

    it("58 generated storefronts: every domain is on exactly one certificate, each within the ACM quota, within the listener's 25", () => {
        for (const imported of [false, true]) {
            const p = plan(brands(58), 10, imported);
            for (const domain of brands(58).flatMap((s) => s.domains)) {
                assert.strictEqual(certificatesOf(p, domain).length, 1, `${domain}: ${certificatesOf(p, domain)}`);
                assert.ok(
                    p.names.some((n) => n.name === domain && n.target === "loadBalancer"),
                    `${domain} has no public record`,
                );
            }
            assert.ok(p.storefrontCertificates.every((c) => c.names.length <= 10));
            assert.ok(
                p.storefrontCertificates.length <= AWS_LIMITS.listenerCertificates,
                `${p.storefrontCertificates.length} listener certificates`,
            );
            assert.deepStrictEqual(limitProblems(p, 10), []);
        }
    });

    it("a storefront's domains stay on one certificate, so adding a storefront never moves another's names", () => {
        const before = plan(brands(20));
        const after = plan(brands(21));
        const n = before.storefrontCertificates.length;
        assert.deepStrictEqual(
            after.storefrontCertificates.slice(0, n - 1),
            before.storefrontCertificates.slice(0, n - 1),
        );
        const last = before.storefrontCertificates[n - 1].names;
        assert.deepStrictEqual(
            after.storefrontCertificates[n - 1].names.slice(0, last.length),
            last,
            "the last certificate only grows",
        );
        for (const s of brands(21)) {
            assert.strictEqual(new Set(s.domains.map((d) => certificatesOf(after, d)[0])).size, 1, s.code);
        }
    });

    it("up to the listener's 25, a certificate per storefront: removing or inserting one leaves every other's certificate as it was", () => {
        const [a, b, c] = brands(3);
        const keyed = (list: Storefront[]) =>
            Object.fromEntries(plan(list).storefrontCertificates.map((x) => [x.key, x]));
        assert.deepStrictEqual(keyed([b, c]), { brand_2: keyed([a, b, c]).brand_2, brand_3: keyed([a, b, c]).brand_3 });
        assert.deepStrictEqual(keyed([c, a, b]), keyed([a, b, c]));
    });

    it("the former layout (packed next-fit, listener certificates by position) names the aliases a deployed stack moves from", () => {
        const p = plan(brands(3), 10, true);
        assert.deepStrictEqual(
            p.former.listenerIndexOf,
            { brand_1: 0 },
            "all 7 names were on brand_1's certificate, cert-0",
        );
        assert.strictEqual(p.former.certificateKeyOf["www.brand-3.example"], "brand_1");
        assert.strictEqual(plan(brands(3)).former.certificateKeyOf["example.com"], "shop");
    });

    it("at a registrar, storefronts whose records are pending never share a certificate with validated ones: adding one changes no served certificate", () => {
        const validated = brands(21).slice(0, 20);
        const before = planEdge({
            domain: "example.com",
            storefronts: validated,
            namesPerCertificate: 10,
            importedShopCertificates: true,
        });
        const after = planEdge({
            domain: "example.com",
            storefronts: brands(21),
            namesPerCertificate: 10,
            importedShopCertificates: true,
            pendingStorefronts: new Set(["brand_21"]),
        });
        // The last validated certificate had room, yet brand_21 gets one of its own: joining would replace a served
        // certificate with one ACM cannot issue until the registrar holds brand_21's records.
        assert.deepStrictEqual(
            after.storefrontCertificates.filter((c) => !c.pending),
            before.storefrontCertificates,
        );
        assert.deepStrictEqual(
            after.storefrontCertificates.filter((c) => c.pending),
            [{ key: "brand_21", names: brands(21)[20].domains.filter(() => true), pending: true }],
        );
    });

    it("storefront names below the shop's domain ride on its wildcard when ACM issues it, and get their own certificate when it is imported", () => {
        const outlet = [{ code: "outlet", domains: ["outlet.example.com"] }];
        assert.deepStrictEqual(plan(outlet).storefrontCertificates, []);
        assert.deepStrictEqual(plan(outlet, 10, true).storefrontCertificates, [
            { key: "outlet", names: ["outlet.example.com"], pending: false },
        ]);
        assert.strictEqual(plan(outlet).names.find((n) => n.name === "outlet.example.com")!.zone, "example.com");
    });

    it("the shop's names: apex, www. and origin. on the load balancer, media. and static. on their distributions", () => {
        assert.deepStrictEqual(
            plan([]).names.map((n) => `${n.name}>${n.target}`),
            [
                "example.com>loadBalancer",
                "www.example.com>loadBalancer",
                "origin.example.com>loadBalancer",
                "media.example.com>media",
                "static.example.com>static",
            ],
        );
        assert.deepStrictEqual(plan([]).cdnCertificate, {
            key: "cdn",
            names: ["media.example.com", "static.example.com"],
            pending: false,
        });
    });

    it("zones: the shop's domain and each storefront domain not below another listed name", () => {
        const p = plan([
            { code: "a", domains: ["preprod.brand-a.example", "shop.preprod.brand-a.example"] },
            { code: "b", domains: ["www.brand-b.example"] },
        ]);
        assert.deepStrictEqual(p.zones, ["example.com", "preprod.brand-a.example", "www.brand-b.example"]);
        assert.strictEqual(zoneOf("shop.preprod.brand-a.example", p.zones), "preprod.brand-a.example");
        assert.strictEqual(zoneOf("brand-c.example", p.zones), undefined);
    });

    it("200 storefronts exceed the listener's 25 certificates at the default quota, and fit once the quota is 100", () => {
        assert.match(
            limitProblems(plan(brands(200)), 10).join("\n"),
            /need 50 certificates of at most 10 names, but an ALB listener takes 25 besides its default: raise the ACM quota and magento:acmNamesPerCertificate/,
        );
        assert.deepStrictEqual(limitProblems(plan(brands(200), 100), 100), []);
    });

    it("a storefront with more domains than a certificate holds is named, with the quota key", () => {
        const big = [{ code: "big", domains: Array.from({ length: 11 }, (_, i) => `d${i}.big.example`) }];
        assert.deepStrictEqual(limitProblems(plan(big), 10), [
            "storefront 'big' has 11 domains needing a certificate, more than the 10 names per ACM certificate (magento:acmNamesPerCertificate; the ACM quota can be raised to 100)",
        ]);
    });

    it("a distribution with more than 100 aliases is refused", () => {
        const p = {
            ...plan([]),
            aliases: {
                media: Array.from({ length: 101 }, (_, i) => `m${i}.example.com`),
                static: ["static.example.com"],
            },
        };
        assert.deepStrictEqual(limitProblems(p, 10), [
            "the media distribution would carry 101 alternate domain names; CloudFront allows 100",
        ]);
    });

    it("storefront lists: unique codes, each domain once, none of the shop's own names", () => {
        assert.deepStrictEqual(
            storefrontProblems("example.com", [
                { code: "a", domains: ["a.example", "media.example.com"] },
                { code: "a", domains: ["a.example"] },
            ]),
            [
                {
                    path: "[0].domains[1]",
                    message: "media.example.com is one of the shop's own names (apex, www., origin., media., static.)",
                },
                { path: "[1].code", message: "'a' is also storefront [0]'s code; Magento store codes are unique" },
                {
                    path: "[1].domains[0]",
                    message: "a.example is already served by storefront 'a'; a domain belongs to one storefront",
                },
            ],
        );
    });

    it("records for a registrar: ALIAS at a zone apex (a CNAME is not allowed there), CNAME below; NS for delegations", () => {
        const p = plan([{ code: "a", domains: ["a.example", "www.a.example"] }]);
        const records = registrarRecords(p.names, {
            loadBalancer: "alb.elb.amazonaws.com",
            media: "d1.cloudfront.net",
            static: "d2.cloudfront.net",
        });
        assert.deepStrictEqual(
            records.map((r) => `${r.name} ${r.type} ${r.target}`),
            [
                "example.com ALIAS alb.elb.amazonaws.com",
                "www.example.com CNAME alb.elb.amazonaws.com",
                "origin.example.com CNAME alb.elb.amazonaws.com",
                "media.example.com CNAME d1.cloudfront.net",
                "static.example.com CNAME d2.cloudfront.net",
                "a.example ALIAS alb.elb.amazonaws.com",
                "www.a.example CNAME alb.elb.amazonaws.com",
            ],
        );
        assert.deepStrictEqual(delegationRecords({ "a.example": ["ns-1.awsdns-1.com"] }), [
            { name: "a.example", type: "NS", target: "ns-1.awsdns-1.com" },
        ]);
        assert.deepStrictEqual(validationNames(["example.com", "*.example.com", "*.a.example"]), [
            "example.com",
            "*.a.example",
        ]);
    });
});
