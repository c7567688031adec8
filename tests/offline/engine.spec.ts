// The two commands as an operator runs them: exit codes, what they print, and the export they write.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Deployment, SECRET_SIG, SIG_KEY, StateResource } from "../../offline/state";
import { EC2_SUBNET } from "../../policies/lib/types";
import { PROD_SINGLE_NAT } from "../fixtures/stacks";
import { run, runProcess } from "../helpers/cli";
import { ROOT, stackFile } from "../helpers/stacks";

/** The magento pack's version as the CLI reports it (its package.json), dots escaped for a RegExp. */
const MAGENTO = `magento@v${(require(path.join(ROOT, "policies", "magento", "package.json")) as { version: string }).version.replace(/\./g, "\\.")}`;

const CIPHERTEXT = "v1:c2VjcmV0LWNpcGhlcnRleHQ=";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "engine-spec-"));
const exportFile = path.join(tmp, "prod.json");
const unknownPack = "tests/fixtures/packs/reads-unknown";

describe("offline engine", function () {
    this.timeout(300_000); // five runs of the program start together on a shared machine
    // The runs start when the spec loads, together, and go on while earlier specs run; each test awaits the one it reads.
    // prod as committed, plus a provider secret as `pulumi config set --secret` writes it, an encrypted alarm address
    // and an encrypted item of the operators' list (`pulumi config set --secret --path 'operatorCidrs[1]'`).
    const withSecret = path.join(tmp, "prod-with-secret.yaml");
    fs.writeFileSync(
        withSecret,
        fs
            .readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")
            .replace("config:\n", `config:\n  aws:secretKey:\n    secure: ${CIPHERTEXT}\n`)
            .replace("magento:alarmEmail: ops@example.com", `magento:alarmEmail:\n    secure: ${CIPHERTEXT}`)
            .replace("    - 198.51.100.17/32\n", `    - secure: ${CIPHERTEXT}\n`),
    );
    const clean = run("preview.ts", [
        "--stack",
        "prod",
        "--config-file",
        withSecret,
        "--json",
        exportFile,
        "--policy-pack",
        "policies/magento",
        "--policy-pack",
        unknownPack,
    ]);
    const singleNat = run("preview.ts", [
        "--stack",
        "prod",
        "--config-file",
        stackFile("prod", PROD_SINGLE_NAT),
        "--policy-pack",
        "policies/magento",
    ]);
    const bad = path.join(tmp, "bad.yaml");
    fs.writeFileSync(
        bad,
        fs
            .readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")
            .replace("10.20.0.0/16", "10.20.0.0/20")
            .replace("ops@example.com", "ops"),
    );
    const badConfig = run("preview.ts", ["--stack", "prod", "--config-file", bad, "--policy-pack", unknownPack]);
    const mutated = path.join(tmp, "mutated.json");
    const audit = clean.then(() => {
        const doc = JSON.parse(fs.readFileSync(exportFile, "utf8")) as Deployment;
        const withoutNatC = doc.deployment.resources.filter(
            (r: StateResource) => !r.urn.endsWith("NatGateway::magento-prod-nat-c"),
        );
        fs.writeFileSync(
            mutated,
            JSON.stringify({ ...doc, deployment: { ...doc.deployment, resources: withoutNatC } }),
        );
        return run("policy-check.ts", [mutated, "--policy-pack", unknownPack, "--policy-pack", "policies/magento"]);
    });
    audit.catch(() => undefined); // no export to audit fails that test, not the run
    // A pack that fails while the program runs: its rejection must wait for the program, not end the process with 1
    // (an operator's process: runCommand's exit code).
    const brokenPack = runProcess("preview.ts", [
        "--stack",
        "preprod",
        "--policy-pack",
        "tests/fixtures/packs/fails-to-start",
    ]);
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("previews prod as pulumi preview shows it and exits 0 without mandatory violations", async () => {
        const { code, stdout, stderr } = await clean;
        assert.strictEqual(code, 0, stderr);
        assert.match(stdout, /^ \+   pulumi:pulumi:Stack\s+magento-prod\s+create$/m);
        assert.match(stdout, /^ \+   │  ├─ aws:ec2:NatGateway\s+magento-prod-nat-b\s+create$/m);
        assert.match(stdout, /^    vpcId:\s+output<string>$/m);
        assert.match(stdout, /^    aws:ec2:Subnet\s+6$/m);
        assert.match(stdout, new RegExp(`✅ ${MAGENTO}`));
        const unvalidated = /^Not validated offline \(encrypted; only the stack's backend decrypts them\): (.*)$/m
            .exec(stdout)?.[1]
            .split(", ")
            .sort();
        assert.deepStrictEqual(unvalidated, ["magento:alarmEmail", "magento:operatorCidrs"]);
    });

    it("skips a rule that reads an unknown value during preview, with an advisory, as the CLI does", async () => {
        const { stdout } = await clean;
        assert.match(
            stdout,
            /\[advisory\]  subnet-vpc-id-shape  \(aws:ec2:Subnet magento-prod-public-a\)\n\s+can't run policy 'subnet-vpc-id-shape' from policy pack 'reads-unknown@v0\.0\.1' during preview/,
        );
        assert.doesNotMatch(stdout, /\[mandatory\]  subnet-vpc-id-shape/);
    });

    it("writes a version-3 stack export with outputs as after an update", async () => {
        await clean;
        const doc = JSON.parse(fs.readFileSync(exportFile, "utf8")) as Deployment;
        assert.strictEqual(doc.version, 3);
        const [stack] = doc.deployment.resources;
        assert.strictEqual(stack.type, "pulumi:pulumi:Stack");
        // Providers register in the order the program first uses them (random's may come first): found by type.
        const provider = doc.deployment.resources.find((r) => r.type === "pulumi:providers:aws")!;
        assert.strictEqual(provider.urn, "urn:pulumi:prod::magento::pulumi:providers:aws::default_7_48_0");
        const subnet = doc.deployment.resources.find((r) => r.type === EC2_SUBNET)!;
        assert.match(subnet.id!, /^subnet-0[0-9a-f]{16}$/);
        assert.match(subnet.inputs!.vpcId as string, /^vpc-0[0-9a-f]{16}$/);
        assert.strictEqual(subnet.parent, "urn:pulumi:prod::magento::magento:network:Network::magento-prod");
        assert.strictEqual(subnet.provider, `${provider.urn}::${provider.id}`);
        assert.strictEqual((stack.outputs!.publicSubnetIds as string[]).length, 3);
    });

    it("exits 1 and names the rule when the stack breaks a mandatory policy", async () => {
        const { code, stdout } = await singleNat;
        assert.strictEqual(code, 1);
        assert.match(stdout, new RegExp(`❌ ${MAGENTO} \\(\\d+ rules: 3 mandatory`));
        assert.match(stdout, /\[mandatory\]  production-network-ha  \(aws:ec2:Vpc magento-prod-vpc\)/);
    });

    it("never prints a secret's value and exports secrets as ciphertext", async () => {
        const { stdout, stderr } = await clean;
        const text = fs.readFileSync(exportFile, "utf8");
        assert.doesNotMatch(stdout + stderr, /offline-secret-placeholder|c2VjcmV0LWNpcGhlcnRleHQ=/);
        // The export holds no ciphertext; the encrypted alarm address is the SNS subscription's endpoint, which the
        // program writes as plain text (the stand-in offline, the decrypted address in a real state).
        assert.doesNotMatch(text, /c2VjcmV0LWNpcGhlcnRleHQ=/);
        const provider = (JSON.parse(text) as Deployment).deployment.resources.find(
            (r) => r.type === "pulumi:providers:aws",
        )!;
        assert.deepStrictEqual(provider.inputs!.secretKey, {
            [SIG_KEY]: SECRET_SIG,
            ciphertext: "offline-preview-secret",
        });
    });

    it("policy:check audits an export: a rule that needed ids decides, and a removed NAT is caught", async () => {
        const { code, stdout, stderr } = await audit;
        assert.strictEqual(code, 1, stdout + stderr);
        assert.match(stdout, /✅ reads-unknown@v0\.0\.1/);
        assert.match(
            stdout,
            /\[mandatory\]  production-network-ha  \(aws:ec2:Vpc magento-prod-vpc\)\n.*\n\s+Production VPC magento-prod-vpc has no NAT gateway in eu-west-3c/,
        );
    });

    it("exits 2 with every config problem when the program cannot run, and prints no tree", async () => {
        const { code, stdout, stderr } = await badConfig;
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.match(
            stderr,
            /Invalid configuration for stack 'prod' \(2 problems\):\n  - magento:vpcCidr: must be a \/16.*\n  - magento:alarmEmail: must be an email address/,
        );
    });

    it("fails cleanly on an unknown flag and on a file that is not an export", async () => {
        const flag = await runProcess("preview.ts", ["--stack", "prod", "--stak", "x"]);
        assert.strictEqual(flag.code, 2);
        assert.match(flag.stderr, /unknown flag --stak/);
        const notExport = await run("policy-check.ts", [
            path.join(ROOT, "package.json"),
            "--policy-pack",
            "policies/magento",
        ]);
        assert.strictEqual(notExport.code, 2);
        assert.match(notExport.stderr, /package\.json is not a stack export/);
    });

    it("exits 2 naming the pack, with no stack trace, when a pack fails to start during the preview", async () => {
        const { code, stderr } = await brokenPack;
        assert.strictEqual(code, 2, stderr);
        assert.match(
            stderr,
            /policy pack tests\/fixtures\/packs\/fails-to-start failed to start \(exit \d+\):\n[^]*the pack's configuration module is missing/,
        );
        assert.doesNotMatch(stderr, /^\s+at /m);
    });
});
