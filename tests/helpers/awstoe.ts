// The AWSTOE component document schema, as AWS documents it, and a validator the specs share (awstoeProblems):
// the document (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html#document-schema),
// its steps' loops (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-looping-constructs.html), and
// each action module's inputs (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html).
// Image Builder runs the phases build and validate in its build stage and test in its test stage.
import Ajv, { ErrorObject } from "ajv";

const str = { type: "string", minLength: 1 } as const;
const bool = { type: "boolean" } as const;
const strings = { type: "array", items: str, minItems: 1 } as const;

/** An object with exactly these keys, `required` among them. */
function shape(properties: Record<string, object>, required: readonly string[]): object {
    return { type: "object", properties, required, additionalProperties: false };
}
/** The file modules take a list of such objects, one per file. */
const listOf = (item: object) => ({ type: "array", items: item, minItems: 1 });

const encoding = { type: "string", pattern: "^[Uu][Tt][Ff]-?(8|16|32)(-?[LlBb][Ee])?$" };
/** Octal permissions, which CreateFile and the permission modules take as a string. */
const permissions = { type: "string", pattern: "^0?[0-7]{3,4}$" };
const copy = listOf(shape({ source: str, destination: str, overwrite: bool }, ["source", "destination"]));

/** Each action module and what its `inputs` must be. */
const INPUTS: Record<string, object> = {
    ExecuteBash: shape({ commands: strings }, ["commands"]),
    ExecuteBinary: shape({ path: str, arguments: { type: "array", items: { type: "string" } } }, ["path"]),
    ExecuteDocument: shape(
        {
            document: str,
            "document-s3-bucket-owner": str,
            phases: str,
            parameters: { type: "array", items: shape({ name: str, value: { type: "string" } }, ["name", "value"]) },
        },
        ["document"],
    ),
    ExecutePowerShell: {
        oneOf: [shape({ commands: strings }, ["commands"]), shape({ file: str }, ["file"])],
    },
    S3Download: listOf(
        shape(
            {
                source: { type: "string", pattern: "^s3://" },
                destination: str,
                expectedBucketOwner: str,
                overwrite: bool,
            },
            ["source", "destination"],
        ),
    ),
    S3Upload: listOf(
        shape(
            {
                source: str,
                destination: { type: "string", pattern: "^s3://" },
                recurse: { type: ["string", "boolean"] },
                expectedBucketOwner: str,
            },
            ["source", "destination"],
        ),
    ),
    WebDownload: listOf(
        shape(
            {
                source: { type: "string", pattern: "^https?://" },
                destination: str,
                overwrite: bool,
                checksum: str,
                algorithm: { enum: ["MD5", "SHA1", "SHA256", "SHA512"] },
                ignoreCertificateErrors: bool,
            },
            ["source", "destination"],
        ),
    ),
    AppendFile: listOf(shape({ path: str, content: { type: "string" }, encoding }, ["path"])),
    CopyFile: copy,
    CopyFolder: copy,
    MoveFile: copy,
    MoveFolder: copy,
    CreateFile: listOf(
        shape(
            { path: str, content: { type: "string" }, encoding, owner: str, group: str, permissions, overwrite: bool },
            ["path"],
        ),
    ),
    CreateFolder: listOf(shape({ path: str, owner: str, group: str, permissions, overwrite: bool }, ["path"])),
    CreateSymlink: listOf(shape({ path: str, target: str, force: bool }, ["path", "target"])),
    DeleteFile: listOf(shape({ path: str }, ["path"])),
    DeleteFolder: listOf(shape({ path: str, force: bool }, ["path"])),
    ListFiles: listOf(shape({ path: str, fileNamePattern: str, recursive: bool }, ["path"])),
    ReadFile: listOf(shape({ path: str, encoding, printFileContent: bool }, ["path"])),
    SetFileEncoding: listOf(shape({ path: str, encoding }, ["path"])),
    SetFileOwner: listOf(shape({ path: str, owner: str, group: str }, ["path", "owner"])),
    SetFolderOwner: listOf(shape({ path: str, owner: str, group: str, recursive: bool }, ["path", "owner"])),
    SetFilePermissions: listOf(shape({ path: str, permissions }, ["path", "permissions"])),
    SetFolderPermissions: listOf(shape({ path: str, permissions, recursive: bool }, ["path", "permissions"])),
    InstallMSI: { type: "object", required: ["path"] },
    UninstallMSI: { type: "object", required: ["path"] },
    Reboot: shape({ delaySeconds: { type: "integer", minimum: 0 } }, []),
    SetRegistry: listOf(shape({ path: str, name: str, value: {}, type: str }, ["path", "name", "value", "type"])),
    UpdateOS: shape({ include: strings, exclude: strings }, []),
};

/** Modules whose inputs may be left out (they have only optional ones). */
const INPUTS_OPTIONAL = new Set(["Reboot", "UpdateOS"]);

/** A loop: `for` over integers or `forEach` over a list or a delimited string. */
const loop = {
    type: "object",
    properties: {
        name: str,
        for: shape(
            { start: { type: "integer" }, end: { type: "integer" }, updateBy: { type: "integer", not: { const: 0 } } },
            ["start", "end", "updateBy"],
        ),
        forEach: {
            oneOf: [
                strings,
                shape({ list: str, delimiter: { type: "string", pattern: "^[.,;:\\n\\t _-]$" } }, ["list"]),
            ],
        },
    },
    oneOf: [{ required: ["for"] }, { required: ["forEach"] }],
    additionalProperties: false,
};

const step = {
    type: "object",
    properties: {
        name: str,
        action: { enum: Object.keys(INPUTS) },
        // -1 is no limit; 0 and other negatives are refused. Default 7200.
        timeoutSeconds: { type: "integer", anyOf: [{ const: -1 }, { minimum: 1 }] },
        onFailure: { enum: ["Abort", "Continue", "Ignore"] },
        maxAttempts: { type: "integer", minimum: 1 },
        loop,
        // Conditional constructs (toe-conditional-constructs.html): not used here, accepted as the docs allow them.
        if: { type: "object" },
        inputs: {},
    },
    required: ["name", "action"],
    additionalProperties: false,
    allOf: Object.entries(INPUTS).map(([action, inputs]) => ({
        if: { properties: { action: { const: action } } },
        then: { properties: { inputs }, required: INPUTS_OPTIONAL.has(action) ? [] : ["inputs"] },
    })),
};

export const AWSTOE_DOCUMENT_SCHEMA = {
    type: "object",
    properties: {
        name: { type: "string" },
        description: { type: "string" },
        // "1.0" as a string; YAML's unquoted 1.0 (the docs' examples) parses to the number 1.
        schemaVersion: { enum: ["1.0", 1] },
        parameters: { type: "array" },
        constants: { type: "array" },
        phases: {
            type: "array",
            minItems: 1,
            items: shape(
                { name: { enum: ["build", "validate", "test"] }, steps: { type: "array", items: step, minItems: 1 } },
                ["name", "steps"],
            ),
        },
    },
    required: ["schemaVersion", "phases"],
    additionalProperties: false,
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(AWSTOE_DOCUMENT_SCHEMA);

function message(e: ErrorObject): string {
    const where = e.instancePath || "/";
    return e.keyword === "additionalProperties"
        ? `${where}: unknown field '${String(e.params.additionalProperty)}'`
        : `${where}: ${e.message ?? e.keyword}`;
}

/** Uniqueness the schema cannot say: phase names within the document, step names within their phase. */
function duplicates(document: unknown): string[] {
    const phases = (document as { phases?: { name?: string; steps?: { name?: string }[] }[] }).phases ?? [];
    const repeated = (names: (string | undefined)[]) =>
        names.filter((n, i) => n !== undefined && names.indexOf(n) !== i);
    return [
        ...repeated(phases.map((p) => p.name)).map((n) => `/phases: phase '${n}' twice`),
        ...phases.flatMap((p) =>
            repeated((p.steps ?? []).map((s) => s.name)).map((n) => `phase ${p.name}: step '${n}' twice`),
        ),
    ];
}

/** What is wrong with an AWSTOE document, one line each; empty when AWS's documented schema admits it. */
export function awstoeProblems(document: unknown): string[] {
    const schema = validate(document) ? [] : [...new Set((validate.errors ?? []).map(message))];
    return [...schema, ...duplicates(document)];
}
