// URNs as the engine writes them, and the alias URNs it derives, for a capture under the mock runtime.
// The mock monitor qualifies a child's type with its parent's last type only (@pulumi/pulumi runtime/mocks.js
// newUrn) and the stack's; the engine qualifies it with the parent's whole chain and not the stack
// (pulumi/pulumi sdk/go/common/resource/alias.go CreateURN: the parent's URN up to its name, then "$"), so a
// grandchild reads `A$B$aws:...` in a real export. Aliases reach the mock monitor as specs; the engine turns each
// into a URN and adds those a parent's aliases imply (pkg/resource/deploy/step_generator.go generateAliases,
// collapseAliasToUrn, inheritedChildAlias). Both are reproduced here so an export of ours matches a real one by URN.
import { StateResource, urnName } from "./state";

/** An alias as the SDK sends it: a URN, or a spec whose empty fields mean "as the resource". */
export interface AliasSpec {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly stack?: string;
    readonly project?: string;
    /** The parent's URN as the program knew it (the mock's form); "" with noParent false: the resource's parent. */
    readonly parentUrn?: string;
    readonly noParent?: boolean;
}

const ROOT_STACK = "pulumi:pulumi:Stack";

/** The type segment of a URN: the qualified type chain. */
function qualifiedType(urn: string): string {
    return urn.split("::")[2];
}

/** CreateURN: the parent's URN up to its name then "$", or the stack's prefix; the root stack is no parent. */
function createUrn(name: string, type: string, parent: string | undefined, project: string, stack: string): string {
    const prefix =
        parent && qualifiedType(parent) !== ROOT_STACK
            ? `${parent.slice(0, parent.lastIndexOf("::"))}$`
            : `urn:pulumi:${stack}::${project}::`;
    return `${prefix}${type}::${name}`;
}

/**
 * Rewrites the resources' URNs (and every reference to them) into the engine's form and sets their aliases from
 * the specs recorded by mock URN. Resources are in registration order: a parent before its children.
 */
export function toEngineUrns(
    resources: StateResource[],
    specs: ReadonlyMap<string, readonly AliasSpec[]>,
    project: string,
    stack: string,
): StateResource[] {
    const engine = new Map<string, string>();
    const aliasesOf = new Map<string, string[]>();
    const mapped = (urn: string) => engine.get(urn) ?? urn;
    for (const r of resources) {
        const name = urnName(r.urn);
        const parent = r.parent === undefined ? undefined : mapped(r.parent);
        const urn = createUrn(name, r.type, parent, project, stack);
        engine.set(r.urn, urn);
        const found = new Set<string>();
        const own = (specs.get(r.urn) ?? []).map((a) =>
            a.urn
                ? mapped(a.urn)
                : createUrn(
                      a.name || name,
                      a.type || r.type,
                      a.noParent
                          ? undefined
                          : a.parentUrn
                            ? (aliasesOf.get(mapped(a.parentUrn))?.[0] ?? mapped(a.parentUrn))
                            : parent,
                      a.project || project,
                      a.stack || stack,
                  ),
        );
        own.forEach((u) => found.add(u));
        // A parent's aliases move its children too, the parent's name swapped in a child's name that starts with it.
        const parentName = parent === undefined ? "" : urnName(parent);
        for (const parentAlias of parent === undefined ? [] : (aliasesOf.get(parent) ?? [])) {
            for (const child of [urn, ...own]) {
                const childName = urnName(child);
                const aliasName = childName.startsWith(parentName)
                    ? urnName(parentAlias) + childName.slice(parentName.length)
                    : childName;
                found.add(createUrn(aliasName, qualifiedType(child).split("$").pop()!, parentAlias, project, stack));
            }
        }
        aliasesOf.set(urn, [...found]);
    }
    const reference = (ref: string) => {
        const at = ref.lastIndexOf("::");
        return engine.has(ref.slice(0, at)) ? `${mapped(ref.slice(0, at))}${ref.slice(at)}` : ref;
    };
    // Values holding a URN (a component's reference in outputs) follow too.
    const inValues = (v: unknown): unknown =>
        typeof v === "string"
            ? mapped(v)
            : Array.isArray(v)
              ? v.map(inValues)
              : typeof v === "object" && v !== null
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inValues(x)]))
                : v;
    return resources.map((r) => ({
        ...r,
        urn: mapped(r.urn),
        ...(r.inputs === undefined ? {} : { inputs: inValues(r.inputs) as Record<string, unknown> }),
        ...(r.outputs === undefined ? {} : { outputs: inValues(r.outputs) as Record<string, unknown> }),
        ...(r.parent === undefined ? {} : { parent: mapped(r.parent) }),
        ...(r.provider === undefined ? {} : { provider: reference(r.provider) }),
        dependencies: (r.dependencies ?? []).map(mapped),
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(mapped)]),
        ),
        aliases: [...new Set([...(r.aliases ?? []).map(mapped), ...(aliasesOf.get(mapped(r.urn)) ?? [])])],
    }));
}

/** An export in the engine's URN form, and how many URNs had to be rewritten: exports written offline before the
 *  capture wrote engine URNs name grandchildren by their parent's last type only. A real export is unchanged. */
export function inEngineForm(
    resources: StateResource[],
    project: string,
    stack: string,
): { resources: StateResource[]; rewritten: number } {
    const engine = toEngineUrns(resources, new Map(), project, stack);
    return { resources: engine, rewritten: engine.filter((r, i) => r.urn !== resources[i].urn).length };
}
