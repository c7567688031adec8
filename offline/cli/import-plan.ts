// npm run import-plan -- --stack prod --out FILE [--config-file FILE] [--deployed]
// Writes the Pulumi import file (`pulumi import --file FILE`) of what the stack can adopt from an existing estate instead
// of creating it (docs/migration.md, "Adopting what survives"): the program's resources of the adoptable types, from
// the offline capture, each with its type, logical name and parent, and the id `<PLACEHOLDER>` for the operator to fill.
// Parents are empty component entries (a new stack), or with --deployed nameTable URNs of a stack that holds them.
// Exit 0: the file is written; 2: the arguments, the program or its configuration failed (one message, never 1).
import * as fs from "fs";
import * as path from "path";
import { captureJob } from "../engine";
import { loadProject, loadStackSettings } from "../project";
import { ADOPTABLE, ID_PLACEHOLDER, importFile } from "./import-file";
import { CommandContext, EXIT, parseArgs, runCommand } from "./args";

export async function main({ argv, cwd, out, err, engine }: CommandContext): Promise<number> {
    const { flags, positional } = parseArgs(argv, ["stack", "out", "config-file", "deployed"]);
    const stack = flags.get("stack")?.[0];
    const file = flags.get("out")?.[0];
    if (!stack || !file || positional.length > 0) {
        throw new Error(
            "usage: npm run import-plan -- --stack <prod|preprod> --out FILE [--config-file FILE] [--deployed true]" +
                (positional.length > 0 ? ` (unexpected argument ${positional[0]})` : ""),
        );
    }
    const deployed = flags.get("deployed")?.[0];
    if (deployed !== undefined && deployed !== "true" && deployed !== "false") {
        throw new Error(`--deployed takes true or false (got ${deployed})`);
    }
    const target = path.resolve(cwd, file);
    if (!fs.existsSync(path.dirname(target))) {
        throw new Error(`--out ${file}: the folder ${path.dirname(target)} does not exist`);
    }
    const project = loadProject(cwd);
    const settings = loadStackSettings(project, stack, flags.get("config-file")?.[0]);
    const capture = await engine.capture(captureJob(project, stack, settings, true));
    if (!capture.ok) {
        err(`error: the program failed for stack '${stack}':\n${capture.error}`);
        return EXIT.failure;
    }
    const plan = importFile(capture.resources, deployed === "true");
    fs.writeFileSync(target, `${JSON.stringify(plan, null, 4)}\n`);
    const adopted = plan.resources.filter((r) => !r.component);
    out(`Wrote ${adopted.length} adoptable resources of ${stack} to ${file}; replace each ${ID_PLACEHOLDER}:`);
    for (const [type, id] of Object.entries(ADOPTABLE)) {
        const n = adopted.filter((r) => r.type === type).length;
        if (n > 0) {
            out(`  ${n} ${type}: ${id}`);
        }
    }
    out(
        "Delete the entries of what you do not adopt (the up creates those), fill in the ids, then: pulumi import " +
            `--stack ${stack} --file ${file} --generate-code=false, and pulumi preview --stack ${stack} to check what ` +
            'the program changes on them (README, "Migrating an existing estate").',
    );
    return EXIT.ok;
}

runCommand(module, main);
