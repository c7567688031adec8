// npm run bench:tests [-- --runs N]
// What `npm test` costs on this machine: wall time of its two steps (the type check, then mocha over tests/) and the
// CPU time of everything they ran (the process tree's, read from /proc/self/stat once each step is reaped), as
// medians over N runs. Target (issue 2): well under a minute on 2 cores. Prints figures; exit 0 unless a step fails.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fail, parseArgs } from "../offline/cli/args";
import { median, seconds } from "./stats";

const ROOT = path.resolve(__dirname, "..");
const STEPS = [
    { name: "type check", command: ["npx", "tsc", "--noEmit", "-p", "tsconfig.json"] },
    { name: "mocha", command: ["npx", "mocha", "tests/**/*.spec.ts", "--reporter", "dot"] },
] as const;
const TARGET_MS = 60_000;

/** CPU time (ms) of this process's reaped descendants: cutime + cstime, fields 16 and 17 of /proc/self/stat. */
function childrenCpuMs(): number {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd on
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function step(command: readonly string[]): Promise<{ wallMs: number; cpuMs: number }> {
    const start = process.hrtime.bigint();
    const cpu = childrenCpuMs();
    return new Promise((resolve, reject) => {
        const child = spawn(command[0], command.slice(1), { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => code === 0
            ? resolve({ wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: childrenCpuMs() - cpu })
            : reject(new Error(`${command.join(" ")} failed (exit ${code}):\n${stderr}`)));
    });
}

async function main(): Promise<void> {
    const { flags } = parseArgs(process.argv.slice(2), ["runs"]);
    const runs = Number(flags.get("runs")?.[0] ?? 3);
    if (!Number.isInteger(runs) || runs < 1) {
        throw new Error("--runs needs a whole number of at least 1");
    }
    const figures = STEPS.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    const totals: number[] = [];
    for (let i = 1; i <= runs; i++) {
        let total = 0;
        for (const [k, s] of STEPS.entries()) {
            const { wallMs, cpuMs } = await step(s.command);
            figures[k].wall.push(wallMs);
            figures[k].cpu.push(cpuMs);
            total += wallMs;
            console.error(`run ${i}/${runs}, ${s.name}: ${seconds(wallMs)} wall, ${seconds(cpuMs)} CPU`);
        }
        totals.push(total);
    }
    console.log(`npm test on ${os.availableParallelism()} cores, median of ${runs}:`);
    for (const [k, s] of STEPS.entries()) {
        const wall = median(figures[k].wall);
        const cpu = median(figures[k].cpu);
        console.log(`  ${s.name.padEnd(10)} ${seconds(wall).padStart(9)} wall  ${seconds(cpu).padStart(9)} CPU (${(cpu / wall).toFixed(2)} cores busy)`);
    }
    const total = median(totals);
    console.log(`  ${"total".padEnd(10)} ${seconds(total).padStart(9)} wall: ${total < TARGET_MS ? "under" : "OVER"} a minute (target: well under)`);
}

main().then(() => process.exit(0), fail);
