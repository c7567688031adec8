// The checkpoint format of `pulumi stack export` (deployment version 3): the engine's one model of a stack, whether
// it comes from an offline preview or from the export of a real deployed stack.

/** The value Pulumi sends for "not known until the resource is created". */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key and value that mark a secret (and other special values) in state and on the wire. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface StateResource {
    urn: string;
    custom: boolean;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace?: boolean;
    /** The id the resource was imported with (the import resource option), as the engine records it. */
    importID?: string;
    /** Provider reference `urn::id`. */
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    ignoreChanges?: string[];
    /** Input paths whose change replaces the resource, whatever the provider says (the replaceOnChanges option). */
    replaceOnChanges?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
}

export interface Deployment {
    version: 3;
    deployment: {
        manifest: { time: string; magic: string; version: string };
        secrets_providers?: { type: string; state?: unknown };
        resources: StateResource[];
    };
}

export type Secret = { [SIG_KEY]: typeof SECRET_SIG; plaintext?: string; ciphertext?: string };

export function isSecret(value: unknown): value is Secret {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/** The stack segment of `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function urnStack(urn: string): string {
    return urn.slice("urn:pulumi:".length).split("::")[0];
}

export function urnProject(urn: string): string {
    return urn.split("::")[1];
}

/** The provider's URN in a provider reference `urn::id`. */
export function providerUrn(reference: string): string {
    return reference.slice(0, reference.lastIndexOf("::"));
}

export function isProviderType(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}
