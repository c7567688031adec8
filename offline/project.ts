// Reads a Pulumi project and one stack's configuration the way the CLI does, without a backend.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { UNDECRYPTED_SECRET } from "../stacks/errors";
import { readText } from "./export";

export interface Project {
    readonly root: string;
    readonly name: string;
    /** Absolute path of the program's entry point. */
    readonly main: string;
    /** Defaults of the keys Pulumi.yaml declares, by qualified key; the CLI applies them to every stack. */
    readonly configDefaults: Record<string, unknown>;
}

export interface StackSettings {
    /** Fully qualified keys ("magento:vpcCidr", "aws:region") to text, as the language host passes them. */
    readonly config: Record<string, string>;
    /** Keys whose values were `secure:` (or held secure leaves) in the stack file; those parts read as a placeholder. */
    readonly secretKeys: string[];
}

/** What a secret config value reads as offline: the real ciphertext can only be decrypted by the stack's backend, so
 *  the stack validation leaves such values unchecked (stacks/validate.ts). */
export const SECRET_PLACEHOLDER = UNDECRYPTED_SECRET;

export function loadProject(root: string): Project {
    const file = path.join(root, "Pulumi.yaml");
    const doc = parseYaml(file, readText(file, "the project's Pulumi.yaml")) as {
        name?: string;
        main?: string;
        config?: Record<string, { default?: unknown }>;
    };
    if (!doc?.name) {
        throw new Error(`${file}: no project name`);
    }
    const configDefaults = Object.fromEntries(
        Object.entries(doc.config ?? {})
            .filter(([, spec]) => spec?.default !== undefined)
            .map(([key, spec]) => [key.includes(":") ? key : `${doc.name}:${key}`, spec.default]),
    );
    return { root, name: doc.name, main: path.resolve(root, doc.main ?? "."), configDefaults };
}

/** The stack file `Pulumi.<stack>.yaml` (or `configFile`), with keys qualified by the project name as the CLI does. */
export function loadStackSettings(project: Project, stack: string, configFile?: string): StackSettings {
    const file = configFile ?? path.join(project.root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no configuration for stack '${stack}': ${file} does not exist`);
    }
    const doc = (parseYaml(file, readText(file, `the stack's configuration file (Pulumi.${stack}.yaml)`)) ?? {}) as {
        config?: Record<string, unknown>;
    };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries({ ...project.configDefaults, ...doc.config })) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        // A secure value, or a list or object with secure leaves (the CLI decrypts each and marks the key secret).
        const plain = withoutSecure(value);
        if (plain !== value) {
            secretKeys.push(key);
        }
        config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    }
    return { config, secretKeys };
}

/** YAML.parse with the file named in the error (the parser gives line and column). */
function parseYaml(file: string, text: string): unknown {
    try {
        return YAML.parse(text);
    } catch (e) {
        throw new Error(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`, { cause: e });
    }
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

/** The value with every secure leaf read as the placeholder; the same object when it has none. */
function withoutSecure(value: unknown): unknown {
    if (isSecure(value)) {
        return SECRET_PLACEHOLDER;
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const entries = Object.entries(value).map(([k, v]) => [k, withoutSecure(v)] as const);
    if (entries.every(([k, v]) => v === (value as Record<string, unknown>)[k])) {
        return value;
    }
    return Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

/** Pulumi.<stack>.yaml with some keys replaced, written to a temporary file (the path, for --config-file). */
export function stackFileWith(root: string, stack: string, changes: Readonly<Record<string, unknown>>): string {
    const doc = YAML.parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
    };
    Object.assign(doc.config, changes);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stack-")), `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, YAML.stringify(doc));
    return file;
}
