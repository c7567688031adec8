// Reads a Terraform provider resource's schema from its Go source, as text: which attributes force a new resource.
// SDKv2 marks them `ForceNew: true` (nested blocks inside `Elem: &schema.Resource{...}`), CustomizeDiff functions call
// `d.ForceNew(attr)` or `customdiff.ForceNewIf...`; the Plugin Framework uses the `RequiresReplace()` plan modifiers
// (`RequiresReplaceIf...` when conditional). Not a Go parser: balanced braces, string literals and comments skipped.

export interface Attribute {
    /** Terraform path, nested block names and attribute joined by dots. */
    readonly path: string;
    /** Its value is a list or set of more than one element (the Pulumi name is then plural). */
    readonly list: boolean;
    /** Undefined: changing it updates in place; "always", or a word saying when it forces a new resource. */
    readonly replaces?: string;
}

/** The index just past the brace that closes the one at `open`. */
function closing(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "`") {
            const end = c === "`" ? text.indexOf("`", i + 1) : stringEnd(text, i);
            i = end < 0 ? text.length : end;
        } else if (c === "/" && text[i + 1] === "/") {
            const end = text.indexOf("\n", i);
            i = end < 0 ? text.length : end;
        } else if (c === "{") {
            depth++;
        } else if (c === "}" && --depth === 0) {
            return i + 1;
        }
    }
    throw new Error(`unbalanced braces from offset ${open}`);
}

function stringEnd(text: string, start: number): number {
    for (let i = start + 1; i < text.length; i++) {
        if (text[i] === "\\") {
            i++;
        } else if (text[i] === '"') {
            return i;
        }
    }
    return -1;
}

/** The text of a Go function's body (with braces), or undefined. `name` may be `(r *x) Schema`. */
export function funcBody(text: string, name: string): string | undefined {
    const at = new RegExp(`\\nfunc\\s+${name.replace(/[()*]/g, (c) => `\\${c}`).replace(/\s+/g, "\\s*")}\\s*\\(`).exec(
        text,
    );
    if (!at) {
        return undefined;
    }
    const open = text.indexOf("{", bodyStart(text, at.index + at[0].length - 1));
    return text.slice(open, closing(text, open));
}

/** Skips a parameter list and the result type (which may itself hold braces, e.g. `map[string]*schema.Schema`). */
function bodyStart(text: string, paren: number): number {
    let depth = 0;
    for (let i = paren; i < text.length; i++) {
        if (text[i] === "(") {
            depth++;
        } else if (text[i] === ")" && --depth === 0) {
            const line = text.slice(i + 1, text.indexOf("\n", i));
            return i + 1 + line.lastIndexOf("{");
        }
    }
    return text.length;
}

/** The entries of a Go map literal `{ key: value, ... }`: the key expression and the value's text. */
function mapEntries(literal: string): { key: string; value: string }[] {
    const entries: { key: string; value: string }[] = [];
    const key = /\s*(?:\/\/[^\n]*\n\s*)*("[^"]+"|[A-Za-z_][\w.]*)\s*:\s*/y;
    let i = 1;
    while (i < literal.length - 1) {
        key.lastIndex = i;
        const m = key.exec(literal);
        if (!m) {
            break;
        }
        const start = key.lastIndex;
        const end = valueEnd(literal, start);
        entries.push({ key: m[1], value: literal.slice(start, end) });
        i = end + 1;
    }
    return entries;
}

/** Where a value inside a literal ends: the comma at its own depth. */
function valueEnd(text: string, start: number): number {
    for (let i = start; i < text.length; i++) {
        const c = text[i];
        if (c === "{") {
            i = closing(text, i) - 1;
        } else if (c === "(" || c === "[") {
            i = matching(text, i) - 1;
        } else if (c === '"' || c === "`") {
            i = c === "`" ? text.indexOf("`", i + 1) : stringEnd(text, i);
        } else if (c === "," || c === "}") {
            return i;
        }
    }
    return text.length;
}

function matching(text: string, open: number): number {
    const [o, c] = text[open] === "(" ? ["(", ")"] : ["[", "]"];
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === '"') {
            i = stringEnd(text, i);
        } else if (text[i] === o) {
            depth++;
        } else if (text[i] === c && --depth === 0) {
            return i + 1;
        }
    }
    return text.length;
}

/** The brace literal that follows the first match of `marker` in `text`, or undefined. */
export function literalAfter(text: string, marker: RegExp): string | undefined {
    const m = marker.exec(text);
    if (!m) {
        return undefined;
    }
    const open = text.indexOf("{", m.index + m[0].length - 1);
    return text.slice(open, closing(text, open));
}

/** `text` without the brace literals that follow `marker` (nested schemas), so their flags are not the parent's. */
function withoutNested(text: string, marker: RegExp): string {
    let out = text;
    for (let m = marker.exec(out); m; m = marker.exec(out)) {
        const open = out.indexOf("{", m.index + m[0].length - 1);
        out = out.slice(0, m.index) + out.slice(closing(out, open));
    }
    return out;
}

/** `text` without line comments (a flag named in a comment is not set). */
function withoutComments(text: string): string {
    return text.replace(/\/\/[^\n]*/g, "");
}

export type Names = (key: string) => string | undefined;

/** A key expression as a name: a string literal, or a constant `names` resolves (names.AttrCIDRBlock). */
function keyName(key: string, names: Names): string | undefined {
    const name = key.startsWith('"') ? key.slice(1, -1) : names(key);
    return name?.replace(/\.\d+(?=\.|$)/g, ""); // "launch_template.0.version": list elements unindexed
}

export const SDK_MAP = /(?:map\[string\]\*schema\.Schema\s*)\{/;
const SDK_ELEM = /Elem:\s*&schema\.Resource\s*\{/;

/**
 * The attributes of an SDKv2 schema map literal, nested blocks included. `resolve` turns a function name into the
 * schema map literal it returns (for `Elem: fooSchema()` and shared maps), when it can.
 */
export function sdkAttributes(
    map: string,
    names: Names,
    resolve: (fn: string) => string | undefined,
    prefix = "",
): Attribute[] {
    return mapEntries(map).flatMap(({ key, value }) => {
        const name = keyName(key, names);
        if (!name || !value.trimStart().startsWith("{")) {
            return [];
        }
        const path = prefix + name;
        const own = withoutComments(withoutNested(value, SDK_ELEM));
        const list = /Type:\s*schema\.Type(List|Set)/.test(own) && !/MaxItems:\s*1\s*,/.test(own);
        const attribute: Attribute = { path, list, replaces: /ForceNew:\s*true/.test(own) ? "always" : undefined };
        return [attribute, ...sdkNested(value, names, resolve, `${path}.`)];
    });
}

function sdkNested(
    value: string,
    names: Names,
    resolve: (fn: string) => string | undefined,
    prefix: string,
): Attribute[] {
    const elem = literalAfter(value, SDK_ELEM);
    const called = /Elem:\s*(\w+)\(\)/.exec(value)?.[1];
    const resource = elem ?? (called ? resolve(called) : undefined);
    const map =
        resource &&
        (literalAfter(resource, /Schema:\s*map\[string\]\*schema\.Schema\s*\{/) ?? mapCall(resource, resolve));
    return map ? sdkAttributes(map, names, resolve, prefix) : [];
}

/** `Schema: fooSchema(),` inside a resource literal: the map that function returns. */
function mapCall(resource: string, resolve: (fn: string) => string | undefined): string | undefined {
    const fn = /Schema:\s*(\w+)\(\)/.exec(resource)?.[1];
    return fn ? resolve(fn) : undefined;
}

/** SDKv2 CustomizeDiff calls that force a new resource: attribute name -> the function that decides (the condition). */
export function customizeDiffForceNew(source: string, names: Names): Map<string, string> {
    const found = new Map<string, string>();
    const funcs = [...source.matchAll(/\nfunc\s+(?:\([^)]*\)\s*)?(\w+)\s*\(/g)];
    const enclosing = (at: number) => funcs.filter((f) => f.index < at).pop()?.[1] ?? "customizeDiff";
    for (const m of source.matchAll(/\.ForceNew\(\s*("[^"]+"|[\w.]+)\s*\)/g)) {
        const name = keyName(m[1], names);
        if (name) {
            found.set(name, enclosing(m.index));
        }
    }
    for (const m of source.matchAll(/customdiff\.(ForceNewIf\w*)\(\s*("[^"]+"|[\w.]+)/g)) {
        const name = keyName(m[2], names);
        if (name) {
            found.set(name, `${m[1]} in ${enclosing(m.index)}`);
        }
    }
    return found;
}

const PF_NESTED =
    /(?:NestedObject:\s*schema\.Nested(?:Block|Attribute)Object\s*\{|Attributes:\s*map\[string\]schema\.Attribute\s*\{|Blocks:\s*map\[string\]schema\.Block\s*\{)/g;

/** The attributes and blocks of a Plugin Framework schema (or nested object) literal `{ Attributes: ..., Blocks: ... }`. */
export function frameworkAttributes(object: string, names: Names, prefix = ""): Attribute[] {
    return mapEntries(object)
        .filter(({ key }) => key === "Attributes" || key === "Blocks")
        .flatMap(({ value }) => {
            const map = literalAfter(value, /map\[string\]schema\.(?:Attribute|Block)\s*\{/);
            return map ? mapEntries(map).flatMap((entry) => frameworkEntry(entry.key, entry.value, names, prefix)) : [];
        });
}

function frameworkEntry(key: string, value: string, names: Names, prefix: string): Attribute[] {
    const name = keyName(key, names);
    if (!name || !/^\s*schema\.\w+\s*\{/.test(value)) {
        return [];
    }
    const path = prefix + name;
    const own = withoutComments(withoutNested(value, new RegExp(PF_NESTED.source, "g")));
    const conditional = /RequiresReplaceIf(\w*)\(\s*(?:\w+\.)?(\w*)/.exec(own);
    const replaces = /RequiresReplace\(\)/.test(own)
        ? "always"
        : conditional
          ? `if${conditional[1] || ` ${conditional[2]}`}`
          : undefined;
    const list =
        /schema\.(List|Set)(Nested)?(Attribute|Block)\b/.test(value) && !/listvalidator\.SizeAtMost\(1\)/.test(own);
    const nested = literalAfter(value, /NestedObject:\s*schema\.Nested(?:Block|Attribute)Object\s*\{/);
    return [{ path, list, replaces }, ...(nested ? frameworkAttributes(nested, names, `${path}.`) : [])];
}
