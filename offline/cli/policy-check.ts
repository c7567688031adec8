// npm run policy:check -- FILE [--policy-pack DIR ...] [--policy-pack-config FILE ...]
// Runs any policy packs (ours or a third party's; default every pack under policies/) against a `pulumi stack export`
// file: one written by `preview:offline --json`, or the export of a real deployed stack, ours or anyone's.
// Exit 0: no mandatory violation; 1: at least one; 2: the input, a pack or its config failed (docs/policy-check.md).
import { discoverPacks, pairConfigs } from "../engine";
import { readDeployment } from "../export";
import { hasMandatory, renderPending, renderPolicies } from "../report";
import { CommandContext, EXIT, parseArgs, runCommand } from "./args";

const USAGE = "usage: npm run policy:check -- FILE [--policy-pack DIR ...] [--policy-pack-config FILE ...]";

export async function main({ argv, cwd, out, engine }: CommandContext): Promise<number> {
    const { positional, flags } = parseArgs(argv, ["policy-pack", "policy-pack-config"]);
    if (positional.length !== 1) {
        throw new Error(
            `${positional.length === 0 ? "no export file given" : `one export file, not ${positional.length}`}; ${USAGE}`,
        );
    }
    const packs = flags.get("policy-pack") ?? discoverPacks(cwd);
    const { resources, stack, project, pending } = readDeployment(positional[0]);
    // A deployed stack is past its update: every value is known, as in the policies the CLI runs after `up`.
    const ctx = { project, stack, dryRun: false, config: {} };
    const contexts = pairConfigs(packs, flags.get("policy-pack-config") ?? [], ctx);
    const reports = await engine.runPacks(engine.startPacks(packs, ctx), resources, contexts);
    out(`Checked ${resources.length} resources of stack '${stack}' (${positional[0]}).\n`);
    if (pending.length > 0) {
        out(`${renderPending(pending)}\n`);
    }
    out(renderPolicies(reports, resources));
    return hasMandatory(reports) ? EXIT.violation : EXIT.ok;
}

runCommand(module, main);
