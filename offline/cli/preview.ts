// npm run preview:offline -- --stack prod [--json FILE] [--against FILE] [--config-file FILE] [--policy-pack DIR ...]
// The program under the mock runtime in preview mode, printed as `pulumi preview` prints it, then every policy
// pack asked over the analyzer protocol; with --against, the plan of the change from that export and its check.
// Exit 0: no mandatory violation and the plan check passed; 1: a mandatory violation or a refused step; 2: failure.
import * as fs from "fs";
import * as path from "path";
import { captureJob, discoverPacks, pairConfigs, toDeployment } from "../engine";
import { readDeployment } from "../export";
import { checkPlan } from "../plan/check";
import { planChange } from "../plan/plan";
import { renderCheck, renderPlan } from "../plan/render";
import { inEngineForm } from "../urns";
import { loadProject, loadStackSettings } from "../project";
import { allowReplaceOf } from "../../stacks/allow-replace";
import { hasMandatory, renderCounts, renderOutputs, renderPolicies, renderTree } from "../report";
import { CommandContext, EXIT, parseArgs, runCommand } from "./args";

export async function main({ argv, cwd, out, err, engine }: CommandContext): Promise<number> {
    const { flags } = parseArgs(argv, ["stack", "json", "against", "config-file", "policy-pack", "policy-pack-config"]);
    const stack = flags.get("stack")?.[0];
    if (!stack) {
        throw new Error("--stack is required (prod or preprod)");
    }
    const project = loadProject(cwd);
    const settings = loadStackSettings(project, stack, flags.get("config-file")?.[0]);
    const packs = flags.get("policy-pack") ?? discoverPacks(project.root);
    const ctx = { project: project.name, stack, dryRun: true, config: settings.config };
    const contexts = pairConfigs(packs, flags.get("policy-pack-config") ?? [], ctx);

    // Packs compile while the program runs; the update-mode run, only when an export is asked for, follows the preview in
    // the same worker (the SDK and providers are loaded by then).
    const servers = engine.startPacks(packs, ctx);
    const jsonFile = flags.get("json")?.[0];
    const againstFile = flags.get("against")?.[0];
    // Read first: a bad file fails before the program runs. The plan compares the state an update would write.
    const against = againstFile ? readDeployment(againstFile) : undefined;
    const allowReplace = allowReplaceOf(stack, settings.config);
    const previewRun = engine.capture(captureJob(project, stack, settings, true));
    const updateRun = jsonFile || against ? engine.capture(captureJob(project, stack, settings, false)) : undefined;
    const preview = await previewRun;
    if (!preview.ok) {
        // The packs still starting are stopped with the engine.
        err(`error: the program failed for stack '${stack}':\n${preview.error}`);
        return EXIT.failure;
    }
    out(`Previewing update (${stack}) offline, under Pulumi's mock runtime:\n`);
    const encrypted = settings.secretKeys.filter((k) => k.startsWith(`${project.name}:`));
    if (encrypted.length > 0) {
        out(`Not validated offline (encrypted; only the stack's backend decrypts them): ${encrypted.join(", ")}\n`);
    }
    out(renderTree(preview.resources, "create"));
    out(`\n${renderOutputs(preview.resources.find((r) => r.type === "pulumi:pulumi:Stack"))}\n`);
    out(renderCounts(preview.resources, "create"));

    const reports = await engine.runPacks(servers, preview.resources, contexts);
    out(`\n${renderPolicies(reports, preview.resources)}`);

    const update = await updateRun;
    if (update && !update.ok) {
        throw new Error(`the program failed as an update: ${update.error}`);
    }
    let refused = false;
    if (against && update?.ok) {
        // An offline export written before captures carried the engine's URNs names grandchildren differently.
        const engine = inEngineForm(against.resources, against.project, against.stack);
        if (engine.rewritten > 0) {
            out(
                `\nNote: ${againstFile} names ${engine.rewritten} resources as the mock runtime did (a grandchild by its parent's last type); read under the engine's URNs, as a real export names them.`,
            );
        }
        const steps = planChange({ ...against, resources: engine.resources }, update.resources, stack);
        const result = checkPlan(steps, allowReplace);
        out(`\n${renderPlan(steps, againstFile!)}\n\n${renderCheck(result)}`);
        refused = result.refusals.length > 0;
    }
    if (jsonFile && update?.ok) {
        const version = (
            require(require.resolve("@pulumi/pulumi/package.json", { paths: [project.root] })) as { version: string }
        ).version;
        fs.writeFileSync(path.resolve(cwd, jsonFile), JSON.stringify(toDeployment(update.resources, version), null, 2));
        out(`\nWrote ${update.resources.length} resources as a stack export to ${jsonFile}`);
    }
    return hasMandatory(reports) || refused ? EXIT.violation : EXIT.ok;
}

runCommand(module, main);
