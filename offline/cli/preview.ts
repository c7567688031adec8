// npm run preview:offline -- --stack prod [--json FILE] [--config-file FILE] [--policy-pack DIR ...]
// The program under the mock runtime in preview mode, printed as `pulumi preview` prints it, then every policy
// pack asked over the analyzer protocol. Exit 0: no mandatory violation; 1: at least one; 2: failure.
import * as fs from "fs";
import * as path from "path";
import { PackServer } from "../analyzer";
import { CaptureWorkers } from "../capture-workers";
import { captureJob, discoverPacks, pairConfigs, runPacks, startPacks, toDeployment } from "../engine";
import { loadProject, loadStackSettings } from "../project";
import { hasMandatory, renderCounts, renderOutputs, renderPolicies, renderTree } from "../report";
import { EXIT, parseArgs, runCommand } from "./args";

async function main(): Promise<number> {
    const { flags } = parseArgs(process.argv.slice(2), ["stack", "json", "config-file", "policy-pack", "policy-pack-config"]);
    const stack = flags.get("stack")?.[0];
    if (!stack) {
        throw new Error("--stack is required (prod or preprod)");
    }
    const project = loadProject(process.cwd());
    const settings = loadStackSettings(project, stack, flags.get("config-file")?.[0]);
    const packs = flags.get("policy-pack") ?? discoverPacks(project.root);
    const ctx = { project: project.name, stack, dryRun: true, config: settings.config };
    const contexts = pairConfigs(packs, flags.get("policy-pack-config") ?? [], ctx);

    // Packs compile while the program runs; the update-mode run, only when an export is asked for, follows the preview in
    // the same worker (the SDK and providers are loaded by then).
    const servers = startPacks(packs, ctx);
    const jsonFile = flags.get("json")?.[0];
    const workers = new CaptureWorkers(project.root, 1);
    const previewRun = workers.run(captureJob(project, stack, settings, true));
    const updateRun = jsonFile ? workers.run(captureJob(project, stack, settings, false)) : undefined;
    const preview = await previewRun;
    if (!preview.ok) {
        servers.forEach((s) => s.catch(() => undefined)); // stopped below, before they finish starting
        PackServer.stopAll();
        workers.close();
        console.error(`error: the program failed for stack '${stack}':\n${preview.error}`);
        return EXIT.failure;
    }
    console.log(`Previewing update (${stack}) offline, under Pulumi's mock runtime:\n`);
    const encrypted = settings.secretKeys.filter((k) => k.startsWith(`${project.name}:`));
    if (encrypted.length > 0) {
        console.log(`Not validated offline (encrypted; only the stack's backend decrypts them): ${encrypted.join(", ")}\n`);
    }
    console.log(renderTree(preview.resources, "create"));
    console.log(`\n${renderOutputs(preview.resources.find((r) => r.type === "pulumi:pulumi:Stack"))}\n`);
    console.log(renderCounts(preview.resources, "create"));

    const reports = await runPacks(servers, preview.resources, contexts);
    console.log(`\n${renderPolicies(reports, preview.resources)}`);

    const update = await updateRun;
    workers.close();
    if (jsonFile && update) {
        if (!update.ok) {
            throw new Error(`the program failed as an update: ${update.error}`);
        }
        const version = require(require.resolve("@pulumi/pulumi/package.json", { paths: [project.root] })).version as string;
        fs.writeFileSync(path.resolve(jsonFile), JSON.stringify(toDeployment(update.resources, version), null, 2));
        console.log(`\nWrote ${update.resources.length} resources as a stack export to ${jsonFile}`);
    }
    return hasMandatory(reports) ? EXIT.violation : EXIT.ok;
}

runCommand(main);
