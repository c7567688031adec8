// A rule file that its pack forgets to register enforces nothing while the README lists it: each pack, as served,
// offers exactly the rules of its rules/ folder, at the level each declares.
import * as assert from "assert";
import { analyze } from "../../offline/analyzer";
import { PACKS, ruleEntries } from "../../offline/docs/rules";
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
