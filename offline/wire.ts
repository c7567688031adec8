// Conversions between property values as the SDK serialises them on the wire (secrets as {sig, value}) and as
// state stores them (secrets as {sig, plaintext|ciphertext}).
import { SECRET_PLACEHOLDER } from "./project";
import { isSecret, SECRET_SIG, SIG_KEY } from "./state";

type Json = unknown;

/** Rebuilds a JSON value, letting `special` replace any node it recognises (returning undefined for the others). */
function rewrite(value: Json, special: (node: Json) => Json | undefined): Json {
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
    return rewrite(value, (node) => isWireSecret(node)
        ? { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(toState(node.value)) }
        : undefined);
}

/** State -> wire. A secret stored only as ciphertext (a real export) cannot be decrypted here: it reads as a placeholder. */
export function toWire(value: Json): Json {
    return rewrite(value, (node) => isSecret(node)
        ? { [SIG_KEY]: SECRET_SIG, value: toWire(node.plaintext === undefined ? SECRET_PLACEHOLDER : JSON.parse(node.plaintext)) }
        : undefined);
}

/** State as `pulumi stack export` writes it without --show-secrets: secrets are ciphertext, never their value. */
export function redactSecrets(value: Json): Json {
    return rewrite(value, (node) => isSecret(node) ? { [SIG_KEY]: SECRET_SIG, ciphertext: "offline-preview-secret" } : undefined);
}

function isWireSecret(node: Json): node is { value: Json } {
    return isSecret(node) && "value" in (node as object);
}
