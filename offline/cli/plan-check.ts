// npm run plan:check -- --stack prod --preview-json FILE [--config-file FILE]
// The plan check (offline/plan/check.ts) on a real preview: FILE is what `pulumi preview --json` printed. Exit 0: the
// plan passes; 1: it replaces or deletes a protected or stateful resource magento:allowReplace does not name (or
// changes an instance's architecture on a kept image); 2: the input or the stack's configuration failed.
import { checkPlan } from "../plan/check";
import { readPreviewDigest } from "../plan/preview-json";
import { renderCheck, renderPlan } from "../plan/render";
import { loadProject, loadStackSettings } from "../project";
import { allowReplaceOf } from "../../stacks/allow-replace";
import { CommandContext, EXIT, parseArgs, runCommand } from "./args";

export async function main({ argv, cwd, out }: CommandContext): Promise<number> {
    const { flags } = parseArgs(argv, ["stack", "preview-json", "config-file"]);
    const stack = flags.get("stack")?.[0];
    const file = flags.get("preview-json")?.[0];
    if (!stack || !file) {
        throw new Error(
            "--stack and --preview-json are required (the stack, and the file `pulumi preview --json` wrote)",
        );
    }
    const settings = loadStackSettings(loadProject(cwd), stack, flags.get("config-file")?.[0]);
    const steps = readPreviewDigest(file);
    const result = checkPlan(steps, allowReplaceOf(stack, settings.config));
    out(`${renderPlan(steps, file)}\n\n${renderCheck(result)}`);
    return result.refusals.length > 0 ? EXIT.violation : EXIT.ok;
}

runCommand(module, main);
