// Small figures shared by the benchmarks.
import * as fs from "fs";

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** CPU time (ms) of this process's reaped descendants: cutime + cstime, fields 16 and 17 of /proc/self/stat. */
export function childrenCpuMs(): number {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd on
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}
