// The two commands run as an operator runs them, in a process of their own: exit code and output.
import { spawn } from "child_process";
import * as path from "path";
import { ROOT } from "./stacks";

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs offline/cli/<script> with `args` from the repository root. */
export function run(script: string, args: string[]): Promise<Run> {
    return new Promise((resolve) => {
        const child = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(ROOT, "offline/cli", script), ...args],
            { cwd: ROOT },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
}
