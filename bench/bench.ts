// npm run bench [-- --runs N] [--only previews|export] [--against REV]
// Wall time and peak memory of the offline preview of each stack, next to a floor: the same harness running a
// program that registers nothing; then policy:check over a generated 25,000-resource (~50 MB) export (bench/big-export.ts). Every run is a fresh child process (`bench.ts --case NAME`), as a user's `npm run preview:offline` is:
// cold (no transpile cache, no pack build: a fresh clone or changed sources), then warm (the second run). Prints figures and whether each stack meets its targets; a missed target
// is a finding, not a failure, so the exit code is 0 unless a case could not run at all. With --against REV, each preview
// case also runs in a checkout of REV (bench/checkout.ts, its own way of running TypeScript and its own caches), run by
// run interleaved with this one, and the ratios print beside it: before and after in one command. Linux only (/proc).
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PackServer } from "../offline/analyzer";
import { buildCacheOf } from "../offline/pack-build";
import { TYPESCRIPT_EXEC_ARGV } from "../offline/capture-workers";
const { TRANSPILE_CACHE } = require("../offline/ts-loader.cjs") as { TRANSPILE_CACHE: string };
import { capture, discoverPacks, pairConfigs, runPacks, startPacks } from "../offline/engine";
import { loadProject, loadStackSettings } from "../offline/project";
import { fail, parseArgs } from "../offline/cli/args";
import { brands } from "../tests/helpers/storefronts";
import { writeBigExport } from "./big-export";
import { removeWorktree, scriptArgv, worktreeOf } from "./checkout";
import { median, seconds } from "./stats";

const ROOT = path.resolve(__dirname, "..");

/** One measured case: a stack, optionally with another program or extra config (e.g. a storefront count). */
interface BenchCase {
    /** As passed to `--case`. */
    readonly name: string;
    /** As shown in the table; the name if absent. */
    readonly label?: string;
    readonly stack: string;
    /** Absolute path of the program's entry point; the project's main if absent. */
    readonly main?: string;
    /** Fully qualified keys ("magento:foo") laid over the stack file's config. */
    readonly config?: Readonly<Record<string, string>>;
    /** The case every other one is compared with; exactly one case is the floor. */
    readonly floor?: boolean;
}

/** Storefront counts measured: one brand, ten, the estate's 58, and 200 to see the trend. */
const STOREFRONT_COUNTS = [1, 10, 58, 200] as const;

/**
 * Preprod's zones are managed here, so each storefront adds what it costs at most: a zone, alias and validation
 * records, certificate names. Past what the default ACM quota allows (25 listener certificates of 10 names) the case
 * raises the quota key, as a stack that size must.
 */
function storefrontCase(count: number): BenchCase {
    const quota: Record<string, string> = count > 58 ? { "magento:acmNamesPerCertificate": "100" } : {};
    return {
        name: `storefronts-${count}`,
        label: `preprod, ${count} storefronts`,
        stack: "preprod",
        config: { "magento:storefronts": JSON.stringify(brands(count, "preprod.")), ...quota },
    };
}

const CASES: readonly BenchCase[] = [
    {
        name: "floor",
        label: "floor (empty)",
        stack: "prod",
        main: path.join(__dirname, "empty-program.ts"),
        floor: true,
    },
    { name: "prod", stack: "prod" },
    { name: "preprod", stack: "preprod" },
    ...STOREFRONT_COUNTS.map(storefrontCase),
];

const TARGET = { wallVsFloor: 2, peakMiB: 1024 };
/** Issue 22's targets for prod and the floor, in seconds of wall and MiB. */
const ABSOLUTE = { prodWarm: 4, prodCold: 6, floorWarm: 2.5, prodPeakMiB: 800 };
/** policy:check over a large export: it must finish, under this peak for the command and its packs together. */
const EXPORT = { resources: 25_000, peakMiB: 2048 };
const SAMPLE_MS = 25;

// ---- child: one run of one case ----

/** The work of offline/cli/preview.ts without the printing; writes one JSON line of counts for the parent. */
async function runCase(c: BenchCase): Promise<void> {
    const project = loadProject(ROOT);
    const fromFile = loadStackSettings(project, c.stack);
    const settings = { ...fromFile, config: { ...fromFile.config, ...c.config } };
    const ctx = { project: project.name, stack: c.stack, dryRun: true, config: settings.config };
    // As in preview.ts: the packs start (and compile) while the program runs.
    const packs = discoverPacks(project.root);
    const servers = startPacks(packs, ctx);
    const preview = await capture(project, c.stack, settings, true, c.main ?? project.main);
    if (!preview.ok) {
        servers.forEach((s) => {
            s.catch(() => undefined);
        });
        PackServer.stopAll();
        throw new Error(`the program failed for case '${c.name}':\n${preview.error}`);
    }
    const reports = await runPacks(servers, preview.resources, pairConfigs(packs, [], ctx));
    const diagnostics = reports.reduce((n, r) => n + r.diagnostics.length, 0);
    console.log(JSON.stringify({ resources: preview.resources.length, diagnostics }));
}

// ---- parent: run the cases, sample memory, report ----

interface Run {
    readonly wallMs: number;
    readonly peakKiB: number;
    readonly resources: number;
}

/** A checkout whose preview is measured: this one, or the commit given with --against. */
interface Subject {
    readonly label: string;
    readonly root: string;
    /** node's arguments that run one case in that checkout. */
    caseArgv(name: string): string[];
}

const HERE: Subject = {
    label: "this checkout",
    root: ROOT,
    caseArgv: (name) => [...TYPESCRIPT_EXEC_ARGV, __filename, "--case", name],
};

/** What a first run pays for and a second does not: the program's transpiled files and the packs' builds. */
function clearCaches(root: string): void {
    const transpiled = path.join(root, path.relative(ROOT, TRANSPILE_CACHE));
    [transpiled, ...discoverPacks(root).map(buildCacheOf)].forEach((d) =>
        fs.rmSync(d, { recursive: true, force: true }),
    );
}

/** Runs a case in a fresh process, timing it from spawn to exit and sampling its process tree's RSS meanwhile. */
function measure(c: BenchCase, subject: Subject): Promise<Run> {
    return measureCommand(c.name, subject.caseArgv(c.name), [0], subject.root, (stdout) => {
        const last = stdout.trim().split("\n").pop() ?? "";
        return last.startsWith("{") ? (JSON.parse(last) as { resources: number }).resources : undefined;
    });
}

/** Runs node with `argv` in `cwd` in a fresh process, timing it and sampling its tree's RSS; `resources` reads the
 *  count from its output (undefined: the command failed). */
function measureCommand(
    name: string,
    argv: string[],
    codes: number[],
    cwd: string,
    resources: (stdout: string) => number | undefined,
): Promise<Run> {
    return new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const child = spawn(process.execPath, argv, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        let peakKiB = 0;
        const sample = () => {
            if (child.pid !== undefined) {
                peakKiB = Math.max(peakKiB, treeRssKiB(child.pid));
            }
        };
        sample();
        const timer = setInterval(sample, SAMPLE_MS);
        let wallMs = 0;
        child.on("error", (e) => {
            clearInterval(timer);
            reject(e);
        });
        // Time at exit; read the output at close, once the pipes are drained.
        child.on("exit", () => {
            wallMs = Number(process.hrtime.bigint() - start) / 1e6;
            clearInterval(timer);
        });
        child.on("close", (code) => {
            const count = resources(stdout);
            if (!codes.includes(code ?? -1) || count === undefined) {
                reject(new Error(`case '${name}' failed (exit ${code}):\n${stderr || stdout}`));
                return;
            }
            resolve({ wallMs, peakKiB, resources: count });
        });
    });
}

/** Sum of VmRSS over a process and all its descendants; a process that ends mid-sample counts as 0. */
function treeRssKiB(root: number): number {
    const childrenOf = HAS_CHILDREN_FILES ? childrenFromTasks : childrenByScan();
    let total = 0;
    const pending = [root];
    for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
        total += Number(/^VmRSS:\s+(\d+) kB/m.exec(readOrEmpty(`/proc/${pid}/status`))?.[1] ?? 0);
        pending.push(...childrenOf(pid));
    }
    return total;
}

// /proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN; it is cheaper than scanning every process 40 times a second.
const HAS_CHILDREN_FILES = fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/** Any thread may have forked a child, so every thread's list is read. */
function childrenFromTasks(pid: number): number[] {
    let tids: string[];
    try {
        tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
        return [];
    }
    return tids.flatMap((tid) =>
        readOrEmpty(`/proc/${pid}/task/${tid}/children`).split(" ").filter(Boolean).map(Number),
    );
}

/** Fallback: each process's parent from /proc/PID/stat, read once per sample. */
function childrenByScan(): (pid: number) => number[] {
    const byParent = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        const stat = readOrEmpty(`/proc/${entry}/stat`);
        // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so read after the last ')'.
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (stat && Number.isInteger(ppid)) {
            byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
        }
    }
    return (pid) => byParent.get(pid) ?? [];
}

function readOrEmpty(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return "";
    }
}

const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`;

/** policy:check (the command itself, exit 0 or 1) over the generated export, `runs` times: wall time and peak memory. */
async function benchExport(runs: number): Promise<void> {
    const file = path.join(os.tmpdir(), `bench-export-${EXPORT.resources}.json`);
    const size = writeBigExport(file, EXPORT.resources);
    const checked = (stdout: string) => Number(/^Checked (\d+) resources/m.exec(stdout)?.[1] ?? NaN) || undefined;
    const results: Run[] = [];
    for (let i = 1; i <= runs; i++) {
        results.push(
            await measureCommand(
                "export",
                [...TYPESCRIPT_EXEC_ARGV, "offline/cli/policy-check.ts", file],
                [0, 1],
                ROOT,
                checked,
            ),
        );
        console.error(
            `policy:check export, run ${i}/${runs}: ${seconds(results[i - 1].wallMs)}, ${mib(results[i - 1].peakKiB)}`,
        );
    }
    const peak = Math.max(...results.map((r) => r.peakKiB));
    const ok = peak / 1024 < EXPORT.peakMiB;
    console.log(
        `\npolicy:check, ${results[0].resources} resources (${(size / 1e6).toFixed(1)} MB export), both packs: wall ${seconds(median(results.map((r) => r.wallMs)))} (median of ${runs}), ` +
            `peak RSS (tree) ${mib(peak)}: ${ok ? "meets" : "MISSES"} (peak ${ok ? "<" : ">="} ${EXPORT.peakMiB} MiB)`,
    );
    fs.rmSync(file, { force: true });
}

/** Each case's runs in one checkout: warm (the second run) and cold wall times. */
interface Measured {
    readonly warm: Map<BenchCase, Run[]>;
    readonly cold: Map<BenchCase, number[]>;
}

const label = (c: BenchCase) => c.label ?? c.name;

/** Every case cold then warm, `runs` times, in each subject; sequential (2 cores), interleaved run by run and case by
 *  case (the subjects' order alternating) so that a drift in the machine's load touches every figure alike. A case
 *  the other commit cannot run is left out of its figures, not fatal. */
async function measureAll(runs: number, subjects: readonly Subject[]): Promise<Map<Subject, Measured>> {
    const figures = new Map(
        subjects.map((s) => [
            s,
            { warm: new Map(CASES.map((c) => [c, [] as Run[]])), cold: new Map(CASES.map((c) => [c, [] as number[]])) },
        ]),
    );
    for (let i = 1; i <= runs; i++) {
        for (const c of CASES) {
            for (const subject of i % 2 ? subjects : [...subjects].reverse()) {
                const { warm, cold } = figures.get(subject)!;
                try {
                    clearCaches(subject.root);
                    cold.get(c)!.push((await measure(c, subject)).wallMs);
                    warm.get(c)!.push(await measure(c, subject));
                } catch (e) {
                    if (subject === HERE) {
                        throw e;
                    }
                    console.error(`${subject.label} cannot run ${c.name}: ${(e as Error).message.split("\n")[0]}`);
                    continue;
                }
                const run = warm.get(c)!.at(-1)!;
                console.error(
                    `${label(c)}, ${subject.label}, run ${i}/${runs}: cold ${seconds(cold.get(c)!.at(-1)!)}, warm ${seconds(run.wallMs)}, ${mib(run.peakKiB)}, ${run.resources} resources`,
                );
            }
        }
    }
    return figures;
}

/** Each case's median warm and cold wall here and in the other commit, and the ratio (here / there). */
function comparison(here: Measured, there: Measured, rev: string): string {
    const ratio = (a: number[], b: number[]) =>
        b.length === 0
            ? "n/a"
            : `${seconds(median(a))} vs ${seconds(median(b))} (x${(median(a) / median(b)).toFixed(2)})`;
    const lines = CASES.map((c) => {
        const warm = ratio(
            here.warm.get(c)!.map((r) => r.wallMs),
            there.warm.get(c)!.map((r) => r.wallMs),
        );
        return `  ${label(c)}: warm ${warm}, cold ${ratio(here.cold.get(c)!, there.cold.get(c)!)}`;
    });
    return `this checkout vs ${rev} (medians; x < 1 is faster here):\n${lines.join("\n")}`;
}

async function bench(runs: number, against?: { readonly rev: string; readonly subject: Subject }): Promise<void> {
    const floor = CASES.find((c) => c.floor);
    if (!floor) {
        throw new Error("no case is marked as the floor");
    }
    const figures = await measureAll(runs, against ? [HERE, against.subject] : [HERE]);
    const { warm: measured, cold } = figures.get(HERE)!;

    const summary = new Map(
        CASES.map((c) => {
            const r = measured.get(c)!;
            return [
                c,
                {
                    wallMs: median(r.map((x) => x.wallMs)),
                    peakKiB: Math.max(...r.map((x) => x.peakKiB)),
                    resources: r[r.length - 1].resources,
                },
            ];
        }),
    );
    const floorWall = summary.get(floor)!.wallMs;
    const floorPeak = summary.get(floor)!.peakKiB;
    const rows = [
        [
            "case",
            `cold wall (median of ${runs})`,
            "warm wall",
            "warm vs floor",
            "peak RSS (tree)",
            "peak vs floor",
            "resources",
        ],
        ...CASES.map((c) => {
            const s = summary.get(c)!;
            return [
                label(c),
                seconds(median(cold.get(c)!)),
                seconds(s.wallMs),
                `${(s.wallMs / floorWall).toFixed(2)}x`,
                mib(s.peakKiB),
                `${(s.peakKiB / floorPeak).toFixed(2)}x`,
                String(s.resources),
            ];
        }),
    ];
    const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
    console.log(
        `\n${rows
            .map((r) =>
                r
                    .map((cell, col) => cell.padEnd(widths[col] + 3))
                    .join("")
                    .trimEnd(),
            )
            .join("\n")}`,
    );
    console.log(
        `targets: each stack within ${TARGET.wallVsFloor}x the floor's wall time (warm); peak memory under ${TARGET.peakMiB} MiB`,
    );
    const prod = CASES.find((c) => c.name === "prod")!;
    const within = (ms: number, limit: number) => `${seconds(ms)} ${ms / 1000 <= limit ? "<=" : "MISSES"} ${limit} s`;
    console.log(
        `prod: warm ${within(summary.get(prod)!.wallMs, ABSOLUTE.prodWarm)}, cold ${within(median(cold.get(prod)!), ABSOLUTE.prodCold)}, ` +
            `peak ${mib(summary.get(prod)!.peakKiB)} (target <= ${ABSOLUTE.prodPeakMiB} MiB); floor: warm ${within(floorWall, ABSOLUTE.floorWarm)}`,
    );

    console.log(
        storefrontGrowth(
            STOREFRONT_COUNTS.map((n) => ({ n, ...summary.get(CASES.find((c) => c.name === `storefronts-${n}`)!)! })),
        ),
    );

    for (const c of CASES.filter((x) => !x.floor)) {
        const s = summary.get(c)!;
        const ratio = s.wallMs / floorWall;
        const peakMiB = s.peakKiB / 1024;
        const wallOk = ratio <= TARGET.wallVsFloor;
        const memOk = peakMiB < TARGET.peakMiB;
        console.log(
            `${label(c)}: ${wallOk && memOk ? "meets" : "MISSES"} (wall ${ratio.toFixed(2)}x floor ${wallOk ? "<=" : ">"} ${TARGET.wallVsFloor}x; ` +
                `peak ${mib(s.peakKiB)} ${memOk ? "<" : ">="} ${TARGET.peakMiB} MiB)`,
        );
    }
    if (against) {
        console.log(comparison(figures.get(HERE)!, figures.get(against.subject)!, against.rev));
    }
}

/** Run-to-run spread of a cold preview on this machine: differences below it say nothing. */
const NOISE_MS = 300;

/**
 * Wall time and resources added per storefront between consecutive counts, and a verdict: growth is linear when
 * the cost per storefront from 58 to 200 is at most twice the cost from 1 to 58, or the difference is within noise.
 */
function storefrontGrowth(points: { n: number; wallMs: number; resources: number }[]): string {
    const span = (a: (typeof points)[number], b: (typeof points)[number]) => ({
        from: a.n,
        to: b.n,
        msPer: (b.wallMs - a.wallMs) / (b.n - a.n),
        resourcesPer: (b.resources - a.resources) / (b.n - a.n),
    });
    const lines = points
        .slice(1)
        .map((p, i) => span(points[i], p))
        .map(
            (s) =>
                `  ${s.from} -> ${s.to} storefronts: ${s.msPer.toFixed(1)} ms and ${s.resourcesPer.toFixed(2)} resources per storefront`,
        );
    const mid = points.findIndex((p) => p.n === 58);
    const early = span(points[0], points[mid]);
    const late = span(points[mid], points[points.length - 1]);
    const excess = (late.msPer - 2 * Math.max(early.msPer, 0)) * (late.to - late.from);
    const linear = excess <= NOISE_MS;
    return (
        `storefront growth:\n${lines.join("\n")}\n  ${linear ? "linear" : "NOT linear"}: ${early.msPer.toFixed(1)} ms per storefront from ${early.from} to ${early.to}, ` +
        `${late.msPer.toFixed(1)} ms from ${late.from} to ${late.to}`
    );
}

async function main(): Promise<void> {
    const { flags } = parseArgs(process.argv.slice(2), ["runs", "case", "only", "against"]);
    const name = flags.get("case")?.[0];
    if (name !== undefined) {
        const c = CASES.find((x) => x.name === name);
        if (!c) {
            throw new Error(`unknown case '${name}'; cases: ${CASES.map((x) => x.name).join(", ")}`);
        }
        return runCase(c);
    }
    const runs = Number(flags.get("runs")?.[0] ?? 3);
    if (!Number.isInteger(runs) || runs < 1) {
        throw new Error("--runs needs a whole number of at least 1");
    }
    const only = flags.get("only")?.[0];
    if (only !== undefined && only !== "previews" && only !== "export") {
        throw new Error(`--only takes previews or export, not '${only}'`);
    }
    const rev = flags.get("against")?.[0];
    if (only !== "export") {
        const dir = rev === undefined ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
        try {
            const root = dir && worktreeOf(rev!, dir);
            const subject = root && {
                label: rev!,
                root,
                caseArgv: (name: string) => [...scriptArgv(root, "bench"), "--case", name],
            };
            await bench(runs, subject ? { rev: rev!, subject } : undefined);
        } finally {
            if (dir !== undefined) {
                removeWorktree(dir);
            }
        }
    }
    if (only !== "previews") {
        await benchExport(runs);
    }
}

// Exit explicitly, as preview.ts does: a closed gRPC client or a killed pack may still hold the event loop briefly.
main().then(() => process.exit(0), fail);
