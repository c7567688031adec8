// npm run bench:tests [-- --runs N] [-- --against REV]
// What `npm test` costs on this machine: its wall time (the type check, the lint and the format check beside mocha,
// as its script runs them) and the CPU time of everything it ran (the process tree's,
// read from /proc/self/stat once each step is reaped), as medians over N runs. With --against REV, the same for a
// checkout of REV (a git worktree in a temp dir, node_modules linked to this one's), run by run interleaved with this
// one, then the difference: before and after in one command. Each checkout runs its own package.json's `npm test`.
// Target (issue 22): at most 100 s wall on 2 cores, with every check in it. Prints figures; exit 0 unless a step fails.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fail, parseArgs } from "../offline/cli/args";
import { removeWorktree, worktreeOf } from "./checkout";
import { childrenCpuMs, median, seconds } from "./stats";

const ROOT = path.resolve(__dirname, "..");
// Steps run one after the other; the commands of a step run at once. npm test itself is one step: it runs the checks
// (type check, lint, format check) beside mocha, whose captures leave most of a second core idle.
const STEPS = [{ name: "npm test", scripts: ["test"] }] as const;
const TARGET_MS = 100_000;

interface Command {
    readonly name: string;
    readonly argv: readonly string[];
}
interface Checkout {
    readonly label: string;
    readonly root: string;
    readonly steps: readonly (readonly Command[])[];
}
/** Per step: its wall and CPU times, and each command's wall time, one entry per run. */
interface Figures {
    wall: number[][];
    cpu: number[][];
    commands: Map<string, number[]>;
    totals: number[];
}

function run(root: string, argv: readonly string[], start: bigint): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) =>
            code === 0
                ? resolve(Number(process.hrtime.bigint() - start) / 1e6)
                : reject(new Error(`${argv.join(" ")} in ${root} failed (exit ${code}):\n${stderr}`)),
        );
    });
}

/** Runs a step's commands at once: each one's wall time, the step's wall time and the CPU time of all of them. */
async function step(root: string, commands: readonly Command[]) {
    const start = process.hrtime.bigint();
    const cpu = childrenCpuMs();
    const walls = await Promise.all(commands.map((c) => run(root, c.argv, start)));
    return { walls, wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: childrenCpuMs() - cpu };
}

/** A checkout's steps: the scripts of each step its package.json defines. */
function stepsOf(root: string): Command[][] {
    const scripts =
        (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> })
            .scripts ?? {};
    return STEPS.map((s) =>
        s.scripts.filter((name) => name in scripts).map((name) => ({ name, argv: ["npm", "run", "-s", name] })),
    );
}

/** A checkout of `rev` beside this one (bench/checkout.ts). */
function checkoutOf(rev: string, dir: string): Checkout {
    const root = worktreeOf(rev, dir);
    return { label: rev, root, steps: stepsOf(root) };
}

function report(checkout: Checkout, figures: Figures): void {
    console.log(`${checkout.label}:`);
    for (const [k, s] of STEPS.entries()) {
        const wall = median(figures.wall[k]);
        const cpu = median(figures.cpu[k]);
        const each =
            checkout.steps[k].length > 1
                ? ` (${checkout.steps[k].map((c) => `${c.name} ${seconds(median(figures.commands.get(c.name)!))}`).join(", ")})`
                : "";
        console.log(
            `  ${s.name.padEnd(10)} ${seconds(wall).padStart(9)} wall  ${seconds(cpu).padStart(9)} CPU (${(cpu / wall).toFixed(2)} cores busy)${each}`,
        );
    }
    const total = median(figures.totals);
    console.log(
        `  ${"total".padEnd(10)} ${seconds(total).padStart(9)} wall: ${total <= TARGET_MS ? "meets" : "MISSES"} the target (at most ${seconds(TARGET_MS)})`,
    );
}

async function main(): Promise<void> {
    const { flags } = parseArgs(process.argv.slice(2), ["runs", "against"]);
    const runs = Number(flags.get("runs")?.[0] ?? 3);
    if (!Number.isInteger(runs) || runs < 1) {
        throw new Error("--runs needs a whole number of at least 1");
    }
    const rev = flags.get("against")?.[0];
    const dir = rev === undefined ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "bench-tests-"));
    try {
        const checkouts: Checkout[] = [{ label: "this checkout", root: ROOT, steps: stepsOf(ROOT) }];
        if (rev !== undefined && dir !== undefined) {
            checkouts.push(checkoutOf(rev, dir));
        }
        const figures = checkouts.map((): Figures => ({
            wall: STEPS.map(() => []),
            cpu: STEPS.map(() => []),
            commands: new Map(),
            totals: [],
        }));
        for (let i = 1; i <= runs; i++) {
            // Alternate which checkout goes first, so that a machine growing busier weighs on both alike.
            const order = i % 2 ? checkouts.keys() : [...checkouts.keys()].reverse();
            for (const c of order) {
                let total = 0;
                for (const [k, commands] of checkouts[c].steps.entries()) {
                    const { walls, wallMs, cpuMs } = await step(checkouts[c].root, commands);
                    figures[c].wall[k].push(wallMs);
                    figures[c].cpu[k].push(cpuMs);
                    commands.forEach((command, n) =>
                        figures[c].commands.set(command.name, [
                            ...(figures[c].commands.get(command.name) ?? []),
                            walls[n],
                        ]),
                    );
                    total += wallMs;
                    console.error(
                        `run ${i}/${runs}, ${checkouts[c].label}, ${STEPS[k].name}: ${seconds(wallMs)} wall, ${seconds(cpuMs)} CPU`,
                    );
                }
                figures[c].totals.push(total);
            }
        }
        console.log(`npm test on ${os.availableParallelism()} cores, median of ${runs}:`);
        checkouts.forEach((c, n) => report(c, figures[n]));
        if (checkouts.length > 1) {
            const diff = (pick: (f: Figures) => number) => {
                const ms = pick(figures[0]) - pick(figures[1]);
                return `${ms < 0 ? "-" : "+"}${seconds(Math.abs(ms))} (x${(pick(figures[0]) / pick(figures[1])).toFixed(2)})`;
            };
            const steps = STEPS.map((s, k) => `${s.name} ${diff((f) => median(f.wall[k]))}`).join(", ");
            console.log(`this checkout minus ${rev}: ${steps}, total ${diff((f) => median(f.totals))} wall`);
        }
    } finally {
        if (dir !== undefined) {
            removeWorktree(dir);
        }
    }
}

main().then(() => process.exit(0), fail);
