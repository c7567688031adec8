// npm run import-plan -- --stack prod --out FILE [--config-file FILE] [--deployed]
// Writes the Pulumi import file (`pulumi import --file FILE`) of what the stack can adopt from an existing estate instead
// of creating it (docs/migration.md, "Adopting what survives"): the program's resources of the adoptable types, from
// the offline capture, each with its type, logical name and parent, and the id `<PLACEHOLDER>` for the operator to fill.
// Parents are empty component entries (a new stack), or with --deployed nameTable URNs of a stack that holds them.
// Exit 0: the file is written; 2: the arguments, the program or its configuration failed (one message, never 1).
import * as fs from "fs";
import * as path from "path";
import { CaptureWorkers } from "../capture-workers";
import { captureJob } from "../engine";
import { loadProject, loadStackSettings } from "../project";
import { ADOPTABLE, ID_PLACEHOLDER, importFile } from "./import-file";
import { EXIT, parseArgs, runCommand } from "./args";

async function main(): Promise<number> {
    const { flags, positional } = parseArgs(process.argv.slice(2), ["stack", "out", "config-file", "deployed"]);
    const stack = flags.get("stack")?.[0];
    const out = flags.get("out")?.[0];
    if (!stack || !out || positional.length > 0) {
        throw new Error(
            "usage: npm run import-plan -- --stack <prod|preprod> --out FILE [--config-file FILE] [--deployed true]" +
                (positional.length > 0 ? ` (unexpected argument ${positional[0]})` : ""),
        );
    }
    const deployed = flags.get("deployed")?.[0];
    if (deployed !== undefined && deployed !== "true" && deployed !== "false") {
        throw new Error(`--deployed takes true or false (got ${deployed})`);
    }
    const target = path.resolve(out);
    if (!fs.existsSync(path.dirname(target))) {
        throw new Error(`--out ${out}: the folder ${path.dirname(target)} does not exist`);
    }
    const project = loadProject(process.cwd());
    const settings = loadStackSettings(project, stack, flags.get("config-file")?.[0]);
    const workers = new CaptureWorkers(project.root, 1);
    const capture = await workers.run(captureJob(project, stack, settings, true)).finally(() => workers.close());
    if (!capture.ok) {
        console.error(`error: the program failed for stack '${stack}':\n${capture.error}`);
        return EXIT.failure;
    }
    const file = importFile(capture.resources, deployed === "true");
    fs.writeFileSync(target, `${JSON.stringify(file, null, 4)}\n`);
    const adopted = file.resources.filter((r) => !r.component);
    console.log(`Wrote ${adopted.length} adoptable resources of ${stack} to ${out}; replace each ${ID_PLACEHOLDER}:`);
    for (const [type, id] of Object.entries(ADOPTABLE)) {
        const n = adopted.filter((r) => r.type === type).length;
        if (n > 0) {
            console.log(`  ${n} ${type}: ${id}`);
        }
    }
    console.log(
        "Delete the entries of what you do not adopt (the up creates those), fill in the ids, then: pulumi import " +
            `--stack ${stack} --file ${out} --generate-code=false, and pulumi preview --stack ${stack} to check what ` +
            'the program changes on them (README, "Migrating an existing estate").',
    );
    return EXIT.ok;
}

runCommand(main);
