// The plan and its check as text, in `pulumi preview`'s symbols (+ create, ~ update, +- replace, - delete).
import { CheckResult, engineStops } from "./check";
import { Op, PlanStep } from "./plan";

const SYMBOL: Record<Op, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

function line(s: PlanStep): string {
    const head = `  ${SYMBOL[s.op].padEnd(2)} ${s.op.padEnd(7)} ${s.type} ${s.name}`;
    const parts = [
        s.op === "replace" && s.deleteBeforeReplace ? "delete-before-replace" : "",
        s.op === "delete" && s.retained ? "retained in the cloud (retainOnDelete)" : "",
        s.forcing.length > 0 ? `forced by: ${s.forcing.join(", ")}` : "",
        s.causes.length > 0 ? `because: ${s.causes.join("; ")}` : "",
        s.op === "update" || s.op === "replace" ? (s.changed.length > 0 ? `changed: ${s.changed.join(", ")}` : "") : "",
    ].filter(Boolean);
    return parts.length > 0 ? `${head}\n      ${parts.join("\n      ")}` : head;
}

export function renderPlan(steps: readonly PlanStep[], against: string): string {
    const counts = new Map<Op, number>();
    steps.forEach((s) => counts.set(s.op, (counts.get(s.op) ?? 0) + 1));
    const summary = (["create", "update", "replace", "delete", "same"] as Op[])
        .map((op) => `${counts.get(op) ?? 0} to ${op}`)
        .join(", ");
    const body = steps.filter((s) => s.op !== "same").map(line);
    return [
        `Plan against ${against}:`,
        ...(body.length > 0 ? body : ["  no changes"]),
        `Resources: ${summary.replace("to same", "unchanged")}`,
    ].join("\n");
}

export function renderCheck(result: CheckResult): string {
    const lines = result.notes.map((n) => `note: ${n}`);
    if (result.refusals.length === 0) {
        return [
            ...lines,
            "Plan check: passed (no protected or stateful resource replaced or deleted without magento:allowReplace)",
        ].join("\n");
    }
    lines.push(`Plan check: ${result.refusals.length} refused step(s) (docs/day-two.md, "The check"):`);
    for (const r of result.refusals) {
        lines.push(`  ${r.step.op} ${r.step.type} ${r.step.name}: ${r.reason}`);
        if (r.kind !== "stateful") {
            continue;
        } else if (!engineStops(r.step)) {
            lines.push("    not protected: `pulumi up` would carry it out");
        } else if (r.alreadyRun.length > 0) {
            const shown = r.alreadyRun
                .slice(0, 10)
                .map((s) => `${s.op} ${s.name}`)
                .join(", ");
            const more = r.alreadyRun.length > 10 ? ` and ${r.alreadyRun.length - 10} more` : "";
            lines.push(
                `    \`pulumi up\` stops here, after ${r.alreadyRun.length} step(s) already ran: ${shown}${more}`,
            );
        }
    }
    return lines.join("\n");
}
