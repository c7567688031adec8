// npm run packs:build [-- --out DIR]: each of our packs as it is published (docs/publishing-packs.md). Writes
// DIR/<pack> (default dist/policy-packs/<pack>), the pack's build with every source it imports, then proves it as
// Pulumi will run it: packed with npm pack, unpacked in an empty folder, its dependencies installed by npm install
// from its shrinkwrap, started and asked for its policies. Exit codes: 0 every pack publishable, 1 one is not (its
// build, its undeclared imports or its start named), 2 bad arguments.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { analyze, PackServer, RunContext } from "../analyzer";
import { CommandContext, EXIT, parseArgs, runCommand } from "./args";
import { PACKS } from "../docs/rules";
import { builtPack } from "../pack-build";
import { undeclaredImports } from "../pack-imports";
import { installDependencies, npmPack, unpack } from "../pack-publish";

const ROOT = path.join(__dirname, "..", "..");
const RUN: RunContext = { project: "magento", stack: "publish", dryRun: true, config: {} };

/** The folder to publish for `name`: its build copied to `out`, the build's marker left behind. */
async function publishable(name: string, out: string): Promise<string> {
    const built = await builtPack(path.join(ROOT, "policies", name));
    const undeclared = undeclaredImports(built);
    if (undeclared.length > 0) {
        throw new Error(
            `policies/${name} imports packages its package.json does not declare, which a published pack lacks: ${undeclared
                .map((u) => `${u.module} (from ${u.from})`)
                .join(", ")}`,
        );
    }
    const dir = path.join(out, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(built, dir, { recursive: true, filter: (src) => path.basename(src) !== "done" });
    return dir;
}

/** The published tarball of `dir`, installed and started in an empty folder: the pack's name, version and policies. */
async function installedAsPublished(dir: string): Promise<string> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pack-publish-"));
    try {
        const installed = unpack(npmPack(dir, scratch), path.join(scratch, "installed"));
        installDependencies(installed);
        const server = await PackServer.start(installed, RUN);
        try {
            const report = await analyze(server, [], RUN);
            return `${report.name}@${report.version}: ${report.policies.length} policies`;
        } finally {
            server.close();
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

export async function main({ argv, cwd, out: print, err }: CommandContext): Promise<number> {
    // A bad argument throws: runCommand prints it and exits 2.
    const args = parseArgs(argv, ["out"]);
    if (args.positional.length > 0) {
        throw new Error(`unexpected argument ${args.positional[0]}; usage: npm run packs:build [-- --out DIR]`);
    }
    const out = path.resolve(args.flags.get("out")?.at(-1) ?? path.join(ROOT, "dist", "policy-packs"));
    let failed = false;
    for (const name of PACKS) {
        try {
            const dir = await publishable(name, out);
            print(`${path.relative(cwd, dir)}: ${await installedAsPublished(dir)}`);
            print(`  publish: (cd ${path.relative(cwd, dir)} && pulumi policy publish <org>)`);
        } catch (e) {
            failed = true;
            err(`error: ${name} is not publishable: ${(e as Error).message}`);
        }
    }
    return failed ? EXIT.violation : EXIT.ok;
}

runCommand(module, main);
