// Loaded with `-r` after ts-node's register (the npm scripts, .mocharc, the capture workers): ts-node transpiles every
// TypeScript file afresh in each process, about two seconds of a capture's start for the program alone. Its output is
// kept under node_modules/.cache by the content it was made from (the file's path and text, the compiler's version and
// options), so a second preview, a new capture worker or a command a test starts only pays for what changed.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

interface TsNodeService {
    readonly ts: { readonly version: string };
    readonly config: { readonly options: unknown };
    compile(code: string, fileName: string, lineOffset?: number): string;
}

/** Where the outputs are kept (the benchmark clears it for a cold start). */
export const TRANSPILE_CACHE = path.join(path.resolve(__dirname, ".."), "node_modules", ".cache", "offline-transpile");

const service = (process as unknown as Record<symbol, TsNodeService | undefined>)[
    Symbol.for("ts-node.register.instance")
];
// Once per process, however often it is required.
const INSTALLED = Symbol.for("magento-offline.transpile-cache");
const flags = process as unknown as Record<symbol, boolean | undefined>;

if (service && !flags[INSTALLED]) {
    flags[INSTALLED] = true;
    const dir = TRANSPILE_CACHE;
    const salt = `${service.ts.version}\n${JSON.stringify(service.config.options)}\n`;
    // What each file compiled to in this process, for stack traces: ts-node maps a frame back to TypeScript only for
    // output it made itself, so its source-map support is told of the cached outputs too.
    const outputs = new Map<string, string>();
    const sourceMapSupport = require(
        require.resolve("@cspotcode/source-map-support", { paths: [path.dirname(require.resolve("ts-node"))] }),
    ) as { install(options: { environment: string; retrieveFile(file: string): string | null }): void };
    sourceMapSupport.install({ environment: "node", retrieveFile: (file) => outputs.get(file) ?? null });

    const compile = service.compile.bind(service);
    service.compile = (code, fileName, lineOffset) => {
        if (lineOffset) {
            return compile(code, fileName, lineOffset); // the REPL's snippets
        }
        const key = createHash("sha256").update(salt).update(`${fileName}\n`).update(code).digest("hex");
        const file = path.join(dir, key.slice(0, 2), `${key}.js`);
        let output: string;
        try {
            output = fs.readFileSync(file, "utf8");
        } catch {
            output = compile(code, fileName);
            try {
                // Written aside and renamed: another process may read the same entry meanwhile.
                const aside = `${file}.${process.pid}`;
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(aside, output);
                fs.renameSync(aside, file);
            } catch {
                // A cache that cannot be written (a read-only checkout) only costs the next process this compile.
            }
        }
        outputs.set(fileName, output);
        return output;
    };
}
