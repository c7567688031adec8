// Child process: runs the real program under Pulumi's mock runtime and answers every registration as state.
// Forked by offline/capture-workers.ts, a job per message, one at a time: the Pulumi runtime is process-global.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { computedOutputKeys, fakeCreate, uuidFrom } from "./fakes";
import { answerInvoke, OfflineWorld } from "./invokes";
import { AliasSpec, toEngineUrns } from "./urns";
import { isProviderType, Secret, SECRET_SIG, SIG_KEY, StateResource, UNKNOWN } from "./state";
import { toState } from "./wire";

export interface CaptureJob {
    readonly project: string;
    readonly stack: string;
    readonly main: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    /** Preview: outputs not known before create are unknown. Otherwise: outputs as after an update. */
    readonly preview: boolean;
    /** What the account holds that the program reads (offline/invokes.ts); absent: an estate with a release image. */
    readonly world?: OfflineWorld;
}

export type CaptureResult = { ok: true; resources: StateResource[] } | { ok: false; error: string };

// Requests as the SDK's generated protobuf classes expose them; only what is read here.
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): Struct;
    getProtect(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getVersion(): string;
    getPropertydependenciesMap(): { forEach(f: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getAliasurnsList(): string[];
    getReplaceonchangesList(): string[];
    getRetainondelete(): boolean | undefined;
    getImportid(): string;
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getAliasesList(): { getUrn(): string; getSpec(): AliasSpecMessage | undefined }[];
}
interface AliasSpecMessage {
    getName(): string;
    getType(): string;
    getStack(): string;
    getProject(): string;
    getParenturn(): string;
    getNoparent(): boolean;
}
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): Struct;
}
interface Struct {
    toJavaScript(): Record<string, unknown>;
}
type Callback<T> = (err: Error | null, resp: T) => void;
interface Monitor {
    registerResource(req: RegisterRequest, cb: Callback<RegisterResponse>): void;
    registerResourceOutputs(req: { getUrn(): string; getOutputs(): Struct }, cb: Callback<unknown>): void;
}

export async function capture(job: CaptureJob): Promise<StateResource[]> {
    const region = job.config["aws:region"] ?? "us-east-1";
    const resources = new Map<string, StateResource>();
    const aliasSpecs = new Map<string, AliasSpec[]>();
    const defaultProviders = new Map<string, StateResource>();
    // An explicit provider's region (e.g. us-east-1 for CloudFront's certificate), by "type::name" as its reference
    // ("<urn>::<id>") ends; AWS computes ARNs and endpoints in the resource's region, not the stack's.
    const providerRegions = new Map<string, string>();
    const regionOf = (reference: string | undefined): string => {
        const parts = reference?.split("::") ?? [];
        const type = parts[parts.length - 3]?.split("$").pop(); // the URN qualifies the type with its parents' types
        return providerRegions.get(`${type}::${parts[parts.length - 2]}`) ?? region;
    };

    pulumi.runtime.setAllConfig(job.config, job.secretKeys);
    await pulumi.runtime.setMocks(
        {
            newResource: ({ type, name, inputs: given, custom, provider }) => {
                const inputs = given as Record<string, unknown>; // the SDK types them any
                if (!custom) {
                    return { id: "", state: {} };
                }
                if (isProviderType(type)) {
                    if (typeof inputs.region === "string") {
                        providerRegions.set(`${type}::${name}`, inputs.region);
                    }
                    return { id: job.preview ? "" : uuidFrom(`${type}::${name}`), state: inputs };
                }
                const ctx = { urn: registering, type, name, inputs, region: regionOf(provider) };
                if (job.preview) {
                    const unknowns = Object.fromEntries(computedOutputKeys(ctx).map((k) => [k, UNKNOWN]));
                    return { id: "", state: { ...unknowns, ...inputs } };
                }
                const { id, outputs } = fakeCreate(ctx);
                return { id, state: { ...outputs, ...inputs } };
            },
            call: ({ token, inputs }) => answerInvoke(token, inputs as Record<string, unknown>, region, job.world),
        },
        job.project,
        job.stack,
        job.preview,
    );

    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const register = monitor.registerResource.bind(monitor);
    // The mock monitor calls newResource synchronously on entry, without the URN: it is computed here as the monitor
    // computes it (parent's type qualifies the type), in the form the engine writes it (see `capture` below).
    let registering = "";
    monitor.registerResource = (req, cb) => {
        const parentType = req.getParent() ? `${req.getParent().split("::")[2].split("$").pop()}$` : "";
        registering = `urn:pulumi:${job.stack}::${job.project}::${parentType.replace(/^pulumi:pulumi:Stack\$$/, "")}${req.getType()}::${req.getName()}`;
        register(req, (err, resp) => {
            if (!err) {
                const resource = record(req, resp);
                resources.set(resource.urn, resource);
            }
            cb(err, resp);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        const resource = resources.get(req.getUrn());
        if (resource) {
            resource.outputs = toState(req.getOutputs().toJavaScript()) as Record<string, unknown>;
        }
        registerOutputs(req, cb);
    };

    function record(req: RegisterRequest, resp: RegisterResponse): StateResource {
        aliasSpecs.set(
            resp.getUrn(),
            req.getAliasesList().map((a) => {
                const spec = a.getSpec();
                return spec
                    ? {
                          name: spec.getName(),
                          type: spec.getType(),
                          stack: spec.getStack(),
                          project: spec.getProject(),
                          parentUrn: spec.getParenturn(),
                          noParent: spec.getNoparent(),
                      }
                    : { urn: a.getUrn() };
            }),
        );
        const custom = req.getCustom();
        const type = req.getType();
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v, k) => {
            propertyDependencies[k] = v.getUrnsList();
        });
        const timeouts = req.getCustomtimeouts();
        const resource: StateResource = {
            urn: resp.getUrn(),
            custom,
            ...(custom && resp.getId() ? { id: resp.getId() } : {}),
            type,
            inputs: toState(req.getObject().toJavaScript()) as Record<string, unknown>,
            outputs: toState(resp.getObject().toJavaScript()) as Record<string, unknown>,
            ...(req.getParent() ? { parent: req.getParent() } : {}),
            protect: req.getProtect() ?? false,
            ...(req.getRetainondelete() ? { retainOnDelete: true } : {}),
            ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
            ...(req.getImportid() ? { importID: req.getImportid() } : {}),
            ...(custom && !isProviderType(type)
                ? { provider: req.getProvider() || defaultProvider(type, req.getVersion()) }
                : {}),
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            aliases: req.getAliasurnsList(),
            ignoreChanges: req.getIgnorechangesList(),
            ...(req.getReplaceonchangesList().length > 0 ? { replaceOnChanges: req.getReplaceonchangesList() } : {}),
            ...(timeouts
                ? {
                      customTimeouts: {
                          create: seconds(timeouts.getCreate()),
                          update: seconds(timeouts.getUpdate()),
                          delete: seconds(timeouts.getDelete()),
                      },
                  }
                : {}),
        };
        return resource;
    }

    /** The engine's default provider for a package: named default_<version>, configured from the package's config keys. */
    function defaultProvider(type: string, version: string): string {
        const pkg = type.split(":")[0];
        const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
        const urn = `urn:pulumi:${job.stack}::${job.project}::pulumi:providers:${pkg}::${name}`;
        let provider = defaultProviders.get(urn);
        if (!provider) {
            const inputs: Record<string, unknown> = Object.fromEntries(
                Object.entries(job.config)
                    .filter(([k]) => k.startsWith(`${pkg}:`))
                    .map(([k, v]) => [k.slice(pkg.length + 1), job.secretKeys.includes(k) ? secret(v) : v]),
            );
            if (version) {
                inputs.version = version;
            }
            provider = {
                urn,
                custom: true,
                id: job.preview ? UNKNOWN : uuidFrom(urn),
                type: `pulumi:providers:${pkg}`,
                inputs,
                outputs: inputs,
                protect: false,
                dependencies: [],
            };
            defaultProviders.set(urn, provider);
        }
        return `${urn}::${provider.id}`;
    }

    await pulumi.runtime.runInPulumiStack(async () => {
        const program = require(job.main) as unknown;
        return program instanceof Function ? await (program as () => unknown)() : program;
    });
    await waitForRPCs();
    if (pulumi.log.hasErrors()) {
        throw new Error("the program logged errors (above)");
    }
    const all = [...resources.values()];
    // State lists a stack first and each provider before the resources that use it.
    const ordered = [
        ...all.filter((r) => r.type === "pulumi:pulumi:Stack"),
        ...defaultProviders.values(),
        ...all.filter((r) => r.type !== "pulumi:pulumi:Stack"),
    ];
    // The mock monitor qualifies a child of the stack with the stack's type, and a grandchild with its parent's last
    // type only; the engine writes neither (offline/urns.ts). Every URN and reference is rewritten the engine's way,
    // values holding URNs too.
    return toEngineUrns(ordered, aliasSpecs, job.project, job.stack);
}

async function waitForRPCs(): Promise<void> {
    // Not in the SDK's typings: the same wait the language host does before it reports the program finished.
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

/** A secret as state holds it (provider config from `secure:` keys stays secret, as the engine keeps it). */
function secret(value: string): Secret {
    return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) };
}

function seconds(duration: string): number | undefined {
    const match = /^(\d+(?:\.\d+)?)([smh])$/.exec(duration);
    return match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"] : undefined;
}

function describe(error: unknown): string {
    return error instanceof Error
        ? error.name === "ConfigError"
            ? error.message
            : (error.stack ?? error.message)
        : String(error);
}

if (require.main === module && process.send) {
    // The SDK formats a stack trace for every promise and resource it makes, for leak reports and source positions
    // that this engine does not record: most of a capture's time. A trace taken inside the SDK keeps only its first
    // line; the program's own errors keep their frames (transpiled lines: TypeScript's, as ts-node keeps them).
    const sdk = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
    Error.prepareStackTrace = (error, frames) =>
        frames[0]?.getFileName()?.includes(sdk)
            ? String(error)
            : [String(error), ...frames.map((f) => `    at ${f}`)].join("\n");
    // Each promise the SDK makes also takes a stack trace, kept only for the leak report it prints when a process
    // exits normally, which a worker never does (it is killed, or exits 2): taken without frames, nothing else
    // changes, and a capture costs half as much.
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
        debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
    };
    const debuggablePromise = debuggable.debuggablePromise;
    debuggable.debuggablePromise = (p, ctx) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return debuggablePromise(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    // What is loaded now (this engine, the SDK) and every package stays loaded between jobs; the program's own
    // modules (infra/, components/, stacks/, ...) run afresh for each job, as in a process of their own.
    const engine = new Set(Object.keys(require.cache));
    const isPackage = (id: string) => id.split(path.sep).includes("node_modules");
    const unload = () => {
        const program = Object.keys(require.cache).filter((id) => !engine.has(id) && !isPackage(id));
        const gone = new Set(program.map((id) => require.cache[id]));
        program.forEach((id) => delete require.cache[id]);
        // A module that stays (this one required the program) must not keep the old ones alive through `children`.
        Object.values(require.cache).forEach((m) => m && (m.children = m.children.filter((c) => !gone.has(c))));
    };
    let failed = false;
    const reply = (result: CaptureResult, then?: () => void) => process.send!(result, undefined, {}, then);
    // A failure ends the process (the runtime's state cannot be trusted for another job); it is reported once.
    const fail = (error: unknown) => {
        if (!failed) {
            failed = true;
            reply({ ok: false, error: describe(error) }, () => process.exit(2));
        }
    };
    process.on("unhandledRejection", fail);
    process.on("uncaughtException", fail);
    process.on("message", (job: CaptureJob) => {
        unload();
        capture(job)
            // A property that fails to serialize rejects a promise nobody awaits, as in the language host, where it
            // fails the run: let such rejections surface before the result is sent.
            .then((resources) => new Promise<StateResource[]>((resolve) => setImmediate(() => resolve(resources))))
            .then((resources) => failed || reply({ ok: true, resources }), fail);
    });
}
