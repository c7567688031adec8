// The operators' VPN certificate authority, off the internet-facing server: `npm run vpn-pki -- --stack prod init`,
// `npm run vpn-add-user -- --stack prod alice`, `npm run vpn-revoke-user -- --stack prod alice`, `npm run vpn-pki --
// --stack prod refresh`. Runs the generated vpn-pki script (components/operations/vpn/openvpn.ts) with the caller's AWS credentials,
// which must be the stack's VPN CA role (stack output vpnCaRoleArn, assumed with MFA): docs/vpn.md.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { pkiToolScript } from "../components/operations/vpn/openvpn";

const COMMANDS = ["init", "add-user", "revoke-user", "refresh"];

function fail(message: string): never {
    process.stderr.write(`vpn-pki: ${message}\n`);
    process.exit(2);
}

const args = process.argv.slice(2);
const at = args.indexOf("--stack");
const stack = at >= 0 ? args[at + 1] : undefined;
const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
if (stack === undefined || !/^[a-z0-9-]+$/.test(stack)) {
    fail(`--stack STACK is required (a stack name such as prod); then one of: ${COMMANDS.join(", ")}`);
}
if (!COMMANDS.includes(rest[0] ?? "") || rest.length !== (rest[0].endsWith("-user") ? 2 : 1)) {
    fail(
        `usage: --stack ${stack} init | add-user NAME | revoke-user NAME | refresh (got: ${rest.join(" ") || "nothing"})`,
    );
}
const stackFile = path.resolve(__dirname, "..", `Pulumi.${stack}.yaml`);
if (!fs.existsSync(stackFile)) {
    fail(`no ${path.basename(stackFile)}: the stack '${stack}' is not one of this project's`);
}
const region = ((YAML.parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null)
    ?.config ?? {})["aws:region"];
if (typeof region !== "string") {
    fail(`${path.basename(stackFile)} sets no aws:region`);
}
const env = { ...process.env };
if (rest[0] === "add-user" && env.VPN_REMOTE === undefined) {
    const output = spawnSync("pulumi", ["stack", "output", "vpnPublicIp", "--stack", stack], { encoding: "utf8" });
    if (output.status !== 0) {
        fail(
            `set VPN_REMOTE to the stack output vpnPublicIp (pulumi stack output failed: ${(output.stderr ?? output.error?.message ?? "").trim()})`,
        );
    }
    env.VPN_REMOTE = output.stdout.trim();
}
const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vpn-pki-")), "vpn-pki");
fs.writeFileSync(
    script,
    pkiToolScript({
        caSecretId: `magento/${stack}/openvpn-pki`,
        serverSecretId: `magento/${stack}/openvpn-server`,
        region,
    }),
    { mode: 0o700 },
);
const run = spawnSync("sh", [script, ...rest], { stdio: "inherit", env });
fs.rmSync(path.dirname(script), { recursive: true, force: true });
process.exit(run.status ?? 1);
