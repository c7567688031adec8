// Serves policy packs with @pulumi/policy itself and asks them over Pulumi's analyzer gRPC protocol, filling the
// requests as the CLI does, so unknowns, secrets and enforcement levels behave as in `pulumi preview --policy-pack`.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import * as rpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Level, LEVELS, PackConfig, packConfigProblems } from "./pack-config";
import { builtPack } from "./pack-build";
import { isProviderType, providerUrn, StateResource, urnName } from "./state";
import { toWire } from "./wire";

export { Level } from "./pack-config";

export interface Diagnostic {
    readonly pack: string;
    readonly packVersion: string;
    readonly policy: string;
    readonly description: string;
    readonly message: string;
    readonly level: Level;
    readonly urn: string;
}

/** What the pack says of a policy in GetAnalyzerInfo: its level, and the SDK's metadata the CLI shows. */
export interface PolicySummary {
    readonly name: string;
    readonly level: Level;
    readonly severity: string;
    readonly framework?: string;
    readonly tags: string[];
    readonly remediation: string;
    readonly url: string;
}

/** PolicySeverity's values, by number (pulumirpc's enum). */
const SEVERITIES = ["unspecified", "low", "medium", "high", "critical"];

export interface PackReport {
    readonly name: string;
    readonly version: string;
    readonly policies: PolicySummary[];
    readonly diagnostics: Diagnostic[];
}

export interface RunContext {
    readonly project: string;
    readonly stack: string;
    /** True during a preview: the pack is told so, and unknown values are expected. */
    readonly dryRun: boolean;
    /** The stack's configuration, handed to the pack process as the CLI does (PULUMI_CONFIG). */
    readonly config: Record<string, string>;
    /** Policy pack config as `--policy-pack-config` takes it: `all` or a policy name -> level or {enforcementLevel, ...}. */
    readonly packConfig?: PackConfig;
    /** The file `packConfig` came from, for messages. */
    readonly packConfigFile?: string;
}

const MAX_MESSAGE = 400 * 1024 * 1024;

/** One policy pack served in its own process, exactly as `pulumi-analyzer-policy` starts it. */
export class PackServer {
    private static readonly children = new Set<ChildProcess>();

    /** Stops every pack process this process started, ready or still starting (a failed run need not wait for them). */
    static stopAll(): void {
        PackServer.children.forEach((c) => c.kill());
        PackServer.children.clear();
    }

    /** Settles with the pack's last words once its process has ended (`close` included): a call in flight or made
     *  after fails with them instead of waiting on a server that is gone. */
    readonly ended: Promise<string>;

    private constructor(
        readonly dir: string,
        private readonly child: ChildProcess,
        readonly client: rpc.AnalyzerClient,
        stderr: () => string,
    ) {
        this.ended = new Promise((resolve) =>
            child.once("exit", (code, signal) =>
                resolve(
                    `its process ended (${signal ?? `exit ${code}`})${stderr() ? `:\n${withoutTrace(stderr())}` : ""}`,
                ),
            ),
        );
    }

    /**
     * Starts the pack in `dir` as the runner does. A TypeScript pack is served from its current build (offline/pack-build.ts:
     * compiled and type-checked once per content of its sources) unless `fromSources`, which runs its TypeScript through
     * the runner's own ts-node, type-checked at start exactly as `pulumi preview --policy-pack` does.
     */
    static async start(
        dir: string,
        ctx: Pick<RunContext, "project" | "stack" | "dryRun" | "config">,
        opts: { readonly fromSources?: boolean } = {},
    ): Promise<PackServer> {
        const absolute = path.resolve(dir);
        if (!fs.existsSync(path.join(absolute, "PulumiPolicy.yaml"))) {
            throw new Error(`${dir} is not a policy pack: it has no PulumiPolicy.yaml`);
        }
        let runner: string;
        try {
            runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [absolute] });
        } catch {
            throw new Error(
                `policy pack ${dir}: its dependencies are not installed (no @pulumi/pulumi); run npm install in ${dir}`,
            );
        }
        let served = absolute;
        if (!opts.fromSources) {
            try {
                served = await builtPack(absolute, runner);
            } catch (e) {
                throw new Error(`policy pack ${dir} failed to start: ${(e as Error).message}`, { cause: e });
            }
        }
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
            cwd: served,
            stdio: ["ignore", "pipe", "pipe"],
            env: {
                ...process.env,
                PULUMI_CONFIG: JSON.stringify(ctx.config),
                PULUMI_NODEJS_PROJECT: ctx.project,
                PULUMI_NODEJS_STACK: ctx.stack,
                PULUMI_NODEJS_DRY_RUN: String(ctx.dryRun),
            },
        });
        PackServer.children.add(child);
        child.on("exit", () => PackServer.children.delete(child));
        return new Promise((resolve, reject) => {
            let stdout = "";
            let stderr = "";
            // The last lines only: a pack that logs as it runs must not grow this for the whole run.
            child.stderr.on("data", (d) => (stderr = `${stderr}${d}`.slice(-4_000)));
            child.stdout.on("data", (d) => {
                stdout += d;
                const port = /^(\d+)\s*$/m.exec(stdout)?.[1];
                if (port) {
                    child.stdout.removeAllListeners("data");
                    child.stdout.resume();
                    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
                        "grpc.max_receive_message_length": MAX_MESSAGE,
                        "grpc.max_send_message_length": MAX_MESSAGE,
                    });
                    resolve(new PackServer(absolute, child, client, () => stderr));
                }
            });
            child.on("exit", (code) =>
                reject(
                    new Error(`policy pack ${dir} failed to start (exit ${code}):\n${withoutTrace(stderr || stdout)}`),
                ),
            );
        });
    }

    close(): void {
        this.client.close();
        this.child.kill();
    }

    /** Every run asked of this server so far, settled once they all are. */
    private settled: Promise<void> = Promise.resolve();
    /** The runs that may go on together: those of one configuration, asked one after another. */
    private batch?: { readonly config: string; readonly start: Promise<void> };

    /** Runs `f` in `config` (the pack's configuration for a run: ConfigureStack, ConfigureAnalyzer). Runs of one
     *  configuration go on together; one of another waits until every run before it has ended, since each run configures
     *  the pack for itself and two configurations at once would analyse each run under the other's. */
    inConfig<T>(config: string, f: () => Promise<T>): Promise<T> {
        if (this.batch?.config !== config) {
            this.batch = { config, start: this.settled };
        }
        const result = this.batch.start.then(f);
        const ended = result.then(
            () => undefined,
            () => undefined,
        );
        this.settled = Promise.all([this.settled, ended]).then(() => undefined);
        return result;
    }
}

// eslint-disable-next-line no-control-regex -- ESC starts the colour codes a pack's runner prints
const COLOUR_CODES = /\x1b\[[0-9;]*m/g;

/** An error's text without its stack frames (a pack's error comes with the pack's stack; the operator needs the cause). */
export function withoutTrace(text: string): string {
    return text
        .replace(COLOUR_CODES, "")
        .split("\n")
        .filter((l) => !/^\s+at /.test(l) && !/^\s*(node:internal|\^+$)/.test(l))
        .join("\n")
        .trim();
}

/** One RPC to a pack; a failure names the pack, the call and the resource analysed. */
function call<Req, Res>(server: PackServer, method: string, req: Req, urn?: string): Promise<Res> {
    return new Promise((resolve, reject) => {
        const fn = (
            server.client as unknown as Record<
                string,
                (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void
            >
        )[method];
        fn.call(server.client, req, (err, res) => {
            if (!err) {
                return resolve(res);
            }
            const failed = `policy pack ${server.dir} failed in ${method}${urn ? ` of ${urn}` : ""}`;
            if (err.code !== grpc.status.UNAVAILABLE) {
                return reject(new Error(`${failed}: ${withoutTrace(err.message.replace(/^\d+ [A-Z_]+: /, ""))}`));
            }
            // The connection dropped: its process may be ending, and its last words say why better than gRPC does.
            const words = Promise.race([server.ended, new Promise<string>((r) => setTimeout(() => r(""), 2_000))]);
            void words.then((w) => reject(new Error(`${failed}: ${w || withoutTrace(err.message)}`)));
        });
    });
}

/** Analyze calls in flight per pack. */
const IN_FLIGHT = 64;

/** True for an export past our stacks' size (5,000 resources), where memory rather than time is what to save: its
 *  per-resource requests are built per call, and its packs run one after the other (engine.ts). */
export function isLargeStack(resources: readonly StateResource[]): boolean {
    return resources.length > 5_000;
}

/** `f` over every item with at most `limit` running at once; results in the items' order. */
async function inPool<T, U>(items: readonly T[], limit: number, f: (item: T) => Promise<U>): Promise<U[]> {
    const results = new Array<U>(items.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < items.length; i = next++) {
            results[i] = await f(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** Protobuf's base-128 varint. */
function varint(n: number): Uint8Array {
    const out: number[] = [];
    for (; n > 0x7f; n >>>= 7) {
        out.push((n & 0x7f) | 0x80);
    }
    out.push(n);
    return Uint8Array.from(out);
}

/** A stack's requests, each built once and sent to every pack that analyses the stack. */
class StackRequests {
    private readonly byUrn: Map<string, StateResource>;
    private readonly perResource = new Map<string, pb.AnalyzeRequest>();
    private stackRequest?: pb.AnalyzeStackRequest;

    constructor(private readonly resources: readonly StateResource[]) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    /** The resources Analyze is asked about: all but the default providers the engine makes itself. */
    analyzed(): StateResource[] {
        return this.resources.filter((r) => !(isProviderType(r.type) && urnName(r.urn).startsWith("default")));
    }

    /** Kept for the next pack (and the next spec) on stacks of our size; a large export's are built per call, so that
     *  only the calls in flight hold theirs. */
    analyze(r: StateResource): pb.AnalyzeRequest {
        if (this.large()) {
            return analyzeRequest(r, this.byUrn);
        }
        if (!this.perResource.has(r.urn)) {
            this.perResource.set(r.urn, analyzeRequest(r, this.byUrn));
        }
        return this.perResource.get(r.urn)!;
    }

    /** Encoded one resource at a time (`repeated AnalyzerResource resources = 1`, @pulumi/pulumi/proto/analyzer.proto,
     *  in protobuf's wire format: tag 0x0a, length, bytes): no message object for the whole stack is ever held, only
     *  its bytes, which the client's serialiser takes from serializeBinary. */
    stack(): pb.AnalyzeStackRequest {
        if (!this.stackRequest) {
            const parts = this.resources.flatMap((r) => {
                const bytes = analyzerResource(r, this.byUrn).serializeBinary();
                return [Uint8Array.of(0x0a), varint(bytes.length), bytes];
            });
            const encoded = Buffer.concat(parts);
            this.stackRequest = new pb.AnalyzeStackRequest();
            this.stackRequest.serializeBinary = () => encoded;
        }
        return this.stackRequest;
    }

    large(): boolean {
        return isLargeStack(this.resources);
    }
}

const requests = new WeakMap<readonly StateResource[], StackRequests>();

function requestsFor(resources: readonly StateResource[]): StackRequests {
    if (!requests.has(resources)) {
        requests.set(resources, new StackRequests(resources));
    }
    return requests.get(resources)!;
}

/**
 * Runs one served pack over a stack, as a preview (or update) with policy packs would. `only` limits the per-resource
 * Analyze calls to those URNs, for a caller that has the answers for the others (a pack answers Analyze from the
 * request alone); AnalyzeStack always sees every resource.
 */
export async function analyze(
    server: PackServer,
    resources: readonly StateResource[],
    ctx: RunContext,
    only?: ReadonlySet<string>,
): Promise<PackReport> {
    const { project, stack, dryRun, packConfig } = ctx;
    return server.inConfig(JSON.stringify([project, stack, dryRun, packConfig ?? {}]), () => {
        // A pack whose process ends mid-run (it crashed, ran out of memory, was stopped) fails the run with its last
        // words: its calls would otherwise wait for a server that is gone.
        const ended = server.ended.then((words): never => {
            throw new Error(`policy pack ${server.dir} failed: ${words}`);
        });
        return Promise.race([ended, analyzeNow(server, resources, ctx, only)]);
    });
}

async function analyzeNow(
    server: PackServer,
    resources: readonly StateResource[],
    ctx: RunContext,
    only?: ReadonlySet<string>,
): Promise<PackReport> {
    const info = await call<Empty, pb.AnalyzerInfo>(server, "getAnalyzerInfo", new Empty());
    await configure(server, info, ctx);
    const stack = requestsFor(resources);

    // A diagnostic from Analyze belongs to the resource analysed, whether or not the pack named it (the CLI does the same).
    // A bounded number of Analyze calls in flight, so a large export never holds every request (and every response)
    // at once; awaited with AnalyzeStack, so a failure of any call fails the run at once, never as an unhandled rejection.
    const analysed = stack.analyzed().filter((r) => only?.has(r.urn) ?? true);
    const perResource = inPool(analysed, IN_FLIGHT, async (r) =>
        diagnostics(
            await call<pb.AnalyzeRequest, pb.AnalyzeResponse>(server, "analyze", stack.analyze(r), r.urn),
            r.urn,
        ),
    );
    const whole = call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(server, "analyzeStack", stack.stack()).then((res) =>
        diagnostics(res, ""),
    );
    const [resourceDiagnostics, stackDiagnostics] = await Promise.all([perResource, whole]);

    return {
        name: info.getName(),
        version: info.getVersion(),
        policies: info.getPoliciesList().map((p) => ({
            name: p.getName(),
            level: LEVELS[p.getEnforcementlevel()],
            severity: SEVERITIES[p.getSeverity()],
            framework: p.getFramework()?.getName(),
            tags: p.getTagsList(),
            remediation: p.getRemediationSteps(),
            url: p.getUrl(),
        })),
        diagnostics: [...resourceDiagnostics.flat(), ...stackDiagnostics],
    };
}

function diagnostics(response: pb.AnalyzeResponse, analysed: string): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        pack: d.getPolicypackname(),
        packVersion: d.getPolicypackversion(),
        policy: d.getPolicyname(),
        description: d.getDescription(),
        message: d.getMessage(),
        level: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn() || analysed,
    }));
}

/** Sends each policy its config with the schema's defaults applied (the CLI applies them, not the pack), after
 *  validating the user's config against the pack's policies and schemas. */
async function configure(server: PackServer, info: pb.AnalyzerInfo, ctx: RunContext): Promise<void> {
    await call(
        server,
        "configureStack",
        new pb.AnalyzerStackConfigureRequest().setStack(ctx.stack).setProject(ctx.project).setDryRun(ctx.dryRun),
    );
    const user = ctx.packConfig ?? {};
    const all = user.all as Level | undefined;
    const policies = info.getPoliciesList().map((policy) => {
        const schema = policy.getConfigschema();
        const properties = (schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, { default?: unknown }>;
        const defaults = Object.fromEntries(
            Object.entries(properties)
                .filter(([, spec]) => spec?.default !== undefined)
                .map(([k, spec]) => [k, spec.default]),
        );
        const given = user[policy.getName()];
        const { enforcementLevel, ...own } =
            typeof given === "object" && given !== null
                ? (given as Record<string, unknown>)
                : { enforcementLevel: given };
        // The pack's own initial config (the third argument of `new PolicyPack`, as AWSGuard sets it) comes before the user's.
        const initial = info.getInitialconfigMap().get(policy.getName());
        const level =
            (enforcementLevel as Level | undefined) ?? all ?? LEVELS[(initial ?? policy).getEnforcementlevel()];
        const merged = { ...defaults, ...initial?.getProperties()?.toJavaScript(), ...own };
        return { name: policy.getName(), properties, required: schema?.getRequiredList() ?? [], level, merged };
    });
    const problems = packConfigProblems(user, policies, (name) => policies.find((p) => p.name === name)!.merged);
    if (problems.length > 0) {
        throw new Error(
            `policy pack ${server.dir} (${info.getName()}): invalid --policy-pack-config ${ctx.packConfigFile}:\n  ${problems.join("\n  ")}`,
        );
    }
    const request = new pb.ConfigureAnalyzerRequest();
    for (const p of policies) {
        request
            .getPolicyconfigMap()
            .set(
                p.name,
                new pb.PolicyConfig()
                    .setEnforcementlevel(LEVELS.indexOf(p.level))
                    .setProperties(Struct.fromJavaScript(p.merged as never)),
            );
    }
    await call(server, "configure", request);
}

function struct(r: StateResource, value: Record<string, unknown> | undefined): Struct {
    try {
        return Struct.fromJavaScript((toWire(value ?? {}) ?? {}) as never);
    } catch (e) {
        throw new Error(`${r.urn}: ${(e as Error).message}`, { cause: e });
    }
}

function options(r: StateResource): pb.AnalyzerResourceOptions {
    const opts = new pb.AnalyzerResourceOptions()
        .setProtect(r.protect ?? false)
        .setIgnorechangesList(r.ignoreChanges ?? [])
        .setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? [])
        .setAliasesList(r.aliases ?? [])
        .setParent(r.parent ?? "");
    if (r.deleteBeforeReplace !== undefined) {
        opts.setDeletebeforereplacedefined(true).setDeletebeforereplace(r.deleteBeforeReplace);
    }
    if (r.customTimeouts) {
        opts.setCustomtimeouts(
            new pb.AnalyzerResourceOptions.CustomTimeouts()
                .setCreate(r.customTimeouts.create ?? 0)
                .setUpdate(r.customTimeouts.update ?? 0)
                .setDelete(r.customTimeouts.delete ?? 0),
        );
    }
    return opts;
}

function provider(r: StateResource, byUrn: Map<string, StateResource>): pb.AnalyzerProviderResource | undefined {
    const ref = r.provider ? byUrn.get(providerUrn(r.provider)) : undefined;
    return (
        ref &&
        new pb.AnalyzerProviderResource()
            .setType(ref.type)
            .setUrn(ref.urn)
            .setName(urnName(ref.urn))
            .setProperties(struct(ref, ref.inputs))
    );
}

/** Analyze sees a resource's inputs, before it is created or updated. */
function analyzeRequest(r: StateResource, byUrn: Map<string, StateResource>): pb.AnalyzeRequest {
    const req = new pb.AnalyzeRequest()
        .setType(r.type)
        .setUrn(r.urn)
        .setName(urnName(r.urn))
        .setProperties(struct(r, r.inputs))
        .setOptions(options(r));
    const p = provider(r, byUrn);
    return p ? req.setProvider(p) : req;
}

/** AnalyzeStack sees every resource's outputs, with parent, dependencies and property dependencies. */
function analyzerResource(r: StateResource, byUrn: Map<string, StateResource>): pb.AnalyzerResource {
    const res = new pb.AnalyzerResource()
        .setType(r.type)
        .setUrn(r.urn)
        .setName(urnName(r.urn))
        .setProperties(struct(r, r.outputs))
        .setOptions(options(r))
        .setParent(r.parent ?? "")
        .setDependenciesList(r.dependencies ?? []);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
        res.getPropertydependenciesMap().set(key, new pb.AnalyzerPropertyDependencies().setUrnsList(urns));
    }
    const p = provider(r, byUrn);
    return p ? res.setProvider(p) : res;
}
