// Conversions between property values as the SDK serialises them on the wire (secrets as {sig, value}) and as
// state stores them (secrets as {sig, plaintext|ciphertext}).
import { SECRET_PLACEHOLDER } from "./project";
import { isSecret, SECRET_SIG, SIG_KEY } from "./state";

type Json = unknown;

/** Wire -> state: a secret's value is kept as JSON text, as `pulumi stack export --show-secrets` writes it. */
export function toState(value: Json): Json {
    if (Array.isArray(value)) {
        return value.map(toState);
    }
    if (isObject(value)) {
        if (value[SIG_KEY] === SECRET_SIG && "value" in value) {
            return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(toState(value.value)) };
        }
        return mapValues(value, toState);
    }
    return value;
}

/** State -> wire. A secret stored only as ciphertext (a real export) cannot be decrypted here: it reads as a placeholder. */
export function toWire(value: Json): Json {
    if (Array.isArray(value)) {
        return value.map(toWire);
    }
    if (isSecret(value)) {
        const inner = value.plaintext === undefined ? SECRET_PLACEHOLDER : JSON.parse(value.plaintext);
        return { [SIG_KEY]: SECRET_SIG, value: toWire(inner) };
    }
    if (isObject(value)) {
        return mapValues(value, toWire);
    }
    return value;
}

/** State as `pulumi stack export` writes it without --show-secrets: secrets are ciphertext, never their value. */
export function redactSecrets(value: Json): Json {
    if (Array.isArray(value)) {
        return value.map(redactSecrets);
    }
    if (isSecret(value)) {
        return { [SIG_KEY]: SECRET_SIG, ciphertext: "offline-preview-secret" };
    }
    if (isObject(value)) {
        return mapValues(value, redactSecrets);
    }
    return value;
}

function isObject(value: Json): value is Record<string, Json> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapValues(value: Record<string, Json>, f: (v: Json) => Json): Record<string, Json> {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, f(v)]));
}
