// Conversions between property values as the SDK serialises them on the wire (secrets as {sig, value}) and as
// state stores them (secrets as {sig, plaintext|ciphertext}).
import { SECRET_PLACEHOLDER } from "./project";
import { isSecret, SECRET_SIG, SIG_KEY, UNKNOWN } from "./state";

type Json = unknown;

/** Rebuilds a JSON value, letting `special` replace any node it recognises (returning undefined for the others). */
function rewrite(value: Json, special: (node: Json) => Json): Json {
    const replaced = special(value);
    if (replaced !== undefined) {
        return replaced;
    }
    if (Array.isArray(value)) {
        return value.map((v) => rewrite(v, special));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, special)]));
    }
    return value;
}

/** Wire -> state: a secret's value is kept as JSON text, as `pulumi stack export --show-secrets` writes it. */
export function toState(value: Json): Json {
    return rewrite(value, (node) =>
        isWireSecret(node) ? { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(toState(node.value)) } : undefined,
    );
}

// Signatures state may hold besides secrets (pulumi/pulumi sdk/go/common/resource/sig/sig.go; floats in
// pkg/resource/stack/deployment.go). Assets and archives reach a pack as they are; @pulumi/policy reads them.
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const BYTES_SIG = "803fd3297a5875dc03ca845dda5d2a98";
const FLOAT_SIG = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c";
const PASSED_SIGS = ["c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"];

/**
 * A resource reference as the CLI sends it to a pack: the CLI marshals analyzer properties without KeepResources
 * (pkg/resource/plugin/analyzer_plugin.go), so MarshalPropertyValue (sdk/go/common/resource/plugin/rpc.go) sends a
 * custom resource's id (unknown while it has none) and a component's URN, never the reference itself, which
 * @pulumi/policy's deserialiser does not take.
 */
function resourceReference(node: Record<string, unknown>): Json {
    if (!("id" in node)) {
        return node.urn;
    }
    return typeof node.id === "string" && node.id !== "" ? node.id : UNKNOWN;
}

function special(node: Json, path: string): Json {
    if (typeof node !== "object" || node === null || !(SIG_KEY in node)) {
        return undefined;
    }
    const n = node as Record<string, unknown>;
    switch (n[SIG_KEY]) {
        case SECRET_SIG:
            return {
                [SIG_KEY]: SECRET_SIG,
                value: toWire(n.plaintext === undefined ? SECRET_PLACEHOLDER : JSON.parse(n.plaintext as string), path),
            };
        case RESOURCE_SIG:
            return resourceReference(n);
        case BYTES_SIG:
            return Buffer.from(String(n.value), "base64").toString("utf8");
        case FLOAT_SIG:
            return Buffer.from(String(n.value).padStart(16, "0"), "hex").readDoubleBE(0);
        default:
            if (PASSED_SIGS.includes(n[SIG_KEY] as string)) {
                return undefined;
            }
            throw new Error(
                `${path || "a property"} has the unknown signature '${String(n[SIG_KEY])}' (the CLI refuses it too)`,
            );
    }
}

/** State -> wire, as the CLI sends properties to a pack. A secret stored only as ciphertext (a real export) cannot be
 *  decrypted here: it reads as a placeholder. `path` names the property in errors. */
export function toWire(value: Json, path = ""): Json {
    const replaced = special(value, path);
    if (replaced !== undefined) {
        return replaced;
    }
    if (Array.isArray(value)) {
        return value.map((v, i) => toWire(v, `${path}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v, path ? `${path}.${k}` : k)]));
    }
    return value;
}

/** State as `pulumi stack export` writes it without --show-secrets: secrets are ciphertext, never their value. */
export function redactSecrets(value: Json): Json {
    return rewrite(value, (node) =>
        isSecret(node) ? { [SIG_KEY]: SECRET_SIG, ciphertext: "offline-preview-secret" } : undefined,
    );
}

function isWireSecret(node: Json): node is { value: Json } {
    return isSecret(node) && "value" in (node as object);
}
