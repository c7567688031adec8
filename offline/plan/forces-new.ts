// Which inputs of a resource force its replacement, as the provider decides: a table kept as data (forces-new.json,
// with its source and the provider version it was read from), for the offline plan of a change.
import * as table from "./forces-new.json";

export interface ReplacementTable {
    /** Where the table was read from (repository, commit, how). */
    readonly source: string;
    /** The Terraform AWS provider version under the Pulumi AWS provider the program pins. */
    readonly providerVersion: string;
    /** Pulumi type token -> property paths (dot-separated, list elements unindexed) whose change replaces the resource. */
    readonly types: Readonly<Record<string, readonly string[]>>;
}

export const REPLACEMENTS: ReplacementTable = table;

/** The listed paths of a type; undefined when the table does not know the type. */
export function replacementPaths(type: string): readonly string[] | undefined {
    return REPLACEMENTS.types[type];
}

/** True when a change at `path` (property names and list indices) replaces a resource of `type`. */
export function forcesReplacement(type: string, path: readonly (string | number)[]): boolean {
    const listed = replacementPaths(type);
    if (!listed) {
        return false;
    }
    const names = path.filter((p): p is string => typeof p === "string");
    return names.some((_, i) => listed.includes(names.slice(0, i + 1).join(".")));
}
