import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseCidr, overlaps } from "../../stacks/cidr";
import { CONFIG_KEYS } from "../../stacks/keys";
import { ROOT } from "../helpers/stacks";

const projectFile = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { type: string; description: string; default?: unknown }>;
};
const stackFile = (stack: string) =>
    (YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;

describe("project and stack files", () => {
    it("Pulumi.yaml declares every configuration key it can type, with the type and description the validator uses", () => {
        // Lists of objects (storefronts) have no Pulumi.yaml type: the project schema has no object config type.
        const declarable = Object.entries(CONFIG_KEYS).filter(([, spec]) => spec.type !== "list");
        assert.deepStrictEqual(Object.keys(projectFile.config).sort(), declarable.map(([key]) => key).sort());
        for (const [key, spec] of declarable) {
            assert.strictEqual(projectFile.config[key].type, spec.type, key);
            assert.strictEqual(projectFile.config[key].description, spec.description, key);
            // The CLI refuses a stack that leaves a declared key without value or default: optional keys need one.
            assert.deepStrictEqual(projectFile.config[key].default, (spec as { default?: unknown }).default, key);
        }
    });

    it("the README's configuration reference lists every key", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const key of Object.keys(CONFIG_KEYS)) {
            assert.ok(readme.includes(`| \`magento:${key}\``), `README has no row for magento:${key}`);
        }
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
