// The commands as an operator runs them: exit code and output. `run` calls a command's main in this process, on pack
// servers and capture workers shared by every run (offline/engine.ts, sharedEngine): the same packs asked the same
// way, without a process tree of its own per run. `runProcess` starts it as its npm script does, for what only a
// process shows (its exit on an error nothing awaited, the arguments it is started with).
import { spawn } from "child_process";
import * as path from "path";
import { TYPESCRIPT_EXEC_ARGV } from "../../offline/capture-workers";
import { Command, invoke } from "../../offline/cli/args";
import { discoverPacks, sharedEngine } from "../../offline/engine";
import { builtPack } from "../../offline/pack-build";
import { captureOnce, ROOT } from "./stacks";

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

const engine = sharedEngine(captureOnce);

/** Stops the packs the commands' runs shared (the root hooks, once every spec is done). */
export function closeCommands(): void {
    engine.close();
}

/** Runs offline/cli/<script> with `args` from the repository root, in this process. */
export async function run(script: string, args: string[]): Promise<Run> {
    if (process.cwd() !== ROOT) {
        throw new Error(
            `the commands resolve their arguments from the repository root; mocha runs in ${process.cwd()}`,
        );
    }
    const { main } = (await import(path.join(ROOT, "offline/cli", script))) as { main: Command };
    let stdout = "";
    let stderr = "";
    const code = await invoke(main, {
        argv: args,
        cwd: ROOT,
        out: (text) => (stdout += `${text}\n`),
        err: (text) => (stderr += `${text}\n`),
        engine,
    });
    return { code, stdout, stderr };
}

/** Runs offline/cli/<script> with `args` from the repository root in a process of its own, as its npm script does. */
export async function runProcess(script: string, args: string[]): Promise<Run> {
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
