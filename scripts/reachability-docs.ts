// Writes docs/<stack>/reachability.md for each stack from its offline preview: the matrix of who reaches what,
// computed from the security groups (tests/docs/reachability.spec.ts fails until this has been run).
import * as fs from "fs";
import * as path from "path";
import { capture } from "../offline/engine";
import { loadProject, loadStackSettings } from "../offline/project";
import { stackView } from "../offline/stack-view";
import { reachabilityMarkdown } from "../policies/lib/reachability";

export const DOC_STACKS = ["prod", "preprod"];
const root = path.resolve(__dirname, "..");

export const reachabilityDoc = (stack: string) => path.join(root, "docs", stack, "reachability.md");

async function main(): Promise<void> {
    const project = loadProject(root);
    for (const stack of DOC_STACKS) {
        const result = await capture(project, stack, loadStackSettings(project, stack), true);
        if (!result.ok) {
            throw new Error(result.error);
        }
        fs.mkdirSync(path.dirname(reachabilityDoc(stack)), { recursive: true });
        fs.writeFileSync(reachabilityDoc(stack), reachabilityMarkdown(stackView(result.resources), stack));
    }
}

if (require.main === module) {
    main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
