// docs/awsguard.md says what Pulumi's public AWSGuard pack reports on our stacks and why each finding is right or
// wrong for us: the pack, installed untouched in third-party/awsguard, runs here on both stacks' exports (as after an
// update, through policy:check's code path), and its findings must be exactly the doc's rows.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { urnName } from "../../offline/state";
import { check } from "../helpers/packs";
import { ROOT, stackResources } from "../helpers/stacks";

const PACK = "third-party/awsguard";

/** "stack policy resource" for each row of the doc's findings table. */
function documented(stack: string): string[] {
    return fs
        .readFileSync(path.join(ROOT, "docs", "awsguard.md"), "utf8")
        .split("\n")
        .filter((line) => line.startsWith(`| ${stack} | `))
        .map((line) => line.split(" | ").slice(0, 3).join(" ").replace(/[|`]/g, "").trim())
        .sort();
}

describe("AWSGuard (third-party/awsguard) on our stacks", function () {
    before(function () {
        if (!fs.existsSync(path.join(ROOT, PACK, "node_modules", "@pulumi", "awsguard"))) {
            throw new Error(`AWSGuard is not installed: run \`npm ci --prefix ${PACK}\` (.ci/run does)`);
        }
    });

    for (const stack of ["prod", "preprod"]) {
        it(`reports on ${stack} exactly what docs/awsguard.md lists, all advisory`, async function () {
            this.timeout(120_000);
            const found = await check(PACK, await stackResources(stack, { preview: false }), { dryRun: false });
            assert.deepStrictEqual(
                found.filter((d) => d.level !== "advisory"),
                [],
            );
            assert.deepStrictEqual(
                found.map((d) => `${stack} ${d.policy} ${urnName(d.urn)}`).sort(),
                documented(stack),
            );
        });
    }
});
