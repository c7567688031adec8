// docs/<stack>/reachability.md is the matrix of the stack as the program builds it now (`npm run docs:reachability`).
import * as assert from "assert";
import * as fs from "fs";
import { stackView } from "../../offline/stack-view";
import { reachabilityMarkdown } from "../../policies/lib/reachability";
import { DOC_STACKS, reachabilityDoc } from "../../scripts/reachability-docs";
import { stackResources } from "../helpers/stacks";

describe("docs/<stack>/reachability.md", () => {
    for (const stack of DOC_STACKS) {
        it(`${stack}: the committed matrix is current (else run npm run docs:reachability)`, async () => {
            const current = reachabilityMarkdown(stackView(await stackResources(stack)), stack);
            assert.strictEqual(fs.readFileSync(reachabilityDoc(stack), "utf8"), current);
        });
    }
});
