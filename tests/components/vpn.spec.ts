// The OpenVPN server as an operator checks it: a client made by the server's own script connects to a server running
// the generated configuration (real openvpn from Debian, in network namespaces this test creates), receives routes
// to every subnet, and reaches the server through the tunnel; names are never issued twice; a rebuild keeps the
// address and the PKI.
import * as assert from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { addUserScript, openvpnServerConfig, PKI_DIR, pkiScript, pkiStoreScript } from "../../components/openvpn";
import { StateResource } from "../../offline/state";
import { PREPROD_OPS_REBUILT } from "../fixtures/stacks";
import { ofType, prefetch, stackResources, via } from "../helpers/stacks";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-"));
const pkiDir = path.join(tmp, "pki");
const pki = path.join(tmp, "openvpn-pki");
const id = process.pid % 100_000;
const [serverNs, clientNs] = [`vpnt-s-${id}`, `vpnt-c-${id}`];
const SUBNETS = ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24", "10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"];

function runPki(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    return spawnSync("sh", [pki, ...args], { encoding: "utf8", env: { ...process.env, PKI_DIR: pkiDir }, timeout: 30_000 });
}

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8", timeout: 10_000 });

/** Resolves when `file` contains `text`, rejects after `ms`. */
async function waitFor(file: string, text: string, ms: number): Promise<void> {
    for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 200))) {
        if (fs.existsSync(file) && fs.readFileSync(file, "utf8").includes(text)) {
            return;
        }
    }
    throw new Error(`no '${text}' in ${file} after ${ms} ms:\n${fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "(no file)"}`);
}

describe("OpenVPN server", () => {
    prefetch(["prod"], ["preprod"], ["preprod", { changes: PREPROD_OPS_REBUILT }]);

    const processes: ChildProcess[] = [];

    before(() => {
        fs.writeFileSync(pki, pkiScript("/etc/openvpn/server/pki"));
    });

    after(() => {
        processes.forEach((p) => p.kill("SIGKILL"));
        for (const ns of [serverNs, clientNs]) {
            spawnSync("ip", ["netns", "del", ns]);
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("the PKI script makes the CA and the server's keys once, and a profile per name, refusing a name issued before", () => {
        assert.strictEqual(runPki("init").status, 0);
        assert.deepStrictEqual(fs.readdirSync(pkiDir).sort(), ["ca.crt", "ca.key", "issued-names", "server.crt", "server.key", "tc.key"]);
        assert.match(runPki("init").stderr, /a PKI already exists/);
        const alice = runPki("issue", "alice", "10.99.0.1");
        assert.strictEqual(alice.status, 0, alice.stderr);
        fs.writeFileSync(path.join(tmp, "alice.ovpn"), alice.stdout);
        assert.match(alice.stdout, /^remote 10\.99\.0\.1 1194$/m);
        const again = runPki("issue", "alice", "10.99.0.1");
        assert.deepStrictEqual([again.status, again.stdout], [1, ""]);
        assert.match(again.stderr, /a profile for 'alice' was issued already: user names are never reused/);
        assert.match(runPki("issue", "server", "10.99.0.1").stderr, /'server' was issued already/);
        assert.match(runPki("issue", "Bob Smith", "10.99.0.1").stderr, /must be made of a-z, 0-9/);
        assert.strictEqual(fs.readFileSync(path.join(pkiDir, "issued-names"), "utf8"), "server\nalice\n");
    });

    it("a client from that profile completes a handshake with the generated server config, gets a route to every subnet and reaches the server through the tunnel", async function () {
        this.timeout(60_000);
        if (!fs.existsSync("/dev/net/tun")) {
            this.skip(); // no TUN device on this machine: the checks above and below still run
        }
        const config = openvpnServerConfig({ clientCidr: "10.20.250.0/24", routes: SUBNETS, dns: { resolver: "10.20.0.2", domain: "prod.example.internal" }, pkiDir });
        fs.writeFileSync(path.join(tmp, "server.conf"), config);
        // Two namespaces joined by a veth pair: the "internet" between an operator and the server.
        ip("netns", "add", serverNs);
        ip("netns", "add", clientNs);
        ip("link", "add", `vs${id}`, "type", "veth", "peer", "name", `vc${id}`);
        ip("link", "set", `vs${id}`, "netns", serverNs);
        ip("link", "set", `vc${id}`, "netns", clientNs);
        ip("-n", serverNs, "addr", "add", "10.99.0.1/24", "dev", `vs${id}`);
        ip("-n", clientNs, "addr", "add", "10.99.0.2/24", "dev", `vc${id}`);
        for (const [ns, dev] of [[serverNs, `vs${id}`], [clientNs, `vc${id}`]]) {
            ip("-n", ns, "link", "set", dev, "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
        const start = (ns: string, args: string[], log: string) => {
            const out = fs.openSync(path.join(tmp, log), "w");
            const child = spawn("ip", ["netns", "exec", ns, ...args], { stdio: ["ignore", out, out] });
            processes.push(child);
        };
        start(serverNs, ["openvpn", "--config", path.join(tmp, "server.conf")], "server.log");
        await waitFor(path.join(tmp, "server.log"), "Initialization Sequence Completed", 15_000);
        // A listener on the server's tunnel address: data through the tunnel, not only the handshake.
        start(serverNs, [process.execPath, "-e", "require('net').createServer((s) => s.end('through the tunnel')).listen(7000, '10.20.250.1')"], "listener.log");
        start(clientNs, ["openvpn", "--config", path.join(tmp, "alice.ovpn")], "client.log");
        await waitFor(path.join(tmp, "client.log"), "Initialization Sequence Completed", 20_000);

        const routes = ip("-n", clientNs, "route");
        for (const subnet of [...SUBNETS, "10.20.0.2"]) {
            assert.match(routes, new RegExp(`^${subnet.replace(/\./g, "\\.")} via 10\\.20\\.250\\.1 dev tun`, "m"), routes);
        }
        const reply = spawnSync("ip", ["netns", "exec", clientNs, process.execPath, "-e",
            "const s = require('net').connect(7000, '10.20.250.1'); s.setTimeout(5000, () => process.exit(1)); s.pipe(process.stdout)"], { encoding: "utf8", timeout: 15_000 });
        assert.strictEqual(reply.stdout, "through the tunnel");
        // tls-crypt: the server checked the client's certificate, and the client the server's name.
        assert.match(fs.readFileSync(path.join(tmp, "client.log"), "utf8"), /VERIFY OK: depth=0, CN=server/);
    });

    it("prod: UDP 1194 open to the world, the first public subnet, an Elastic IP, and the role reads and writes exactly the PKI secret", async () => {
        const r = await stackResources("prod");
        const instance = ofType(r, "aws:ec2/instance:Instance").find((i) => i.urn.includes("openvpn"))!;
        assert.deepStrictEqual(via(r, instance, "subnetId").map((s) => s.inputs!.cidrBlock), ["10.20.1.0/24"]);
        const groups = via(r, instance, "vpcSecurityGroupIds");
        const rules = ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((x) => via(r, x, "securityGroupId").some((g) => groups.includes(g)));
        assert.deepStrictEqual(rules.map((x) => `${x.inputs!.ipProtocol}/${x.inputs!.fromPort} ${x.inputs!.cidrIpv4}`), ["udp/1194 0.0.0.0/0"]);
        const association = ofType(r, "aws:ec2/eipAssociation:EipAssociation").find((a) => via(r, a, "instanceId").includes(instance))!;
        assert.strictEqual(via(r, association, "allocationId")[0].protect, true);
        const [secret] = ofType(r, "aws:secretsmanager/secret:Secret").filter((s) => s.urn.endsWith("openvpn-pki"));
        assert.strictEqual(secret.inputs!.name, "magento/prod/openvpn-pki");
        assert.strictEqual(secret.protect, true);
        assert.ok(via(r, secret, "kmsKeyId").some((k) => k.type === "aws:kms/key:Key"));
        // No value from Pulumi: the server writes it; state never holds the keys.
        assert.strictEqual(ofType(r, "aws:secretsmanager/secretVersion:SecretVersion").filter((v) => via(r, v, "secretId").includes(secret)).length, 0);
        const policy = ofType(r, "aws:iam/rolePolicy:RolePolicy").find((p) => p.urn.endsWith("openvpn-pki"))!;
        assert.ok(via(r, policy, "policy").includes(secret));
        assert.ok(via(r, policy, "role").some((role) => role.urn.endsWith("magento-prod-vpn-role")));
        const userData = instance.inputs!.userData as string;
        assert.match(userData, /push "route 10\.20\.103\.0 255\.255\.255\.0"/);
        assert.match(userData, /ip saddr 10\.20\.250\.0\/24 ip daddr 10\.20\.0\.0\/16 masquerade/);
        assert.ok(!/BEGIN .*PRIVATE KEY/.test(userData), "a private key in user data");
    });

    it("the gateway and the VPN server install their packages whenever egress comes: retried until the Elastic IP is theirs", async () => {
        const r = await stackResources("prod");
        for (const [server, packages] of [["haproxy", "haproxy"], ["openvpn", "openvpn nftables"]]) {
            const config = YAML.parse(ofType(r, "aws:ec2/instance:Instance").find((i) => i.urn.includes(`${server}-server`))!.inputs!.userData as string);
            // cloud-init's packages module tries once, while a rebuilt server's address may still be the old one's.
            assert.strictEqual(config.packages, undefined, server);
            assert.strictEqual((config.runcmd[0] as string[]).join(" "), `/usr/local/sbin/install-packages ${packages}`);
            const script = config.write_files.find((f: { path: string }) => f.path === "/usr/local/sbin/install-packages").content as string;
            assert.match(script, /until dnf install -y "\$@"; do/);
        }
    });

    it("vpn-add-user runs under sudo, whose secure_path has no /usr/local/sbin: it calls its helpers by absolute path", () => {
        const script = addUserScript(PKI_DIR);
        assert.match(script, /if ! \/usr\/local\/sbin\/openvpn-pki issue "\$name"/);
        assert.match(script, /if ! \/usr\/local\/sbin\/openvpn-pki-store save; then/);
        assert.ok(!/(^|[\s!])openvpn-pki(-store)? /m.test(script.replace(/\/usr\/local\/sbin\/openvpn-pki/g, "")), script);
        assert.match(pkiStoreScript({ secretId: "magento/prod/openvpn-pki", region: "eu-west-3", pkiDir: PKI_DIR }), /\n {4}\/usr\/local\/sbin\/openvpn-pki init\n/);
    });

    it("a new image or instance type replaces the VPN server but keeps its Elastic IP and its PKI secret", async () => {
        const before = await stackResources("preprod");
        const after = await stackResources("preprod", { changes: PREPROD_OPS_REBUILT });
        const byUrn = new Map(after.map((x) => [x.urn, x]));
        const changed = (x: StateResource) => JSON.stringify(x.inputs) !== JSON.stringify(byUrn.get(x.urn)?.inputs);
        const vpn = before.filter((x) => x.urn.includes("openvpn"));
        assert.deepStrictEqual([...new Set(vpn.filter(changed).map((x) => x.type))], ["aws:ec2/instance:Instance"]);
        const instance = ofType(after, "aws:ec2/instance:Instance").find((i) => i.urn.includes("openvpn"))!;
        assert.deepStrictEqual([instance.inputs!.ami, instance.inputs!.instanceType], ["ami-0fedcba9876543210", "t3.medium"]);
        const kept = after.filter((x) => x.urn.includes("openvpn") && ["aws:ec2/eip:Eip", "aws:secretsmanager/secret:Secret"].includes(x.type));
        assert.strictEqual(kept.length, 2);
        for (const x of kept) {
            assert.ok(before.some((b) => b.urn === x.urn), x.urn);
            assert.strictEqual(x.protect, true, `${x.urn} is not protected`);
        }
    });
});
