// `magento:allowReplace` read from a stack's settings outside the program (the plan check, offline/plan/check.ts),
// validated by the key's own schema, so config is still read in stacks/ only.
import { ConfigError } from "./errors";
import { CONFIG_KEYS, decodeKey, PROJECT, qualified } from "./keys";

/** The logical names a change may replace or delete, from the qualified settings ("magento:allowReplace" -> JSON). */
export function allowReplaceOf(stack: string, settings: Readonly<Record<string, string>>): string[] {
    const text = settings[`${PROJECT}:allowReplace`];
    if (text === undefined || text === "") {
        return [];
    }
    const result = CONFIG_KEYS.allowReplace.schema.safeParse(decodeKey("allowReplace", text));
    if (!result.success) {
        const message = result.error.issues.map((i) => i.message).join("; ");
        throw new ConfigError(stack, [
            { path: qualified("allowReplace"), message: `${message} (a list of logical names)` },
        ]);
    }
    return result.data;
}
