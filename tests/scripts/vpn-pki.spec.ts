// The operators' command as they type it: bad input gets one line naming what is allowed (never a stack trace), and a
// good one runs the generated vpn-pki on the stack's own secrets and region.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fakeAws } from "../helpers/fake-aws";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-pki-cli-"));
const env = { ...fakeAws(tmp), FAKE_LOG: path.join(tmp, "calls"), VPN_REMOTE: "203.0.113.10" };
const cli = (...args: string[]) =>
    spawnSync(
        process.execPath,
        [
            require.resolve("ts-node/dist/bin"),
            "--transpile-only",
            path.resolve(__dirname, "../../scripts/vpn-pki.ts"),
            ...args,
        ],
        { encoding: "utf8", env, cwd: tmp, timeout: 60_000 },
    );

describe("scripts/vpn-pki (npm run vpn-pki, vpn-add-user, vpn-revoke-user)", () => {
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("refuses a missing stack, an unknown stack and a wrong command with one line saying what is allowed", () => {
        for (const [args, message] of [
            [
                ["revoke-user", "alice"],
                /^vpn-pki: --stack STACK is required \(a stack name such as prod\); then one of: init, add-user, revoke-user, refresh\n$/,
            ],
            [
                ["--stack", "staging", "init"],
                /^vpn-pki: no Pulumi\.staging\.yaml: the stack 'staging' is not one of this project's\n$/,
            ],
            [
                ["--stack", "prod", "revoke-user"],
                /^vpn-pki: usage: --stack prod init \| add-user NAME \| revoke-user NAME \| refresh \(got: revoke-user\)\n$/,
            ],
        ] as const) {
            const run = cli(...args);
            assert.deepStrictEqual([run.status, run.stdout], [2, ""]);
            assert.match(run.stderr, message);
        }
    });

    it("runs vpn-pki on the stack's CA secret, in the stack's region: init once, then a profile for the user", () => {
        const init = cli("--stack", "prod", "init");
        assert.strictEqual(init.status, 0, init.stderr);
        const calls = fs.readFileSync(env.FAKE_LOG, "utf8");
        assert.match(
            calls,
            /^--region eu-west-3 secretsmanager put-secret-value --secret-id magento\/prod\/openvpn-pki /m,
        );
        assert.match(
            calls,
            /^--region eu-west-3 secretsmanager put-secret-value --secret-id magento\/prod\/openvpn-server /m,
        );
        const add = cli("--stack", "prod", "add-user", "alice");
        assert.strictEqual(add.status, 0, add.stderr);
        assert.match(
            fs.readFileSync(path.join(tmp, "vpn-profiles", "alice.ovpn"), "utf8"),
            /^remote 203\.0\.113\.10 1194$/m,
        );
    });
});
