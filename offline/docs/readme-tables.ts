// The README's reference tables and Pulumi.yaml's config block, generated from the code they describe: configuration
// keys (the entries of stacks/keys.ts) and policy rules (each pack's rules/ folder). `npm run sync:docs` writes them;
// a test compares.
import { KEY_ENTRIES, KeyEntry, profileValues, pulumiDefault, pulumiType } from "../../stacks/keys";
import { ruleEntries } from "./rules";
import type { RuleMetadata } from "../../policies/lib/metadata";

const shown = (value: unknown): string => {
    if (Array.isArray(value)) {
        // A list of records (gateway services, storefront themes) shows each as its values: "name port", "theme locales".
        return value.length === 0
            ? "none"
            : value
                  .map((v: unknown) => `\`${typeof v === "object" && v !== null ? recordShown(v) : String(v)}\``)
                  .join(", ");
    }
    if (typeof value === "object" && value !== null) {
        // A mapping (alarm thresholds) shows as "name value" pairs; an empty one (gatewayInternet) as none.
        const entries = Object.entries(value);
        return entries.length === 0 ? "none" : entries.map(([k, v]) => `\`${k} ${String(v)}\``).join(", ");
    }
    return value === "" || value === undefined ? "none" : String(value);
};

const recordShown = (record: object): string =>
    Object.values(record)
        .map((x: unknown) => (Array.isArray(x) ? x.join(" ") : String(x)))
        .join(" ");

export function configRows(entries: readonly (readonly [string, KeyEntry])[] = KEY_ENTRIES): string[] {
    return entries.map(([key, entry]) => {
        const values = profileValues(entry);
        const value =
            entry.defaults === "required"
                ? "required"
                : values !== undefined
                  ? `${shown(values.production)} / ${shown(values.preproduction)}`
                  : "derived";
        return `| \`magento:${key}\` | ${entry.type} | ${value} | ${entry.description} |`;
    });
}

/** Pulumi.yaml's `config`: every key Pulumi can type; structured keys stay undeclared, so the CLI passes them through. */
export function projectConfig(
    entries: readonly (readonly [string, KeyEntry])[] = KEY_ENTRIES,
): Record<string, unknown> {
    return Object.fromEntries(
        entries.flatMap(([key, entry]) => {
            const type = pulumiType(entry);
            const zero = pulumiDefault(entry);
            return type === undefined
                ? []
                : [
                      [
                          key,
                          {
                              type,
                              ...(type === "array" ? { items: { type: "string" } } : {}),
                              description: entry.description,
                              ...(zero !== undefined ? { default: zero } : {}),
                          },
                      ],
                  ];
        }),
    );
}

/** Every rule of every pack, as a row of the README's Policies table. */
/** What a mandatory rule does to an `up`: a resource rule is asked about each resource "immediately before" it is
 *  created or updated, and "the first policy violation will halt the deployment" (https://github.com/pulumi/pulumi-policy,
 *  README); a stack rule once every resource is registered, so in an up after the changes
 *  (https://github.com/pulumi/docs/issues/11508). The deploy action's preview with both packs runs both first, and
 *  decides all but what a stack rule reads unknown in a preview (metadata partlyAfterTheUp). */
const IN_AN_UP = (policy: { validateResource?: unknown }, metadata?: RuleMetadata) =>
    policy.validateResource
        ? "stops the resource's step"
        : metadata?.partlyAfterTheUp
          ? "after the changes; the planned preview stops what it knows, the rest only the up decides"
          : "after the changes; the planned preview stops them";

export function policyRows(root: string): string[] {
    return ruleEntries(root).map(
        ({ pack, policy, metadata }) =>
            `| \`${pack}\` | \`${policy.name}\` | ${policy.enforcementLevel ?? "advisory"} | ${IN_AN_UP(policy, metadata)} | ${policy.description} |`,
    );
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
