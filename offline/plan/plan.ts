// The offline plan of a change: the program's new registrations against a previous export, step by step as
// `pulumi preview` would decide them (pulumi/pulumi pkg/resource/deploy/step_generator.go; docs/day-two.md).
import { LoadedDeployment } from "../export";
import { isProviderType, providerUrn, StateResource, UNKNOWN, urnName } from "../state";
import { forcesReplacement, replacementPaths } from "./forces-new";
import { changedPaths, keepIgnored, Path, showPath, substitute } from "./values";

export type Op = "create" | "update" | "replace" | "delete" | "same";

export interface PlanStep {
    readonly op: Op;
    readonly urn: string;
    readonly type: string;
    /** The logical name (the URN's last segment), what `magento:allowReplace` names. */
    readonly name: string;
    /** Changed inputs (update, replace). */
    readonly changed: readonly string[];
    /** Changed inputs the provider replaces the resource for. */
    readonly forcing: readonly string[];
    /** Other reasons for a replacement (type, provider, a condemned dependency). */
    readonly causes: readonly string[];
    readonly deleteBeforeReplace: boolean;
    /** A delete that leaves the cloud resource (retainOnDelete in the old state). */
    readonly retained: boolean;
    /** Protected in the previous state (FILE). */
    readonly protectedBefore: boolean;
    /** Protected in the new registration: the engine refuses a replacement only when both are. */
    readonly protectedAfter: boolean;
    readonly oldInputs?: Record<string, unknown>;
    /** The new inputs as the provider would get them (ignored paths kept, known ids substituted). */
    readonly newInputs?: Record<string, unknown>;
}

const MIN_DISTINCT = 10; // shorter strings (zones, ports, flags) are not ids

/** `pulumi stack rename` rewrites the stack segment of every URN in state, and the root stack's name
 *  `<project>-<stack>` (pulumi/pulumi pkg/resource/edit/operations.go, renameURN): compare under the new name. */
function renamer(from: string, to: string): (urn: string) => string {
    const prefix = `urn:pulumi:${from}::`;
    return (urn) => {
        if (!urn.startsWith(prefix)) {
            return urn;
        }
        const [project, type, ...name] = urn.slice(prefix.length).split("::");
        return `urn:pulumi:${to}::${project}::${type}::${type === "pulumi:pulumi:Stack" ? `${project}-${to}` : name.join("::")}`;
    };
}

/** Every string inside a value (nested lists and objects too: RDS's masterUserSecrets holds its secret's ARN). */
function leaves(v: unknown): string[] {
    return typeof v === "string"
        ? [v]
        : Array.isArray(v)
          ? v.flatMap(leaves)
          : typeof v === "object" && v !== null
            ? Object.values(v).flatMap(leaves)
            : [];
}

/** Pairs the strings at the same place in two values. */
function pairLeaves(a: unknown, b: unknown, add: (a: string, b: string) => void): void {
    if (typeof a === "string" && typeof b === "string") {
        add(a, b);
    } else if (Array.isArray(a) && Array.isArray(b)) {
        a.forEach((x, i) => pairLeaves(x, b[i], add));
    } else if (
        typeof a === "object" &&
        a !== null &&
        typeof b === "object" &&
        b !== null &&
        !Array.isArray(a) &&
        !Array.isArray(b)
    ) {
        Object.entries(a).forEach(([k, x]) => pairLeaves(x, (b as Record<string, unknown>)[k], add));
    }
}

/** Strings of a matched resource that differ between the two states (fake against real ids and ARNs). */
function keptPairs(next: StateResource, prev: StateResource): Map<string, string> {
    const pairs = new Map<string, string>();
    const add = (a: string, b: string) => a !== b && a.length >= MIN_DISTINCT && pairs.set(a, b);
    if (next.id && prev.id) {
        add(next.id, prev.id);
    }
    pairLeaves(next.outputs ?? {}, prev.outputs ?? {}, add);
    return pairs;
}

/** A kept resource's computed outputs too short to look for inside strings (a launch template's latestVersion), each
 *  as the program's value against the state's: a dependent input that is exactly one takes the state's, as the
 *  engine resolves an unchanged resource's outputs from its state (an updated one's are recomputed). A value two outputs map differently is left. */
function keptValues(next: StateResource, prev: StateResource): Map<string, string> {
    const values = new Map<string, string>();
    const ambiguous = new Set<string>();
    for (const [k, v] of Object.entries(next.outputs ?? {})) {
        const was = prev.outputs?.[k];
        const short = (x: unknown) => typeof x === "number" || (typeof x === "string" && x.length < MIN_DISTINCT);
        if (k in (next.inputs ?? {}) || !short(v) || !short(was) || String(v) === String(was)) {
            continue;
        }
        if (values.has(String(v)) && values.get(String(v)) !== String(was)) {
            ambiguous.add(String(v));
        }
        values.set(String(v), String(was));
    }
    ambiguous.forEach((v) => values.delete(v));
    return values;
}

/** `value` with each leaf that is exactly one of `values` set to the state's (a number stays a number). */
function replaceWhole(value: unknown, values: ReadonlyMap<string, string>): unknown {
    if (values.size === 0) {
        return value;
    }
    if ((typeof value === "string" || typeof value === "number") && values.has(String(value))) {
        const was = values.get(String(value))!;
        return typeof value === "number" ? Number(was) : was;
    }
    if (Array.isArray(value)) {
        return value.map((v) => replaceWhole(v, values));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceWhole(v, values)]));
    }
    return value;
}

/** What a created or replaced resource computes (id, outputs not among its inputs): unknown until it exists. */
function unknownPairs(next: StateResource): Map<string, string> {
    const computed = [
        next.id ?? "",
        ...Object.entries(next.outputs ?? {})
            .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(next.inputs?.[k]))
            .flatMap(([, v]) => leaves(v)),
    ];
    return new Map(computed.filter((s) => s.length >= MIN_DISTINCT).map((s) => [s, UNKNOWN]));
}

/** True when a change anywhere under top-level input `key` may replace a resource of `type`. */
function keyMayForce(type: string, key: string): boolean {
    return forcesReplacement(type, [key]) || (replacementPaths(type) ?? []).some((p) => p.startsWith(`${key}.`));
}

/** Conditional replacements of the table the plan can decide from the new inputs. */
const DECIDED: Readonly<Record<string, (path: Path, inputs: Readonly<Record<string, unknown>>) => boolean>> = {
    // @pulumi/aws ec2.Instance: userDataReplaceOnChange "when used in combination with userData or userDataBase64
    // will trigger a destroy and recreate of the EC2 instance when set to true" (the provider's CustomizeDiff).
    "aws:ec2/instance:Instance": (p, inputs) =>
        (p[0] === "userData" || p[0] === "userDataBase64") && inputs.userDataReplaceOnChange === true,
};

const isDefaultProvider = (ref: string) => urnName(providerUrn(ref)).startsWith("default");

/** The plan of `resources` (the program's registrations, in order, as an update captures them) against `prev`. */
export function planChange(prev: LoadedDeployment, resources: readonly StateResource[], stack: string): PlanStep[] {
    const rename = renamer(prev.stack, stack);
    const olds = new Map(prev.resources.map((r) => [rename(r.urn), r]));
    const claimed = new Set<string>();
    const pairsOf = new Map<string, Map<string, string>>();
    const valuesOf = new Map<string, Map<string, string>>(); // kept resources' short computed outputs (keptValues)
    const replaced = new Map<string, StateResource>(); // new URN -> registration, for the cascade
    const condemned = new Set<string>(); // deleted before a replacement (delete-before-replace) and their dependents
    const children = new Map<string, string[]>();
    resources.forEach((r) => r.parent && children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]));
    // A component stands for its descendants in dependencies.
    const expand = (urn: string): string[] => [urn, ...(children.get(urn) ?? []).flatMap(expand)];

    const steps: PlanStep[] = resources.map((next) => {
        const aliasMatch = (next.aliases ?? []).find((a) => olds.has(a) && !claimed.has(a));
        const key = olds.has(next.urn) && !claimed.has(next.urn) ? next.urn : aliasMatch;
        const prevState = key ? olds.get(key) : undefined;
        const base = {
            urn: next.urn,
            type: next.type,
            name: urnName(next.urn),
            deleteBeforeReplace: next.deleteBeforeReplace === true,
            retained: false,
            protectedAfter: next.protect === true,
        };
        if (!prevState) {
            pairsOf.set(next.urn, unknownPairs(next));
            return {
                ...base,
                op: "create",
                changed: [],
                forcing: [],
                causes: [],
                protectedBefore: false,
                newInputs: next.inputs,
            };
        }
        claimed.add(key!);
        const causes: string[] = [];
        if (prevState.type !== next.type) {
            causes.push(`type changed from ${prevState.type}`);
        }
        if (
            prevState.provider &&
            next.provider &&
            rename(providerUrn(prevState.provider)) !== providerUrn(next.provider) &&
            !(isDefaultProvider(prevState.provider) && isDefaultProvider(next.provider))
        ) {
            causes.push(`provider changed from ${urnName(providerUrn(prevState.provider))}`);
        }
        if (next.provider && replaced.has(providerUrn(next.provider))) {
            causes.push(`its provider ${urnName(providerUrn(next.provider))} is replaced`);
        }
        // Inputs as the provider would get them: each property's references to other resources resolved as in FILE
        // (kept) or unknown (created or replaced), then the ignored paths set back.
        const resolved: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(next.inputs ?? {})) {
            const deps = (next.propertyDependencies?.[k] ?? []).flatMap(expand);
            const pairs = new Map(deps.flatMap((d) => [...(pairsOf.get(d) ?? [])]));
            const values = new Map(deps.flatMap((d) => [...(valuesOf.get(d) ?? [])]));
            resolved[k] = replaceWhole(substitute(v, pairs), values);
            const doomed = deps.find((d) => condemned.has(d));
            if (doomed && next.custom && keyMayForce(next.type, k)) {
                causes.push(
                    `${k} depends on ${urnName(doomed)}, deleted before its replacement (delete-before-replace)`,
                );
            }
        }
        const inputs = keepIgnored(prevState.inputs ?? {}, resolved, next.ignoreChanges ?? []);
        const changed = next.custom ? changedPaths(prevState.inputs ?? {}, inputs) : [];
        const forces = (p: Path) =>
            forcesReplacement(next.type, p) ||
            (isProviderType(next.type) && p[0] === "region") ||
            DECIDED[next.type]?.(p, inputs) === true ||
            next.replaceOnChanges?.some((r) => r === "*" || showPath(p).startsWith(r)) === true;
        const forcing = changed.filter(forces).map(showPath);
        const op: Op = forcing.length > 0 || causes.length > 0 ? "replace" : changed.length > 0 ? "update" : "same";
        if (op === "replace") {
            replaced.set(next.urn, next);
            pairsOf.set(next.urn, unknownPairs(next));
            if (next.deleteBeforeReplace || causes.some((c) => c.includes("delete-before-replace"))) {
                condemned.add(next.urn);
            }
        } else {
            pairsOf.set(next.urn, keptPairs(next, prevState));
            if (op === "same") {
                valuesOf.set(next.urn, keptValues(next, prevState)); // an update recomputes them
            }
        }
        return {
            ...base,
            op,
            changed: changed.map(showPath),
            forcing,
            causes,
            protectedBefore: prevState.protect === true,
            oldInputs: prevState.inputs,
            newInputs: inputs,
        };
    });

    // What FILE has and the program no longer declares: deleted, dependents first (the reverse of state order).
    const deletes: PlanStep[] = [...olds]
        .filter(([urn]) => !claimed.has(urn))
        .reverse()
        .map(([urn, r]) => ({
            op: "delete",
            urn,
            type: r.type,
            name: urnName(urn),
            changed: [],
            forcing: [],
            causes: [],
            deleteBeforeReplace: false,
            retained: r.retainOnDelete === true,
            protectedBefore: r.protect === true,
            protectedAfter: false,
            oldInputs: r.inputs,
        }));
    return [...steps, ...deletes];
}
