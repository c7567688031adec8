// What scripts/release asked of AWS, read back from the recording AWS CLI: the specs of every trigger use it.
import * as assert from "assert";
import * as path from "path";
import { RunnerInput } from "../../model/release";

export const RELEASE_SCRIPT = path.resolve(__dirname, "../../scripts/release");

/** The --input of the one start-execution call, and its --name. */
export function started(calls: string[]): { input: RunnerInput; name: string; arn: string } {
    const starts = calls.filter((c) => c.startsWith("stepfunctions start-execution"));
    assert.strictEqual(starts.length, 1, calls.join("\n"));
    const m = / --state-machine-arn (\S+) --name (\S+) --input (\{.*\}) --query/.exec(starts[0])!;
    return { arn: m[1], name: m[2], input: JSON.parse(m[3]) as RunnerInput };
}
