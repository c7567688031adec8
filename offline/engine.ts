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
    return dirs.map((dir) => {
        const server = PackServer.start(dir, ctx);
        server.catch(() => undefined);
        return server;
    });
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
        const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failed) {
            throw failed.reason;
        }
        const ready = started.map((s) => (s as PromiseFulfilledResult<PackServer>).value);
        if (!isLargeStack(resources)) {
            return await Promise.all(ready.map((server, i) => analyze(server, resources, contexts[i])));
        }
        // A pack decoding a large stack holds it several times over: one pack at a time, each stopped when done.
        const reports: PackReport[] = [];
        for (const [i, server] of ready.entries()) {
            reports.push(await analyze(server, resources, contexts[i]));
            server.close();
        }
        return reports;
    } finally {
        started.forEach((s) => s.status === "fulfilled" && s.value.close());
    }
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
