// The shell an AWSTOE document (an Image Builder component's `data`) runs, for rules that judge what a build does:
// ExecuteBash's `commands` and ExecuteBinary's `path` and `arguments`, the inputs AWS documents for them
// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html). Other actions run no shell.
import { parse } from "yaml";
import { simpleCommands } from "./shell";

/** A command step of a document: where it is (phase and step names), and the simple commands it runs. */
export interface Step {
    readonly where: string;
    readonly commands: string[][];
}

export type Parsed = { readonly steps: Step[] } | { readonly problem: string };

/** The command steps of an AWSTOE document: ExecuteBash's commands, ExecuteBinary's path and arguments. */
export function commandSteps(data: string): Parsed {
    let document: unknown;
    try {
        document = parse(data);
    } catch (e) {
        return {
            problem: `its document (data) does not parse as YAML: ${(e as Error).message.split("\n")[0].replace(/:$/, "")}`,
        };
    }
    const phases = (document as { phases?: unknown } | null)?.phases;
    if (!Array.isArray(phases)) {
        return { problem: "its document (data) is not an AWSTOE document: it has no phases list" };
    }
    const steps = phases.flatMap((phase: { name?: unknown; steps?: unknown }) =>
        (Array.isArray(phase?.steps) ? phase.steps : []).flatMap(
            (step: { name?: unknown; action?: unknown; inputs?: Record<string, unknown> }): Step[] => {
                const where = `phase ${String(phase.name)}, step ${String(step?.name)}`;
                const inputs = step?.inputs ?? {};
                if (step?.action === "ExecuteBash" && Array.isArray(inputs.commands)) {
                    return [{ where, commands: simpleCommands(inputs.commands.map(String).join("\n")) }];
                }
                if (step?.action === "ExecuteBinary" && typeof inputs.path === "string") {
                    const args = Array.isArray(inputs.arguments) ? inputs.arguments.map(String) : [];
                    const words = [inputs.path, ...args];
                    return [{ where, commands: [words, ...args.filter((a) => /\s/.test(a)).flatMap(simpleCommands)] }];
                }
                return [];
            },
        ),
    );
    return { steps };
}
