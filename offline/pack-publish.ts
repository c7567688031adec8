// A pack as `pulumi policy publish` ships it and Pulumi installs it (docs/publishing-packs.md): the CLI runs
// `npm pack --loglevel=error` in the pack's folder and uploads the tarball (pkg/backend/httpstate/policypack.go,
// Publish); a stack's update downloads it, extracts it, moves its `package/` folder into place and has the nodejs
// language host install its dependencies (installRequiredPolicy there), then serves it from that folder.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

function run(command: string, args: readonly string[], cwd: string): string {
    const result = spawnSync(command, args, { cwd, encoding: "utf8" });
    if (result.error || result.status !== 0) {
        const output = `${result.stderr ?? ""}${result.stdout ?? ""}`.trim();
        throw new Error(`${command} ${args.join(" ")} in ${cwd} failed: ${result.error?.message ?? output}`);
    }
    return result.stdout;
}

/** `npm pack` of the folder `dir` as the CLI runs it, the tarball written to `dest`: its path. */
export function npmPack(dir: string, dest: string): string {
    fs.mkdirSync(dest, { recursive: true });
    const [packed] = JSON.parse(
        run("npm", ["pack", "--loglevel=error", "--json", "--pack-destination", dest], dir),
    ) as { filename: string }[];
    return path.join(dest, packed.filename);
}

/** The tarball extracted as Pulumi installs a pack: its `package/` folder moved to `dir` (which must not exist). */
export function unpack(tarball: string, dir: string): string {
    const aside = fs.mkdtempSync(`${dir}.tmp`);
    try {
        run("tar", ["-xzf", tarball, "-C", aside], path.dirname(dir));
        fs.renameSync(path.join(aside, "package"), dir);
        return dir;
    } finally {
        fs.rmSync(aside, { recursive: true, force: true });
    }
}

/** `npm install` in an unpacked pack, as the nodejs language host runs it (from the npm cache where it can). */
export function installDependencies(dir: string): void {
    run("npm", ["install", "--loglevel=error", "--no-audit", "--no-fund", "--prefer-offline"], dir);
}
