// Our policy packs, served once per test run by @pulumi/policy in their own processes, and asked over the
// analyzer protocol exactly as the offline preview (and the CLI) asks them.
import * as path from "path";
import { analyze, Diagnostic, PackServer, RunContext } from "../../offline/analyzer";
import { StateResource, UNKNOWN, urnStack } from "../../offline/state";
import { PACKS } from "../../offline/docs/rules";
import { ROOT } from "./stacks";

const servers = new Map<string, Promise<PackServer>>();
/** The run the packs start with and are asked in, unless a test says otherwise. */
const TEST_RUN: RunContext = { project: "magento", stack: "test", dryRun: true, config: {} };

export function pack(name: string): Promise<PackServer> {
    if (!servers.has(name)) {
        const dir = name.includes("/") ? path.resolve(ROOT, name) : path.join(ROOT, "policies", name);
        servers.set(name, PackServer.start(dir, TEST_RUN));
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
export async function check(
    packName: string,
    resources: readonly StateResource[],
    opts: Partial<RunContext> = {},
    only?: ReadonlySet<string>,
): Promise<Diagnostic[]> {
    const stack = resources[0] ? urnStack(resources[0].urn) : "test";
    const report = await analyze(await pack(packName), resources, { ...TEST_RUN, stack, ...opts }, only);
    return report.diagnostics;
}

let served: Promise<Map<string, string>> | undefined;

/** The pack that serves `rule`, from the packs' own listing of their rules (GetAnalyzerInfo, as the CLI reads it). */
async function packOf(rule: string): Promise<string> {
    served ??= Promise.all(
        PACKS.map(async (name) => {
            const report = await analyze(await pack(name), [], TEST_RUN);
            return report.policies.map((p): [string, string] => [p.name, name]);
        }),
    ).then((entries) => new Map(entries.flat()));
    const found = (await served).get(rule);
    if (!found) {
        throw new Error(`no pack serves a rule named ${rule}; they serve ${[...(await served).keys()].join(", ")}`);
    }
    return found;
}

export interface RuleRun {
    /** The rule's configuration, as `--policy-pack-config` gives it under the rule's name. */
    readonly config?: Record<string, unknown>;
    /** False for an update (`pulumi up`), where every value is known; a preview by default. */
    readonly dryRun?: boolean;
}

/** What `rule` reports on these resources, from its own pack; the stack comes from their URNs. */
export async function diagnostics(
    rule: string,
    resources: readonly StateResource[],
    run: RuleRun = {},
): Promise<Diagnostic[]> {
    const packConfig = run.config ? { [rule]: run.config } : undefined;
    const found = await check(await packOf(rule), resources, { packConfig, dryRun: run.dryRun ?? true });
    return found.filter((d) => d.policy === rule);
}

/** The violations `rule` reports on these resources, each as `level: message` without the rule's description. */
export async function violations(
    rule: string,
    resources: readonly StateResource[],
    run: RuleRun = {},
): Promise<string[]> {
    return (await diagnostics(rule, resources, run)).map(
        (d) => `${d.level}: ${d.message.replace(`${d.description}\n`, "")}`,
    );
}

/** Builds the state of a synthetic stack, one resource at a time, with property dependencies between them. */
export class StackBuilder {
    readonly resources: StateResource[] = [];

    constructor(readonly stack: string) {}

    add(
        type: string,
        name: string,
        props: Record<string, unknown> = {},
        deps: Record<string, StateResource[]> = {},
    ): StateResource {
        const propertyDependencies = Object.fromEntries(
            Object.entries(deps).map(([k, rs]) => [k, rs.map((r) => r.urn)]),
        );
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
