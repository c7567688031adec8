// The README says, for every rule of both packs, whether it decides during preview and what waits for the update.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policyRows } from "../../scripts/readme-tables";
import { ROOT } from "../helpers/stacks";

describe("README: preview or update, rule by rule", () => {
    it("has one line for every rule the packs serve, and none for a rule that does not exist", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const rules = policyRows(ROOT).map((row) => row.split("`")[3]).sort();
        const section = readme.slice(readme.indexOf("Preview or update, rule by rule."));
        const listed = section.slice(0, section.indexOf("\n\n")).split("\n").filter((l) => l.startsWith("- `")).map((l) => l.split("`")[1]).sort();
        assert.deepStrictEqual(listed, rules);
    });
});
