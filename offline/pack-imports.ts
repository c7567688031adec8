// What a built pack needs that it does not declare. In the repository a pack resolves any package the root installs
// (npm hoists them), so a package its code imports without declaring it works here and fails where it is published:
// Pulumi installs a published pack's declared dependencies only (docs/publishing-packs.md).
import { builtinModules } from "module";
import * as fs from "fs";
import * as path from "path";

export interface Undeclared {
    /** The package imported. */
    readonly module: string;
    /** The first file of the pack's that imports it, relative to the pack's folder. */
    readonly from: string;
}

const BUILTIN = new Set(builtinModules);

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The file a relative require in `file` loads (Node's resolution of a file or a folder's index.js). */
function relativeTarget(file: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(file), specifier);
    return [base, `${base}.js`, path.join(base, "index.js")].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/**
 * The packages the compiled pack in `dir` requires, from its main through every module of its own it loads, that are
 * neither Node's nor in its package.json's dependencies.
 */
export function undeclaredImports(dir: string): Undeclared[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        main?: string;
        dependencies?: Record<string, string>;
    };
    const declared = new Set(Object.keys(manifest.dependencies ?? {}));
    const seen = new Set<string>();
    const found = new Map<string, string>();
    const visit = (file: string) => {
        if (seen.has(file)) {
            return;
        }
        seen.add(file);
        for (const [, specifier] of fs.readFileSync(file, "utf8").matchAll(/\brequire\("([^"]+)"\)/g)) {
            if (specifier.startsWith(".")) {
                const target = relativeTarget(file, specifier);
                if (target) {
                    visit(target);
                }
                continue;
            }
            const name = packageOf(specifier.replace(/^node:/, ""));
            if (!BUILTIN.has(name) && !declared.has(name) && !found.has(name)) {
                found.set(name, path.relative(dir, file));
            }
        }
    };
    visit(path.join(dir, manifest.main ?? "index.js"));
    return [...found].map(([module, from]) => ({ module, from }));
}
