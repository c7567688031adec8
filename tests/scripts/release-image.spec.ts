// scripts/release-image as scripts/release runs it for a build: the build reads a release only with its checksum
// beside it, the pointer is written last, and bad input is refused before anything is uploaded.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NEXT_RELEASE_KEY, releaseArtifactKey, releaseChecksumKey, RELEASE_VERSION } from "../../model/release";
import { recordingAws, RecordingAws } from "../helpers/recording-aws";

const SCRIPT = path.resolve(__dirname, "../../scripts/release-image");
const BUCKET = "magento-preprod-artifacts";

function setUp(): { dir: string; aws: RecordingAws; tarball: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-image-"));
    const tarball = path.join(dir, "shop.tar.gz");
    fs.writeFileSync(tarball, "the shop's code, composer-installed");
    return { dir, aws: recordingAws(dir), tarball };
}

const run = (aws: RecordingAws, args: string[]) =>
    spawnSync(SCRIPT, args, { encoding: "utf8", env: aws.env, timeout: 30_000 });

const args = (tarball: string, version = "2.4.8-p3.1", commit = "1a2b3c4d") => [
    ...["--region", "eu-west-3", "--bucket", BUCKET],
    ...["--version", version, "--commit", commit, "--tarball", tarball],
];

describe("scripts/release-image", () => {
    it("passes shellcheck", () => {
        const result = spawnSync("shellcheck", [SCRIPT], {
            encoding: "utf8",
            cwd: path.resolve(__dirname, "../.."),
        });
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    });

    it("uploads the release with a checksum sha256sum -c accepts, then the next build's pointer, and starts nothing", () => {
        const { dir, aws, tarball } = setUp();
        const result = run(aws, args(tarball));
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(aws.object(BUCKET, releaseArtifactKey("2.4.8-p3.1")), fs.readFileSync(tarball, "utf8"));
        const check = spawnSync("sha256sum", ["-c", path.basename(releaseChecksumKey("2.4.8-p3.1"))], {
            cwd: path.join(dir, "s3", BUCKET, "releases"),
            encoding: "utf8",
        });
        assert.strictEqual(check.status, 0, check.stdout + check.stderr);
        assert.deepStrictEqual(JSON.parse(aws.object(BUCKET, NEXT_RELEASE_KEY)!), {
            version: "2.4.8-p3.1",
            commit: "1a2b3c4d",
        });
        const calls = aws.calls();
        assert.ok(calls[calls.length - 1].includes(`s3://${BUCKET}/${NEXT_RELEASE_KEY}`), "the pointer last");
        // The build, its wait and the image's tags are the release runner's now.
        assert.deepStrictEqual(
            calls.filter((c) => !c.startsWith("s3 cp")),
            [],
        );
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
        for (const version of ["2.4.8-p3", "v1.0.0+build.5", "a", "-x", ".hidden", "x".repeat(65), "a/b", "é"]) {
            const accepted = run(aws, args(tarball, version)).status === 0;
            assert.strictEqual(accepted, RELEASE_VERSION.test(version), version);
        }
    });
});
