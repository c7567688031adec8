// scripts/release-image as the release workflow runs it: the build reads a release only with its checksum beside it,
// a failed build tags nothing, and bad input is refused before anything is uploaded.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NEXT_RELEASE_KEY, releaseArtifactKey, releaseChecksumKey, RELEASE_VERSION } from "../../model/release";
import { RELEASE_COMMIT_TAG, RELEASE_IMAGE_TAG, RELEASE_VERSION_TAG } from "../../policies/lib/contracts";
import { recordingAws, RecordingAws } from "../helpers/recording-aws";

const SCRIPT = path.resolve(__dirname, "../../scripts/release-image");
const BUILD = "arn:aws:imagebuilder:eu-west-3:123456789012:image/magento-preprod-web/1.0.0/7";
const AMI = "ami-0fedcba9876543210";

function setUp(): { dir: string; aws: RecordingAws; tarball: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-image-"));
    const tarball = path.join(dir, "shop.tar.gz");
    fs.writeFileSync(tarball, "the shop's code, composer-installed");
    const aws = recordingAws(dir);
    aws.answer("imagebuilder", "start-image-pipeline-execution", [BUILD], "imageBuildVersionArn");
    aws.answer("imagebuilder", "get-image", [AMI], "image.outputResources.amis[0].image");
    aws.answer("imagebuilder", "get-image", ["component release: checksum mismatch"], "image.state.reason");
    return { dir, aws, tarball };
}

function run(aws: RecordingAws, args: string[]) {
    return spawnSync(SCRIPT, args, {
        encoding: "utf8",
        env: { ...aws.env, RELEASE_IMAGE_POLL_SECONDS: "0" },
        timeout: 30_000,
    });
}

const args = (tarball: string, version = "2.4.8-p3.1", commit = "1a2b3c4d") => [
    ...[
        "--stack",
        "preprod",
        "--region",
        "eu-west-3",
        "--bucket",
        "magento-preprod-artifacts",
        "--pipeline-arn",
        "arn:pipeline",
    ],
    ...["--version", version, "--commit", commit, "--tarball", tarball],
];

describe("scripts/release-image", () => {
    it("passes shellcheck", () => {
        const result = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    });

    it("uploads the release with its checksum and the next build's pointer, waits for the image and tags it", () => {
        const { dir, aws, tarball } = setUp();
        aws.answer("imagebuilder", "get-image", ["BUILDING", "TESTING", "AVAILABLE"], "image.state.status");
        const result = run(aws, args(tarball));
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.stdout.trim(), AMI);

        // The tarball and a checksum line that `sha256sum -c` accepts next to it, as the build checks it.
        const bucket = path.join(dir, "s3", "magento-preprod-artifacts");
        assert.strictEqual(
            aws.object("magento-preprod-artifacts", releaseArtifactKey("2.4.8-p3.1")),
            fs.readFileSync(tarball, "utf8"),
        );
        assert.ok(aws.object("magento-preprod-artifacts", releaseChecksumKey("2.4.8-p3.1")));
        const check = spawnSync("sha256sum", ["-c", path.basename(releaseChecksumKey("2.4.8-p3.1"))], {
            cwd: path.join(bucket, "releases"),
            encoding: "utf8",
        });
        assert.strictEqual(check.status, 0, check.stdout + check.stderr);
        assert.deepStrictEqual(JSON.parse(aws.object("magento-preprod-artifacts", NEXT_RELEASE_KEY)!), {
            version: "2.4.8-p3.1",
            commit: "1a2b3c4d",
        });

        const calls = aws.calls();
        const started = calls.findIndex((c) => c.startsWith("imagebuilder start-image-pipeline-execution"));
        const pointer = calls.findIndex((c) => c.includes(`s3://magento-preprod-artifacts/${NEXT_RELEASE_KEY}`));
        assert.ok(pointer >= 0 && pointer < started, "the pointer is written before the build starts");
        assert.strictEqual(calls.filter((c) => c.includes("image.state.status")).length, 3);
        // The Image Builder image too, which the stack's lifecycle policy selects by its own tags.
        assert.ok(
            calls.includes(
                `imagebuilder tag-resource --region eu-west-3 --resource-arn ${BUILD} --tags ${RELEASE_IMAGE_TAG}=preprod,${RELEASE_VERSION_TAG}=2.4.8-p3.1`,
            ),
            calls.join("\n"),
        );
        assert.ok(
            calls.includes(
                `ec2 create-tags --region eu-west-3 --resources ${AMI} --tags Key=${RELEASE_VERSION_TAG},Value=2.4.8-p3.1 Key=${RELEASE_COMMIT_TAG},Value=1a2b3c4d`,
            ),
            calls.join("\n"),
        );
    });

    it("stops on a failed build with its reason and tags nothing", () => {
        const { aws, tarball } = setUp();
        aws.answer("imagebuilder", "get-image", ["BUILDING", "FAILED"], "image.state.status");
        const result = run(aws, args(tarball));
        assert.strictEqual(result.status, 1);
        assert.match(result.stderr, /ended FAILED: component release: checksum mismatch/);
        assert.ok(!aws.calls().some((c) => c.startsWith("ec2 create-tags") || c.includes("tag-resource")));
    });

    it("retries a failed tag; one that keeps failing fails the run, saying what to run by hand", () => {
        const { aws, tarball } = setUp();
        aws.answer("imagebuilder", "get-image", ["AVAILABLE"], "image.state.status");
        aws.answer("imagebuilder", "tag-resource", ["!fail", "ok"]);
        aws.answer("ec2", "create-tags", ["!fail", "!fail", "!fail"]);
        const result = run(aws, args(tarball));
        assert.strictEqual(result.status, 1);
        assert.match(
            result.stderr,
            new RegExp(
                `${AMI} is built and its parameter names it, but tagging it failed; run by hand: aws ec2 create-tags`,
            ),
        );
        const calls = aws.calls();
        assert.strictEqual(calls.filter((c) => c.startsWith("ec2 create-tags")).length, 3);
        assert.strictEqual(calls.filter((c) => c.startsWith("imagebuilder tag-resource")).length, 2);
    });

    it("refuses a version or commit that could not name a key or a tag, before uploading anything", () => {
        const { aws, tarball } = setUp();
        for (const [version, commit, message] of [
            ["../next", "1a2b3c4d", /--version '\.\.\/next': use 1 to 64 letters/],
            ["2.4.8 p3", "1a2b3c4d", /--version '2\.4\.8 p3'/],
            ["2.4.8", "main", /--commit 'main': a git commit id/],
        ] as const) {
            const result = run(aws, args(tarball, version, commit));
            assert.strictEqual(result.status, 2, result.stderr);
            assert.match(result.stderr, message);
        }
        assert.strictEqual(run(aws, ["--region", "eu-west-3"]).status, 2);
        assert.deepStrictEqual(aws.calls(), []);
    });

    it("takes the versions the model takes, and no other", () => {
        const { aws, tarball } = setUp();
        aws.answer("imagebuilder", "get-image", ["AVAILABLE"], "image.state.status");
        for (const version of ["2.4.8-p3", "v1.0.0+build.5", "a", "-x", ".hidden", "x".repeat(65), "a/b", "é"]) {
            const accepted = run(aws, args(tarball, version)).status === 0;
            assert.strictEqual(accepted, RELEASE_VERSION.test(version), version);
        }
    });
});
