// The offline preview sends a pack what the CLI sends for a resource reference in outputs (a custom resource's id,
// unknown in preview, and a component's URN), so a pack's AnalyzeStack never meets a reference it cannot read.
import * as assert from "assert";
import * as path from "path";
import { capturedResources } from "../../offline/engine";
import { loadStackSettings } from "../../offline/project";
import { StateResource, UNKNOWN } from "../../offline/state";
import { toWire } from "../../offline/wire";
import { SNS_TOPIC } from "../../policies/lib/types";
import { check } from "../helpers/packs";
import { captureProgram, project, ROOT } from "../helpers/stacks";

const program = path.join(ROOT, "tests/fixtures/programs/resource-outputs.ts");
const capture = (preview: boolean) =>
    captureProgram("prod", loadStackSettings(project, "prod"), preview, program).then(capturedResources);
const holderOf = (resources: StateResource[]) => resources.find((r) => r.type === "test:index:Holder")!;

describe("resource references in outputs", () => {
    const preview = capture(true);
    const update = capture(false);

    it("are kept in state as references, as the engine stores them", async () => {
        const outputs = holderOf(await update).outputs as Record<string, Record<string, unknown>>;
        assert.strictEqual(outputs.topic["4dabf18193072939515e22adb298388d"], "5cf8f73096256a8f31e491e813e4eb8e");
    });

    it("reach a pack as the id of a custom resource and the URN of a component", async () => {
        const resources = await update;
        const topic = resources.find((r) => r.type === SNS_TOPIC)!;
        const inner = resources.find((r) => r.type === "test:index:Inner")!;
        assert.deepStrictEqual(toWire(holderOf(resources).outputs), {
            topic: topic.id,
            inner: inner.urn,
            nested: { topics: [topic.id] },
        });
    });

    it("read as unknown in preview, where the resource has no id yet", async () => {
        assert.strictEqual((toWire(holderOf(await preview).outputs) as Record<string, unknown>).topic, UNKNOWN);
    });

    for (const [mode, resources] of [
        ["preview", preview],
        ["update", update],
    ] as const) {
        it(`let every pack analyse the stack in ${mode}`, async () => {
            for (const pack of ["magento", "aws-baseline"]) {
                await check(pack, await resources, { dryRun: mode === "preview" });
            }
        });
    }
});
