// Rewrites Pulumi.yaml's `config` block, the README's reference tables (configuration, policies) and docs/burst.md's
// timings from the code, so they never drift (tests/stacks/project-files.spec.ts and
// tests/offline/burst-timeline.spec.ts fail until this has been run).
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { BURST_TABLE_PREFIX, burstRows } from "../docs/burst-timeline";
import { configRows, policyRows, projectConfig, replaceTable } from "../docs/readme-tables";

const root = path.resolve(__dirname, "../..");
const file = (name: string) => path.join(root, name);

const project = YAML.parse(fs.readFileSync(file("Pulumi.yaml"), "utf8")) as { config?: unknown };
project.config = projectConfig();
fs.writeFileSync(file("Pulumi.yaml"), YAML.stringify(project, { lineWidth: 0 }));

let readme = fs.readFileSync(file("README.md"), "utf8");
readme = replaceTable(readme, "| `magento:", configRows());
readme = replaceTable(readme, "| `magento` | `", policyRows(root));
fs.writeFileSync(file("README.md"), readme);

const burst = fs.readFileSync(file("docs/burst.md"), "utf8");
fs.writeFileSync(file("docs/burst.md"), replaceTable(burst, BURST_TABLE_PREFIX, burstRows()));
