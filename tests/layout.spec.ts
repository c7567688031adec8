// The layout the README's "Layout" section shows, kept: every source folder listed there (and only existing ones),
// and the layers' imports pointing one way, so that configuration never loads a component and pure design no SDK.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { filesUnder, ROOT } from "./helpers/tree";

const SKIPPED = new Set(["fixtures"]);
/** What commands write and git ignores (.gitignore): the packs' builds for publishing, the benchmark's output. */
const BUILT = new Set(["dist", "out"]);
/** Folders whose insides one README line describes: the docs, the tests (they mirror the tree), the vendored scanner. */
const DESCRIBED_WHOLE = new Set(["docs", "tests", "third-party/awsguard"]);

/** Source folders, recursively, the described-whole ones without their insides (third-party/ itself holds only awsguard). */
function folders(dir = ""): string[] {
    return fs
        .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter(
            (e) =>
                e.isDirectory() &&
                e.name !== "node_modules" &&
                !SKIPPED.has(e.name) &&
                !(dir === "" && (e.name.startsWith(".") || BUILT.has(e.name))),
        )
        .map((e) => path.posix.join(dir, e.name))
        .flatMap((d) => [...(d === "third-party" ? [] : [d]), ...(DESCRIBED_WHOLE.has(d) ? [] : folders(d))]);
}

function readmeLayout(): string[] {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Layout\n"));
    const block = section.slice(section.indexOf("```\n") + 4, section.indexOf("\n```", section.indexOf("```\n") + 4));
    return block.split("\n").map((line) => line.split(/\s+/)[0].replace(/\/$/, ""));
}

/** Repository-relative targets of a file's relative imports (import, export ... from, require, import()). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/(?:from|import|require)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])),
    );
}

/** The TypeScript files under `dir`, fixtures left out. */
function sources(dir: string): string[] {
    return filesUnder(dir).filter((f) => f.endsWith(".ts") && !f.split("/").some((part) => SKIPPED.has(part)));
}

/** `file imports target` for each import of the files under `from` that lands under one of `forbidden`. */
function crossings(from: string, forbidden: readonly string[]): string[] {
    return sources(from).flatMap((file) =>
        importsOf(file)
            .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
            .map((target) => `${file} imports ${target}`),
    );
}

describe("layout", () => {
    it("the README's layout lists every source folder, one line each, and no folder that is gone", () => {
        const listed = readmeLayout();
        const present = [...folders(), ".github", ".ci"];
        assert.deepStrictEqual(
            listed.filter((d) => !present.includes(d)),
            [],
            "README lines naming no folder",
        );
        assert.deepStrictEqual(
            present.filter((d) => !listed.includes(d)),
            [],
            "folders the README's layout leaves out",
        );
        assert.strictEqual(new Set(listed).size, listed.length, "a folder listed twice");
    });

    it("configuration and pure design load no component and no program; components read no configuration", () => {
        assert.deepStrictEqual(
            [
                ...crossings("stacks", ["components", "infra"]),
                ...crossings("model", ["components", "infra", "stacks"]),
                ...crossings("components", ["infra", "stacks"]),
            ],
            [],
        );
    });

    it("pure design creates nothing: model/ imports no Pulumi package", () => {
        const providers = sources("model").filter((f) =>
            /from "@pulumi\//.test(fs.readFileSync(path.join(ROOT, f), "utf8")),
        );
        assert.deepStrictEqual(providers, []);
    });

    it("the generated documentation has one home: offline/docs/ and scripts/ do not import each other", () => {
        assert.deepStrictEqual(
            [...crossings("offline/docs", ["scripts"]), ...crossings("scripts", ["offline/docs"])],
            [],
        );
    });
});
