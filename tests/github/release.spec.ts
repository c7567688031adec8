// The release workflow as the operators rely on it, and the "three ways reach the same runner": the ARN
// scripts/release gets in the workflow, the ARN in Rundeck's deploy job and the stack's releaseRunnerArn are the same
// for each stack, and what each sends is a RunnerInput with the same keys.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { releaseRunnerArn, RunnerInput } from "../../model/release";
import { deployJobOf } from "../components/operations/rundeck-deploy-job";
import { ACCOUNT_ID } from "../../offline/fakes";
import { recordingAws } from "../helpers/recording-aws";
import { ROOT, stackResources } from "../helpers/stacks";
import { started } from "../scripts/release-calls";
import { parse } from "yaml";
import { ACTION, Job, Step, workflow } from "./github";

const release = () => workflow("release.yml");
const REGION = "eu-west-3";
const AMI = "ami-0123456789abcdef0";
const releaseStep = (job: Job): Step => job.steps.find((s) => s.run?.startsWith("scripts/release "))!;

/** A step's env with the workflow's expressions given the values a run would have. */
function evaluate(
    env: Record<string, string>,
    account: string,
    values: Record<string, string>,
): Record<string, string> {
    return Object.fromEntries(
        Object.entries(env).map(([k, v]) => [
            k,
            v
                .replace("${{ vars.AWS_REGION }}", REGION)
                .replace("${{ steps.aws.outputs.aws-account-id }}", account)
                .replace(/\$\{\{ [^}]+ \}\}/g, (expr) => values[expr] ?? expr),
        ]),
    );
}

/** The stack's output releaseRunnerArn; until infra/index.ts exports it, what model/release.ts says it will be. */
async function stackRunnerArn(stack: string): Promise<{ arn: string; account: string }> {
    const r = await stackResources(stack, { preview: false });
    const output = r.find((x) => x.type === "pulumi:pulumi:Stack")?.outputs?.releaseRunnerArn;
    const arn = typeof output === "string" ? output : releaseRunnerArn(REGION, ACCOUNT_ID, `magento-${stack}`);
    return { arn, account: ACCOUNT_ID };
}

/** Runs a job's scripts/release step as the runner would, with the recording AWS CLI; the runner's input it sent. */
function runStep(step: Step, env: Record<string, string>): { arn: string; input: RunnerInput } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-workflow-"));
    const aws = recordingAws(dir);
    aws.answer("stepfunctions", "start-execution", ["arn:execution"], "executionArn");
    aws.answer("stepfunctions", "describe-execution", ["SUCCEEDED"], "status");
    fs.writeFileSync(path.join(dir, "shop.tar.gz"), "the shop");
    const run = spawnSync("bash", ["-c", step.run!], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...aws.env, ...env, AWS_REGION: REGION, RUNNER_TEMP: dir, VERSION: "2.4.8-p3" },
        timeout: 30_000,
    });
    assert.strictEqual(run.status, 0, run.stderr);
    return started(aws.calls());
}

describe("the release workflow", () => {
    it("starts with a version and the shop's ref, by hand or through the workflow-dispatch API: never a repository dispatch, whose token could push here", () => {
        const on = release().on as { workflow_dispatch: { inputs: Record<string, { required: boolean }> } };
        assert.deepStrictEqual(Object.keys(on.workflow_dispatch.inputs), ["version", "ref"]);
        assert.ok(Object.values(on.workflow_dispatch.inputs).every((i) => i.required));
        assert.deepStrictEqual(
            Object.keys(on),
            ["workflow_dispatch"],
            "no push, no pull request, no repository dispatch",
        );
        assert.ok(!/client_payload/.test(fs.readFileSync(path.join(ROOT, ".github/workflows/release.yml"), "utf8")));
    });

    it("each job's credentials outlast its wait, and the wait ends before GitHub stops the job (AWS review B3)", () => {
        for (const name of ["preprod", "prod"]) {
            const job = release().jobs[name];
            const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
            const seconds = Number(credentials?.with?.["role-duration-seconds"]);
            const wait = Number(/--timeout-minutes (\d+)/.exec(releaseStep(job).run!)?.[1]);
            const jobMinutes = Number((job as { "timeout-minutes"?: number })["timeout-minutes"]);
            assert.ok(
                wait > 0 && seconds >= wait * 60 + 600,
                `${name}: ${seconds} s of credentials for a ${wait} min wait`,
            );
            assert.ok(jobMinutes > wait + 5 && jobMinutes <= 360, `${name}: job ${jobMinutes} min`);
            assert.ok(seconds <= 43200, "AssumeRoleWithWebIdentity allows 12 h at most");
        }
    });

    it("an up waits for no release: the deploy action refuses it while the stack's runner has a run in progress, before anything changes", () => {
        const steps = (parse(fs.readFileSync(ACTION, "utf8")) as { runs: { steps: Step[] } }).runs.steps;
        const guard = steps.findIndex((s) =>
            /list-executions --state-machine-arn "\$runner" --status-filter RUNNING/.test(s.run ?? ""),
        );
        const up = steps.findIndex((s) => s.with?.command === "${{ inputs.command }}");
        assert.ok(guard >= 0 && guard < up, "the guard runs before the up");
        assert.strictEqual(steps[guard].if, "inputs.command == 'up'");
        // the outputs must be read, not guessed: a failed read stops the up
        assert.ok(
            /runner=\$\(pulumi stack output --json --stack "\$ORG\/\$STACK" \| jq -r '\.releaseRunnerArn \/\/ empty'\)/.test(
                steps[guard].run!,
            ),
        );
        assert.ok(!/\|\| true/.test(steps[guard].run!));
    });

    it("preprod builds from the shop's repository in the preproduction environment; prod waits for it and production's approval", () => {
        const { preprod, prod } = release().jobs;
        assert.strictEqual(preprod.environment, "preproduction");
        const shop = preprod.steps.find((s) => s.with?.repository === "${{ vars.SHOP_REPOSITORY }}")!;
        assert.strictEqual(String(shop.with!["persist-credentials"]), "false");
        assert.match(releaseStep(preprod).run!, /--tarball "\$RUNNER_TEMP\/shop\.tar\.gz"/);
        assert.deepStrictEqual([prod.needs, prod.environment], ["preprod", "production"]);
        assert.match(releaseStep(prod).run!, /--source-image-id "\$IMAGE_ID"/);
        assert.strictEqual(releaseStep(prod).env!.IMAGE_ID, "${{ needs.preprod.outputs.image-id }}");
    });

    it("one release per stack at a time, never cancelled; no expression inside a script (inputs reach it as env)", () => {
        const jobs = release().jobs as Record<string, Job & { concurrency: Record<string, unknown> }>;
        assert.deepStrictEqual(jobs.preprod.concurrency, { group: "release-preprod", "cancel-in-progress": false });
        assert.deepStrictEqual(jobs.prod.concurrency, { group: "release-prod", "cancel-in-progress": false });
        for (const job of Object.values(jobs)) {
            for (const step of job.steps.filter((s) => s.run)) {
                assert.doesNotMatch(step.run!, /\$\{\{/, step.run);
            }
        }
    });
});

describe("three ways reach the same runner", () => {
    for (const stack of ["preprod", "prod"]) {
        it(`${stack}: the workflow's scripts/release, Rundeck's job and the stack output name one runner, and send RunnerInputs`, async () => {
            const { arn, account } = await stackRunnerArn(stack);
            const job = release().jobs[stack];
            const env = evaluate(releaseStep(job).env!, account, {
                "${{ needs.preprod.outputs.version }}": "2.4.8-p3",
                "${{ needs.preprod.outputs.commit }}": "1a2b3c4d",
                "${{ needs.preprod.outputs.image-id }}": AMI,
                "${{ steps.artifact.outputs.commit }}": "1a2b3c4d",
                "${{ vars.ARTIFACTS_BUCKET }}": `magento-${stack}-artifacts`,
            });
            const fromWorkflow = runStep(releaseStep(job), env);
            assert.strictEqual(fromWorkflow.arn, arn);

            const { jobs } = await deployJobOf(stack);
            const script = jobs[0].sequence.commands[0].script!;
            assert.strictEqual(/--runner-arn (\S+)\)/.exec(script)![1], arn);

            // Every input is a RunnerInput: version and commit, and at most one of the modes.
            const keys = Object.keys(fromWorkflow.input);
            assert.deepStrictEqual(keys.slice(0, 2), ["version", "commit"]);
            assert.deepStrictEqual(keys.slice(2), stack === "prod" ? ["sourceImageId"] : []);
        });
    }
});
