// The offline engine's steps, shared by the two commands, the tests and the benchmark.
import * as fs from "fs";
import * as path from "path";
import { analyze, isLargeStack, PackReport, PackServer, RunContext } from "./analyzer";
import { CaptureJob, CaptureResult } from "./capture";
import { CaptureWorkers } from "./capture-workers";
import type { OfflineWorld } from "./invokes";
import { readPackConfigs } from "./pack-config";
import { Project, StackSettings } from "./project";
import { LoadedDeployment } from "./export";
import { Deployment, StateResource, urnStack } from "./state";
import { redactSecrets } from "./wire";

/** The job that runs the program for a stack under the mock runtime: a preview, or as after an update. */
export function captureJob(
    project: Project,
    stack: string,
    settings: StackSettings,
    preview: boolean,
    main = project.main,
    world?: OfflineWorld,
): CaptureJob {
    return {
        project: project.name,
        stack,
        main,
        config: settings.config,
        secretKeys: settings.secretKeys,
        preview,
        ...(world ? { world } : {}),
    };
}

/** A capture's resources; a failed capture throws with the program's error. */
export function capturedResources(result: CaptureResult): StateResource[] {
    if (!result.ok) {
        throw new Error(result.error);
    }
    return result.resources;
}

/** Runs the program in a process of its own, as `pulumi preview` (or `up`) would run it once. */
export async function capture(
    project: Project,
    stack: string,
    settings: StackSettings,
    preview: boolean,
    main = project.main,
): Promise<CaptureResult> {
    const workers = new CaptureWorkers(project.root, 1);
    try {
        return await workers.run(captureJob(project, stack, settings, preview, main));
    } finally {
        workers.close();
    }
}

/** Every folder of `policies/` that is a policy pack (has PulumiPolicy.yaml). */
export function discoverPacks(root: string): string[] {
    const dir = path.join(root, "policies");
    return fs
        .readdirSync(dir)
        .map((name) => path.join(dir, name))
        .filter((p) => fs.existsSync(path.join(p, "PulumiPolicy.yaml")))
        .sort();
}

/** Starts every pack (they compile in parallel with whatever the caller does meanwhile). A pack that fails to start
 *  fails `runPacks`; until then its rejection is held, so it never ends the process as an unhandled rejection. */
export function startPacks(dirs: readonly string[], ctx: RunContext): Promise<PackServer>[] {
    return dirs.map((dir) => held(PackServer.start(dir, ctx)));
}

function held<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
}

/** `--policy-pack-config` files pair with `--policy-pack` folders by position, as the CLI pairs them; a pack without
 *  one gets its defaults. More configs than packs is an error. */
export function pairConfigs(packs: readonly string[], files: readonly string[], ctx: RunContext): RunContext[] {
    const configs = readPackConfigs(files);
    if (configs.length > packs.length) {
        throw new Error(
            `${configs.length} --policy-pack-config files for ${packs.length} policy packs; each config pairs with the --policy-pack in its position`,
        );
    }
    return packs.map((_, i) => ({ ...ctx, packConfig: configs[i], packConfigFile: files[i] }));
}

export async function runPacks(
    servers: Promise<PackServer>[],
    resources: readonly StateResource[],
    contexts: readonly RunContext[],
): Promise<PackReport[]> {
    const started = await Promise.allSettled(servers);
    try {
        return await analyzeAll(started, resources, contexts, true);
    } finally {
        started.forEach((s) => s.status === "fulfilled" && s.value.close());
    }
}

/** Each pack's report, in the packs' order; the first pack that failed to start fails them all. */
async function analyzeAll(
    started: readonly PromiseSettledResult<PackServer>[],
    resources: readonly StateResource[],
    contexts: readonly RunContext[],
    closeEach: boolean,
): Promise<PackReport[]> {
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) {
        throw failed.reason;
    }
    const ready = started.map((s) => (s as PromiseFulfilledResult<PackServer>).value);
    if (!isLargeStack(resources)) {
        return Promise.all(ready.map((server, i) => analyze(server, resources, contexts[i])));
    }
    // A pack decoding a large stack holds it several times over: one pack at a time, each stopped when done (unless
    // the servers outlive this run).
    const reports: PackReport[] = [];
    for (const [i, server] of ready.entries()) {
        reports.push(await analyze(server, resources, contexts[i]));
        if (closeEach) {
            server.close();
        }
    }
    return reports;
}

/** What a command runs its work on: the packs' servers and the program's captures. A command run by an operator starts
 *  its own (`processEngine`); the tests run the commands in their process on servers and workers they share
 *  (`sharedEngine`), which changes nothing a command prints or returns: a pack is the same process, asked the same way. */
export interface Engine {
    /** A server of each pack for a run in `ctx` (the pack's environment), starting; see `startPacks`. */
    startPacks(dirs: readonly string[], ctx: RunContext): Promise<PackServer>[];
    /** Each pack's report on the resources; a pack that failed to start fails it. */
    runPacks(
        servers: Promise<PackServer>[],
        resources: readonly StateResource[],
        contexts: readonly RunContext[],
    ): Promise<PackReport[]>;
    /** The program run as `job` says; a command's captures run in turn, in one worker. */
    capture(job: CaptureJob): Promise<CaptureResult>;
    /** Stops what this command started, finished or not. */
    close(): void;
}

/** A command's own processes: each pack started for it and stopped after, one capture worker. */
export function processEngine(root: string): Engine {
    let workers: CaptureWorkers | undefined;
    return {
        startPacks,
        runPacks,
        capture: (job) => (workers ??= new CaptureWorkers(root, 1)).run(job),
        close: () => {
            PackServer.stopAll();
            workers?.close();
        },
    };
}

/** Servers and workers that outlive a command: each pack's server started once per environment it runs in (the
 *  stack, its config, preview or update, as `pulumi-analyzer-policy` passes them) and asked again by every later run;
 *  captures through `capture`. `close` stops them all. */
export function sharedEngine(capture: (job: CaptureJob) => Promise<CaptureResult>): Engine {
    const servers = new Map<string, Promise<PackServer>>();
    return {
        startPacks: (dirs, ctx) =>
            dirs.map((dir) => {
                const { project, stack, dryRun, config } = ctx;
                const key = JSON.stringify([path.resolve(dir), project, stack, dryRun, config]);
                if (!servers.has(key)) {
                    servers.set(key, held(PackServer.start(dir, { project, stack, dryRun, config })));
                }
                return servers.get(key)!;
            }),
        runPacks: async (started, resources, contexts) =>
            analyzeAll(await Promise.allSettled(started), resources, contexts, false),
        capture,
        close: () => {
            servers.forEach(
                (s) =>
                    void s.then(
                        (server) => server.close(),
                        () => undefined,
                    ),
            );
            servers.clear();
        },
    };
}

/** The resources as `pulumi stack export` writes them: version 3, secrets as ciphertext. */
export function toDeployment(resources: readonly StateResource[], cliVersion: string): Deployment {
    return {
        version: 3,
        deployment: {
            manifest: { time: new Date(0).toISOString(), magic: "", version: `v${cliVersion}` },
            resources: resources.map((r) => redactSecrets(r) as StateResource),
        },
    };
}

/** The resources as `pulumi stack export` would give them back (secrets as ciphertext), read as an export is. */
export function asLoadedDeployment(resources: readonly StateResource[], project: string): LoadedDeployment {
    const stateResources = (JSON.parse(JSON.stringify(toDeployment(resources, "3.0.0"))) as Deployment).deployment
        .resources;
    return { resources: stateResources, stack: urnStack(stateResources[0].urn), project, pending: [] };
}
