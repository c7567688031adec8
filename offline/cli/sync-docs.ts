// Rewrites Pulumi.yaml's `config` block and the README's reference tables (configuration, policies) from the code,
// so they never drift (tests/stacks/project-files.spec.ts fails until this has been run).
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_KEYS, KeySpec, pulumiType } from "../../stacks/keys";
import { configRows, policyRows, replaceTable } from "../docs/readme-tables";

const root = path.resolve(__dirname, "../..");
const file = (name: string) => path.join(root, name);

const project = YAML.parse(fs.readFileSync(file("Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> };
// Structured keys have no Pulumi type (see KeyType): left undeclared, so the CLI passes them through unchecked.
const declarable = Object.entries(CONFIG_KEYS as Record<string, KeySpec>).filter(([, spec]) => pulumiType(spec) !== undefined);
project.config = Object.fromEntries(declarable.map(([key, spec]) => [key, {
    type: pulumiType(spec),
    ...(spec.type === "array" ? { items: { type: "string" } } : {}),
    description: spec.description,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
}]));
fs.writeFileSync(file("Pulumi.yaml"), YAML.stringify(project, { lineWidth: 0 }));

let readme = fs.readFileSync(file("README.md"), "utf8");
readme = replaceTable(readme, "| `magento:", configRows());
readme = replaceTable(readme, "| `magento` | `", policyRows(root));
fs.writeFileSync(file("README.md"), readme);
