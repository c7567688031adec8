// A capture worker that already ran the program runs it again exactly as a fresh process would: what the tests and
// `preview --json` rely on when they reuse one.
import * as assert from "assert";
import { CaptureWorkers } from "../../offline/capture-workers";
import { capture, capturedResources, captureJob } from "../../offline/engine";
import { loadStackSettings } from "../../offline/project";
import { EC2_VPC } from "../../policies/lib/types";
import { project, ROOT } from "../helpers/stacks";

const settings = (stack: string) => loadStackSettings(project, stack);

describe("capture workers", () => {
    // Started when the spec loads: one worker runs prod, then preprod; a fresh process runs preprod alone.
    const worker = new CaptureWorkers(ROOT, 1);
    const first = worker.run(captureJob(project, "prod", settings("prod"), true));
    const reused = worker.run(captureJob(project, "preprod", settings("preprod"), true));
    const fresh = capture(project, "preprod", settings("preprod"), true);
    after(() => worker.close());

    it("a worker that captured one stack captures the next exactly as a fresh process does", async () => {
        assert.ok(
            capturedResources(await first).some((r) => r.type === EC2_VPC && r.urn.startsWith("urn:pulumi:prod::")),
        );
        assert.deepStrictEqual(capturedResources(await reused), capturedResources(await fresh));
    });
});
