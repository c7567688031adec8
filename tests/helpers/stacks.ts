// The real program of each stack, captured once per test run and shared by every spec that reads it.
import * as os from "os";
import * as path from "path";
import { CaptureResult } from "../../offline/capture";
import { CaptureWorkers } from "../../offline/capture-workers";
import { capturedResources, captureJob } from "../../offline/engine";
import { loadProject, loadStackSettings, StackSettings, stackFileWith } from "../../offline/project";
import { StateResource } from "../../offline/state";

export const ROOT = path.resolve(__dirname, "../..");
export const project = loadProject(ROOT);

const cache = new Map<string, Promise<StateResource[]>>();
// One capture per core at a time, in workers reused across captures; stopped by the root hooks.
const workers = new CaptureWorkers(ROOT, os.availableParallelism());

/** Runs a program (the real one unless `main` names a fixture) for a stack under the shared capture workers. */
export function captureProgram(stack: string, settings: StackSettings, preview: boolean, main?: string): Promise<CaptureResult> {
    return workers.run(captureJob(project, stack, settings, preview, main));
}

export function closeWorkers(): void {
    workers.close();
}

/** Pulumi.<stack>.yaml with some keys replaced, written to a temporary file (the path, for --config-file). */
export function stackFile(stack: string, changes: Readonly<Record<string, unknown>>): string {
    return stackFileWith(ROOT, stack, changes);
}

export interface StackOptions {
    readonly preview?: boolean;
    readonly changes?: Readonly<Record<string, unknown>>;
    /** Run the stack's file as another stack (what `pulumi stack rename` makes of it). */
    readonly as?: string;
}

/** The stack's resources as an offline preview (or, with preview false, an update) registers them, with `changes` to its file. */
export function stackResources(stack: string, opts: StackOptions = {}): Promise<StateResource[]> {
    const preview = opts.preview ?? true;
    const key = `${stack}|${preview}|${JSON.stringify(opts.changes ?? {})}|${opts.as ?? ""}`;
    if (!cache.has(key)) {
        const settings = loadStackSettings(project, stack, opts.changes && stackFile(stack, opts.changes));
        const resources = captureProgram(opts.as ?? stack, settings, preview).then(capturedResources);
        resources.catch(() => undefined); // a capture started ahead fails the tests that read it, not the run
        cache.set(key, resources);
    }
    return cache.get(key)!;
}

/** Starts the captures a spec reads when the spec is loaded: they run in the workers while earlier specs run. */
export function prefetch(...reads: [stack: string, opts?: StackOptions][]): void {
    reads.forEach(([stack, opts]) => void stackResources(stack, opts));
}

export function ofType(resources: readonly StateResource[], type: string): StateResource[] {
    return resources.filter((r) => r.type === type);
}

/** The resources `r`'s property was computed from, e.g. the subnet behind a NAT gateway's subnetId. */
export function via(resources: readonly StateResource[], r: StateResource, property: string): StateResource[] {
    const urns = r.propertyDependencies?.[property] ?? [];
    return resources.filter((x) => urns.includes(x.urn));
}

/** The types of the resources whose inputs differ between two captures of a stack (what an update would touch). */
export function changedTypes(before: readonly StateResource[], after: readonly StateResource[]): string[] {
    const byUrn = new Map(after.map((x) => [x.urn, x]));
    const changed = before.filter((x) => JSON.stringify(x.inputs) !== JSON.stringify(byUrn.get(x.urn)?.inputs)).map((x) => x.type);
    return [...new Set(changed)].sort();
}
