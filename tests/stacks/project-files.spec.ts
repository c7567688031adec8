import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseCidr, overlaps } from "../../model/cidr";
import { KEY_ENTRIES, pulumiDefault, pulumiType } from "../../stacks/keys";
import { configRows, policyRows, tableRows } from "../../offline/docs/readme-tables";
import { ROOT } from "../helpers/stacks";

const projectFile = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { type?: string; description: string; default?: unknown }>;
};
const stackFile = (stack: string) =>
    (
        YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
            config: Record<string, unknown>;
        }
    ).config;

describe("project and stack files", () => {
    it("Pulumi.yaml declares every configuration key it can type, with the type and description the validator uses", () => {
        // Structured keys (lists of mappings, a mapping) stay undeclared: Pulumi's project schema cannot type them.
        const declarable = KEY_ENTRIES.filter(([, entry]) => pulumiType(entry) !== undefined);
        // In the table's order: Pulumi.yaml lists the keys as the table does.
        assert.deepStrictEqual(
            Object.keys(projectFile.config),
            declarable.map(([key]) => key),
        );
        for (const [key, entry] of declarable) {
            assert.strictEqual(projectFile.config[key].type, pulumiType(entry), key);
            assert.strictEqual(projectFile.config[key].description, entry.description, key);
            // The CLI refuses a stack that leaves a declared key without value or default: optional keys need one.
            assert.deepStrictEqual(projectFile.config[key].default, pulumiDefault(entry), key);
        }
    });

    it("the README's configuration and policy tables are the ones the code generates (npm run sync:docs)", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.deepStrictEqual(tableRows(readme, "| `magento:"), configRows());
        assert.deepStrictEqual(
            tableRows(readme, "| `magento` | `").concat(tableRows(readme, "| `aws-baseline` | `")),
            policyRows(ROOT),
        );
    });

    it("prod and preprod VPCs do not overlap, so they can be peered", () => {
        const prod = parseCidr(stackFile("prod")["magento:vpcCidr"] as string)!;
        const preprod = parseCidr(stackFile("preprod")["magento:vpcCidr"] as string)!;
        assert.ok(!overlaps(prod, preprod));
    });

    it("stack files pick the profile their name promises and deploy to eu-west-3", () => {
        assert.strictEqual(stackFile("prod")["magento:profile"], "production");
        assert.strictEqual(stackFile("preprod")["magento:profile"], "preproduction");
        assert.strictEqual(stackFile("prod")["aws:region"], "eu-west-3");
        assert.strictEqual(stackFile("preprod")["aws:region"], "eu-west-3");
    });
});
