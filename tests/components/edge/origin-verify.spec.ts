// The origin-verify secret as an operator rotates it (docs/edge.md, "Origin-verify rotation"): the load balancer and
// the WAF accept two values, CloudFront sends one; a rotation (magento:originVerifyRotation + 1) moves CloudFront to the
// value already accepted and regenerates the one it stopped sending, and the load balancer's and WAF's changes wait for
// the distributions. And the paths the secret guards: the origin paths and Magento's /media/ and /static/.
import * as assert from "assert";
import { originVerifyPlan } from "../../../components/edge/origin-verify";
import { loadStackSettings } from "../../../offline/project";
import { StateResource } from "../../../offline/state";
import {
    CLOUDFRONT_DISTRIBUTION,
    LB_LISTENER_RULE,
    RANDOM_PASSWORD,
    SECRETSMANAGER_SECRET,
    WAFV2_WEB_ACL,
} from "../../../policies/lib/types";
import { ConfigError, parseStackConfig } from "../../../stacks";
import { named } from "../../helpers/reachability";
import { ofType, prefetch, project, stackResources } from "../../helpers/stacks";

const ROTATED = { preview: false, changes: { "magento:originVerifyRotation": 1 } };

type Secret = { plaintext: string };
const plain = (s: unknown) => JSON.parse((s as Secret).plaintext) as string;
const password = (r: StateResource[], slot: string) =>
    plain(named(r, RANDOM_PASSWORD, `origin-verify${slot === "a" ? "" : `-${slot}`}-value`).outputs!.result);
const headerRules = (r: StateResource[]) =>
    ofType(r, LB_LISTENER_RULE).filter((x) => /::magento-prod-shop-cdn-origin(-\d)?$/.test(x.urn));
type Condition = { pathPattern?: { values: string[] }; httpHeader?: { httpHeaderName: string; values: unknown[] } };
const conditions = (x: StateResource) => x.inputs!.conditions as Condition[];
const sent = (r: StateResource[]) =>
    ofType(r, CLOUDFRONT_DISTRIBUTION).map((d) =>
        plain((d.inputs!.origins as { customHeaders: { value: unknown }[] }[])[0].customHeaders[0].value),
    );

describe("edge: origin-verify rotation and the paths it guards", () => {
    prefetch(["prod", { preview: false }], ["prod", ROTATED]);

    it("each rotation sends the value accepted since the previous one and regenerates the other", () => {
        assert.deepStrictEqual([0, 1, 2, 3, 4].map(originVerifyPlan), [
            { sent: "a", generations: { a: 0, b: 0 } },
            { sent: "b", generations: { a: 1, b: 0 } },
            { sent: "a", generations: { a: 1, b: 1 } },
            { sent: "b", generations: { a: 2, b: 1 } },
            { sent: "a", generations: { a: 2, b: 2 } },
        ]);
        for (let n = 0; n < 6; n++) {
            const [before, after] = [originVerifyPlan(n), originVerifyPlan(n + 1)];
            assert.strictEqual(
                after.generations[after.sent],
                before.generations[after.sent],
                `rotation ${n + 1} sends a value accepted since rotation ${n}`,
            );
            assert.strictEqual(
                after.generations[before.sent],
                before.generations[before.sent] + 1,
                `rotation ${n + 1} replaces the value no longer sent`,
            );
        }
    });

    it("a rotation count that is not a whole number of 0 or more is refused, naming the key", () => {
        const settings = loadStackSettings(project, "prod");
        const raw = Object.fromEntries(
            Object.entries(settings.config)
                .filter(([k]) => k.startsWith("magento:"))
                .map(([k, v]) => [
                    k.replace(/^magento:/, ""),
                    (() => {
                        try {
                            return JSON.parse(v);
                        } catch {
                            return v;
                        }
                    })(),
                ]),
        );
        for (const bad of [-1, 1.5, "next"]) {
            assert.throws(
                () => parseStackConfig({ ...raw, originVerifyRotation: bad }, { stack: "prod", region: "eu-west-3" }),
                (e: unknown) =>
                    e instanceof ConfigError &&
                    e.problems.some(
                        (p) => p.path === "magento:originVerifyRotation" && /rotations|0 or more/.test(p.message),
                    ),
            );
        }
        assert.strictEqual(
            parseStackConfig({ ...raw, originVerifyRotation: 3 }, { stack: "prod", region: "eu-west-3" }).edge
                .originVerifyRotation,
            3,
        );
    });

    it("the load balancer and the WAF accept both values; CloudFront sends slot a, then b after a rotation", async () => {
        for (const [r, slot] of [
            [await stackResources("prod", { preview: false }), "a"],
            [await stackResources("prod", ROTATED), "b"],
        ] as const) {
            const accepted = [password(r, "a"), password(r, "b")];
            assert.notStrictEqual(accepted[0], accepted[1]);
            for (const x of headerRules(r)) {
                assert.deepStrictEqual(conditions(x)[1].httpHeader!.values.map(plain), accepted, x.urn);
            }
            const [acl] = ofType(r, WAFV2_WEB_ACL);
            // The rule that labels CloudFront's fetches, which the rate limit does not count.
            const fetches = (acl.inputs!.rules as { name: string; statement: any }[]).find(
                (x) => x.name === "label-cdn-fetch",
            )!;
            const exempt = fetches.statement.andStatement.statements[0].orStatement.statements;
            assert.deepStrictEqual(
                exempt.map((s: any) => plain(s.byteMatchStatement.searchString)),
                accepted,
            );
            assert.deepStrictEqual(sent(r), [password(r, slot), password(r, slot)]);
        }
    });

    it("a rotation regenerates only the value CloudFront stops sending (the random provider's keepers), keeping the secret", async () => {
        const [before, after] = [
            await stackResources("prod", { preview: false }),
            await stackResources("prod", ROTATED),
        ];
        const keepers = (r: StateResource[], name: string) => named(r, RANDOM_PASSWORD, name).inputs!.keepers;
        assert.deepStrictEqual(
            [keepers(before, "origin-verify-value"), keepers(before, "origin-verify-b-value")],
            [undefined, undefined],
        );
        assert.deepStrictEqual(
            [keepers(after, "origin-verify-value"), keepers(after, "origin-verify-b-value")],
            [{ generation: "1" }, undefined],
        );
        // The single secret that came before rotation is slot a, under its old name: nothing protected is replaced.
        assert.ok(named(before, SECRETSMANAGER_SECRET, "origin-verify-secret").protect);
    });

    it("the header rules and the WAF change only after the distributions: no edge still sends a value they drop", async () => {
        const r = await stackResources("prod", { preview: false });
        const distributions = ofType(r, CLOUDFRONT_DISTRIBUTION).map((d) => d.urn);
        for (const x of [...headerRules(r), ...ofType(r, WAFV2_WEB_ACL)]) {
            assert.deepStrictEqual(
                distributions.filter((d) => x.dependencies!.includes(d)),
                distributions,
                x.urn,
            );
        }
    });

    it("/pub/media/, /pub/static/, /media/ and /static/ are forwarded with the header only, in rules ELB accepts, and refused without", async () => {
        const r = await stackResources("prod", { preview: false });
        const refusals = ofType(r, LB_LISTENER_RULE).filter((x) => /::magento-prod-shop-cdn-only(-\d)?$/.test(x.urn));
        const covered = (rules: StateResource[]) => rules.flatMap((x) => conditions(x)[0].pathPattern!.values).sort();
        const all = ["/media/*", "/pub/media/*", "/pub/static/*", "/static/*"];
        assert.deepStrictEqual([covered(headerRules(r)), covered(refusals)], [all, all]);
        for (const x of [...headerRules(r), ...refusals]) {
            // ELB: at most 3 values per condition and 5 per rule (docs/admin.md).
            const counts = conditions(x).map((c) => (c.pathPattern?.values ?? c.httpHeader!.values).length);
            assert.ok(counts.every((n) => n <= 3) && counts.reduce((a, b) => a + b) <= 5, x.urn);
        }
        for (const x of refusals) {
            assert.strictEqual(conditions(x).length, 1, "a refusal on the path alone");
            assert.strictEqual(
                (x.inputs!.actions as { fixedResponse: { statusCode: string } }[])[0].fixedResponse.statusCode,
                "403",
            );
        }
        assert.ok(
            Math.max(...headerRules(r).map((x) => x.inputs!.priority as number)) <
                Math.min(...refusals.map((x) => x.inputs!.priority as number)),
        );
    });
});
