// The repository documents itself: what its comments and docs cite is a file in it, never a note kept beside it.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { filesUnder, Line, linesOf, ROOT } from "./helpers/tree";

/** Not ours to edit (vendored), dated records that quote what was true then, or what commands write (git ignores). */
const SKIPPED = new Set(["third-party", "docs/reviews", ".bench", "out", "dist"]);

let lines: Line[] | undefined;

/** Each match of `pattern`'s first group, with the file and line it is on. */
function citations(pattern: RegExp): { where: string; cited: string }[] {
    lines ??= linesOf(filesUnder("", SKIPPED).filter((f) => !/\.(png|svg)$/.test(f)));
    return lines.flatMap(({ where, text }) => [...text.matchAll(pattern)].map((m) => ({ where, cited: m[1] })));
}

describe("documents the repository cites", () => {
    it("no file cites the notes outside the repository (the shared folder, its platform and Pulumi notes): their facts are in docs/", () => {
        const outside = citations(
            /((?:\/work\/|\.\.\/)shared\b|\bshared\/[\w-]+\.md\b|(?<!docs\/)\b(?:platform|pulumi-notes|style)\.md\b)/g,
        );
        assert.deepStrictEqual(
            outside.map(({ where, cited }) => `${where}: ${cited}`),
            [],
        );
    });

    it("every docs/<name>.md a comment, a stack file or a README cites exists", () => {
        // Not inside a URL or a longer path (developer-docs/... on GitHub is Pulumi's, not ours).
        const cited = citations(/(?<![\w./-])(docs\/[\w./-]+?\.md)\b/g);
        assert.ok(cited.length > 100, `only ${cited.length} citations found: is the pattern still right?`);
        const missing = cited.filter(({ cited: doc }) => !fs.existsSync(path.join(ROOT, doc)));
        assert.deepStrictEqual(
            missing.map(({ where, cited: doc }) => `${where}: ${doc}`),
            [],
        );
    });

    it("every source file a comment or a doc names by its path exists (a moved file leaves no stale pointer)", () => {
        const cited = citations(
            /(?<![\w./-])((?:components|infra|model|stacks|offline|policies|scripts|bench|tests)\/[\w./-]+?\.(?:ts|json))\b/g,
        );
        assert.ok(cited.length > 100, `only ${cited.length} citations found: is the pattern still right?`);
        const missing = cited.filter(({ cited: file }) => !file.includes("<") && !fs.existsSync(path.join(ROOT, file)));
        assert.deepStrictEqual(
            missing.map(({ where, cited: file }) => `${where}: ${file}`),
            [],
        );
    });
});
