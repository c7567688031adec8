import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { z } from "zod";
import { configRows, projectConfig, tableRows } from "../../offline/docs/readme-tables";
import { KEY_ENTRIES, KeyEntry, PROFILE_DEFAULTS, profileValues, Settings } from "../../stacks/keys";
import { PROFILES } from "../../stacks/profiles";
import type { ScaleSchedule } from "../../stacks/schedule";
import { ROOT } from "../helpers/stacks";

// The typed settings come from the entries: a key with a default in both profiles is always set, the others may not be.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inferred: [
    Same<Settings["webMinSize"], number>,
    Same<Settings["natGateways"], "perAz" | "single">,
    Same<Settings["webScaleSchedule"], ScaleSchedule[]>,
    Same<Settings["searchMasterInstanceType"], string | undefined>,
    Same<Settings["operationsAz"], string | undefined>,
    Same<Settings["vpcCidr"], string | undefined>,
] = [true, true, true, true, true, true];

/** What a stack file may hold for a key of each type (objects: a list of mappings, or one mapping). */
const OF_TYPE: Record<KeyEntry["type"], (v: unknown) => boolean> = {
    string: (v) => typeof v === "string",
    integer: (v) => Number.isInteger(v),
    boolean: (v) => typeof v === "boolean",
    array: (v) => Array.isArray(v) && v.every((item) => typeof item === "string"),
    objects: (v) =>
        typeof v === "object" && v !== null && (!Array.isArray(v) || v.every((item) => typeof item === "object")),
};

describe("configuration keys: one entry each", () => {
    it("every entry has a type, a description, a schema, and is required, derived or defaulted in every profile", () => {
        assert.ok(inferred.every((t) => t));
        for (const [key, entry] of KEY_ENTRIES) {
            assert.ok(entry.description.length > 0, key);
            assert.ok(entry.schema instanceof z.ZodType, key);
            const values = profileValues(entry);
            if (values !== undefined) {
                assert.deepStrictEqual(Object.keys(values).sort(), [...PROFILES].sort(), key);
            } else {
                assert.ok(entry.defaults === "required" || entry.defaults === "derived", key);
            }
        }
    });

    it("each profile's default is of the key's type and passes the key's schema", () => {
        for (const [key, entry] of KEY_ENTRIES) {
            for (const profile of PROFILES) {
                const value = profileValues(entry)?.[profile];
                if (value !== undefined) {
                    assert.ok(
                        OF_TYPE[entry.type](value),
                        `${key} (${profile}): ${JSON.stringify(value)} is not a ${entry.type}`,
                    );
                    assert.ok(entry.schema.safeParse(value).success, `${key} (${profile}): ${JSON.stringify(value)}`);
                }
            }
        }
        // Parsed as the schema gives them: the preproduction schedule as cron and bounds, not text.
        assert.deepStrictEqual(
            PROFILE_DEFAULTS.preproduction.webScaleSchedule.map((s) => [s.minSize, s.maxSize]),
            [
                [1, 1],
                [1, 2],
            ],
        );
        assert.strictEqual(PROFILE_DEFAULTS.preproduction.searchMasterInstanceType, undefined);
    });

    it("Pulumi.yaml's config block and the README's rows are exactly the table's, in its order", () => {
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: unknown };
        assert.deepStrictEqual(project.config, projectConfig());
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.deepStrictEqual(tableRows(readme, "| `magento:"), configRows());
    });

    it("a new entry is all a key needs to be declared, documented and defaulted", () => {
        const entry: KeyEntry = {
            type: "integer",
            defaults: { production: 30, preproduction: 7 },
            description: "Days a hypothetical report is kept.",
            schema: z.number().int().min(1),
        };
        const table = [...KEY_ENTRIES, ["reportDays", entry] as const];
        assert.deepStrictEqual(projectConfig(table).reportDays, {
            type: "integer",
            description: "Days a hypothetical report is kept.",
            default: 0,
        });
        assert.strictEqual(
            configRows(table).at(-1),
            "| `magento:reportDays` | integer | 30 / 7 | Days a hypothetical report is kept. |",
        );
        const required: KeyEntry = { ...entry, type: "objects", defaults: "required" };
        assert.strictEqual(
            projectConfig([["reportDays", required]]).reportDays,
            undefined,
            "structured keys stay out of Pulumi.yaml",
        );
        assert.strictEqual(
            configRows([["reportDays", required]])[0],
            "| `magento:reportDays` | objects | required | Days a hypothetical report is kept. |",
        );
    });
});
