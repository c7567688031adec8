// policy:check as an operator auditing any stack runs it: real export shapes (component outputs holding resource
// references, the provider's old type tokens, secrets, pending operations, an empty stack) and malformed input, each
// with the README's exit code (0 no mandatory violation, 1 a mandatory violation, 2 the input, a pack or its config
// failed) and a message that names the file, resource or pack. The malformed inputs are generated here.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EC2_SECURITY_GROUP, S3_BUCKET } from "../../policies/lib/types";
import { Run, run } from "../helpers/cli";
import { ROOT } from "../helpers/stacks";

const EKS = "tests/fixtures/exports/eks-component-refs.json";
const EMPTY = "tests/fixtures/exports/empty-stack.json";
const BASELINE = ["--policy-pack", "policies/aws-baseline"];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));

/** A file in the temporary folder, its path. */
function write(name: string, content: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

const eks = JSON.parse(fs.readFileSync(path.join(ROOT, EKS), "utf8"));
/** The EKS export with its resources changed by `f`. */
const eksWith = (name: string, f: (resources: Record<string, unknown>[]) => unknown[]) =>
    write(name, { ...eks, deployment: { ...eks.deployment, resources: f(structuredClone(eks.deployment.resources)) } });

const check = (...args: string[]) => run("policy-check.ts", args);

/** Exit 2 with a message matching `pattern`, and no stack frame. */
async function failsWith(result: Promise<Run>, pattern: RegExp): Promise<void> {
    const { code, stdout, stderr } = await result;
    assert.strictEqual(code, 2, `${stdout}\n${stderr}`);
    assert.match(stderr, pattern);
    assert.doesNotMatch(stderr, /^\s+at /m, "a raw stack trace");
}

describe("policy:check", function () {
    this.timeout(300_000); // seven runs start their packs together on a shared machine
    // Runs that start packs begin when the spec loads, together; input errors are refused before any pack starts.
    const allAdvisory = write("all-advisory.json", { all: "advisory" });
    const runs = {
        eks: check(EKS),
        configFirst: check(EKS, ...BASELINE, "--policy-pack", "policies/magento", "--policy-pack-config", allAdvisory),
        configSecond: check(EKS, "--policy-pack", "policies/magento", ...BASELINE, "--policy-pack-config", allAdvisory),
        empty: check(EMPTY, ...BASELINE),
        throws: check(EKS, "--policy-pack", "tests/fixtures/packs/throws"),
        exits: check(EKS, "--policy-pack", "tests/fixtures/packs/exits"),
        badConfig: check(
            EKS,
            ...BASELINE,
            "--policy-pack-config",
            write("bad-config.json", {
                all: "warn",
                "no-such-rule": "advisory",
                "required-tags": { requiredTags: "Owner", tagz: [] },
                "s3-bucket-hardening": { enforcementLevel: 1 },
            }),
        ),
        unknownSignature: check(
            eksWith("signature.json", (rs) => {
                (rs[4].outputs as Record<string, unknown>).tags = {
                    "4dabf18193072939515e22adb298388d": "0123456789abcdef0123456789abcdef",
                };
                return rs;
            }),
            ...BASELINE,
        ),
    };
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("checks an export whose component outputs hold resource references, sending ids and URNs as the CLI does", async () => {
        const { code, stdout, stderr } = await runs.eks;
        assert.doesNotMatch(stderr, /Unrecognized signature/);
        assert.strictEqual(code, 1, stderr); // the EKS security group lacks our required tags: a true mandatory violation
        assert.match(stdout, /\[mandatory\]  required-tags  \(aws:ec2:SecurityGroup cluster-eksClusterSecurityGroup\)/);
    });

    it("reports the export's pending operations instead of dropping them", async () => {
        const { stdout } = await runs.eks;
        assert.match(
            stdout,
            /Pending operations \(1\)[^\n]*\n\s+creating  urn:pulumi:dev::aws-ts-eks::aws:ec2\/instance:Instance::bastion/,
        );
    });

    it("pairs --policy-pack-config with --policy-pack by position; a pack without one keeps its defaults", async () => {
        assert.strictEqual((await runs.configFirst).code, 0, "aws-baseline all advisory: no mandatory violation");
        const second = await runs.configSecond;
        assert.strictEqual(second.code, 1, "the config belongs to magento; aws-baseline keeps required-tags mandatory");
        assert.match(second.stdout, /\[mandatory\]  required-tags/);
    });

    it("takes an empty stack's export, which has no resources key, and exits 0", async () => {
        assert.ok(!("resources" in JSON.parse(fs.readFileSync(path.join(ROOT, EMPTY), "utf8")).deployment));
        const { code, stderr } = await runs.empty;
        assert.strictEqual(code, 0, stderr);
    });

    it("exits 2, naming the pack and the resource, when a rule throws", () =>
        failsWith(
            runs.throws,
            /policy pack \S+packs\/throws failed in analyze of urn:pulumi:dev::aws-ts-eks::\S+::cluster-eksRole-role: [^]*TypeError: Cannot read properties/,
        ));

    it("exits 2, naming the pack and its last words, when a pack's process dies mid-run, instead of waiting on it", () =>
        failsWith(
            runs.exits,
            /policy pack \S+packs\/exits failed( in \w+( of \S+)?)?: its process ended \(exit 7\):\nout of memory \(a test fixture\)/,
        ));

    it("validates pack config against the pack's rules and schemas, naming each wrong key and what is allowed", async () => {
        const { stderr } = await runs.badConfig;
        await failsWith(runs.badConfig, /invalid --policy-pack-config \S+bad-config\.json/);
        assert.match(
            stderr,
            /all: "warn" is not an enforcement level \(allowed: advisory, mandatory, disabled, remediate\)/,
        );
        assert.match(stderr, /no-such-rule: the pack has no such policy; allowed: all, [^\n]*required-tags/);
        assert.match(
            stderr,
            /required-tags\.tagz: not a property of this policy; allowed: enforcementLevel, requiredTags/,
        );
        assert.match(stderr, /required-tags\.requiredTags: must be array/);
        assert.match(stderr, /s3-bucket-hardening\.enforcementLevel: 1 is not an enforcement level/);
    });

    it("exits 2 naming the resource and property of a value with an unknown signature", () =>
        failsWith(
            runs.unknownSignature,
            /cluster-eksRole-role: tags has the unknown signature '0123456789abcdef0123456789abcdef'/,
        ));

    describe("refuses malformed input with exit 2, naming the file and the fix", () => {
        const cases: [string, () => string[], RegExp][] = [
            [
                "a JSON syntax error",
                () => [write("syntax.json", '{"version": 3, "deployment": {')],
                /syntax\.json is not valid JSON: /,
            ],
            ["a directory", () => [tmp], /is a directory; give the JSON file `pulumi stack export --file FILE` writes/],
            ["a missing file", () => [path.join(tmp, "missing.json")], /missing\.json does not exist/],
            [
                "another version",
                () => [write("v1.json", { version: 1, deployment: {} })],
                /v1\.json is not a stack export \(version 1\): expected \{"version": 3 or 4/,
            ],
            [
                "resources that are not a list",
                () => [write("map.json", { version: 3, deployment: { resources: {} } })],
                /deployment\.resources must be a list/,
            ],
            [
                "a resource without urn",
                () => [eksWith("no-urn.json", (rs) => [...rs, { type: S3_BUCKET, custom: true }])],
                /deployment\.resources\[7\] has no urn; a URN reads urn:pulumi:<stack>::<project>::<type>::<name>/,
            ],
            [
                "a malformed URN",
                () => [eksWith("bad-urn.json", (rs) => [...rs, { urn: "aws-sg-1", type: EC2_SECURITY_GROUP }])],
                /deployment\.resources\[7\] 'aws-sg-1' is not a URN/,
            ],
            [
                "a resource without type",
                () => [eksWith("no-type.json", (rs) => [...rs, { urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b" }])],
                /resources\[7\] \(urn:pulumi:dev::p::aws:s3\/bucket:Bucket::b\) has no type/,
            ],
            [
                "a config file with a syntax error",
                () => [EKS, ...BASELINE, "--policy-pack-config", write("config.json", "{all: advisory}")],
                /config\.json is not valid JSON/,
            ],
            [
                "more configs than packs",
                () => [
                    EKS,
                    ...BASELINE,
                    "--policy-pack-config",
                    write("a.json", {}),
                    "--policy-pack-config",
                    write("b.json", {}),
                ],
                /2 --policy-pack-config files for 1 policy packs/,
            ],
            ["no export file", () => [...BASELINE], /no export file given; usage: npm run policy:check -- FILE/],
            [
                "a folder that is not a pack",
                () => [EKS, "--policy-pack", "tests/fixtures"],
                /tests\/fixtures is not a policy pack: it has no PulumiPolicy\.yaml/,
            ],
            [
                "a pack without its dependencies",
                () => {
                    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-"));
                    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
                    return [EKS, "--policy-pack", dir];
                },
                /its dependencies are not installed \(no @pulumi\/pulumi\); run npm install in /,
            ],
        ];
        for (const [what, args, message] of cases) {
            it(what, () => failsWith(check(...args()), message));
        }
        // preview:offline reads the stack file before it runs anything.
        it("a stack file with a YAML syntax error, for preview:offline", () =>
            failsWith(
                run("preview.ts", [
                    "--stack",
                    "prod",
                    "--config-file",
                    write("bad.yaml", "config:\n  magento:profile: production\n   bad: [\n"),
                ]),
                /bad\.yaml is not valid YAML: .* at line 2, column \d+/,
            ));
        it("a directory as the stack file, for preview:offline", () =>
            failsWith(
                run("preview.ts", ["--stack", "prod", "--config-file", tmp]),
                /is a directory; give the stack's configuration file \(Pulumi\.prod\.yaml\)/,
            ));
    });
});
