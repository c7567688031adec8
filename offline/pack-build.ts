// A TypeScript policy pack compiled once and served as JavaScript while its sources are unchanged. The CLI's runner
// (@pulumi/pulumi/cmd/run-policy-pack) type-checks a TypeScript pack with ts-node at every start, most of a pack's
// start-up; the build runs the same compiler with the same options the runner gives ts-node (its defaults under the
// pack's tsconfig.json), so a pack the runner would refuse is refused here, with the compiler's diagnostics.
// A build is keyed by the content of everything it reads: the pack's sources (its tsconfig's files), tsconfig,
// package.json, PulumiPolicy.yaml, the lock file, the compiler's version and this builder; a change to any of them
// builds anew.
// Kept under the pack's own node_modules/.cache, so the built pack resolves its packages from where its sources do.
// A build is also the pack as published (docs/publishing-packs.md): one folder holding the compiled pack and every
// source of ours it imports (policies/lib beside the pack's own folder), PulumiPolicy.yaml and a package.json whose
// main is the compiled entry, so `npm pack` in it, which `pulumi policy publish` runs, packs all the pack needs but
// its declared dependencies.
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { Lock, shrinkwrapOf } from "./pack-shrinkwrap";

/** The folder of a pack's builds, by key (the benchmark clears it for a cold start). */
export const buildCacheOf = (dir: string) => path.join(dir, "node_modules", ".cache", "offline-pack-build");

interface PackSources {
    readonly ts: typeof TS;
    readonly tsc: string;
    readonly tsconfig?: string;
    readonly main: string;
    readonly files: readonly string[];
    readonly options: TS.CompilerOptions;
}

/** True for a pack the runner starts with ts-node: its package.json's main is a TypeScript file. */
export function isTypeScriptPack(dir: string): boolean {
    return /\.ts$/.test(mainOf(dir));
}

function mainOf(dir: string): string {
    const file = path.join(dir, "package.json");
    const pkg = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { main?: string }) : {};
    return pkg.main ?? "index.js";
}

/** The compiler the runner would load (resolved from the runner, as its tsutils resolves it) and what it compiles. */
function sourcesOf(dir: string, runner: string): PackSources {
    const tsPath = require.resolve("typescript", { paths: [path.dirname(runner)] });
    const ts = require(tsPath) as typeof TS;
    const tsc = path.join(path.dirname(tsPath), "..", "bin", "tsc");
    const main = path.join(dir, mainOf(dir));
    const tsconfig = path.join(dir, "tsconfig.json");
    if (!fs.existsSync(tsconfig)) {
        return { ts, tsc, main, files: [main], options: {} };
    }
    const parsed = ts.getParsedCommandLineOfConfigFile(
        tsconfig,
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: () => undefined,
        },
    );
    const files = parsed ? [...new Set([main, ...parsed.fileNames])] : [main];
    return { ts, tsc, tsconfig, main, files, options: parsed?.options ?? {} };
}

/** The nearest package-lock.json above the pack (the packages its build compiled against). */
function lockFile(dir: string): string | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
        const lock = path.join(d, "package-lock.json");
        if (fs.existsSync(lock)) {
            return lock;
        }
        if (path.dirname(d) === d) {
            return undefined;
        }
    }
}

function keyOf(dir: string, sources: PackSources): string {
    const hash = createHash("sha256").update(`typescript ${sources.ts.version}\n`);
    const read = [
        // How a build is made is part of it: a changed builder builds anew.
        __filename,
        require.resolve("./pack-shrinkwrap"),
        ...sources.files,
        sources.tsconfig,
        path.join(dir, "package.json"),
        path.join(dir, "PulumiPolicy.yaml"),
        lockFile(dir),
    ];
    for (const file of read) {
        if (file && fs.existsSync(file)) {
            hash.update(`${file}\n`).update(fs.readFileSync(file)).update("\n");
        }
    }
    return hash.digest("hex").slice(0, 16);
}

/** The folder every source lies in: tsc's rootDir, so the built pack's place in the output is known. */
function commonRoot(files: readonly string[]): string {
    return files
        .map((f) => path.dirname(f))
        .reduce((root, d) => {
            while (path.relative(root, d).startsWith("..")) {
                root = path.dirname(root);
            }
            return root;
        });
}

/** tsc's flags: the runner's defaults where the tsconfig sets none (run-policy-pack's run.js), and emit to `outDir`. */
function tscArgs(sources: PackSources, rootDir: string, outDir: string): string[] {
    const { options } = sources;
    const defaults = [
        ...(options.target === undefined ? ["--target", "ES2020"] : []),
        ...(options.module === undefined ? ["--module", "nodenext"] : []),
        ...(options.moduleResolution === undefined ? ["--moduleResolution", "nodenext"] : []),
    ];
    const input = sources.tsconfig ? ["-p", sources.tsconfig] : [...sources.files];
    return [
        ...input,
        ...defaults,
        "--sourceMap",
        "--noEmit",
        "false",
        "--declaration",
        "false",
        "--incremental",
        "false",
        "--composite",
        "false",
        "--pretty",
        "false",
        "--rootDir",
        rootDir,
        "--outDir",
        outDir,
    ];
}

function compile(sources: PackSources, args: string[], cwd: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [sources.tsc, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("error", reject);
        child.on("exit", (code) =>
            code === 0 ? resolve() : reject(new Error(`its TypeScript does not compile:\n${output.trim()}`)),
        );
    });
}

const building = new Map<string, Promise<string>>();

/**
 * The folder to serve for the pack in `dir` (absolute): the pack itself unless it is a TypeScript pack, else its
 * current build, compiled now if there is none. Concurrent callers (other processes too) may build the same key;
 * each builds aside and renames into place, and the first rename wins.
 */
export async function builtPack(dir: string, runner?: string): Promise<string> {
    if (!isTypeScriptPack(dir)) {
        return dir;
    }
    const sources = sourcesOf(dir, runner ?? require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] }));
    const cache = buildCacheOf(dir);
    const key = keyOf(dir, sources);
    const target = path.join(cache, key);
    if (fs.existsSync(path.join(target, DONE))) {
        return target;
    }
    if (!building.has(target)) {
        building.set(target, build(dir, sources, cache, key));
        building.get(target)!.catch(() => building.delete(target)); // a failed build is tried again next time
    }
    return building.get(target)!;
}

interface BuiltManifest {
    readonly name: string;
    readonly version: string;
    readonly dependencies?: Readonly<Record<string, string>>;
    scripts?: unknown;
    devDependencies?: unknown;
}

/** The marker of a finished build (not part of the pack: its manifest's `files` leave it out). */
const DONE = "done";

/**
 * The built pack's package.json: the source's, with main the compiled entry (relative to the build's root) and `files`
 * the compiled tree, PulumiPolicy.yaml and the shrinkwrap. Its scripts are the source folder's (one refuses `npm pack` there) and are
 * left out, as are devDependencies, which a published pack never installs.
 */
function builtManifest(dir: string, main: string, compiled: readonly string[]): BuiltManifest {
    const source = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as BuiltManifest;
    // npm packs a shrinkwrap only when `files` names it.
    const manifest = { ...source, main, files: [...compiled, "PulumiPolicy.yaml", "npm-shrinkwrap.json"] };
    delete manifest.scripts;
    delete manifest.devDependencies;
    return manifest;
}

async function build(dir: string, sources: PackSources, cache: string, key: string): Promise<string> {
    fs.mkdirSync(cache, { recursive: true });
    const aside = fs.mkdtempSync(path.join(cache, `${key}-building-`));
    try {
        const root = commonRoot(sources.files);
        await compile(sources, tscArgs(sources, root, aside), dir);
        const compiled = fs.readdirSync(aside).sort();
        fs.copyFileSync(path.join(dir, "PulumiPolicy.yaml"), path.join(aside, "PulumiPolicy.yaml"));
        // @pulumi/policy reads the pack's version from package.json in the folder it runs in.
        const main = path.relative(root, sources.main).replace(/\.ts$/, ".js").split(path.sep).join("/");
        const manifest = builtManifest(dir, main, compiled);
        const lock = lockFile(dir);
        fs.writeFileSync(path.join(aside, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        if (lock) {
            const shrinkwrap = shrinkwrapOf(JSON.parse(fs.readFileSync(lock, "utf8")) as Lock, manifest);
            fs.writeFileSync(path.join(aside, "npm-shrinkwrap.json"), `${JSON.stringify(shrinkwrap, null, 2)}\n`);
        }
        fs.writeFileSync(path.join(aside, DONE), `${key}\n`);
        const target = path.join(cache, key);
        try {
            fs.renameSync(aside, target);
        } catch {
            // Another process renamed the same build into place first.
        }
        prune(cache, key);
        return target;
    } finally {
        fs.rmSync(aside, { recursive: true, force: true });
    }
}

/** Removes the builds of earlier sources (not those still being built elsewhere). */
function prune(cache: string, current: string): void {
    for (const name of fs.readdirSync(cache)) {
        if (name !== current && !name.includes("-building-")) {
            fs.rmSync(path.join(cache, name), { recursive: true, force: true });
        }
    }
}
