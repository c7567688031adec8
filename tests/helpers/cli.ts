// The two commands run as an operator runs them, in a process of their own: exit code and output.
import { spawn } from "child_process";
import * as path from "path";
import { TYPESCRIPT_EXEC_ARGV } from "../../offline/capture-workers";
import { discoverPacks } from "../../offline/engine";
import { builtPack } from "../../offline/pack-build";
import { ROOT } from "./stacks";

export interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

/** The packs a command serves: those its --policy-pack flags name, or every pack of policies/. */
function packsOf(args: readonly string[]): string[] {
    const named = args.flatMap((a, i) =>
        a === "--policy-pack" && args[i + 1] ? [path.resolve(ROOT, args[i + 1])] : [],
    );
    return named.length > 0 ? named : discoverPacks(ROOT);
}

/** Runs offline/cli/<script> with `args` from the repository root. */
export async function run(script: string, args: string[]): Promise<Run> {
    // Its packs are built here first (once per run, for every command): commands started at once would each build
    // a pack whose build is not current yet. A pack that fails to build is the command's to report.
    await Promise.all(packsOf(args).map((dir) => builtPack(dir).catch(() => undefined)));
    return new Promise((resolve) => {
        const child = spawn(
            process.execPath,
            [...TYPESCRIPT_EXEC_ARGV, path.join(ROOT, "offline/cli", script), ...args],
            { cwd: ROOT },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        // "close", not "exit": on a busy machine the last output can arrive after the process has exited.
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
}
