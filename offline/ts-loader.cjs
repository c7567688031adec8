// How our processes run TypeScript (`node -r ./offline/ts-loader.cjs`: the npm scripts, mocha, the capture workers).
// ts-node transpiles every file afresh in each process, and merely registering it loads the TypeScript compiler, a
// few tenths of a second of each process's start before anything runs. Here each file's output is kept under
// node_modules/.cache by what it was made from (the file's path and text, the compiler's and ts-node's versions,
// tsconfig.json), and ts-node (transpile-only, as `ts-node --transpile-only` runs) is loaded only when a file is not
// in the cache: a second preview, a new capture worker or a test's second run loads no compiler at all. Plain
// JavaScript, since it is what makes TypeScript loadable.
"use strict";
const { createHash } = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
/** Where the outputs are kept (the benchmark clears it for a cold start). */
const TRANSPILE_CACHE = path.join(ROOT, "node_modules", ".cache", "offline-transpile");
const INSTALLED = Symbol.for("magento-offline.ts-loader");

if (!process[INSTALLED]) {
    process[INSTALLED] = true;
    const project = process.env.TS_NODE_PROJECT || path.join(ROOT, "tsconfig.json");
    const version = (name) => require(require.resolve(`${name}/package.json`, { paths: [ROOT] })).version;
    const salt = [version("typescript"), version("ts-node"), fs.readFileSync(project, "utf8"), ""].join("\n");

    let service;
    /** ts-node's compiler, made on the first file the cache does not hold. */
    const compiler = () => (service ??= require("ts-node").create({ transpileOnly: true, project }));

    // What each file compiled to in this process (each with its inline source map), so a stack trace names the
    // TypeScript line: ts-node installs the same support for the output it makes itself.
    const outputs = new Map();
    require(
        require.resolve("@cspotcode/source-map-support", { paths: [path.dirname(require.resolve("ts-node"))] }),
    ).install({
        environment: "node",
        retrieveFile: (file) => outputs.get(file) ?? null,
    });

    /** The JavaScript of `fileName`, from the cache or compiled now (and kept). */
    const transpiled = (code, fileName) => {
        const key = createHash("sha256").update(salt).update(`${fileName}\n`).update(code).digest("hex");
        const file = path.join(TRANSPILE_CACHE, key.slice(0, 2), `${key}.js`);
        try {
            return fs.readFileSync(file, "utf8");
        } catch {
            const output = compiler().compile(code, fileName);
            try {
                // Written aside and renamed: another process may read the same entry meanwhile.
                const aside = `${file}.${process.pid}`;
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(aside, output);
                fs.renameSync(aside, file);
            } catch {
                // A cache that cannot be written (a read-only checkout) only costs the next process this compile.
            }
            return output;
        }
    };

    Module._extensions[".ts"] = (module, fileName) => {
        const output = transpiled(fs.readFileSync(fileName, "utf8"), fileName);
        outputs.set(fileName, output);
        module._compile(output, fileName);
    };
}

module.exports = { TRANSPILE_CACHE };
