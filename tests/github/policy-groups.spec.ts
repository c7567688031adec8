// The packs as a control independent of the commit under deploy (docs/ci-trust.md, "Packs as an independent
// control"): production's up stops unless Pulumi Cloud enforces both packs on the stack from a preventative policy
// group (their published versions), and no workflow can publish or enable a pack, which would let a merged change
// vouch for itself.
import * as assert from "assert";
import * as fs from "fs";
import { missingPacks, PolicyGroup } from "../../scripts/require-policy-packs";
import { PACKS } from "../../offline/docs/rules";
import { ACTION, PULUMI_STACK, action, environmentOf, workflow, workflowFiles } from "./github";

const CHECK = "scripts/require-policy-packs.ts";
const group = (name: string, mode: string, packs: string[], config?: Record<string, unknown>): PolicyGroup => ({
    name,
    mode,
    appliedPolicyPacks: packs.map((p) => ({ name: p, version: 3, config })),
});

describe("CI trust: the policy packs enforced from Pulumi Cloud for production", () => {
    it("prod's up requires both packs from its policy group; preprod and pull requests run the commit's packs only", () => {
        const deploy = workflow("deploy.yml");
        const stackSteps = (job: string) => deploy.jobs[job].steps.filter((s) => s.uses === PULUMI_STACK);
        const prod = Object.keys(deploy.jobs).filter((j) => environmentOf(deploy.jobs[j]) === "production");
        assert.deepStrictEqual(prod, ["prod"]);
        assert.deepStrictEqual(
            stackSteps("prod").map((s) => s.with?.["required-policy-packs"]?.split(/\s+/).sort()),
            [[...PACKS].sort()],
        );
        assert.deepStrictEqual(
            stackSteps("preprod").map((s) => s.with?.["required-policy-packs"]),
            [undefined],
        );
    });

    it("the shared action checks the policy group before the command, with the job's Pulumi token, and only when asked", () => {
        const steps = action().runs.steps;
        const check = steps.findIndex((s) => s.run?.includes(CHECK));
        const command = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.ok(check >= 0 && check < command, "the check runs before pulumi/actions");
        assert.strictEqual(steps[check].if, "inputs.required-policy-packs != ''");
        assert.strictEqual(steps[check].env?.PULUMI_ACCESS_TOKEN, steps[command].env?.PULUMI_ACCESS_TOKEN);
        assert.strictEqual(action().inputs["required-policy-packs"].default, "");
    });

    it("no workflow or the shared action publishes, enables, disables or removes a pack, or edits a policy group", () => {
        for (const file of [...workflowFiles(), ACTION]) {
            assert.deepStrictEqual(
                fs.readFileSync(file, "utf8").match(/pulumi\s+policy\s+(publish|enable|disable|rm|group)\b.*/g) ?? [],
                [],
                file,
            );
        }
    });

    it("keeps: both packs applied by a preventative group of the stack", () => {
        assert.deepStrictEqual(
            missingPacks(
                [
                    group("production", "preventative", ["magento", "aws-baseline"]),
                    group("default-policy-group", "audit", []),
                ],
                PACKS,
            ),
            [],
        );
    });

    it("breaks: a pack only in an audit group, which reports and never blocks, or in no group at all", () => {
        assert.deepStrictEqual(
            missingPacks(
                [group("production", "preventative", ["magento"]), group("watch", "audit", ["aws-baseline"])],
                ["magento", "aws-baseline"],
            ),
            [
                "aws-baseline: in no preventative policy group of the stack (groups: production (preventative), watch (audit))",
            ],
        );
        assert.strictEqual(
            missingPacks([], ["magento"])[0],
            "magento: in no preventative policy group of the stack (groups: none)",
        );
    });

    it("breaks: a pack applied with every rule advisory or disabled", () => {
        for (const all of ["advisory", { enforcementLevel: "disabled" }]) {
            assert.deepStrictEqual(
                missingPacks([group("production", "preventative", ["magento"], { all })], ["magento"]),
                ["magento: applied in production with every rule advisory or disabled"],
            );
        }
        assert.deepStrictEqual(
            missingPacks(
                [group("production", "preventative", ["magento"], { all: { enforcementLevel: "mandatory" } })],
                ["magento"],
            ),
            [],
        );
    });
});
