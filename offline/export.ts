// Reads a `pulumi stack export` file, ours or any real stack's, and refuses what the CLI would refuse with a message
// naming the file, the resource and the fix (docs/policy-check.md has the shapes and their sources).
import * as fs from "fs";
import { StateResource, urnProject, urnStack } from "./state";

/** What the engine was doing when the export was taken: the resource may or may not exist in the cloud. */
export interface PendingOperation {
    readonly type: string;
    readonly urn: string;
}

export interface LoadedDeployment {
    readonly resources: StateResource[];
    readonly stack: string;
    readonly project: string;
    readonly pending: PendingOperation[];
}

// Version 3 is what the CLI writes; 4 is the same shape with `features` (pulumi/pulumi sdk/go/common/apitype/core.go,
// DeploymentSchemaVersionCurrent and DeploymentSchemaVersionLatest).
const VERSIONS = [3, 4];
// urn:pulumi:<stack>::<project>::<qualified type>::<name>; the name may itself hold "::".
const URN = /^urn:pulumi:[^:]+::[^:]+::[^:]+(:[^:]+)*::.+$/;

/** Reads the text of a file, naming the file when it is missing or a directory. */
export function readText(file: string, what: string): string {
    if (!fs.existsSync(file)) {
        throw new Error(`${file} does not exist; give ${what}`);
    }
    if (fs.statSync(file).isDirectory()) {
        throw new Error(`${file} is a directory; give ${what}`);
    }
    return fs.readFileSync(file, "utf8");
}

/** JSON.parse with the file named in the error. */
export function parseJson(file: string, text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new Error(`${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkResource(file: string, where: string, r: unknown): StateResource {
    if (!isObject(r)) {
        throw new Error(`${file}: ${where} is not an object; each resource of an export has at least urn and type`);
    }
    if (typeof r.urn !== "string" || !URN.test(r.urn)) {
        const shown = typeof r.urn === "string" ? `'${r.urn}' is not a URN` : "has no urn";
        throw new Error(`${file}: ${where} ${shown}; a URN reads urn:pulumi:<stack>::<project>::<type>::<name>`);
    }
    if (typeof r.type !== "string" || r.type === "") {
        throw new Error(`${file}: ${where} (${r.urn}) has no type; the export must give each resource its type token`);
    }
    for (const key of ["inputs", "outputs"]) {
        if (r[key] !== undefined && !isObject(r[key])) {
            throw new Error(`${file}: ${where} (${r.urn}): ${key} must be an object of properties`);
        }
    }
    return r as unknown as StateResource;
}

/** Reads an export: `resources` may be absent (the CLI omits it for an empty stack), pending operations are kept. */
export function readDeployment(file: string): LoadedDeployment {
    const doc = parseJson(file, readText(file, "the JSON file `pulumi stack export --file FILE` writes"));
    if (!isObject(doc) || !VERSIONS.includes(doc.version as number) || !isObject(doc.deployment)) {
        const version = isObject(doc) ? ` (version ${JSON.stringify(doc.version)})` : "";
        throw new Error(
            `${file} is not a stack export${version}: expected {"version": 3 or 4, "deployment": {...}} as 'pulumi stack export' writes it`,
        );
    }
    const { resources = [], pending_operations: pending = [] } = doc.deployment;
    if (!Array.isArray(resources)) {
        throw new Error(`${file}: deployment.resources must be a list of resources`);
    }
    if (!Array.isArray(pending)) {
        throw new Error(`${file}: deployment.pending_operations must be a list of operations`);
    }
    const checked = resources.map((r, i) => checkResource(file, `deployment.resources[${i}]`, r));
    const operations = pending.map((op, i) => {
        const where = `deployment.pending_operations[${i}]`;
        if (!isObject(op)) {
            throw new Error(`${file}: ${where} is not an object {resource, type}`);
        }
        return { type: String(op.type), urn: checkResource(file, `${where}.resource`, op.resource).urn };
    });
    const first = checked[0]?.urn ?? operations[0]?.urn;
    return {
        resources: checked,
        pending: operations,
        stack: first ? urnStack(first) : "unknown",
        project: first ? urnProject(first) : "unknown",
    };
}
