// npm run bench:specs [-- --top N] [-- <spec files>]
// Where mocha's time goes: runs mocha (the whole suite, or the spec files named) with its JSON reporter, then prints
// the run's wall and CPU time (the process tree's, read from /proc/self/stat once mocha is reaped) and, per spec
// file, its tests' summed duration and its slowest test, the slowest files first. A test's duration is wall time on
// a shared machine and leaves out its hooks; the captures a spec queues at load run in the workers beside earlier
// specs and count toward whichever test first waits for them. To find what to make cheaper, not a target (issue 22's
// is npm test's wall time: npm run bench:tests). Exit 0 unless mocha fails.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fail, parseArgs } from "../offline/cli/args";
import { childrenCpuMs, seconds } from "./stats";

const ROOT = path.resolve(__dirname, "..");

interface MochaTest {
    readonly title: string;
    readonly file?: string;
    readonly duration?: number;
}
interface MochaReport {
    readonly stats: { readonly tests: number; readonly passes: number; readonly failures: number };
    readonly passes: readonly MochaTest[];
    readonly failures: readonly MochaTest[];
}
interface SpecFigures {
    tests: number;
    ms: number;
    slowest: MochaTest;
}

function mocha(specs: readonly string[], output: string): Promise<number> {
    const argv = ["mocha", ...specs, "--reporter", "json", "--reporter-option", `output=${output}`];
    return new Promise((resolve) => {
        const child = spawn("npx", argv, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
        child.on("close", (code) => resolve(code ?? 1));
    });
}

function bySpec(report: MochaReport): [string, SpecFigures][] {
    const specs = new Map<string, SpecFigures>();
    for (const t of [...report.passes, ...report.failures]) {
        const file = path.relative(ROOT, t.file ?? "(no file)");
        const ms = t.duration ?? 0;
        const s = specs.get(file) ?? { tests: 0, ms: 0, slowest: t };
        specs.set(file, {
            tests: s.tests + 1,
            ms: s.ms + ms,
            slowest: ms > (s.slowest.duration ?? 0) ? t : s.slowest,
        });
    }
    return [...specs].sort(([, a], [, b]) => b.ms - a.ms);
}

async function main(): Promise<void> {
    const { positional, flags } = parseArgs(process.argv.slice(2), ["top"]);
    const top = Number(flags.get("top")?.[0] ?? 25);
    if (!Number.isInteger(top) || top < 1) {
        throw new Error("--top needs a whole number of at least 1");
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-specs-"));
    try {
        const output = path.join(dir, "mocha.json");
        const start = process.hrtime.bigint();
        const cpu = childrenCpuMs();
        const code = await mocha(positional.length > 0 ? positional : ["tests/**/*.spec.ts"], output);
        const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
        const cpuMs = childrenCpuMs() - cpu;
        const report = JSON.parse(fs.readFileSync(output, "utf8")) as MochaReport;
        const { tests, passes, failures } = report.stats;
        console.log(
            `mocha on ${os.availableParallelism()} cores: ${seconds(wallMs)} wall, ${seconds(cpuMs)} CPU ` +
                `(${(cpuMs / wallMs).toFixed(2)} cores busy); ${tests} tests, ${passes} passing, ${failures} failing`,
        );
        const specs = bySpec(report);
        const total = specs.reduce((sum, [, s]) => sum + s.ms, 0);
        console.log(`summed test durations ${seconds(total)}; the ${Math.min(top, specs.length)} slowest spec files:`);
        for (const [file, s] of specs.slice(0, top)) {
            const slowest = `${seconds(s.slowest.duration ?? 0)} ${s.slowest.title.slice(0, 70)}`;
            console.log(
                `  ${seconds(s.ms).padStart(9)}  ${String(s.tests).padStart(3)} tests  ${file}  (slowest: ${slowest})`,
            );
        }
        if (code !== 0) {
            throw new Error(`mocha failed (exit ${code})`);
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().then(() => process.exit(0), fail);
