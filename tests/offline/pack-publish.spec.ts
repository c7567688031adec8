// Our packs as `pulumi policy publish` ships them and Pulumi installs them (offline/pack-publish.ts): the build's npm
// pack, unpacked in an empty folder outside the repository, must serve the rules and verdicts of the packs in the
// repository with nothing of the repository's but the packages its shrinkwrap installs. Those are linked from the
// repository's node_modules, the tree the shrinkwrap was read from (`npm run packs:build` runs the real npm install;
// it takes half a minute, linking a second).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { analyze, PackServer, RunContext } from "../../offline/analyzer";
import { PACKS } from "../../offline/docs/rules";
import { builtPack } from "../../offline/pack-build";
import { undeclaredImports } from "../../offline/pack-imports";
import { npmPack, unpack } from "../../offline/pack-publish";
import { run } from "../helpers/cli";
import { pack } from "../helpers/packs";
import { prefetch, ROOT, stackResources } from "../helpers/stacks";

const RUN: RunContext = { project: "magento", stack: "prod", dryRun: true, config: {} };

interface Shrinkwrap {
    readonly packages: Record<string, { readonly version?: string; readonly integrity?: string }>;
}

/** Outside the repository, so nothing resolves from its node_modules by walking up. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pack-publish-test-"));

/** `npm install` of the unpacked pack's shrinkwrap, each top-level package linked from where the repository has it. */
function linkShrinkwrap(dir: string): Shrinkwrap {
    const shrinkwrap = JSON.parse(fs.readFileSync(path.join(dir, "npm-shrinkwrap.json"), "utf8")) as Shrinkwrap;
    for (const at of Object.keys(shrinkwrap.packages).filter((p) => /^node_modules\/(@[^/]+\/)?[^/@]+$/.test(p))) {
        fs.mkdirSync(path.dirname(path.join(dir, at)), { recursive: true });
        fs.symlinkSync(path.join(ROOT, at), path.join(dir, at), "dir");
    }
    return shrinkwrap;
}

/** The build of the pack in `source`, packed, unpacked into `name` in the scratch folder and its shrinkwrap linked. */
async function installed(source: string, name: string): Promise<{ dir: string; shrinkwrap: Shrinkwrap }> {
    const tarball = npmPack(await builtPack(source), path.join(scratch, `${name}-tarball`));
    const dir = unpack(tarball, path.join(scratch, name));
    return { dir, shrinkwrap: linkShrinkwrap(dir) };
}

describe("published policy packs", function () {
    prefetch(["prod"]);
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    for (const name of PACKS) {
        it(`${name}: its published tarball, installed in an empty folder, serves the rules and verdicts of policies/${name}`, async () => {
            const { dir, shrinkwrap } = await installed(path.join(ROOT, "policies", name), name);
            const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as Shrinkwrap;
            for (const [at, entry] of Object.entries(shrinkwrap.packages).filter(([at]) => at !== "")) {
                assert.deepStrictEqual(
                    [entry.version, entry.integrity],
                    [lock.packages[at]?.version, lock.packages[at]?.integrity],
                    `${at}: the shrinkwrap installs what the repository's lock file did`,
                );
            }
            assert.deepStrictEqual(undeclaredImports(dir), [], "every package its code imports is declared");
            const resources = await stackResources("prod");
            const server = await PackServer.start(dir, RUN);
            try {
                const [published, repository] = await Promise.all([
                    analyze(server, resources, RUN),
                    pack(name).then((p) => analyze(p, resources, RUN)),
                ]);
                assert.ok(published.policies.length > 10, "the pack's rules");
                assert.deepStrictEqual(published, repository);
            } finally {
                server.close();
            }
        });
    }

    it("a pack importing a package it does not declare is named with the file, and fails to start once published", async () => {
        // A JavaScript pack, served as it is (no build): what a build of ours holds, with one import undeclared.
        const source = path.join(scratch, "undeclared-source");
        fs.mkdirSync(source, { recursive: true });
        fs.writeFileSync(path.join(source, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        const manifest = {
            name: "undeclared",
            version: "0.0.1",
            dependencies: { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0" },
        };
        fs.writeFileSync(path.join(source, "package.json"), JSON.stringify(manifest));
        fs.writeFileSync(
            path.join(source, "npm-shrinkwrap.json"),
            JSON.stringify({
                lockfileVersion: 3,
                packages: { "node_modules/@pulumi/policy": {}, "node_modules/@pulumi/pulumi": {} },
            }),
        );
        fs.writeFileSync(
            path.join(source, "index.js"),
            `const { PolicyPack } = require("@pulumi/policy");\nconst ipaddr = require("ipaddr.js");\nnew PolicyPack("undeclared", { policies: [{ name: "cidr", description: String(ipaddr.isValid("10.0.0.0")), enforcementLevel: "advisory", validateResource: () => undefined }] });\n`,
        );
        assert.deepStrictEqual(undeclaredImports(source), [{ module: "ipaddr.js", from: "index.js" }]);
        const { dir } = await installed(source, "undeclared");
        await assert.rejects(PackServer.start(dir, RUN), /Cannot find module 'ipaddr\.js'/);
    });

    it("npm pack in a pack's source folder, which pulumi policy publish runs there, stops and names the folder to publish", () => {
        for (const name of PACKS) {
            const result = spawnSync("npm", ["pack", "--dry-run", "--loglevel=error"], {
                cwd: path.join(ROOT, "policies", name),
                encoding: "utf8",
            });
            assert.notStrictEqual(result.status, 0, `npm pack in policies/${name} succeeded`);
            assert.match(result.stderr, new RegExp(`npm run packs:build and publish dist/policy-packs/${name}`));
        }
    });

    it("npm run packs:build refuses an unknown flag or argument, exit 2, naming it and its usage, and writes nothing", async () => {
        const out = path.join(scratch, "not-written");
        for (const args of [
            ["--bogus", "x"],
            ["magento", "--out", out],
        ]) {
            const result = await run("build-packs.ts", args);
            assert.strictEqual(result.code, 2, result.stderr);
            assert.match(
                result.stderr,
                /^error: (unknown flag --bogus; allowed: --out|unexpected argument magento; usage: npm run packs:build)/,
            );
            assert.doesNotMatch(result.stderr, /\n\s+at /, "a stack trace");
        }
        assert.ok(!fs.existsSync(out));
    });
});
