// The CI/CD the operators run on GitHub Actions: every workflow passes actionlint, no job holds long-lived AWS keys,
// and the workflows do what the README says: tests and both offline previews on every pull request, a real preview
// with both packs where credentials exist, preprod then prod (approved) on merge.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ROOT } from "../helpers/stacks";
import { ACTION, Job, PULUMI_STACK, action, load, Workflow, workflow, workflowFiles } from "./github";

const ACTIONLINT = path.join(ROOT, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");
const PACKS = ["policies/magento", "policies/aws-baseline"];

/** actionlint (rhysd/actionlint built to WebAssembly, from the npm registry) on files, in one run (its CLI takes a
 * glob); its report, and the exit code. */
function actionlint(...files: string[]): { status: number | null; output: string } {
    const pattern = files.length === 1 ? files[0] : `{${files.join(",")}}`;
    const run = spawnSync(process.execPath, [ACTIONLINT, pattern], { cwd: ROOT, encoding: "utf8" });
    return { status: run.status, output: run.stdout + run.stderr };
}

/** The composite action's steps as a reusable workflow, so actionlint checks their action inputs and expressions too. */
function actionAsWorkflow(): string {
    const { inputs, runs } = action();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "action-")), "pulumi-stack.yml");
    fs.writeFileSync(
        file,
        YAML.stringify({
            on: {
                workflow_call: {
                    inputs: Object.fromEntries(
                        Object.keys(inputs).map((k) => [k, { type: "string", required: false }]),
                    ),
                },
            },
            jobs: { steps: { "runs-on": "ubuntu-24.04", steps: runs.steps } },
        }),
    );
    return file;
}

describe("GitHub workflows", () => {
    it("every workflow, and the shared Pulumi action's steps, pass actionlint", function () {
        this.timeout(120_000);
        const files = [...workflowFiles(), actionAsWorkflow()];
        assert.ok(files.length >= 3);
        const { status, output } = actionlint(...files);
        assert.strictEqual(status, 0, output);
        assert.match(output, new RegExp(`Checking ${files.length} workflow file\\(s\\)[^]*All workflow files passed`));
    });

    it("actionlint catches an expression naming an input the action does not have (the check is live)", function () {
        // actionlint knows no inputs of an action pinned to a commit; trust.spec.ts checks those against their release.
        this.timeout(60_000);
        const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "action-")), "broken.yml");
        fs.writeFileSync(
            broken,
            fs.readFileSync(actionAsWorkflow(), "utf8").replace("inputs.command", "inputs.comand"),
        );
        const { status, output } = actionlint(broken);
        assert.strictEqual(status, 1);
        assert.match(output, /property "comand" is not defined/);
    });

    it("no workflow or action mentions long-lived AWS keys: credentials come from the OIDC role only", () => {
        const files = [...workflowFiles(), ACTION];
        for (const file of files) {
            assert.doesNotMatch(
                fs.readFileSync(file, "utf8"),
                /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key|AWS_SESSION_TOKEN/i,
                file,
            );
        }
        const credentials = action().runs.steps.find((s) =>
            s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
        )!;
        assert.deepStrictEqual(Object.keys(credentials.with!).sort(), [
            "aws-region",
            "role-session-name",
            "role-to-assume",
        ]);
        // Every job that runs the shared action may ask GitHub for an OIDC token, and nothing else beyond reading.
        for (const file of workflowFiles()) {
            for (const [name, job] of Object.entries(load<Workflow>(file).jobs)) {
                if (job.steps.some((s) => s.uses === PULUMI_STACK)) {
                    assert.strictEqual(job.permissions?.["id-token"], "write", `${file} ${name}`);
                }
            }
        }
    });

    it("the Pulumi action installs the CLI of the SDK the program pins, not the newest 3.x", () => {
        const sdk = (
            JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
                dependencies: Record<string, string>;
            }
        ).dependencies["@pulumi/pulumi"];
        const runs = action().runs.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.deepStrictEqual(
            runs.map((s) => s.with!["pulumi-version"]),
            runs.map(() => sdk),
        );
    });

    it("the Pulumi action runs both policy packs, which exist as packs the CLI can start, in the command and the preview planned before an up", () => {
        const runs = action().runs.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.deepStrictEqual(
            runs.map((s) => s.with!.command),
            ["preview", "${{ inputs.command }}"],
        );
        for (const pulumi of runs) {
            assert.deepStrictEqual(pulumi.with!.policyPacks.trim().split("\n"), PACKS);
        }
        for (const pack of PACKS) {
            assert.ok(fs.existsSync(path.join(ROOT, pack, "PulumiPolicy.yaml")), pack);
        }
    });

    it("every preview and up refreshes first, so the release runner's template versions are what the plan compares with", () => {
        const runs = action().runs.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.deepStrictEqual(
            runs.map((s) => String(s.with!.refresh)),
            ["true", "true"],
        );
        const planned = action().runs.steps.filter((s) => s.run?.includes("pulumi preview --json"));
        assert.deepStrictEqual(planned, []);
        assert.ok(action().runs.steps.some((s) => s.run?.includes("pulumi preview --refresh --json")));
    });

    it("pull requests: the tests, the offline preview of both stacks, and a real preview of preprod posted on the PR where credentials exist", () => {
        const pr = workflow("pull-request.yml");
        assert.ok("pull_request" in pr.on);
        const runs = Object.values(pr.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
        assert.ok(runs.some((r) => /bash \.ci\/run$/.test(r)));
        assert.ok(runs.includes(`npm run preview:offline -- --stack "\${{ matrix.stack }}"`));
        assert.deepStrictEqual(pr.jobs["offline-preview"].strategy!.matrix.stack, ["prod", "preprod"]);
        const preview = pr.jobs.preview;
        assert.match(preview.if!, /^vars\.AWS_PREVIEW_ROLE_ARN != ''/);
        assert.deepStrictEqual(preview.strategy!.matrix.stack, ["preprod"]);
        const step = preview.steps.find((s) => s.uses === PULUMI_STACK)!;
        assert.deepStrictEqual(
            [step.with!.command, step.with!["comment-on-pr"], preview.permissions!["pull-requests"]],
            ["preview", "true", "write"],
        );
    });

    it("merge to main: up preprod, then prod in the production environment (manual approval), tests first", () => {
        const deploy = workflow("deploy.yml");
        assert.deepStrictEqual(deploy.on, { push: { branches: ["main"] } });
        const up = (job: Job) => job.steps.find((s) => s.uses === PULUMI_STACK)!.with!;
        assert.deepStrictEqual(
            [deploy.jobs.preprod.needs, up(deploy.jobs.preprod).command, up(deploy.jobs.preprod).stack],
            ["test", "up", "preprod"],
        );
        assert.deepStrictEqual(
            [
                deploy.jobs.prod.needs,
                deploy.jobs.prod.environment,
                up(deploy.jobs.prod).command,
                up(deploy.jobs.prod).stack,
            ],
            ["preprod", "production", "up", "prod"],
        );
        assert.ok(deploy.jobs.test.steps.some((s) => /bash \.ci\/run$/.test(s.run ?? "")));
    });

    it("nightly drift: a refreshed preview of each stack that must change nothing, read-only, and an issue when it does", () => {
        const drift = workflow("drift.yml");
        assert.deepStrictEqual(Object.keys(drift.on).sort(), ["schedule", "workflow_dispatch"]);
        const job = drift.jobs.drift;
        assert.strictEqual(job.if, "vars.AWS_DRIFT_ROLE_ARN_PREPROD != '' || vars.AWS_DRIFT_ROLE_ARN_PROD != ''");
        assert.strictEqual(job.environment, undefined, "an environment's reviewers would hold a nightly job");
        // Each stage's own role (each stage is its own account): never one role for both stacks.
        assert.deepStrictEqual(job.strategy!.matrix.include, [
            { stack: "preprod", "role-arn": "${{ vars.AWS_DRIFT_ROLE_ARN_PREPROD }}" },
            { stack: "prod", "role-arn": "${{ vars.AWS_DRIFT_ROLE_ARN_PROD }}" },
        ]);
        assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write", issues: "write" });
        const check = job.steps.find((s) => s.uses === PULUMI_STACK)!;
        assert.deepStrictEqual(
            [check.with!.command, check.with!["expect-no-changes"], check.with!["role-arn"]],
            ["preview", "true", "${{ matrix.role-arn }}"],
        );
        // The action's preview refreshes and passes the flag on to the CLI, with both packs.
        const pulumi = action()
            .runs.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"))
            .at(-1)!;
        assert.deepStrictEqual(
            [String(pulumi.with!.refresh), pulumi.with!["expect-no-changes"]],
            ["true", "${{ inputs.expect-no-changes }}"],
        );
        // A stage without its role skips the check rather than failing; only the check's own failure opens or updates the
        // stack's issue, which says it may also be a check that could not run; no expression inside the script.
        assert.strictEqual(check.if, "matrix.role-arn != ''");
        const report = job.steps[job.steps.indexOf(check) + 1];
        assert.strictEqual(report.if, "failure() && steps.preview.outcome == 'failure'");
        assert.match(report.run!, /gh issue (comment|create)/);
        assert.match(report.run!, /found changes \(drift\), or it could not run/);
        assert.doesNotMatch(report.run!, /\$\{\{/);
    });
});
