// Packs are served from their build (offline/pack-build.ts), where the CLI's runner type-checks a TypeScript pack at
// every start. The build must keep the CLI's verdicts: our pack started from its TypeScript sources exactly as the CLI
// starts it answers as its build does, a pack the CLI refuses is refused built too, and a changed source is built anew.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { analyze, PackServer, RunContext } from "../../offline/analyzer";
import { builtPack } from "../../offline/pack-build";
import { pack } from "../helpers/packs";
import { prefetch, ROOT, stackResources } from "../helpers/stacks";

// Inside the repository's node_modules, so a pack written here resolves @pulumi/policy as ours do.
const cache = path.join(ROOT, "node_modules", ".cache");
fs.mkdirSync(cache, { recursive: true });
const scratch = fs.mkdtempSync(path.join(cache, "pack-build-test-"));
const RUN: RunContext = { project: "magento", stack: "test", dryRun: true, config: {} };

/** A TypeScript pack in the scratch folder with this index.ts (the fixture packs' tsconfig): its folder. */
function packWith(name: string, index: string): string {
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "0.0.1", main: "index.ts" }));
    fs.copyFileSync(path.join(ROOT, "tests/fixtures/packs/throws/tsconfig.json"), path.join(dir, "tsconfig.json"));
    fs.writeFileSync(path.join(dir, "index.ts"), index);
    return dir;
}

const packSource = (description: string) => `import { PolicyPack } from "@pulumi/policy";
new PolicyPack("changing", {
    policies: [{ name: "nothing", description: "${description}", enforcementLevel: "advisory", validateResource: () => undefined }],
});
`;

describe("built policy packs", function () {
    prefetch(["prod"]);
    // Started when the spec loads: its type check runs while earlier specs do.
    const fromSources = PackServer.start("policies/magento", RUN, { fromSources: true });
    fromSources.catch(() => undefined); // a pack that fails to start fails the test that awaits it, not the run
    after(async () => {
        fs.rmSync(scratch, { recursive: true, force: true });
        (await fromSources.catch(() => undefined))?.close();
    });

    it("policies/magento started from its TypeScript sources, as the CLI starts it, serves the rules and verdicts of its build", async () => {
        const [sources, built, resources] = await Promise.all([fromSources, pack("magento"), stackResources("prod")]);
        const sourcesReport = await analyze(sources, resources, { ...RUN, stack: "prod" });
        const buildReport = await analyze(built, resources, { ...RUN, stack: "prod" });
        assert.ok(sourcesReport.policies.length > 10, "the pack's rules");
        assert.deepStrictEqual(buildReport, sourcesReport);
    });

    it("refuses a pack that does not type-check, from its sources as the CLI does and built, naming the file and the error", async () => {
        const dir = packWith(
            "type-error",
            `import { PolicyPack } from "@pulumi/policy";\nconst level: number = "mandatory";\nnew PolicyPack("type-error", { policies: [] });\n`,
        );
        const error =
            /policy pack .*type-error failed to start[^]*index\.ts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'/;
        await assert.rejects(PackServer.start(dir, RUN, { fromSources: true }), error);
        await assert.rejects(PackServer.start(dir, RUN), error);
    });

    it("serves a pack's build while its sources are unchanged and builds it anew, dropping the old build, when one changes", async () => {
        const dir = packWith("changing", packSource("first"));
        const first = await builtPack(dir);
        const done = fs.statSync(path.join(first, "done")).mtimeMs;
        assert.strictEqual(await builtPack(dir), first);
        assert.strictEqual(fs.statSync(path.join(first, "done")).mtimeMs, done, "built again though unchanged");

        fs.writeFileSync(path.join(dir, "index.ts"), packSource("second"));
        const second = await builtPack(dir);
        assert.notStrictEqual(second, first);
        assert.ok(!fs.existsSync(first), "the build of the old sources is kept");
        assert.match(fs.readFileSync(path.join(second, "index.js"), "utf8"), /description: "second"/);
        const server = await PackServer.start(dir, RUN);
        try {
            const report = await analyze(server, [], RUN);
            assert.deepStrictEqual(
                report.policies.map((p) => [p.name, p.level]),
                [["nothing", "advisory"]],
            );
            assert.strictEqual(report.version, "0.0.1");
        } finally {
            server.close();
        }
    });
});
