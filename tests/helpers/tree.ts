// The repository's own files, read as text by the guards over its layout, its composition and what it cites.
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");
/** Never ours to read, wherever they are: installed packages and git's store. */
const NOT_OURS = new Set(["node_modules", ".git"]);

/** Files under `dir` (repository-relative), recursively, without the folders `skip` names (repository-relative). */
export function filesUnder(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
        if (NOT_OURS.has(entry.name) || skip.has(rel)) {
            return [];
        }
        return entry.isDirectory() ? filesUnder(rel, skip) : entry.isFile() ? [rel] : [];
    });
}

export interface Line {
    /** file:line */
    readonly where: string;
    readonly text: string;
}

/** Every line of these files, with where it is. */
export function linesOf(files: readonly string[]): Line[] {
    return files.flatMap((file) =>
        fs
            .readFileSync(path.join(ROOT, file), "utf8")
            .split("\n")
            .map((text, i) => ({ where: `${file}:${i + 1}`, text })),
    );
}
