// Validates a `--policy-pack-config` document against the pack it is paired with, as the CLI does
// (pulumi/pulumi pkg/resource/analyzer/config.go: enforcement levels in parsePolicyPackConfig, each policy's
// properties against its config schema as an object with `properties` and `required`, with gojsonschema). Stricter
// than the CLI in two ways, both typos that would otherwise be ignored silently: a policy name the pack does not
// have, and a property its schema does not declare.
import Ajv, { ValidateFunction } from "ajv";
import { parseJson, readText } from "./export";

export const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
export type Level = (typeof LEVELS)[number];
export type PackConfig = Record<string, unknown>;

export interface PolicySchema {
    readonly name: string;
    /** The policy's configSchema `properties`, JSON schemas by key. */
    readonly properties: Record<string, object>;
    readonly required: string[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const allowedLevels = `allowed: ${LEVELS.join(", ")}`;

function levelProblem(where: string, level: unknown): string | undefined {
    return LEVELS.includes(level as Level)
        ? undefined
        : `${where}: ${JSON.stringify(level)} is not an enforcement level (${allowedLevels})`;
}

/** Every problem of `config` for a pack whose policies are `policies`; `merged(name)` is the policy's properties as
 *  they will be sent (defaults, the pack's initial config, then the user's). */
export function packConfigProblems(
    config: unknown,
    policies: readonly PolicySchema[],
    merged: (name: string) => Record<string, unknown>,
): string[] {
    if (!isObject(config)) {
        return [
            'the config must be a JSON object: {"all": level, "<policy>": level or {"enforcementLevel": level, ...properties}}',
        ];
    }
    const names = policies.map((p) => p.name);
    const problems: string[] = [];
    const add = (problem: string | undefined) => problem !== undefined && problems.push(problem);
    for (const [key, value] of Object.entries(config)) {
        const policy = policies.find((p) => p.name === key);
        if (key === "all") {
            add(levelProblem("all", value));
        } else if (!policy) {
            add(`${key}: the pack has no such policy; allowed: all, ${names.join(", ")}`);
        } else if (typeof value === "string") {
            add(levelProblem(key, value));
        } else if (isObject(value)) {
            const { enforcementLevel, ...properties } = value;
            add(enforcementLevel === undefined ? undefined : levelProblem(`${key}.enforcementLevel`, enforcementLevel));
            const declared = Object.keys(policy.properties);
            for (const property of Object.keys(properties).filter((p) => !declared.includes(p))) {
                add(
                    `${key}.${property}: not a property of this policy; allowed: enforcementLevel${declared.map((d) => `, ${d}`).join("")}`,
                );
            }
        } else {
            add(`${key}: ${JSON.stringify(value)} must be an enforcement level or an object`);
        }
    }
    for (const policy of policies) {
        const validate = validatorOf({ type: "object", properties: policy.properties, required: policy.required });
        if (!validate(merged(policy.name))) {
            problems.push(
                ...(validate.errors ?? []).map(
                    (e) =>
                        `${policy.name}${e.instancePath.replace(/\//g, ".")}: ${e.message}${allowedValues(e.params)}`,
                ),
            );
        }
    }
    return problems;
}

/** Each schema compiled once per process, by its text: a run configures every pack for itself, and compiling a
 *  pack's schemas again for each run cost the tests' process about 9 s of its 150 (hundreds of runs). */
const validators = new Map<string, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
        validate = ajv.compile(schema);
        validators.set(key, validate);
    }
    return validate;
}

function allowedValues(params: Record<string, unknown>): string {
    return Array.isArray(params.allowedValues) ? ` (allowed: ${params.allowedValues.join(", ")})` : "";
}

/** `--policy-pack-config FILE` values (JSON, as the CLI reads them; an empty file is no config, as for the CLI). */
export function readPackConfigs(files: readonly string[]): PackConfig[] {
    return files.map((f) => {
        const text = readText(f, "a JSON policy pack config file");
        return text.trim() === "" ? {} : (parseJson(f, text) as PackConfig);
    });
}
