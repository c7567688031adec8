// Comparing a resource's inputs as the engine compares them before asking the provider (pulumi/pulumi
// pkg/resource/deploy/step_generator.go, `diff` and `processIgnoreChanges`; docs/day-two.md, "How the plan is made").
import { isSecret, UNKNOWN } from "../state";

export type Path = (string | number)[];
type Props = Record<string, unknown>;

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);

/** A real export lists, per object, the keys the provider filled with its defaults (the Terraform bridge's `__defaults`). */
const DEFAULTS = "__defaults";

/** A secret's value when known: ours carry plaintext, a real export's only ciphertext (undefined then). */
function secretValue(v: unknown): { known: boolean; value: unknown } {
    if (!isSecret(v)) {
        return { known: true, value: v };
    }
    return v.plaintext === undefined
        ? { known: false, value: undefined }
        : { known: true, value: JSON.parse(v.plaintext) };
}

/** Where `next` differs from `prev`: paths of property names and list indices (a whole list when its length changes). */
export function changedPaths(prev: unknown, next: unknown, path: Path = []): Path[] {
    const a = secretValue(prev);
    const b = secretValue(next);
    if (!a.known || !b.known) {
        return []; // ciphertext against anything: equal unless both are plaintext
    }
    const [x, y] = [a.value, b.value];
    if (y === UNKNOWN || x === UNKNOWN) {
        return x === y ? [] : [path];
    }
    if (Array.isArray(x) && Array.isArray(y)) {
        return x.length !== y.length ? [path] : y.flatMap((v, i) => changedPaths(x[i], v, [...path, i]));
    }
    if (isObject(x) && isObject(y)) {
        const defaults = Array.isArray(x[DEFAULTS]) ? (x[DEFAULTS] as string[]) : [];
        const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => k !== DEFAULTS);
        return keys
            .filter((k) => !(y[k] === undefined && defaults.includes(k)))
            .flatMap((k) => changedPaths(x[k], y[k], [...path, k]));
    }
    const absent = (v: unknown) => v === undefined || v === null;
    if (absent(x) && absent(y)) {
        return [];
    }
    return JSON.stringify(x) === JSON.stringify(y) ? [] : [path];
}

/**
 * The new inputs with each `ignoreChanges` path (dotted property names) set back to its old value, or left out when
 * the old inputs lack it, as the engine does (pulumi/pulumi pkg/resource/deploy/step_generator.go processIgnoreChanges:
 * "!hasOld && hasNew: path.Delete").
 */
export function keepIgnored(prev: Props, next: Props, ignore: readonly string[]): Props {
    const out = structuredClone(next);
    for (const p of ignore) {
        const keys = p.split(".");
        let from: unknown = prev;
        let to: unknown = out;
        for (const k of keys.slice(0, -1)) {
            from = isObject(from) ? from[k] : undefined;
            to = isObject(to) ? to[k] : undefined;
        }
        const last = keys[keys.length - 1];
        if (isObject(from) && isObject(to) && last in from) {
            to[last] = from[last];
        } else if (isObject(to)) {
            delete to[last];
        }
    }
    return out;
}

/** Each string of `value` holding one of `pairs`' keys rewritten: to the other value's string, or wholly unknown. */
export function substitute(value: unknown, pairs: ReadonlyMap<string, string>): unknown {
    return pairs.size === 0 ? value : substituteIn(value, longestFirst(pairs));
}

const sorted = new WeakMap<ReadonlyMap<string, string>, [string, string][]>();
/** Longest first: an endpoint holding its group's id is swapped whole, before the id inside it. */
function longestFirst(pairs: ReadonlyMap<string, string>): [string, string][] {
    if (!sorted.has(pairs)) {
        sorted.set(
            pairs,
            [...pairs].sort(([a], [b]) => b.length - a.length),
        );
    }
    return sorted.get(pairs)!;
}

// Base64 of text (a launch template's user data holds the file system's ids inside it).
const BASE64 = /^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function decodedText(s: string): string | undefined {
    if (!BASE64.test(s)) {
        return undefined;
    }
    const text = Buffer.from(s, "base64").toString("utf8");
    return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes("\ufffd") ? text : undefined;
}

function substituteString(value: string, pairs: readonly [string, string][]): string {
    let s = value;
    for (const [from, to] of pairs) {
        if (s.includes(from)) {
            if (to === UNKNOWN) {
                return UNKNOWN; // a value computed from an unknown is unknown as a whole
            }
            s = s.split(from).join(to);
        }
    }
    return s;
}

function substituteIn(value: unknown, pairs: readonly [string, string][]): unknown {
    if (isSecret(value)) {
        return value;
    }
    if (typeof value === "string") {
        const text = decodedText(value);
        if (text === undefined) {
            return substituteString(value, pairs);
        }
        const swapped = substituteString(text, pairs);
        return swapped === UNKNOWN
            ? UNKNOWN
            : swapped === text
              ? value
              : Buffer.from(swapped, "utf8").toString("base64");
    }
    if (Array.isArray(value)) {
        return value.map((v) => substituteIn(v, pairs));
    }
    if (isObject(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteIn(v, pairs)]));
    }
    return value;
}

/** A path as the plan prints it: `rootBlockDevice[0].volumeType`. */
export function showPath(path: Path): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("") || "(whole)";
}
