// Our policy packs, served once per test run by @pulumi/policy in their own processes, and asked over the
// analyzer protocol exactly as the offline preview (and the CLI) asks them.
import * as path from "path";
import { analyze, Diagnostic, PackServer, RunContext } from "../../offline/analyzer";
import { StateResource, UNKNOWN, urnStack } from "../../offline/state";
import { PACKS } from "../../offline/docs/rules";
import { ROOT } from "./stacks";

const servers = new Map<string, Promise<PackServer>>();

export function pack(name: string): Promise<PackServer> {
    if (!servers.has(name)) {
        const dir = name.includes("/") ? path.resolve(ROOT, name) : path.join(ROOT, "policies", name);
        servers.set(name, PackServer.start(dir, { project: "magento", stack: "test", dryRun: true, config: {} }));
    }
    return servers.get(name)!;
}

// Every spec that imports this checks our packs: they start (and type-check) when the first one loads.
PACKS.forEach((name) => void pack(name)); // kept in `servers`: a spec awaits it, closePacks settles it

export async function closePacks(): Promise<void> {
    for (const server of await Promise.allSettled(servers.values())) {
        if (server.status === "fulfilled") {
            server.value.close();
        }
    }
    servers.clear();
}

/** Diagnostics the pack reports on these resources (Analyze only for `only`, if given); the stack comes from their URNs. */
export async function check(packName: string, resources: readonly StateResource[], opts: Partial<RunContext> = {}, only?: ReadonlySet<string>): Promise<Diagnostic[]> {
    const stack = resources[0] ? urnStack(resources[0].urn) : "test";
    const report = await analyze(await pack(packName), resources, { project: "magento", stack, dryRun: true, config: {}, ...opts }, only);
    return report.diagnostics;
}

/** Builds the state of a synthetic stack, one resource at a time, with property dependencies between them. */
export class StackBuilder {
    readonly resources: StateResource[] = [];

    constructor(readonly stack: string) {}

    add(type: string, name: string, props: Record<string, unknown> = {}, deps: Record<string, StateResource[]> = {}): StateResource {
        const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, rs]) => [k, rs.map((r) => r.urn)]));
        const resource: StateResource = {
            urn: `urn:pulumi:${this.stack}::magento::${type}::${name}`,
            custom: true,
            type,
            inputs: props,
            outputs: props,
            protect: false,
            dependencies: Object.values(propertyDependencies).flat(),
            propertyDependencies,
        };
        this.resources.push(resource);
        return resource;
    }
}

export { UNKNOWN };
