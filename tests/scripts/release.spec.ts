// scripts/release as the release workflow, Rundeck's deploy job and an operator run it: one start of the stack's
// runner with a RunnerInput, a wait that fails the caller when the release fails, and nothing started on bad input.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NEXT_RELEASE_KEY, releaseRecordParameter, releaseRunnerArn, RunnerInput } from "../../model/release";
import { recordingAws, RecordingAws } from "../helpers/recording-aws";
import { RELEASE_SCRIPT, started } from "./release-calls";

const RUNNER = releaseRunnerArn("eu-west-3", "123456789012", "magento-preprod");
const EXECUTION = `arn:aws:states:eu-west-3:123456789012:execution:magento-preprod-release-runner:2.4.8-p3-x`;
const AMI = "ami-0fedcba9876543210";

function setUp(): { aws: RecordingAws; tarball: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-"));
    const tarball = path.join(dir, "shop.tar.gz");
    fs.writeFileSync(tarball, "the shop's code");
    const aws = recordingAws(dir);
    aws.answer("stepfunctions", "start-execution", [EXECUTION], "executionArn");
    aws.answer("stepfunctions", "describe-execution", ["RUNNING", "SUCCEEDED"], "status");
    return { aws, tarball };
}

const run = (aws: RecordingAws, args: string[]) =>
    spawnSync(RELEASE_SCRIPT, args, {
        encoding: "utf8",
        env: { ...aws.env, RELEASE_POLL_SECONDS: "0" },
        timeout: 30_000,
    });

const base = (version = "2.4.8-p3", commit = "1a2b3c4d") => [
    ...["--stack", "preprod", "--region", "eu-west-3", "--runner-arn", RUNNER],
    ...["--version", version, "--commit", commit],
];

describe("scripts/release", () => {
    it("passes shellcheck, and so do the checks it shares with scripts/release-image", () => {
        const result = spawnSync(
            "shellcheck",
            [RELEASE_SCRIPT, path.join(path.dirname(RELEASE_SCRIPT), "release-checks.sh")],
            {
                encoding: "utf8",
                cwd: path.resolve(__dirname, "../.."),
            },
        );
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    });

    it("builds: uploads the tarball and next.json first, then starts the runner with version and commit only, and waits", () => {
        const { aws, tarball } = setUp();
        const result = run(aws, [...base(), "--tarball", tarball, "--bucket", "magento-preprod-artifacts"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(result.stdout.trim().split("\n"), [EXECUTION, "SUCCEEDED"]);
        const calls = aws.calls();
        const { input, name, arn } = started(calls);
        assert.deepStrictEqual(input, { version: "2.4.8-p3", commit: "1a2b3c4d" });
        assert.strictEqual(arn, RUNNER);
        assert.match(name, /^2-4-8-p3-\d{14}$/);
        assert.ok(name.length <= 80);
        const pointer = calls.findIndex((c) => c.includes(NEXT_RELEASE_KEY));
        const start = calls.findIndex((c) => c.startsWith("stepfunctions start-execution"));
        assert.ok(pointer >= 0 && pointer < start, "the runner's build reads next.json: uploaded before the start");
        assert.strictEqual(calls.filter((c) => c.startsWith("stepfunctions describe-execution")).length, 2);
    });

    it("promotes, rolls out an image, or rolls back: one key each in the runner's input", () => {
        const cases: [string[], Partial<RunnerInput>][] = [
            [["--source-image-id", AMI], { sourceImageId: AMI }],
            [["--image-id", AMI], { imageId: AMI }],
        ];
        for (const [extra, expected] of cases) {
            const { aws } = setUp();
            const result = run(aws, [...base(), ...extra]);
            assert.strictEqual(result.status, 0, result.stderr);
            assert.deepStrictEqual(started(aws.calls()).input, {
                version: "2.4.8-p3",
                commit: "1a2b3c4d",
                ...expected,
            });
        }
        // A rollback sends the previous record's version and commit, as the runner's contract says.
        const { aws } = setUp();
        aws.answer(
            "ssm",
            "get-parameter",
            ['{"version":"2.4.7","commit":"0badc0de","imageId":"ami-01234567"}'],
            "Parameter.Value",
        );
        const rollback = ["--stack", "preprod", "--region", "eu-west-3", "--runner-arn", RUNNER, "--rollback"];
        const result = run(aws, rollback);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.ok(aws.calls()[0].includes(`--name ${releaseRecordParameter("preprod", "previous")}`));
        assert.deepStrictEqual(started(aws.calls()).input, { version: "2.4.7", commit: "0badc0de", rollback: true });
    });

    it("a failed release fails the caller with the runner's error; --no-wait returns once started", () => {
        const { aws } = setUp();
        aws.answer("stepfunctions", "describe-execution", ["RUNNING", "FAILED"], "status");
        aws.answer("stepfunctions", "describe-execution", ["UpgradeFailed\tsetup:upgrade exited 1"], "[error,cause]");
        const failed = run(aws, [...base(), "--image-id", AMI]);
        assert.strictEqual(failed.status, 1);
        assert.deepStrictEqual(failed.stdout.trim().split("\n"), [EXECUTION, "FAILED"]);
        assert.match(failed.stderr, /ended FAILED: UpgradeFailed\tsetup:upgrade exited 1/);

        const quick = setUp().aws;
        const result = run(quick, [...base(), "--image-id", AMI, "--no-wait"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.stdout.trim(), EXECUTION);
        assert.ok(!quick.calls().some((c) => c.includes("describe-execution")));
    });

    it("refuses bad input before any call: version, commit, mode, image id, another runner's ARN", () => {
        const { aws, tarball } = setUp();
        const refused: [string[], RegExp][] = [
            [[...base("../x"), "--image-id", AMI], /--version '\.\.\/x'/],
            [[...base("2.4.8", "main"), "--image-id", AMI], /--commit 'main'/],
            [base(), /exactly one of --tarball, --image-id, --source-image-id, --rollback/],
            [[...base(), "--image-id", AMI, "--rollback"], /exactly one of/],
            [[...base(), "--image-id", "ami-x; rm -rf /"], /--image-id 'ami-x; rm -rf \/': an AMI id/],
            [[...base(), "--tarball", tarball], /--tarball needs --bucket/],
            [
                ["--stack", "preprod", "--region", "eu-west-3", "--runner-arn", "arn:aws:states:eu-west-3:1:x"],
                /--runner-arn/,
            ],
            [
                [...base(), "--image-id", AMI, "--region", "us-east-1"],
                /--runner-arn '.*': the stack's output releaseRunnerArn, in us-east-1/,
            ],
        ];
        for (const [args, message] of refused) {
            const result = run(aws, args);
            assert.strictEqual(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
            assert.match(result.stderr, message);
        }
        assert.deepStrictEqual(aws.calls(), []);
    });
});
