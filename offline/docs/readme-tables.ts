// The README's reference tables, generated from the code they describe: configuration keys (stacks/keys.ts and the
// profiles) and policy rules (each pack's rules/ folder). `npm run sync:docs` writes them; a test compares.
import { CONFIG_KEYS, KeySpec } from "../../stacks/keys";
import { PROFILE_DEFAULTS } from "../../stacks/profiles";
import { ruleEntries } from "./rules";

const shown = (value: unknown): string => {
    if (Array.isArray(value)) {
        // A list of records (gateway services) shows as "name port" pairs.
        return value.length === 0 ? "none" : value.map((v: unknown) => `\`${typeof v === "object" ? `${(v as { name: string }).name} ${(v as { port: number }).port}` : String(v)}\``).join(", ");
    }
    if (typeof value === "object" && value !== null) {
        // A mapping (alarm thresholds) shows as "name value" pairs; an empty one (gatewayInternet) as none.
        const entries = Object.entries(value);
        return entries.length === 0 ? "none" : entries.map(([k, v]) => `\`${k} ${String(v)}\``).join(", ");
    }
    return value === "" || value === undefined ? "none" : String(value);
};

export function configRows(): string[] {
    const defaults = PROFILE_DEFAULTS as unknown as Record<string, Record<string, unknown>>;
    return Object.entries(CONFIG_KEYS as Record<string, KeySpec>).map(([key, spec]) => {
        const production = defaults.production[key];
        const preproduction = defaults.preproduction[key];
        const value = spec.required ? "required" : production !== undefined ? `${shown(production)} / ${shown(preproduction)}` : "derived";
        return `| \`magento:${key}\` | ${spec.type} | ${value} | ${spec.description} |`;
    });
}

/** Every rule of every pack, as a row of the README's Policies table. */
export function policyRows(root: string): string[] {
    return ruleEntries(root).map(({ pack, policy }) =>
        `| \`${pack}\` | \`${policy.name}\` | ${policy.enforcementLevel ?? "advisory"} | ${policy.description} |`);
}

/** The README with the table whose rows start with `rowPrefix` replaced by `rows`. */
export function replaceTable(readme: string, rowPrefix: string, rows: readonly string[]): string {
    const start = readme.indexOf(`\n${rowPrefix}`) + 1;
    if (start === 0) {
        throw new Error(`README has no table row starting with ${rowPrefix}`);
    }
    const end = readme.indexOf("\n\n", start);
    return readme.slice(0, start) + rows.join("\n") + readme.slice(end);
}

/** The rows of the table whose rows start with `rowPrefix`. */
export function tableRows(readme: string, rowPrefix: string): string[] {
    return readme.split("\n").filter((line) => line.startsWith(rowPrefix));
}
