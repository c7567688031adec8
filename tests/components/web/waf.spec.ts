// The WAF's per-IP rate limit must not count CloudFront's own origin fetches: a cold cache after a release sends many
// requests from few edge addresses, which a per-IP limit would block, taking CSS, JS and images down for everyone.
// Requests carrying the origin-verify secret (what the load balancer already demands on the CDN paths) are exempt;
// the secret stays a secret in state and no stack output carries the rule (docs/edge.md, "WAF rate limit").
import * as assert from "assert";
import { SECRET_SIG, SIG_KEY, StateResource } from "../../../offline/state";
import { WAFV2_IP_SET, WAFV2_WEB_ACL } from "../../../policies/lib/types";
import { ofType, prefetch, stackResources } from "../../helpers/stacks";
import { evaluate } from "../../helpers/waf";

type Secret = Record<string, unknown>;

const plaintext = (secret: Secret) => JSON.parse(secret.plaintext as string) as string;

const SHOP = "www.example.com";
const SHOPPER = "192.0.2.44";
const OPERATOR = "198.51.100.17"; // in both stacks' magento:operatorCidrs

describe("edge: the WAF: CloudFront's fetches, the shop's limits, the admins", () => {
    prefetch(["prod", { preview: false }]);

    it("rate-per-ip exempts only CloudFront's fetches: the secret header on a CDN path; everything else is counted", async () => {
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        type Statement = Record<string, any>;
        // The counting rule that labels CloudFront's fetches holds the secret.
        const label = (acl.inputs!.rules as { name: string; statement: Statement }[]).find(
            (x) => x.name === "label-cdn-fetch",
        )!;
        const [header] = label.statement.andStatement.statements as Statement[];
        // Either accepted value (tests/components/edge/origin-verify.spec.ts: the rotation's two).
        const matches = (header.orStatement.statements as Statement[]).map((x) => x.byteMatchStatement);
        assert.strictEqual(matches.length, 2);
        for (const match of matches) {
            assert.deepStrictEqual(
                [match.fieldToMatch, match.positionalConstraint, match.textTransformations],
                [{ singleHeader: { name: "x-origin-verify" } }, "EXACTLY", [{ priority: 0, type: "NONE" }]],
            );
        }
        const searchStrings = matches.map((m) => m.searchString as Secret);
        assert.ok(
            searchStrings.every((s) => s[SIG_KEY] === SECRET_SIG),
            "the secrets are secrets in state",
        );
        const origin = r.find((x) => x.urn.endsWith("::magento-prod-shop-cdn-origin"))!;
        const demanded = (origin.inputs!.conditions as { httpHeader?: { values: Secret[] } }[])[1].httpHeader!.values;
        assert.ok(
            demanded.every((s) => s[SIG_KEY] === SECRET_SIG),
            "the load balancer's values are secrets in state",
        );
        assert.deepStrictEqual(
            searchStrings.map(plaintext),
            demanded.map(plaintext),
            "the same secrets the load balancer demands",
        );
        // Replayed: a fetch with the secret on a CDN path is not counted; someone who learnt the secret still meets the
        // limit on logins, checkout and the admin.
        const secret = { "x-origin-verify": plaintext(searchStrings[1]) };
        const counted = (path: string, headers = {}) =>
            evaluate(r, acl, { host: SHOP, path, source: SHOPPER, headers }).rateLimitedBy.includes("rate-per-ip");
        assert.deepStrictEqual(
            [
                counted("/pub/media/catalog/a.jpg", secret),
                counted("/pub/static/x.css", secret),
                counted("/pub/media/catalog/a.jpg"),
                counted("/checkout", secret),
                counted("/customer/account/login"),
            ],
            [false, false, true, true, true],
        );
    });

    it("a body longer than WAF inspects (8 KB on an ALB) is blocked on the shop except on the admin paths; the PHP rule set is on", async () => {
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        type Rule = { name: string; action?: object; statement: Record<string, any> };
        const rules = acl.inputs!.rules as Rule[];
        assert.ok(
            rules.some((x) => x.statement.managedRuleGroupStatement?.name === "AWSManagedRulesPHPRuleSet"),
            "the PHP rule set",
        );
        const oversize = rules.find((x) => x.name === "oversize-body");
        assert.ok(oversize, "an oversize-body rule");
        const [size] = oversize.statement.andStatement.statements;
        assert.deepStrictEqual(size.sizeConstraintStatement, {
            fieldToMatch: { body: { oversizeHandling: "MATCH" } },
            comparisonOperator: "GT",
            size: 8192,
            textTransformations: [{ priority: 0, type: "NONE" }],
        });
        assert.deepStrictEqual(oversize.action, { block: {} });
        const post = (path: string, bodyBytes: number) =>
            evaluate(r, acl, { host: SHOP, path, source: OPERATOR, bodyBytes }).blockedBy;
        assert.deepStrictEqual(
            [
                post("/checkout/cart/add", 9 * 1024),
                post("/checkout/cart/add", 8192),
                post("/ops_7f3k/catalog/product/save", 9 * 1024),
                post("/index.php/ops_7f3k/catalog/product/save", 9 * 1024),
            ],
            ["oversize-body", undefined, undefined, undefined],
        );
    });

    it("the side applications' hosts are outside the shop's body limit and per-shopper rate; the managed groups still inspect them", async () => {
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        for (const { host, source, path } of [
            { host: "orders.example.com", source: SHOPPER, path: "/api/orders/batch" }, // the marketplace's batches
            { host: "CASHOUT.example.com", source: SHOPPER, path: "/callback/psp" }, // host names: any case
            { host: "pim.example.com", source: OPERATOR, path: "/products/import" }, // the merchandisers' imports
        ]) {
            const outcome = evaluate(r, acl, { host, path, source, bodyBytes: 9 * 1024 });
            assert.deepStrictEqual(outcome, { blockedBy: undefined, rateLimitedBy: [] }, host);
        }
        // Not a look-alike: a port or another name is the shop's traffic, limited as such.
        for (const host of ["orders.example.com:443", "orders.example.com.evil.test", "www.example.com"]) {
            const outcome = evaluate(r, acl, { host, path: "/x", source: SHOPPER, bodyBytes: 9 * 1024 });
            assert.deepStrictEqual(outcome, { blockedBy: "oversize-body", rateLimitedBy: ["rate-per-ip"] }, host);
        }
        const managed = (acl.inputs!.rules as { statement: Record<string, any> }[]).filter(
            (x) => x.statement.managedRuleGroupStatement,
        );
        assert.ok(
            managed.every((x) => x.statement.managedRuleGroupStatement.scopeDownStatement === undefined),
            "the managed groups see every host",
        );
    });

    it("each side application's admin, decoded, slash-normalised and lowercased, is blocked unless it comes from the operators (the PIM: every path)", async () => {
        // ELB's path patterns compare the path as sent: /ADMIN, //admin, /./admin and /%61dmin pass its admin rules and
        // reach the open forward of the host, and the application's server may well normalise them into its admin.
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        const blocked = (host: string, path: string, source = SHOPPER) =>
            evaluate(r, acl, { host, path, source }).blockedBy;
        for (const app of ["orders", "cashout"]) {
            const host = `${app}.example.com`;
            for (const path of [
                "/admin",
                "/admin/payouts",
                "/ADMIN/payouts",
                "//admin/x",
                "/./admin/x",
                "/%61dmin/x",
                "/api/../admin/x",
                "/Admin.php",
            ]) {
                assert.strictEqual(blocked(host, path), `${app}-admin-operators-only`, `${host}${path}`);
                assert.strictEqual(blocked(host, path, OPERATOR), undefined, `${host}${path} from the operators`);
            }
            for (const host2 of [host.toUpperCase(), `${host}:443`, `${host}.`]) {
                assert.strictEqual(blocked(host2, "/admin/x"), `${app}-admin-operators-only`, host2);
            }
            // The partners' calls are not the admin.
            assert.strictEqual(blocked(host, "/api/orders"), undefined);
            assert.strictEqual(blocked(host, "/callback/admin"), undefined);
        }
        assert.strictEqual(blocked("pim.example.com", "/products"), "pim-admin-operators-only");
        assert.strictEqual(blocked("pim.example.com", "/products", OPERATOR), undefined);
        // The shop's own paths are not a side application's admin.
        assert.strictEqual(blocked(SHOP, "/admin-chair.html"), undefined);
    });

    it("every rule fits the provider's schema: at most 3 nested AND/OR/NOT (2 in a rate rule's scope-down), lowercase header names", async () => {
        // The provider refuses deeper rules at `up` ("Invalid or unknown key": pulumi/pulumi-aws#4868; the levels in
        // terraform-provider-aws internal/service/wafv2/schemas.go and consts.go) and header names not in [0-9a-z_-].
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        type Statement = Record<string, any>;
        const depth = (s: Statement): number => {
            const logical = s.andStatement ?? s.orStatement;
            if (logical) return 1 + Math.max(...(logical.statements as Statement[]).map(depth));
            return s.notStatement ? 1 + depth(s.notStatement.statement as Statement) : 0;
        };
        const headers = (s: unknown): string[] =>
            typeof s !== "object" || s === null
                ? []
                : Object.entries(s).flatMap(([k, v]) =>
                      k === "singleHeader" ? [(v as { name: string }).name] : headers(v),
                  );
        for (const rule of acl.inputs!.rules as { name: string; statement: Statement }[]) {
            const scopeDown = rule.statement.rateBasedStatement?.scopeDownStatement as Statement | undefined;
            assert.ok(depth(rule.statement) <= 3, `${rule.name}: ${depth(rule.statement)} levels`);
            assert.ok(
                !scopeDown || depth(scopeDown) <= 2,
                `${rule.name}'s scope-down: ${scopeDown && depth(scopeDown)}`,
            );
            for (const name of headers(rule.statement)) {
                assert.match(name, /^[0-9a-z_-]+$/, rule.name);
            }
        }
    });

    it("no stack output carries the secret", async () => {
        const r = await stackResources("prod", { preview: false });
        const origin = r.find((x) => x.urn.endsWith("::magento-prod-shop-cdn-origin"))!;
        const secret = plaintext(
            (origin.inputs!.conditions as { httpHeader?: { values: Secret[] } }[])[1].httpHeader!.values[0],
        );
        const stack = r.find((x: StateResource) => x.type === "pulumi:pulumi:Stack")!;
        assert.ok(!JSON.stringify(stack.outputs).includes(secret));
    });
    it("the admin, decoded, slash-normalised and lowercased, is blocked unless it comes from the operators' addresses", async () => {
        // ELB matches paths as sent; Magento drops repeated slashes (and a client may encode or capitalise): WAF sees
        // the path after its own transformations, so //ops_7f3k/, /%6fps_7f3k/ and /OPS_7F3K/ meet the same rule.
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        type Statement = Record<string, any>;
        const rule = (acl.inputs!.rules as { name: string; action: unknown; statement: Statement }[]).find(
            (x) => x.name === "admin-operators-only",
        );
        assert.ok(rule, "a rule keeps the admin to the operators");
        assert.deepStrictEqual(rule.action, { block: {} });
        const [onAdmin, notOperators] = rule.statement.andStatement.statements as Statement[];
        assert.deepStrictEqual(onAdmin.byteMatchStatement, {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: "CONTAINS",
            searchString: "ops_7f3k",
            textTransformations: [
                { priority: 0, type: "URL_DECODE" },
                { priority: 1, type: "NORMALIZE_PATH" },
                { priority: 2, type: "LOWERCASE" },
            ],
        });
        const [ipSet] = ofType(r, WAFV2_IP_SET);
        assert.deepStrictEqual(
            [ipSet.inputs!.scope, ipSet.inputs!.ipAddressVersion, ipSet.inputs!.addresses],
            ["REGIONAL", "IPV4", ["203.0.113.0/24", "198.51.100.17/32"]],
        );
        assert.strictEqual(notOperators.notStatement.statement.ipSetReferenceStatement.arn, ipSet.outputs!.arn);
    });
});
