// Everything under docs/ that is generated from the code, as a map of path to content: `npm run docs` writes it, and a
// test compares it with what is committed, so documentation cannot drift from the program.
import * as path from "path";
import { capture } from "../engine";
import { loadProject, loadStackSettings } from "../project";
import { reachabilityMarkdown } from "../../policies/lib/reachability";
import { policiesDoc } from "./policies-doc";
import { ruleEntries } from "./rules";
import { UNENFORCED_CONTROLS } from "./unenforced-controls";
import { stackView } from "../stack-view";
import { StateResource } from "../state";
import { coverageMarkdown } from "./coverage";
import { architectureSvg } from "./diagram";
import { inventoryMarkdown } from "./inventory";

export const STACKS = ["prod", "preprod"] as const;
const ROOT = path.resolve(__dirname, "../..");

/** Each stack's resources as its offline preview registers them. */
export type StackSource = (stack: string) => Promise<readonly StateResource[]>;

export function previewOf(root: string): StackSource {
    const project = loadProject(root);
    return async (stack) => {
        const result = await capture(project, stack, loadStackSettings(project, stack), true);
        if (!result.ok) {
            throw new Error(`stack ${stack}: ${result.error}`);
        }
        return result.resources;
    };
}

export async function generateDocs(source: StackSource): Promise<Map<string, string>> {
    const rules = ruleEntries(ROOT);
    const files = new Map<string, string>([
        [path.join("docs", "policies.md"), policiesDoc(rules, UNENFORCED_CONTROLS)],
    ]);
    for (const stack of STACKS) {
        const resources = await source(stack);
        files.set(path.join("docs", stack, "architecture.svg"), architectureSvg(stack, resources));
        files.set(path.join("docs", stack, "inventory.md"), inventoryMarkdown(stack, resources));
        files.set(path.join("docs", stack, "reachability.md"), reachabilityMarkdown(stackView(resources), stack));
        files.set(path.join("docs", stack, "coverage.md"), coverageMarkdown(stack, resources, rules));
    }
    return files;
}
