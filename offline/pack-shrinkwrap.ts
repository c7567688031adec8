// The npm-shrinkwrap.json of a built pack: the packages its dependencies install, each at the version, path and
// integrity the repository's lock file installed and the tests ran against. `npm install`, which Pulumi runs in a
// published pack's folder (its nodejs language host's InstallDependencies), installs a shrinkwrap's tree as written,
// where without one it would resolve every transitive version afresh (docs/publishing-packs.md).
// npm hoists a workspace's packages to the root's node_modules, so the pack's tree is the part of the root's tree its
// dependencies reach, found as Node resolves a name: the nearest node_modules up from the package that needs it.

/** One package of a lock file (npm's lockfileVersion 3 `packages` entry), as far as the shrinkwrap reads it. */
interface LockedPackage {
    readonly version?: string;
    readonly dependencies?: Readonly<Record<string, string>>;
    readonly optionalDependencies?: Readonly<Record<string, string>>;
    readonly peerDependencies?: Readonly<Record<string, string>>;
    readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
    readonly [field: string]: unknown;
}

export interface Lock {
    readonly packages: Readonly<Record<string, LockedPackage>>;
}

interface Manifest {
    readonly name: string;
    readonly version: string;
    readonly dependencies?: Readonly<Record<string, string>>;
}

/** The lock file's path of `name` as required from the package at `from` ("" for the pack itself). */
function resolve(lock: Lock, from: string, name: string): string | undefined {
    for (let dir = from; ;) {
        const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
        if (lock.packages[candidate]) {
            return candidate;
        }
        if (!dir) {
            return undefined;
        }
        const parent = dir.lastIndexOf("/node_modules/");
        dir = parent < 0 ? "" : dir.slice(0, parent);
    }
}

/**
 * The shrinkwrap of `manifest`'s dependencies from `lock`. The root's flags of who needs a package (dev, peer) are
 * dropped: in the pack every package is a production dependency. A missing optional dependency is skipped as npm skips
 * it, and optional peers are left to whatever else needs them; any other missing package is an error naming it.
 */
export function shrinkwrapOf(lock: Lock, manifest: Manifest): Record<string, unknown> {
    const tree = new Map<string, Record<string, unknown>>();
    const visit = (from: string, needs: Readonly<Record<string, string>>, optional: ReadonlySet<string>) => {
        for (const name of Object.keys(needs)) {
            const at = resolve(lock, from, name);
            if (!at) {
                if (optional.has(name)) {
                    continue;
                }
                throw new Error(`${name} (needed by ${from || manifest.name}) is not in the lock file`);
            }
            if (tree.has(at)) {
                continue;
            }
            const entry: Record<string, unknown> = { ...lock.packages[at] };
            delete entry.dev;
            delete entry.devOptional;
            delete entry.peer;
            tree.set(at, entry);
            const pkg = lock.packages[at];
            // npm installs a peer unless it is optional; an optional peer only when something else needs it
            // (@pulumi/pulumi's typescript and ts-node: without them its runner uses the copies it vendors).
            const meta = pkg.peerDependenciesMeta ?? {};
            const peers = Object.entries(pkg.peerDependencies ?? {}).filter(([peer]) => !meta[peer]?.optional);
            visit(
                at,
                { ...pkg.dependencies, ...pkg.optionalDependencies, ...Object.fromEntries(peers) },
                new Set(Object.keys(pkg.optionalDependencies ?? {})),
            );
        }
    };
    visit("", manifest.dependencies ?? {}, new Set());
    const { name, version, dependencies } = manifest;
    return {
        name,
        version,
        lockfileVersion: 3,
        requires: true,
        packages: {
            "": { name, version, dependencies },
            ...Object.fromEntries([...tree.keys()].sort().map((at) => [at, tree.get(at)])),
        },
    };
}
