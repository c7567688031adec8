// scripts/promote-image as an operator runs it, against a stand-in `aws` that answers from the environment and logs
// every call: the copy is the target's own (its key, its tags), the target's parameter is written only once the copy
// is available, older copies go with their snapshots, and an image that is not the source stack's release is refused.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../helpers/stacks";

const SCRIPT = path.join(ROOT, "scripts/promote-image");
const SOURCE = "ami-0aaaaaaaaaaaaaaa1";
const COPY = "ami-0bbbbbbbbbbbbbbb2";

// Answers by the call's service and operation; `describe-images --owners self` lists the target's release images,
// newest first, as the script's query sorts them.
const FAKE_AWS = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_LOG"
args=" $* "
case "$args" in
  *" ssm get-parameter "*) echo "$FAKE_SOURCE" ;;
  *" ec2 describe-images "*"--owners self"*) echo "$FAKE_TARGET_IMAGES" ;;
  *" ec2 describe-images "*"Tags"*) printf '%b' "$FAKE_TAGS" ;;
  *" ec2 describe-images "*"SnapshotId"*) id="\${args#*--image-ids }"; echo "snap-\${id%% *}" ;;
  *" ec2 copy-image "*) echo "${COPY}" ;;
  *" ec2 wait "*|*" ssm put-parameter "*|*" ec2 deregister-image "*|*" ec2 delete-snapshot "*) ;;
  *) echo "unexpected call: $*" >&2; exit 3 ;;
esac
`;

interface Run {
    readonly status: number | null;
    readonly stderr: string;
    readonly calls: string[];
}

function promote(args: string[], env: Record<string, string> = {}): Run {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promote-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "aws"), FAKE_AWS, { mode: 0o755 });
    const log = path.join(dir, "calls.log");
    fs.writeFileSync(log, "");
    const result = spawnSync(SCRIPT, args, {
        encoding: "utf8",
        env: {
            PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
            FAKE_LOG: log,
            FAKE_SOURCE: SOURCE,
            FAKE_TAGS:
                "magento:release-image\\tpreprod\\nmagento:release-version\\t2.4.8-p3+17\\nOwner\\tecommerce platform\\nCreatedBy\\tEC2 Image Builder\\nEc2ImageBuilderArn\\tarn:aws:imagebuilder:eu-west-3:123456789012:image/x/1.0.0/1\\n",
            FAKE_TARGET_IMAGES: `${COPY} ami-0ccccccccccccccc3 ami-0ddddddddddddddd4 ami-0eeeeeeeeeeeeeee5`,
            ...env,
        },
    });
    return {
        status: result.status,
        stderr: result.stderr,
        calls: fs.readFileSync(log, "utf8").split("\n").filter(Boolean),
    };
}

const call = (run: Run, operation: string) =>
    run.calls.filter((c) => c.includes(` ${operation} `) || c.endsWith(` ${operation}`));

describe("scripts/promote-image", () => {
    it("is clean under shellcheck", () => {
        const result = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout);
    });

    const run = promote(["--from", "preprod", "--to", "prod", "--region", "eu-west-3", "--keep", "2"]);

    it("copies the image preprod boots, encrypted with prod's release-image key", () => {
        assert.strictEqual(run.status, 0, run.stderr);
        assert.ok(call(run, "get-parameter")[0].includes("--name /imagebuilder/magento/preprod/web-ami"));
        const [copy] = call(run, "copy-image");
        assert.ok(copy.includes(`--source-image-id ${SOURCE}`), copy);
        assert.ok(copy.includes("--encrypted --kms-key-id alias/magento-prod-release-image"), copy);
        // EC2 refuses '+' in an AMI name: the version's build metadata is spelled with '_' there.
        assert.match(copy, /--name prod-release-2\.4\.8-p3_17-\d{14} /);
    });

    it("tags the copy and its snapshots as the source was tagged, but as prod's release image and not Image Builder's", () => {
        const [copy] = call(run, "copy-image");
        const specs = JSON.parse(/--tag-specifications (\[.*\]) --query/.exec(copy)![1]) as {
            ResourceType: string;
            Tags: { Key: string; Value: string }[];
        }[];
        assert.deepStrictEqual(
            specs.map((s) => s.ResourceType),
            ["image", "snapshot"],
        );
        for (const spec of specs) {
            assert.deepStrictEqual(Object.fromEntries(spec.Tags.map((t) => [t.Key, t.Value])), {
                "magento:release-image": "prod",
                "magento:release-version": "2.4.8-p3+17",
                Owner: "ecommerce platform",
            });
        }
    });

    it("writes prod's parameter only once the copy is available", () => {
        const waited = run.calls.findIndex((c) => c.includes(`ec2 wait image-available --image-ids ${COPY}`));
        const written = run.calls.findIndex((c) => c.includes("ssm put-parameter"));
        assert.ok(waited >= 0 && written > waited, run.calls.join("\n"));
        assert.ok(
            run.calls[written].includes(
                `--name /imagebuilder/magento/prod/web-ami --type String --data-type aws:ec2:image --value ${COPY} --overwrite`,
            ),
        );
    });

    it("keeps the newest --keep release images of prod and deregisters older ones with their snapshots", () => {
        assert.deepStrictEqual(
            call(run, "deregister-image").map((c) => c.split(" ").pop()),
            ["ami-0ddddddddddddddd4", "ami-0eeeeeeeeeeeeeee5"],
        );
        assert.deepStrictEqual(
            call(run, "delete-snapshot").map((c) => c.split(" ").pop()),
            ["snap-ami-0ddddddddddddddd4", "snap-ami-0eeeeeeeeeeeeeee5"],
        );
    });

    it("from another account, reads the source with its credentials and writes the target with its own", () => {
        const cross = promote([
            ...["--from", "preprod", "--to", "prod", "--region", "eu-west-3"],
            ...[
                "--source-profile",
                "shop-preprod",
                "--profile",
                "shop-prod",
                "--kms-key",
                "arn:aws:kms:eu-west-3:210987654321:key/k",
            ],
        ]);
        assert.strictEqual(cross.status, 0, cross.stderr);
        for (const op of ["get-parameter", "describe-images --image-ids"]) {
            assert.ok(
                call(cross, op.split(" ")[0]).some((c) => c.includes("--profile shop-preprod") && c.includes(op)),
                op,
            );
        }
        for (const op of ["copy-image", "put-parameter", "deregister-image"]) {
            assert.ok(
                call(cross, op).every((c) => c.includes("--profile shop-prod")),
                op,
            );
        }
        assert.ok(call(cross, "copy-image")[0].includes("--kms-key-id arn:aws:kms:eu-west-3:210987654321:key/k"));
    });

    it("refuses an image that is not a release image of the source stack, copying nothing", () => {
        const refused = promote(["--from", "preprod", "--to", "prod", "--region", "eu-west-3"], {
            FAKE_TAGS: "magento:release-image\\tstaging\\n",
        });
        assert.strictEqual(refused.status, 1);
        assert.match(
            refused.stderr,
            /ami-0aaaaaaaaaaaaaaa1 is not a release image of preprod \(its magento:release-image tag is 'staging'\)/,
        );
        assert.deepStrictEqual(call(refused, "copy-image"), []);
    });

    it("refuses arguments that would lose the rollback target or promote a stack onto itself, naming them", () => {
        const one = promote(["--from", "preprod", "--to", "prod", "--region", "eu-west-3", "--keep", "1"]);
        assert.strictEqual(one.status, 1);
        assert.match(one.stderr, /--keep must be at least 2/);
        const same = promote(["--from", "prod", "--to", "prod", "--region", "eu-west-3"]);
        assert.match(same.stderr, /--from and --to name the same stack \(prod\)/);
        assert.deepStrictEqual([...one.calls, ...same.calls], []);
    });
});
