// npm run policy:check -- FILE --policy-pack DIR [--policy-pack DIR ...] [--policy-pack-config FILE ...]
// Runs any policy packs (ours or a third party's) against a `pulumi stack export` file: one written by
// `preview:offline --json`, or the export of a real deployed stack. Exit codes as preview:offline.
import { readDeployment, runPacks, startPacks } from "../engine";
import { hasMandatory, renderPolicies } from "../report";
import { EXIT, fail, parseArgs } from "./args";
import { readPackConfigs } from "./packconfig";

async function main(): Promise<number> {
    const { positional, flags } = parseArgs(process.argv.slice(2), ["policy-pack", "policy-pack-config"]);
    const packs = flags.get("policy-pack") ?? [];
    if (positional.length !== 1 || packs.length === 0) {
        throw new Error("usage: policy:check -- FILE --policy-pack DIR [--policy-pack DIR ...] [--policy-pack-config FILE ...]");
    }
    const { resources, stack, project } = readDeployment(positional[0]);
    // A deployed stack is past its update: every value is known, as in the policies the CLI runs after `up`.
    const ctx = { project, stack, dryRun: false, config: {} };
    const contexts = readPackConfigs(flags.get("policy-pack-config") ?? []).map((packConfig) => ({ ...ctx, packConfig }));
    const reports = await runPacks(startPacks(packs, ctx), resources, contexts.length > 0 ? contexts : [ctx]);
    console.log(`Checked ${resources.length} resources of stack '${stack}' (${positional[0]}).\n`);
    console.log(renderPolicies(reports, resources));
    return hasMandatory(reports) ? EXIT.violation : EXIT.ok;
}

main().then((code) => process.exit(code), fail);
