// Reading property values that a preview may not know yet. The policy SDK throws when a rule reads an unknown value
// and turns the whole rule into an advisory; these helpers let a rule decide from what is known instead.
import { UnknownValueError } from "@pulumi/policy";

/** Stands for a value the preview does not know yet (e.g. an id, or user data embedding a DNS name). */
export const NOT_KNOWN: unique symbol = Symbol("not known during preview");

/** The value at `path` inside `obj`: undefined when absent, NOT_KNOWN when a preview does not know it yet. */
export function read(obj: unknown, ...path: (string | number)[]): unknown {
    let value = obj;
    for (const key of path) {
        if (typeof value !== "object" || value === null || !(key in value)) {
            return undefined;
        }
        try {
            value = (value as Record<string | number, unknown>)[key];
        } catch (e) {
            if (e instanceof UnknownValueError) {
                return NOT_KNOWN;
            }
            throw e;
        }
    }
    return value;
}

/** True when a value (from `read`) is known and fails `ok`; a value not known yet (preview) passes, and the update,
 *  which knows it, decides. */
export function fails(value: unknown, ok: (v: unknown) => boolean): boolean {
    return value !== NOT_KNOWN && !ok(value);
}

/** The value at `path` when known; undefined when absent or not known yet. */
export function known(obj: unknown, ...path: (string | number)[]): unknown {
    const value = read(obj, ...path);
    return value === NOT_KNOWN ? undefined : value;
}

/** The string at `path` when known. */
export function knownString(obj: unknown, ...path: (string | number)[]): string | undefined {
    const value = known(obj, ...path);
    return typeof value === "string" ? value : undefined;
}

/**
 * True when the program set a value at `path`: a value not known yet counts (the program wired another resource's
 * output, say a generated AUTH token or a subnet id), an empty string or array does not. Never reads a secret's text.
 */
export function isSet(obj: unknown, ...path: (string | number)[]): boolean {
    const value = read(obj, ...path);
    return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
}

/** The known string entries of a map (tags, environment variables); entries not known yet are left out. */
export function knownEntries(map: unknown): [string, string][] {
    if (typeof map !== "object" || map === null) {
        return [];
    }
    return Object.keys(map).flatMap((key) => {
        const value = known(map, key);
        return typeof value === "string" ? [[key, value] as [string, string]] : [];
    });
}

/** A resource's known tags, with those a launch template gives its instances and volumes (tagSpecifications). */
export function knownTags(props: unknown): [string, string][] {
    const specifications = known(props, "tagSpecifications");
    const specified = indices(specifications).flatMap((i) => knownEntries(known(specifications, i, "tags")));
    return [...knownEntries(known(props, "tags")), ...specified];
}

/** The indices of an array, read without touching its elements (any of which may not be known yet). */
export function indices(array: unknown): number[] {
    return Array.isArray(array) ? [...Array(array.length).keys()] : [];
}
