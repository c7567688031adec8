// The OpenVPN server as an operator relies on it, with the real openvpn from Debian in network namespaces this test
// creates: the operators' vpn-pki (run against a stand-in for the AWS CLI) issues a 30-day certificate and a TOTP
// secret; the server, holding only what openvpn-pki-fetch installs, admits that user with a current code and refuses
// a wrong code, another user's code, a revoked certificate, an expired one, and everyone once the CRL has expired.
// A rebuild keeps the address and the PKI.
import * as assert from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import {
    openvpnServerConfig,
    pamConfig,
    pkiFetchScript,
    pkiToolScript,
    sameUserScript,
    VALIDITY,
} from "../../../components/operations/vpn/openvpn";
import { StateResource } from "../../../offline/state";
import {
    EC2_EIP,
    EC2_EIP_ASSOCIATION,
    EC2_INSTANCE,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    KMS_KEY,
    SECRETSMANAGER_SECRET,
    SECRETSMANAGER_SECRET_VERSION,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../../policies/lib/types";
import { PREPROD_OPS_REBUILT } from "../../fixtures/stacks";
import { fakeAws } from "../../helpers/fake-aws";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-"));
const pkiDir = path.join(tmp, "pki");
const profiles = path.join(tmp, "profiles");
const id = process.pid % 100_000;
const [serverNs, clientNs] = [`vpnt-s-${id}`, `vpnt-c-${id}`];
const pamService = `magento-vpn-test-${id}`; // PAM reads services from /etc/pam.d only
const SUBNETS = ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24", "10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"];
const SECRETS = {
    caSecretId: "magento/test/openvpn-pki",
    serverSecretId: "magento/test/openvpn-server",
    region: "eu-west-3",
};

const env = { ...fakeAws(tmp), PROFILE_DIR: profiles, VPN_REMOTE: "10.99.0.1", PKI_DIR: pkiDir };

type Run = { status: number | null; stdout: string; stderr: string };
/** vpn-pki COMMAND..., optionally under faketime (a clock `offset` away, e.g. "-40d"). */
function vpnPki(args: string[], offset?: string): Run {
    const command = [...(offset ? ["faketime", "-f", offset] : []), "sh", path.join(tmp, "vpn-pki"), ...args];
    return spawnSync(command[0], command.slice(1), { encoding: "utf8", env, timeout: 30_000, cwd: tmp });
}
const fetchPki = (): Run => spawnSync("sh", [path.join(tmp, "fetch")], { encoding: "utf8", env, timeout: 30_000 });
const ok = (r: Run) => assert.strictEqual(r.status, 0, r.stderr);

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8", timeout: 10_000 });

/** Resolves when `file` contains `text`, rejects after `ms`. */
async function waitFor(file: string, text: string, ms: number): Promise<void> {
    for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 200))) {
        if (fs.existsSync(file) && fs.readFileSync(file, "utf8").includes(text)) {
            return;
        }
    }
    throw new Error(
        `no '${text}' in ${file} after ${ms} ms:\n${fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "(no file)"}`,
    );
}

/** The current TOTP code of a user's secret, by oathtool (an implementation independent of the server's). */
function code(name: string): string {
    const secret = fs.readFileSync(path.join(pkiDir, "otp", name), "utf8").split("\n")[0];
    return execFileSync("oathtool", ["--totp", "-b", secret], { encoding: "utf8" }).trim();
}

describe("OpenVPN server", () => {
    prefetch(["prod"], ["preprod"], ["preprod", { changes: PREPROD_OPS_REBUILT }]);

    const processes: ChildProcess[] = [];

    before(() => {
        fs.writeFileSync(path.join(tmp, "vpn-pki"), pkiToolScript(SECRETS));
        fs.writeFileSync(
            path.join(tmp, "fetch"),
            pkiFetchScript({
                secretId: SECRETS.serverSecretId,
                region: SECRETS.region,
                pkiDir: "/etc/openvpn/server/pki",
            }),
        );
    });

    after(() => {
        processes.forEach((p) => p.kill("SIGKILL"));
        for (const ns of [serverNs, clientNs]) {
            spawnSync("ip", ["netns", "del", ns]);
        }
        fs.rmSync(`/etc/pam.d/${pamService}`, { force: true });
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("vpn-pki makes the CA once, a 30-day client certificate and a TOTP secret per user, and the server's bundle without the CA key", () => {
        assert.match(vpnPki(["add-user", "alice"]).stderr, /holds no CA of vpn-pki: run vpn-pki init first/);
        ok(vpnPki(["init"]));
        assert.match(vpnPki(["init"]).stderr, /already holds a CA: init never replaces it/);
        for (const name of ["alice", "bob", "carol"]) {
            ok(vpnPki(["add-user", name]));
        }
        const profile = fs.readFileSync(path.join(profiles, "alice.ovpn"), "utf8");
        assert.match(profile, /^remote 10\.99\.0\.1 1194$/m);
        assert.match(profile, /^auth-user-pass$/m);
        const cert = profile.match(/<cert>\n([^]*?)<\/cert>/)![1];
        const days = execFileSync("openssl", ["x509", "-noout", "-enddate"], { input: cert, encoding: "utf8" });
        const lifetime = (Date.parse(days.split("=")[1]) - Date.now()) / 86_400_000;
        assert.ok(Math.abs(lifetime - VALIDITY.clientDays) < 1, days);
        assert.match(
            fs.readFileSync(path.join(profiles, "alice.otp"), "utf8"),
            /^otpauth:\/\/totp\/magento-vpn:alice\?secret=[A-Z2-7]{32}&issuer=magento-vpn\n$/,
        );
        assert.match(vpnPki(["add-user", "Bob Smith"]).stderr, /must be made of a-z, 0-9/);
        assert.match(vpnPki(["add-user", "server"]).stderr, /and not 'server'/);
        ok(fetchPki());
        assert.deepStrictEqual(fs.readdirSync(pkiDir).sort(), [
            "ca.crt",
            "crl.pem",
            "otp",
            "server.crt",
            "server.key",
            "tc.key",
        ]);
        assert.deepStrictEqual(fs.readdirSync(path.join(pkiDir, "otp")).sort(), ["alice", "bob", "carol"]);
        // The server's copy holds no CA key, and its script never writes a secret (its role may not: tests/access).
        assert.ok(!fs.readFileSync(path.join(tmp, "fetch"), "utf8").includes("put-secret-value"));
    });

    it("the generated server admits a user with a current code, and refuses a wrong code, another user's code, a revoked certificate, an expired one, and everyone on an expired CRL", async function () {
        this.timeout(180_000);
        if (!fs.existsSync("/dev/net/tun")) {
            this.skip(); // no TUN device on this machine: the checks above and below still run
        }
        // The server drops to nobody as it drops to openvpn on AL2023: it must still read the CRL at each connection.
        fs.chmodSync(tmp, 0o755);
        const sameUser = path.join(tmp, "same-user");
        fs.writeFileSync(sameUser, sameUserScript(), { mode: 0o755 });
        fs.writeFileSync(`/etc/pam.d/${pamService}`, pamConfig(pkiDir));
        const config = openvpnServerConfig({
            clientCidr: "10.20.250.0/24",
            routes: SUBNETS,
            dns: { resolver: "10.20.0.2", domain: "prod.example.internal" },
            pkiDir,
            pamService,
            sameUser,
            runAs: { user: "nobody", group: "nogroup" },
        });
        fs.writeFileSync(path.join(tmp, "server.conf"), config);
        // Two namespaces joined by a veth pair: the "internet" between an operator and the server.
        ip("netns", "add", serverNs);
        ip("netns", "add", clientNs);
        ip("link", "add", `vs${id}`, "type", "veth", "peer", "name", `vc${id}`);
        ip("link", "set", `vs${id}`, "netns", serverNs);
        ip("link", "set", `vc${id}`, "netns", clientNs);
        ip("-n", serverNs, "addr", "add", "10.99.0.1/24", "dev", `vs${id}`);
        ip("-n", clientNs, "addr", "add", "10.99.0.2/24", "dev", `vc${id}`);
        for (const [ns, dev] of [
            [serverNs, `vs${id}`],
            [clientNs, `vc${id}`],
        ]) {
            ip("-n", ns, "link", "set", dev, "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
        const start = (ns: string, args: string[], log: string) => {
            const out = fs.openSync(path.join(tmp, log), "w");
            const child = spawn("ip", ["netns", "exec", ns, ...args], { stdio: ["ignore", out, out] });
            processes.push(child);
            return child;
        };
        start(serverNs, ["openvpn", "--config", path.join(tmp, "server.conf")], "server.log");
        await waitFor(path.join(tmp, "server.log"), "Initialization Sequence Completed", 15_000);
        // A listener on the server's tunnel address: data through the tunnel, not only the handshake.
        start(
            serverNs,
            [
                process.execPath,
                "-e",
                "require('net').createServer((s) => s.end('through the tunnel')).listen(7000, '10.20.250.1')",
            ],
            "listener.log",
        );

        let attempt = 0;
        const serverLog = path.join(tmp, "server.log");
        /** Connects as `user` with `profile`'s certificate: "connected", or the server's reason for refusing. */
        const connect = async (profile: string, user: string, password: string): Promise<string> => {
            const log = path.join(tmp, `client-${++attempt}.log`);
            const pass = path.join(tmp, `pass-${attempt}`);
            fs.writeFileSync(pass, `${user}\n${password}\n`);
            const from = fs.readFileSync(serverLog, "utf8").length;
            const client = start(
                clientNs,
                [
                    "openvpn",
                    "--config",
                    path.join(profiles, `${profile}.ovpn`),
                    "--auth-user-pass",
                    pass,
                    "--auth-retry",
                    "none",
                ],
                path.basename(log),
            );
            // A certificate refused by TLS; a code refused by PAM; or, the code right, the name not the certificate's.
            const refusal =
                /VERIFY ERROR: depth=0, error=([^:]+)|PLUGIN_AUTH_USER_PASS_VERIFY (failed)|PLUGIN_AUTH_USER_PASS_VERIFY status=0\n.*(verification failed)/;
            for (const begin = Date.now(); Date.now() - begin < 20_000; await new Promise((r) => setTimeout(r, 200))) {
                if (fs.existsSync(log) && fs.readFileSync(log, "utf8").includes("Initialization Sequence Completed")) {
                    return "connected";
                }
                const refused = fs.readFileSync(serverLog, "utf8").slice(from).match(refusal);
                if (refused) {
                    client.kill("SIGKILL");
                    return refused.slice(1).find((x) => x !== undefined)!;
                }
            }
            client.kill("SIGKILL");
            return `no verdict in 20 s:\n${fs.readFileSync(serverLog, "utf8").slice(from)}`;
        };

        assert.strictEqual(await connect("alice", "alice", code("alice")), "connected");
        const routes = ip("-n", clientNs, "route");
        for (const subnet of [...SUBNETS, "10.20.0.2"]) {
            assert.match(
                routes,
                new RegExp(`^${subnet.replace(/\./g, "\\.")} via 10\\.20\\.250\\.1 dev tun`, "m"),
                routes,
            );
        }
        // Through the tunnel to a server in the VPC; tried up to three times, since on a loaded machine a node process
        // starting in the namespace can outlast one socket timeout (a fresh clone's CI once did).
        const through = () =>
            spawnSync(
                "ip",
                [
                    "netns",
                    "exec",
                    clientNs,
                    process.execPath,
                    "-e",
                    "const s = require('net').connect(7000, '10.20.250.1'); s.setTimeout(5000, () => process.exit(1)); s.pipe(process.stdout)",
                ],
                { encoding: "utf8", timeout: 15_000 },
            ).stdout;
        let reply = through();
        for (let attempt = 1; attempt < 3 && reply !== "through the tunnel"; attempt++) {
            reply = through();
        }
        assert.strictEqual(reply, "through the tunnel");
        processes[processes.length - 1].kill("SIGKILL"); // alice leaves: one client at a time from here
        await new Promise((r) => setTimeout(r, 1000));

        assert.strictEqual(await connect("alice", "alice", "000000"), "failed", "a wrong code: PAM refuses it");
        assert.strictEqual(
            await connect("alice", "carol", code("carol")),
            "verification failed",
            "carol's code on alice's certificate: same-user refuses it",
        );
        // Revoked while the server runs: the next fetch installs the CRL, which OpenVPN reads at each connection.
        ok(vpnPki(["revoke-user", "bob"]));
        ok(fetchPki());
        assert.ok(!fs.existsSync(path.join(pkiDir, "otp", "bob")), "a revoked user's OTP secret is removed");
        assert.strictEqual(await connect("bob", "bob", "123456"), "certificate revoked");
        // Issued 40 days ago: expired 10 days ago.
        ok(vpnPki(["add-user", "dave"], "-40d"));
        ok(fetchPki());
        assert.strictEqual(await connect("dave", "dave", code("dave")), "certificate has expired");
        // The CRL re-signed 200 days ago expired 20 days ago: OpenVPN then refuses every client, and the fetch warns.
        ok(vpnPki(["refresh"], "-200d"));
        const warned = fetchPki();
        ok(warned);
        assert.match(
            warned.stderr,
            /WARNING: the VPN CRL expires .*every client is refused: an operator runs vpn-pki refresh/,
        );
        assert.strictEqual(await connect("alice", "alice", code("alice")), "CRL has expired");
        // Each fetch rewrites the OTP files, so a code alice used above is not refused as reused.
        ok(vpnPki(["refresh"]));
        ok(fetchPki());
        assert.strictEqual(await connect("alice", "alice", code("alice")), "connected");
    });

    it("prod: UDP 1194 open to the world, an Elastic IP, and two protected, empty PKI secrets: the server's role reads its bundle, the CA role (MFA) writes", async () => {
        const r = await stackResources("prod");
        const instance = ofType(r, EC2_INSTANCE).find((i) => i.urn.includes("openvpn"))!;
        assert.deepStrictEqual(
            via(r, instance, "subnetId").map((s) => s.inputs!.cidrBlock),
            ["10.20.1.0/24"],
        );
        const groups = via(r, instance, "vpcSecurityGroupIds");
        const rules = ofType(r, VPC_SECURITY_GROUP_INGRESS_RULE).filter((x) =>
            via(r, x, "securityGroupId").some((g) => groups.includes(g)),
        );
        assert.deepStrictEqual(
            rules.map((x) => `${x.inputs!.ipProtocol}/${x.inputs!.fromPort} ${x.inputs!.cidrIpv4}`),
            ["udp/1194 0.0.0.0/0"],
        );
        const association = ofType(r, EC2_EIP_ASSOCIATION).find((a) => via(r, a, "instanceId").includes(instance))!;
        assert.strictEqual(via(r, association, "allocationId")[0].protect, true);
        const secrets = ofType(r, SECRETSMANAGER_SECRET).filter((s) => s.urn.includes("openvpn"));
        assert.deepStrictEqual(secrets.map((s) => s.inputs!.name).sort(), [
            "magento/prod/openvpn-pki",
            "magento/prod/openvpn-server",
        ]);
        for (const secret of secrets) {
            assert.strictEqual(secret.protect, true);
            assert.ok(via(r, secret, "kmsKeyId").some((k) => k.type === KMS_KEY));
            // No value from Pulumi: vpn-pki writes them; state never holds the keys.
            assert.strictEqual(
                ofType(r, SECRETSMANAGER_SECRET_VERSION).filter((v) => via(r, v, "secretId").includes(secret)).length,
                0,
            );
        }
        const policy = ofType(r, IAM_ROLE_POLICY).find((p) => p.urn.endsWith("openvpn-pki"))!;
        assert.ok(via(r, policy, "role").some((role) => role.urn.endsWith("magento-prod-vpn-role")));
        const caRole = ofType(r, IAM_ROLE).find((x) => x.urn.endsWith("openvpn-ca-role"))!;
        const trust = JSON.parse(caRole.inputs!.assumeRolePolicy as string);
        assert.deepStrictEqual(
            trust.Statement.map((x: { Condition: unknown }) => x.Condition),
            [{ Bool: { "aws:MultiFactorAuthPresent": "true" } }],
        );
        const config = YAML.parse(instance.inputs!.userData as string) as {
            write_files: { path: string; content: string }[];
        };
        const file = (p: string) => config.write_files.find((f) => f.path === p)!.content;
        const server = file("/etc/openvpn/server/magento.conf");
        for (const line of [
            "crl-verify /etc/openvpn/server/pki/crl.pem",
            "remote-cert-tls client",
            "plugin openvpn-plugin-auth-pam.so openvpn-otp",
            "user openvpn",
        ]) {
            assert.ok(server.split("\n").includes(line), `${line} in\n${server}`);
        }
        assert.match(server, /push "route 10\.20\.103\.0 255\.255\.255\.0"/);
        assert.match(
            file("/etc/openvpn/server/nat.nft"),
            /ip saddr 10\.20\.250\.0\/24 ip daddr 10\.20\.0\.0\/16 masquerade/,
        );
        assert.match(file("/usr/local/sbin/openvpn-pki-fetch"), /SECRET_ID="magento\/prod\/openvpn-server"/);
        assert.ok(
            !/BEGIN .*PRIVATE KEY|ca\.key|put-secret-value/.test(instance.inputs!.userData as string),
            "the CA, a private key or a secret write in user data",
        );
    });

    it("the PKI fetch runs every 5 minutes as a unit systemd accepts, and starts OpenVPN once there is a PKI", async () => {
        const r = await stackResources("prod");
        const instance = ofType(r, EC2_INSTANCE).find((i) => i.urn.includes("openvpn"))!;
        const config = YAML.parse(instance.inputs!.userData as string) as {
            write_files: { path: string; content: string }[];
            runcmd: string[][];
        };
        const units = config.write_files.filter((f) =>
            /^\/etc\/systemd\/system\/openvpn-pki-fetch\.(service|timer)$/.test(f.path),
        );
        assert.strictEqual(units.length, 2);
        const dir = fs.mkdtempSync(path.join(tmp, "units-"));
        for (const unit of units) {
            fs.writeFileSync(path.join(dir, path.basename(unit.path)), unit.content);
        }
        const verify = spawnSync(
            "systemd-analyze",
            ["verify", "--man=no", ...units.map((u) => path.join(dir, path.basename(u.path)))],
            { encoding: "utf8" },
        );
        const complaints = `${verify.stdout}${verify.stderr}`
            .split("\n")
            .filter((l) => l !== "" && !/Command \S+ is not executable: No such file/.test(l));
        assert.deepStrictEqual(complaints, []);
        assert.match(units.find((u) => u.path.endsWith(".timer"))!.content, /^OnCalendar=\*:0\/5$/m);
        assert.deepStrictEqual(config.runcmd.slice(-2), [
            ["systemctl", "enable", "openvpn-server@magento"],
            ["systemctl", "enable", "--now", "openvpn-pki-fetch.timer"],
        ]);
    });

    it("the gateway and the VPN server install their packages whenever egress comes: retried until the Elastic IP is theirs", async () => {
        const r = await stackResources("prod");
        for (const [server, packages] of [
            ["haproxy", "haproxy"],
            ["openvpn", "openvpn nftables google-authenticator"],
        ]) {
            const config = YAML.parse(
                ofType(r, EC2_INSTANCE).find((i) => i.urn.includes(`${server}-server`))!.inputs!.userData as string,
            );
            // cloud-init's packages module tries once, while a rebuilt server's address may still be the old one's.
            assert.strictEqual(config.packages, undefined, server);
            // The CloudWatch agent's first (cloudwatch-agent.spec.ts), then the server's own.
            assert.deepStrictEqual(
                (config.runcmd as string[][])
                    .map((c) => c.join(" "))
                    .filter((c) => c.startsWith("/usr/local/sbin/install-packages")),
                [
                    "/usr/local/sbin/install-packages amazon-cloudwatch-agent rsyslog",
                    `/usr/local/sbin/install-packages ${packages}`,
                ],
            );
            const script = config.write_files.find(
                (f: { path: string }) => f.path === "/usr/local/sbin/install-packages",
            ).content as string;
            assert.match(script, /until dnf install -y "\$@"; do/);
        }
    });

    it("a new image or instance type replaces the VPN server but keeps its Elastic IP and its PKI secrets", async () => {
        const before = await stackResources("preprod");
        const after = await stackResources("preprod", { changes: PREPROD_OPS_REBUILT });
        const byUrn = new Map(after.map((x) => [x.urn, x]));
        const changed = (x: StateResource) => JSON.stringify(x.inputs) !== JSON.stringify(byUrn.get(x.urn)?.inputs);
        const vpn = before.filter((x) => x.urn.includes("openvpn"));
        assert.deepStrictEqual([...new Set(vpn.filter(changed).map((x) => x.type))], [EC2_INSTANCE]);
        const instance = ofType(after, EC2_INSTANCE).find((i) => i.urn.includes("openvpn"))!;
        assert.deepStrictEqual(
            [instance.inputs!.ami, instance.inputs!.instanceType],
            ["ami-0fedcba9876543210", "t3.medium"],
        );
        const kept = after.filter(
            (x) => x.urn.includes("openvpn") && [EC2_EIP, SECRETSMANAGER_SECRET].includes(x.type),
        );
        assert.strictEqual(kept.length, 3);
        for (const x of kept) {
            assert.ok(
                before.some((b) => b.urn === x.urn),
                x.urn,
            );
            assert.strictEqual(x.protect, true, `${x.urn} is not protected`);
        }
    });
});
