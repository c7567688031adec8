// Reads what `pulumi preview --json` prints (pulumi/pulumi pkg/display/json.go: PreviewDigest, its steps with op,
// urn, oldState, newState, diffReasons, replaceReasons) as plan steps, so the check runs on a real preview too.
import { parseJson, readText } from "../export";
import { StateResource, urnName } from "../state";
import { Op, PlanStep } from "./plan";

interface DigestStep {
    op: string;
    urn: string;
    oldState?: StateResource;
    newState?: StateResource;
    diffReasons?: string[];
    replaceReasons?: string[];
}

// A replacement shows as one `replace` step, or as its halves (pkg/resource/deploy/step.go, OpCreateReplacement and
// OpDeleteReplaced); reads and refreshes change nothing in the cloud.
const OPS: Record<string, Op> = {
    same: "same",
    create: "create",
    update: "update",
    delete: "delete",
    replace: "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    import: "create",
    "import-replacement": "replace",
};

export function readPreviewDigest(file: string): PlanStep[] {
    const doc = parseJson(file, readText(file, "the JSON `pulumi preview --json` prints"));
    const raw = (doc as { steps?: unknown }).steps;
    if (typeof doc !== "object" || doc === null || (raw !== undefined && !Array.isArray(raw))) {
        throw new Error(
            `${file} is not the output of \`pulumi preview --json\`: expected {"steps": [{"op", "urn", ...}], ...}`,
        );
    }
    const byUrn = new Map<string, PlanStep>();
    for (const [i, s] of ((raw ?? []) as DigestStep[]).entries()) {
        if (typeof s?.op !== "string" || typeof s.urn !== "string") {
            throw new Error(`${file}: steps[${i}] has no op or urn; each step of \`pulumi preview --json\` has both`);
        }
        const op = OPS[s.op];
        if (!op) {
            continue; // a read or refresh changes nothing in the cloud
        }
        const seen = byUrn.get(s.urn);
        const state = s.newState ?? s.oldState;
        // A replacement's halves are one step: the old state from whichever half has it (delete-replaced lists only the
        // old), the new from whichever has that, reasons from all (pulumi/pulumi step_generator.go emits, for
        // delete-before-replace, DeleteReplacement(old) before Replace(old, new) and CreateReplacement).
        const merged: PlanStep = {
            op: seen?.op === "replace" ? "replace" : op,
            urn: s.urn,
            type: state?.type ?? seen?.type ?? s.urn.split("::")[2].split("$").pop()!,
            name: urnName(s.urn),
            changed: [...new Set([...(seen?.changed ?? []), ...(s.diffReasons ?? [])])],
            forcing: [...new Set([...(seen?.forcing ?? []), ...(s.replaceReasons ?? [])])],
            causes: [],
            // State holds no deleteBeforeReplace (apitype.ResourceV3): the old half listed first is the sign of it.
            deleteBeforeReplace: seen?.deleteBeforeReplace ?? s.op === "delete-replaced",
            retained: seen?.retained || s.oldState?.retainOnDelete === true,
            protectedBefore: seen?.protectedBefore || s.oldState?.protect === true,
            protectedAfter: seen?.protectedAfter || s.newState?.protect === true,
            oldInputs: seen?.oldInputs ?? s.oldState?.inputs,
            newInputs: seen?.newInputs ?? s.newState?.inputs,
        };
        byUrn.set(s.urn, merged);
    }
    // The engine runs deletes last, whatever order the display lists them in.
    const steps = [...byUrn.values()];
    return [...steps.filter((s) => s.op !== "delete"), ...steps.filter((s) => s.op === "delete")];
}
