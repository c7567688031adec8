// Text output in the shape of `pulumi preview`: the resource tree, outputs, counts, then the policy verdicts.
import { PackReport } from "./analyzer";
import { PendingOperation } from "./export";
import { isSecret, StateResource, UNKNOWN, urnName } from "./state";

/** `aws:ec2/vpc:Vpc` is shown as `aws:ec2:Vpc`, as the CLI shows it. */
export function displayType(type: string): string {
    const [pkg, module, name] = type.split(":");
    return name === undefined ? type : `${pkg}:${module.split("/")[0]}:${name}`;
}

export function renderTree(resources: readonly StateResource[], plan: string): string {
    const shown = resources.filter(
        (r) => !r.type.startsWith("pulumi:providers:") || !urnName(r.urn).startsWith("default"),
    );
    const children = new Map<string, StateResource[]>();
    for (const r of shown) {
        const key = r.parent ?? "";
        children.set(key, [...(children.get(key) ?? []), r]);
    }
    const rows: [string, string][] = [];
    const walk = (r: StateResource, prefix: string, last: boolean, root: boolean) => {
        rows.push([`${root ? "" : prefix + (last ? "└─ " : "├─ ")}${displayType(r.type)}`, urnName(r.urn)]);
        const kids = children.get(r.urn) ?? [];
        kids.forEach((k, i) => walk(k, root ? "" : prefix + (last ? "   " : "│  "), i === kids.length - 1, false));
    };
    (children.get("") ?? []).forEach((r) => walk(r, "", true, true));
    const typeWidth = Math.max(4, ...rows.map(([t]) => t.length)) + 2;
    const nameWidth = Math.max(4, ...rows.map(([, n]) => n.length)) + 2;
    return [
        `     ${"Type".padEnd(typeWidth)}${"Name".padEnd(nameWidth)}Plan`,
        ...rows.map(([t, n]) => ` +   ${t.padEnd(typeWidth)}${n.padEnd(nameWidth)}${plan}`),
    ].join("\n");
}

export function renderOutputs(stack: StateResource | undefined): string {
    const outputs = stack?.outputs ?? {};
    const keys = Object.keys(outputs).sort();
    if (keys.length === 0) {
        return "";
    }
    const width = Math.max(...keys.map((k) => k.length)) + 2;
    return ["Outputs:", ...keys.map((k) => `    ${(k + ":").padEnd(width)}${show(outputs[k])}`)].join("\n");
}

/** A value as a preview shows it: unknowns as output<string> and secrets as [secret], at any depth. */
export function show(value: unknown): string {
    if (value === UNKNOWN) {
        return "output<string>";
    }
    if (isSecret(value)) {
        return "[secret]";
    }
    if (Array.isArray(value)) {
        return `[${value.map(show).join(", ")}]`;
    }
    if (typeof value === "object" && value !== null) {
        return `{${Object.entries(value)
            .map(([k, v]) => `${k}: ${show(v)}`)
            .join(", ")}}`;
    }
    return JSON.stringify(value);
}

export function renderCounts(resources: readonly StateResource[], verb: string): string {
    const counted = resources.filter(
        (r) => !r.type.startsWith("pulumi:providers:") || !urnName(r.urn).startsWith("default"),
    );
    const perType = new Map<string, number>();
    for (const r of counted) {
        perType.set(displayType(r.type), (perType.get(displayType(r.type)) ?? 0) + 1);
    }
    const width = Math.max(...[...perType.keys()].map((t) => t.length)) + 2;
    return [
        `Resources:`,
        `    + ${counted.length} to ${verb}`,
        "",
        "By type:",
        ...[...perType]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([t, n]) => `    ${t.padEnd(width)}${String(n).padStart(4)}`),
    ].join("\n");
}

export function renderPolicies(reports: readonly PackReport[], resources: readonly StateResource[]): string {
    const names = new Map(resources.map((r) => [r.urn, `${displayType(r.type)} ${urnName(r.urn)}`]));
    const lines = ["Policies:"];
    for (const report of reports) {
        const mandatory = report.diagnostics.filter((d) => d.level === "mandatory");
        const advisory = report.diagnostics.filter((d) => d.level !== "mandatory");
        const mark = mandatory.length > 0 ? "❌" : advisory.length > 0 ? "⚠️ " : "✅";
        lines.push(
            `    ${mark} ${report.name}@v${report.version} (${report.policies.length} rules: ` +
                `${mandatory.length} mandatory, ${advisory.length} advisory violation(s))`,
        );
        for (const [level, diagnostics] of [
            ["mandatory", mandatory],
            ["advisory", advisory],
        ] as const) {
            for (const d of diagnostics) {
                lines.push(`        - [${level}]  ${d.policy}  (${names.get(d.urn) ?? (d.urn || "stack")})`);
                lines.push(`          ${d.message.split("\n").join("\n          ")}`);
            }
        }
    }
    return lines.join("\n");
}

export function hasMandatory(reports: readonly PackReport[]): boolean {
    return reports.some((r) => r.diagnostics.some((d) => d.level === "mandatory"));
}

/** Pending operations of an export: the engine stopped during them, so the cloud may or may not hold the resource.
 *  The CLI asks the operator to resolve them (pulumi refresh, or stack export/import) before the next update. */
export function renderPending(pending: readonly PendingOperation[]): string {
    return [
        `Pending operations (${pending.length}): the stack was interrupted; these resources were not checked. Run 'pulumi refresh' to resolve them.`,
        ...pending.map((p) => `    ${p.type}  ${p.urn}`),
    ].join("\n");
}
