// Reads a Pulumi project and one stack's configuration the way the CLI does, without a backend.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

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
    /** Keys whose values were `secure:` in the stack file; their text is a placeholder. */
    readonly secretKeys: string[];
}

/** What a secret config value reads as offline: the real ciphertext can only be decrypted by the stack's backend. */
export const SECRET_PLACEHOLDER = "offline-secret-placeholder";

export function loadProject(root: string): Project {
    const file = path.join(root, "Pulumi.yaml");
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { name?: string; main?: string; config?: Record<string, { default?: unknown }> };
    if (!doc?.name) {
        throw new Error(`${file}: no project name`);
    }
    const configDefaults = Object.fromEntries(Object.entries(doc.config ?? {})
        .filter(([, spec]) => spec?.default !== undefined)
        .map(([key, spec]) => [key.includes(":") ? key : `${doc.name}:${key}`, spec.default]));
    return { root, name: doc.name, main: path.resolve(root, doc.main ?? "."), configDefaults };
}

/** The stack file `Pulumi.<stack>.yaml` (or `configFile`), with keys qualified by the project name as the CLI does. */
export function loadStackSettings(project: Project, stack: string, configFile?: string): StackSettings {
    const file = configFile ?? path.join(project.root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no configuration for stack '${stack}': ${file} does not exist`);
    }
    const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries({ ...project.configDefaults, ...doc.config })) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        if (isSecure(value)) {
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys };
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}
