// A deployed resource keeps its URN: every URN the stacks had when this list was recorded is still declared, or is an
// alias of a resource that is (Pulumi then moves it in state instead of deleting it and creating a new one). A
// refactor that renames a component, moves a child to another parent or changes a type token fails here unless it
// carries the alias (docs/naming.md); a resource removed on purpose has its line deleted in the same change.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { prefetch, ROOT, stackResources } from "../helpers/stacks";

const STACKS = ["prod", "preprod"];
prefetch(...STACKS.map((s): [string] => [s]));

describe("URNs of deployed resources", () => {
    for (const stack of STACKS) {
        it(`${stack}: every recorded URN is still declared or aliased`, async () => {
            const recorded = fs
                .readFileSync(path.join(ROOT, "tests/fixtures/urns", `${stack}.txt`), "utf8")
                .split("\n")
                .filter(Boolean);
            const resources = await stackResources(stack);
            const declared = new Set(resources.flatMap((r) => [r.urn, ...(r.aliases ?? [])]));
            assert.deepStrictEqual(
                recorded.filter((urn) => !declared.has(urn)),
                [],
                "URNs that would be deleted (and their resources created anew): alias them, or delete the line of a resource removed on purpose",
            );
        });
    }
});
