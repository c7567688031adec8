// A stack's resources (an offline preview's, or `pulumi stack export`'s) as the policies' shared helpers read them
// (policies/lib/stack.ts StackResource): outputs, as a stack policy sees them, with property dependencies resolved to
// resources. Values not known yet are dropped, as the policies' `known` drops them (in a list they become undefined: the
// list keeps its length, as "a group is referenced" needs).
import { StackResource } from "../policies/lib/stack";
import { StateResource, UNKNOWN, urnName } from "./state";

function withoutUnknowns(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => (v === UNKNOWN ? undefined : withoutUnknowns(v)));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== UNKNOWN)
                .map(([k, v]) => [k, withoutUnknowns(v)]),
        );
    }
    return value;
}

export function stackView(resources: readonly StateResource[]): StackResource[] {
    const byUrn = new Map<string, { -readonly [K in keyof StackResource]: StackResource[K] }>();
    for (const r of resources) {
        byUrn.set(r.urn, {
            urn: r.urn,
            type: r.type,
            name: urnName(r.urn),
            props: withoutUnknowns(r.outputs ?? r.inputs ?? {}) as Record<string, unknown>,
            propertyDependencies: {},
        });
    }
    for (const r of resources) {
        byUrn.get(r.urn)!.propertyDependencies = Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([key, urns]) => [
                key,
                urns.flatMap((u) => byUrn.get(u) ?? []),
            ]),
        );
    }
    return [...byUrn.values()];
}
