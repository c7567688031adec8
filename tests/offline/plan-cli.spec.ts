// The plan check as an operator and CI run it: `plan:check` on what `pulumi preview --json` printed, and
// `preview:offline --against` on a previous export; exit 1 on a refused step, naming the key that allows it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toDeployment } from "../../offline/engine";
import { EC2_VPC, RDS_INSTANCE } from "../../policies/lib/types";
import { action, workflow } from "../github/github";
import { run } from "../helpers/cli";
import { stackFile, stackResources } from "../helpers/stacks";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
const DB = "urn:pulumi:preprod::magento::magento:data:Database$aws:rds/instance:Instance::magento-preprod-mysql-db";
const rds = (protect: boolean) => ({
    urn: DB,
    custom: true,
    type: RDS_INSTANCE,
    protect,
    inputs: { identifier: "magento-preprod-mysql-db" },
});

/** A digest as pulumi/pulumi pkg/display/json.go writes it: a protected database replaced (create first). */
function digest(file: string, steps: unknown[]): string {
    fs.writeFileSync(path.join(tmp, file), JSON.stringify({ steps, changeSummary: { replace: 1 } }));
    return path.join(tmp, file);
}
const replaceDb = digest("replace-db.json", [
    {
        op: "create-replacement",
        urn: DB,
        oldState: rds(true),
        newState: rds(true),
        replaceReasons: ["identifier"],
        diffReasons: ["identifier"],
    },
    {
        op: "replace",
        urn: DB,
        oldState: rds(true),
        newState: rds(true),
        replaceReasons: ["identifier"],
        diffReasons: ["identifier"],
    },
    { op: "delete-replaced", urn: DB, oldState: rds(true) },
]);

describe("plan check commands", function () {
    this.timeout(300_000);
    // prod's export with its VPC at another CIDR: the program, as it is, replaces the VPC and its subnets.
    const exportFile = path.join(tmp, "prod-before.json");
    const against = stackResources("prod", { preview: false }).then((resources) => {
        const doc = toDeployment(resources, "3.0.0");
        doc.deployment.resources = doc.deployment.resources.map((r) =>
            r.type === EC2_VPC ? { ...r, inputs: { ...r.inputs, cidrBlock: "10.99.0.0/16" } } : r,
        );
        fs.writeFileSync(exportFile, JSON.stringify(doc));
        return run("preview.ts", ["--stack", "prod", "--against", exportFile, "--policy-pack", "policies/magento"]);
    });

    it("plan:check refuses a real preview that replaces a protected database, exit 1, naming magento:allowReplace", async () => {
        const r = await run("plan-check.ts", ["--stack", "preprod", "--preview-json", replaceDb]);
        assert.strictEqual(r.code, 1, r.stdout + r.stderr);
        assert.match(
            r.stdout,
            /\+- replace aws:rds\/instance:Instance magento-preprod-mysql-db\n\s+forced by: identifier/,
        );
        assert.match(r.stdout, /add 'magento-preprod-mysql-db' to magento:allowReplace/);
    });

    it("plan:check passes the same preview when the stack's allowReplace names the database", async () => {
        const config = stackFile("preprod", { "magento:allowReplace": ["magento-preprod-mysql-db"] });
        const r = await run("plan-check.ts", [
            "--stack",
            "preprod",
            "--preview-json",
            replaceDb,
            "--config-file",
            config,
        ]);
        assert.strictEqual(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /Plan check: passed/);
    });

    it("plan:check on a file that is not a preview digest, or a bad allowReplace, exits 2 naming the file or key", async () => {
        const notDigest = digest("not-digest.json", []);
        fs.writeFileSync(notDigest, JSON.stringify({ steps: [{ urn: DB }] }));
        const bad = await run("plan-check.ts", ["--stack", "preprod", "--preview-json", notDigest]);
        assert.strictEqual(bad.code, 2);
        assert.match(bad.stderr, /steps\[0\] has no op or urn/);
        const badKey = await run("plan-check.ts", [
            "--stack",
            "preprod",
            "--preview-json",
            replaceDb,
            "--config-file",
            stackFile("preprod", { "magento:allowReplace": ["not a name"] }),
        ]);
        assert.strictEqual(badKey.code, 2);
        assert.match(badKey.stderr, /magento:allowReplace: must be a resource's logical name/);
    });

    it("preview:offline --against prints the replacements and refuses them with exit 1", async () => {
        const r = await against;
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(r.stdout, /\+- replace aws:ec2\/vpc:Vpc magento-prod-vpc\n\s+forced by: cidrBlock/);
        assert.match(
            r.stdout,
            /replace aws:ec2\/vpc:Vpc magento-prod-vpc: network: .* add 'magento-prod-vpc' to magento:allowReplace/,
        );
        assert.match(r.stdout, /Plan check: \d+ refused step/); // the program passes every pack: exit 1 is the check
    });

    it("CI checks the real plan: after each pull request's real preview, plan:check reads its --json and fails the job", () => {
        const steps = workflow("pull-request.yml").jobs.preview.steps;
        const preview = steps.findIndex((s) => s.uses === "./.github/actions/pulumi-stack");
        const check = steps.findIndex((s) => s.run?.includes("npm run plan:check"));
        assert.ok(preview >= 0 && check > preview, "the plan check runs after the real preview");
        assert.match(
            steps[check].run!,
            /pulumi preview --refresh --json[^\n]*> "\$RUNNER_TEMP\/preview.json"[^]*--preview-json "\$RUNNER_TEMP\/preview.json"[^]*exit "\$status"/,
        );
    });

    it("every up is planned and checked first: the deploy action runs plan:check on the real preview before the up", () => {
        const steps = action().runs.steps;
        const up = steps.findIndex((s) => s.with?.command === "${{ inputs.command }}");
        const check = steps.findIndex((s) => s.run?.includes("npm run plan:check"));
        assert.ok(check >= 0 && check < up, "the check runs before the command");
        assert.strictEqual(steps[check].if, "inputs.command == 'up'");
        assert.match(
            steps[check].run!,
            /pulumi preview --refresh --json[^\n]*> "\$RUNNER_TEMP\/plan.json"[^]*--preview-json "\$RUNNER_TEMP\/plan.json"[^]*exit "\$status"/,
        );
        for (const job of ["preprod", "prod"]) {
            assert.ok(
                workflow("deploy.yml").jobs[job].steps.some(
                    (s) => s.uses === "./.github/actions/pulumi-stack" && s.with?.command === "up",
                ),
                job,
            );
        }
    });
});
