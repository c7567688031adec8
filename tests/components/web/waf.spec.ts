// The WAF's per-IP rate limit must not count CloudFront's own origin fetches: a cold cache after a release sends many
// requests from few edge addresses, which a per-IP limit would block, taking CSS, JS and images down for everyone.
// Requests carrying the origin-verify secret (what the load balancer already demands on the CDN paths) are exempt;
// the secret stays a secret in state and no stack output carries the rule (docs/edge.md, "WAF rate limit").
import * as assert from "assert";
import { SECRET_SIG, SIG_KEY, StateResource } from "../../../offline/state";
import { WAFV2_IP_SET, WAFV2_WEB_ACL } from "../../../policies/lib/types";
import { ofType, prefetch, stackResources } from "../../helpers/stacks";

type Secret = Record<string, unknown>;

const plaintext = (secret: Secret) => JSON.parse(secret.plaintext as string) as string;

describe("edge: the WAF rate limit exempts CloudFront's origin fetches", () => {
    prefetch(["prod", { preview: false }]);

    it("rate-per-ip exempts only CloudFront's fetches: the secret header on a CDN path; everything else is counted", async () => {
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        type Statement = Record<string, any>;
        const rate = (
            acl.inputs!.rules as { name: string; statement: { rateBasedStatement: Record<string, unknown> } }[]
        ).find((x) => x.name === "rate-per-ip")!;
        const scopeDown = rate.statement.rateBasedStatement.scopeDownStatement as Statement | undefined;
        assert.ok(scopeDown?.notStatement, "the rate limit has a NOT scope-down");
        const [header, paths] = scopeDown.notStatement.statement.andStatement.statements as Statement[];
        // Either accepted value (tests/components/edge/origin-verify.spec.ts: the rotation's two).
        const matches = (header.orStatement.statements as Statement[]).map((x) => x.byteMatchStatement);
        assert.strictEqual(matches.length, 2);
        for (const match of matches) {
            assert.deepStrictEqual(
                [match.fieldToMatch, match.positionalConstraint, match.textTransformations],
                [{ singleHeader: { name: "X-Origin-Verify" } }, "EXACTLY", [{ priority: 0, type: "NONE" }]],
            );
        }
        // Someone who learnt the secret still meets the limit on logins, checkout and the admin.
        assert.deepStrictEqual(
            (paths.orStatement.statements as Statement[]).map((p) => [
                p.byteMatchStatement.fieldToMatch,
                p.byteMatchStatement.positionalConstraint,
                p.byteMatchStatement.searchString,
            ]),
            [
                [{ uriPath: {} }, "STARTS_WITH", "/pub/media/"],
                [{ uriPath: {} }, "STARTS_WITH", "/pub/static/"],
            ],
        );
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
    });

    it("a body longer than WAF inspects (8 KB on an ALB) is blocked except on the admin paths; the PHP rule set is on", async () => {
        const r = await stackResources("prod", { preview: false });
        const [acl] = ofType(r, WAFV2_WEB_ACL);
        type Rule = { name: string; priority: number; statement: Record<string, any> };
        const rules = acl.inputs!.rules as Rule[];
        assert.ok(
            rules.some((x) => x.statement.managedRuleGroupStatement?.name === "AWSManagedRulesPHPRuleSet"),
            "the PHP rule set",
        );
        const oversize = rules.find((x) => x.name === "oversize-body");
        assert.ok(oversize, "an oversize-body rule");
        const [size, elsewhere] = oversize.statement.andStatement.statements;
        assert.deepStrictEqual(size.sizeConstraintStatement, {
            fieldToMatch: { body: { oversizeHandling: "MATCH" } },
            comparisonOperator: "GT",
            size: 8192,
            textTransformations: [{ priority: 0, type: "NONE" }],
        });
        const exempt = (elsewhere.notStatement.statement.orStatement.statements as Record<string, any>[]).map(
            (x) => x.byteMatchStatement.searchString,
        );
        assert.deepStrictEqual(exempt, ["/ops_7f3k/", "/index.php/ops_7f3k/"]);
        assert.strictEqual(
            (oversize as unknown as { action: unknown }).action &&
                Object.keys((oversize as unknown as { action: object }).action)[0],
            "block",
        );
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
