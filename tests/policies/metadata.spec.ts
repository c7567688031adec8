// Every rule says what it covers (resource types, the preview inputs it decides from, the same check in other
// scanners), and docs/policies.md says exactly that: a rule added without metadata, or a doc not regenerated, fails here.
import * as assert from "assert";
import { ruleEntries } from "../../offline/docs/rules";
import { UNENFORCED_CONTROLS } from "../../offline/docs/unenforced-controls";
import { ROOT } from "../helpers/stacks";

const entries = ruleEntries(ROOT);
const ID_FORMS = {
    securityHub: /^[A-Za-z][A-Za-z0-9]*\.\d+$/,
    awsConfig: /^[a-z0-9]+(?:-[a-z0-9]+)+$/,
    checkov: /^CKV2?_AWS_\d+$/,
    trivy: /^AVD-AWS-\d{4}$/,
};

describe("policy rule metadata", () => {
    for (const { pack, policy, metadata } of entries) {
        it(`${pack}/${policy.name} names its resource types, how it decides during preview, and well-formed scanner ids`, () => {
            assert.ok(
                metadata,
                `${policy.name}: export \`metadata: RuleMetadata\` next to the policy (policies/lib/metadata.ts)`,
            );
            assert.ok(
                metadata.resourceTypes.length > 0 &&
                    metadata.resourceTypes.every((t) => /^[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+$/.test(t)),
                `${policy.name}: resourceTypes must be Pulumi type tokens`,
            );
            assert.match(metadata.decides, /^Decides during preview from .+\.$/);
            for (const [tool, form] of Object.entries(ID_FORMS)) {
                const list: readonly string[] = metadata.controls[tool as keyof typeof ID_FORMS];
                assert.deepStrictEqual(
                    list.filter((id) => !form.test(id)),
                    [],
                    `${policy.name}: malformed ${tool} ids`,
                );
            }
        });
    }

    it("lists no control as unenforced that a rule claims, and each once", () => {
        const claimed = new Set(entries.flatMap((e) => e.metadata?.controls.securityHub ?? []));
        assert.deepStrictEqual(
            UNENFORCED_CONTROLS.filter((u) => claimed.has(u.id)).map((u) => u.id),
            [],
        );
        assert.strictEqual(new Set(UNENFORCED_CONTROLS.map((u) => u.id)).size, UNENFORCED_CONTROLS.length);
    });
});
