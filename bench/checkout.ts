// Another commit checked out beside this one, for a benchmark's before-and-after in one command: a git worktree in a
// temp dir whose node_modules links this checkout's packages (its caches stay its own).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** A worktree of `rev` at `dir`/checkout: its root. */
export function worktreeOf(rev: string, dir: string): string {
    const root = path.join(dir, "checkout");
    execFileSync("git", ["worktree", "add", "--detach", root, rev], { cwd: ROOT, stdio: "ignore" });
    const linked = [["node_modules"], ["third-party", "awsguard", "node_modules"]];
    for (const modules of linked.map((p) => path.join(...p))) {
        if (!fs.existsSync(path.join(ROOT, modules))) {
            continue;
        }
        fs.mkdirSync(path.join(root, modules));
        for (const entry of fs.readdirSync(path.join(ROOT, modules)).filter((e) => e !== ".cache")) {
            fs.symlinkSync(path.join(ROOT, modules, entry), path.join(root, modules, entry));
        }
    }
    return root;
}

/** Removes the worktree `worktreeOf` made in `dir`, and `dir`. */
export function removeWorktree(dir: string): void {
    if (fs.existsSync(path.join(dir, "checkout"))) {
        execFileSync("git", ["worktree", "remove", "--force", path.join(dir, "checkout")], {
            cwd: ROOT,
            stdio: "ignore",
        });
    }
    fs.rmSync(dir, { recursive: true, force: true });
}

/** The command a package script of the checkout at `root` runs, as node's arguments (its `node` or `ts-node` run
 *  directly, without npm's own start): how that commit runs its TypeScript, whatever it was. */
export function scriptArgv(root: string, script: string): string[] {
    const scripts =
        (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> })
            .scripts ?? {};
    const [command, ...args] = (scripts[script] ?? "").split(/\s+/).filter(Boolean);
    if (command === "node") {
        return args;
    }
    if (command === "ts-node") {
        return [require.resolve("ts-node/dist/bin.js", { paths: [root] }), ...args];
    }
    throw new Error(`${root}: npm run ${script} runs ${command ?? "nothing"}, not node or ts-node`);
}
