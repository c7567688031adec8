// The real program of each stack, captured once per test run and shared by every spec that reads it.
import * as os from "os";
import * as path from "path";
import { CaptureJob, CaptureResult } from "../../offline/capture";
import { CaptureWorkers, QueuedCapture } from "../../offline/capture-workers";
import { capturedResources, captureJob } from "../../offline/engine";
import type { OfflineWorld } from "../../offline/invokes";
import { loadProject, loadStackSettings, StackSettings, stackFileWith } from "../../offline/project";
import { StateResource } from "../../offline/state";

export const ROOT = path.resolve(__dirname, "../..");
export const project = loadProject(ROOT);

// One capture per core at a time, in workers reused across captures; stopped by the root hooks.
const workers = new CaptureWorkers(ROOT, os.availableParallelism());
// Each distinct job (program, stack, its configuration, preview or update) runs once per test run, however its
// changes were written; kept in memory only, so a run always captures the code it tests.
const captures = new Map<string, QueuedCapture>();
// While the specs load, captures queue in the order asked (the order the specs run); once they run, a capture a test
// asks for goes before those queued ahead of need.
let running = false;

export function specsRunning(): void {
    running = true;
}

function queued(job: CaptureJob): QueuedCapture {
    const key = JSON.stringify({
        ...job,
        config: Object.fromEntries(Object.entries(job.config).sort(([a], [b]) => a.localeCompare(b))),
    });
    if (!captures.has(key)) {
        captures.set(key, workers.runAhead(job));
    }
    return captures.get(key)!;
}

/** Runs a program (the real one unless `main` names a fixture) for a stack under the shared capture workers. */
export function captureProgram(
    stack: string,
    settings: StackSettings,
    preview: boolean,
    main?: string,
): Promise<CaptureResult> {
    return captureOnce(captureJob(project, stack, settings, preview, main));
}

/** A capture job run once per test run, in the shared workers (the commands the tests run in this process use it). */
export function captureOnce(job: CaptureJob): Promise<CaptureResult> {
    const capture = queued(job);
    if (running) {
        capture.hurry();
    }
    return capture.result;
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
    /** A fresh stack: no release image nor release record yet (its first `up`, offline/invokes.ts). */
    readonly freshStack?: boolean;
    /** What else the account holds (the release record, the candidate image: offline/invokes.ts). */
    readonly world?: OfflineWorld;
}

// The resources of each capture by the options that asked for it (its stack file is written once).
const reads = new Map<string, { readonly capture: QueuedCapture; readonly resources: Promise<StateResource[]> }>();

function stackCapture(stack: string, opts: StackOptions) {
    const key = JSON.stringify([
        stack,
        opts.preview ?? true,
        opts.changes ?? {},
        opts.as ?? "",
        opts.freshStack ?? false,
        opts.world ?? {},
    ]);
    if (!reads.has(key)) {
        const settings = loadStackSettings(project, stack, opts.changes && stackFile(stack, opts.changes));
        const world =
            opts.freshStack || opts.world
                ? { ...opts.world, ...(opts.freshStack ? { freshStack: true } : {}) }
                : undefined;
        const capture = queued(captureJob(project, opts.as ?? stack, settings, opts.preview ?? true, undefined, world));
        const read = capture.result.then(capturedResources);
        read.catch(() => undefined); // a capture started ahead fails the tests that read it, not the run
        reads.set(key, { capture, resources: read });
    }
    return reads.get(key)!;
}

/** The stack's resources as an offline preview (or, with preview false, an update) registers them, with `changes` to its file. */
export function stackResources(stack: string, opts: StackOptions = {}): Promise<StateResource[]> {
    const { capture, resources } = stackCapture(stack, opts);
    if (running) {
        capture.hurry();
    }
    return resources;
}

/** Queues the captures a spec reads when the spec is loaded: they run in the workers while earlier specs run. */
export function prefetch(...wanted: [stack: string, opts?: StackOptions][]): void {
    wanted.forEach(([stack, opts]) => stackCapture(stack, opts ?? {}));
}

export function ofType(resources: readonly StateResource[], type: string): StateResource[] {
    return resources.filter((r) => r.type === type);
}

/** The resources of `type` but the side applications' (components/sideapps), which sit beside the web tiers: their
 *  groups, templates and target groups. */
export function webOfType(resources: readonly StateResource[], type: string): StateResource[] {
    return ofType(resources, type).filter((r) => !r.urn.includes("magento:sideapps:SideApp$"));
}

/** The resources `r`'s property was computed from, e.g. the subnet behind a NAT gateway's subnetId. */
export function via(resources: readonly StateResource[], r: StateResource, property: string): StateResource[] {
    const urns = r.propertyDependencies?.[property] ?? [];
    return resources.filter((x) => urns.includes(x.urn));
}

/** The types of the resources whose inputs differ between two captures of a stack (what an update would touch). */
export function changedTypes(before: readonly StateResource[], after: readonly StateResource[]): string[] {
    const byUrn = new Map(after.map((x) => [x.urn, x]));
    const changed = before
        .filter((x) => JSON.stringify(x.inputs) !== JSON.stringify(byUrn.get(x.urn)?.inputs))
        .map((x) => x.type);
    return [...new Set(changed)].sort();
}
