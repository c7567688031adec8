// A rule file that its pack forgets to register enforces nothing while the README lists it: each pack, as served,
// offers exactly the rules of its rules/ folder, at the level each declares, with the SDK's metadata from its rule's.
import * as assert from "assert";
import { analyze } from "../../offline/analyzer";
import { PACKS, ruleEntries } from "../../offline/docs/rules";
import { sdkMetadata } from "../../policies/lib/sdk-metadata";
import { pack } from "../helpers/packs";
import { ROOT } from "../helpers/stacks";

describe("policy packs", () => {
    for (const name of PACKS) {
        it(`${name} serves every rule of its rules/ folder`, async () => {
            const report = await analyze(await pack(name), [], {
                project: "magento",
                stack: "prod",
                dryRun: true,
                config: {},
            });
            const served = report.policies.map((p) => `${p.name} ${p.level}`).sort();
            const files = ruleEntries(ROOT)
                .filter((e) => e.pack === name)
                .map((e) => `${e.policy.name} ${e.policy.enforcementLevel ?? "advisory"}`)
                .sort();
            assert.deepStrictEqual(served, files);
        });
    }
});

describe("policy packs as the CLI and Pulumi Cloud show them", () => {
    for (const name of PACKS) {
        it(`${name}: each policy carries the SDK's severity, framework, tags, remediation steps and URL, from its rule's metadata`, async () => {
            const report = await analyze(await pack(name), [], {
                project: "magento",
                stack: "prod",
                dryRun: true,
                config: {},
            });
            const served = new Map(report.policies.map((p) => [p.name, p]));
            for (const { policy, metadata } of ruleEntries(ROOT).filter((e) => e.pack === name)) {
                const p = served.get(policy.name)!;
                const expected = sdkMetadata({ enforcementLevel: p.level }, metadata!);
                assert.strictEqual(p.severity, expected.severity, policy.name);
                assert.strictEqual(p.framework, expected.framework?.name, policy.name);
                assert.deepStrictEqual(p.tags, expected.tags, policy.name);
                assert.strictEqual(p.url, expected.url ?? "", policy.name);
                assert.ok(p.remediation.length > 20, `${policy.name}: remediation steps`);
                assert.strictEqual(p.remediation, expected.remediationSteps, policy.name);
            }
            // Not vacuous: mandatory rules are high, and the Security Hub ones name the framework.
            assert.ok(report.policies.some((p) => p.severity === "high"));
            assert.ok(
                name === "magento" ||
                    report.policies.some((p) => p.framework === "AWS Foundational Security Best Practices"),
            );
        });
    }
});
