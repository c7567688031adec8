// Rundeck's "Deploy Magento <stack>" job as an operator relies on it: a job in Rundeck's job YAML format, in the stack's
// project, whose button starts this stack's runner with the same input scripts/release sends; loaded at every boot by a
// shellchecked script that logs in, creates the project if absent and imports with dupeOption update.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { CloudConfig } from "../../../components/compute/cloud-init";
import {
    DEPLOY_JOB_GROUP,
    deployJobYaml,
    deployStepScript,
    RELEASE_TOOL,
    rundeckProject,
} from "../../../components/operations/rundeck/deploy-job";
import {
    deployJobParameter,
    LOAD_JOBS,
    LOAD_JOBS_UNIT,
    loadJobsScript,
} from "../../../components/operations/rundeck/deploy-job-loader";
import { ACCOUNT_ID } from "../../../offline/fakes";
import { RELEASE_VERSION, releaseRunnerArn, rundeckDeployJobName } from "../../../model/release";
import { EC2_INSTANCE } from "../../../policies/lib/types";
import { ofType, prefetch, ROOT, stackResources } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";
import { APPLIED, deployJobOf } from "./rundeck-deploy-job";
import { recordingAws } from "../../helpers/recording-aws";
import { started } from "../../scripts/release-calls";

prefetch(["prod", APPLIED], ["preprod", APPLIED]);

const shellcheck = (script: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rundeck-")), "script");
    fs.writeFileSync(file, script);
    return spawnSync("shellcheck", [file], { encoding: "utf8" });
};

describe("Rundeck's deploy job", () => {
    for (const stack of ["prod", "preprod"]) {
        it(`${stack}: one job in Rundeck's job YAML shape, named for the stack, naming its runner, one script step`, async () => {
            const { jobs } = await deployJobOf(stack);
            const runner = releaseRunnerArn("eu-west-3", ACCOUNT_ID, `magento-${stack}`);
            assert.strictEqual(jobs.length, 1);
            const [job] = jobs;
            // The documented keys: name, description and loglevel required; group, uuid, options, sequence.
            for (const key of ["name", "description", "loglevel", "sequence"] as const) {
                assert.ok(job[key] !== undefined, key);
            }
            assert.strictEqual(job.name, rundeckDeployJobName(stack));
            assert.strictEqual(job.group, DEPLOY_JOB_GROUP);
            assert.match(job.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            assert.ok(["DEBUG", "VERBOSE", "INFO", "WARN", "ERROR"].includes(job.loglevel));
            assert.strictEqual(job.multipleExecutions, false, "one release per stack at a time");
            assert.deepStrictEqual(
                job.options.map((o) => o.name),
                ["version", "commit", "image_id", "rollback"],
            );
            assert.deepStrictEqual(
                [job.sequence.keepgoing, job.sequence.strategy, job.sequence.commands.length],
                [false, "node-first", 1],
            );
            const script = job.sequence.commands[0].script!;
            assert.ok(script.includes(`--stack ${stack} --region eu-west-3 --runner-arn ${runner}`), script);
            assert.ok(script.includes(RELEASE_TOOL));
            assert.strictEqual(YAML.stringify(jobs), deployJobYaml({ stack, region: "eu-west-3", runnerArn: runner }));
        });
    }

    it("its options take what the model and scripts/release take; rollback is yes or no only", async () => {
        const { jobs } = await deployJobOf("prod");
        const option = (name: string) => jobs[0].options.find((o) => o.name === name)!;
        assert.strictEqual(option("version").regex, RELEASE_VERSION.source);
        assert.ok(new RegExp(option("commit").regex!).test("1a2b3c4d"));
        assert.ok(!new RegExp(option("image_id").regex!).test("ami-x; reboot"));
        assert.deepStrictEqual(
            [option("rollback").values, option("rollback").value, option("rollback").enforced],
            [["no", "yes"], "no", true],
        );
    });

    it("fits a standard parameter (4096 characters)", async () => {
        for (const stack of ["prod", "preprod"]) {
            const { parameter } = await deployJobOf(stack);
            assert.ok((parameter.inputs!.insecureValue as string).length <= 4096);
            assert.strictEqual(parameter.inputs!.tier, "Standard");
        }
    });

    it("its button runs scripts/release: an image rolls out with version, commit and imageId; rollback sends rollback", () => {
        const runner = releaseRunnerArn("eu-west-3", ACCOUNT_ID, "magento-prod");
        const step = deployStepScript({ stack: "prod", region: "eu-west-3", runnerArn: runner }).replace(
            RELEASE_TOOL,
            path.join(ROOT, "scripts", "release"),
        );
        assert.strictEqual(shellcheck(step).status, 0, shellcheck(step).stdout);
        const press = (options: Record<string, string>) => {
            const aws = recordingAws(fs.mkdtempSync(path.join(os.tmpdir(), "rundeck-job-")));
            aws.answer("stepfunctions", "start-execution", ["arn:execution"], "executionArn");
            aws.answer("stepfunctions", "describe-execution", ["SUCCEEDED"], "status");
            aws.answer("ssm", "get-parameter", ['{"version":"2.4.7","commit":"0badc0de"}'], "Parameter.Value");
            const env = {
                ...aws.env,
                ...Object.fromEntries(Object.entries(options).map(([k, v]) => [`RD_OPTION_${k}`, v])),
            };
            const run = spawnSync("bash", ["-c", step], { encoding: "utf8", env, timeout: 30_000 });
            assert.strictEqual(run.status, 0, run.stderr);
            return started(aws.calls());
        };
        const image = { VERSION: "2.4.8-p3", COMMIT: "1a2b3c4d", IMAGE_ID: "ami-0123456789abcdef0", ROLLBACK: "no" };
        // One press: the execution's name carries the second it started, so a second press may differ.
        const pressed = press(image);
        assert.deepStrictEqual(pressed, {
            arn: runner,
            name: pressed.name,
            input: { version: "2.4.8-p3", commit: "1a2b3c4d", imageId: "ami-0123456789abcdef0" },
        });
        assert.deepStrictEqual(press({ VERSION: "", COMMIT: "", IMAGE_ID: "", ROLLBACK: "yes" }).input, {
            version: "2.4.7",
            commit: "0badc0de",
            rollback: true,
        });
    });
});

describe("Rundeck loads its jobs at every boot", () => {
    it("the loader passes shellcheck and imports into the stack's project, updating the job it loaded before", () => {
        const script = loadJobsScript();
        const check = shellcheck(script);
        assert.strictEqual(check.status, 0, check.stdout);
        assert.match(script, /jobs\/import\?fileformat=yaml&dupeOption=update&uuidOption=preserve/);
        assert.match(script, /"\$api\/project\/\$project"\)" = 404 \]; then/, "creates the project only when absent");
        assert.match(script, /--data-urlencode j_password@-/, "the password through stdin, not a command line");
    });

    it("prod's Rundeck installs scripts/release and the loader, whose unit runs after Rundeck on every boot", async () => {
        const r = await stackResources("prod", APPLIED);
        const rundeck = ofType(r, EC2_INSTANCE).find((x) => x.urn.endsWith("rundeck-server-instance"))!;
        const config = YAML.parse(userDataText(rundeck)) as CloudConfig;
        const file = (p: string) => config.write_files!.find((f) => f.path === p)?.content;
        assert.strictEqual(file(LOAD_JOBS), loadJobsScript());
        assert.strictEqual(file(RELEASE_TOOL), fs.readFileSync(path.join(ROOT, "scripts", "release"), "utf8"));
        const unit = file(`/etc/systemd/system/${LOAD_JOBS_UNIT}`)!;
        assert.match(unit, /After=rundeckd\.service/);
        assert.match(unit, /WantedBy=multi-user\.target/);
        assert.ok(
            unit.includes(
                `ExecStart=${LOAD_JOBS} magento/prod/rundeck-admin eu-west-3 ${rundeckProject("prod")} ${deployJobParameter("prod")}`,
            ),
            unit,
        );
        const commands = config.runcmd!.map((c) => (Array.isArray(c) ? c.join(" ") : c));
        assert.ok(commands.includes(`systemctl enable --now --no-block ${LOAD_JOBS_UNIT}`), commands.join("\n"));
        assert.ok(
            commands.indexOf("systemctl enable --now rundeckd") <
                commands.indexOf(`systemctl enable --now --no-block ${LOAD_JOBS_UNIT}`),
        );
    });
});
