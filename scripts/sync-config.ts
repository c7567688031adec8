// Rewrites Pulumi.yaml's `config` block and the README's configuration reference from stacks/keys.ts and the
// profiles, so the three never drift (tests/stacks/project-files.spec.ts fails until this has been run).
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_KEYS, KeySpec } from "../stacks/keys";
import { PROFILE_DEFAULTS } from "../stacks/profiles";

const root = path.resolve(__dirname, "..");
const file = (name: string) => path.join(root, name);

const project = YAML.parse(fs.readFileSync(file("Pulumi.yaml"), "utf8"));
// Pulumi's project schema (sdk/go/common/workspace/project.json) types config as string, integer, boolean or array of
// those; a list of objects cannot be declared, so "list" keys stay undeclared (the CLI passes them through) and are
// checked by the validator alone.
project.config = Object.fromEntries(Object.entries(CONFIG_KEYS as Record<string, KeySpec>).filter(([, spec]) => spec.type !== "list").map(([key, spec]) => [key, {
    type: spec.type,
    ...(spec.type === "array" ? { items: { type: "string" } } : {}),
    description: spec.description,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
}]));
fs.writeFileSync(file("Pulumi.yaml"), YAML.stringify(project, { lineWidth: 0 }));

const shown = (value: unknown) => (value === "" || value === undefined ? "none" : String(value));
const defaults = PROFILE_DEFAULTS as unknown as Record<string, Record<string, unknown>>;
const rows = Object.entries(CONFIG_KEYS as Record<string, KeySpec>).map(([key, spec]) => {
    const production = defaults.production[key];
    const preproduction = defaults.preproduction[key];
    const value = spec.required ? "required" : production !== undefined ? `${shown(production)} / ${shown(preproduction)}` : spec.type === "list" ? "none" : "derived";
    return `| \`magento:${key}\` | ${spec.type} | ${value} | ${spec.description} |`;
});
const readme = fs.readFileSync(file("README.md"), "utf8");
const start = readme.indexOf("| `magento:");
const end = readme.indexOf("\n\n", start);
fs.writeFileSync(file("README.md"), readme.slice(0, start) + rows.join("\n") + readme.slice(end));
