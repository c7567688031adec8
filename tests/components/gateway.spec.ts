// The gateway as an operator checks it: what the internet reaches (the listed ports, from the allow-list only, in the
// security group and again in HAProxy), with the real HAProxy from Debian (installed by .ci/run).
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { GatewayService, haproxyConfig, ownPorts } from "../../components/haproxy";
import { ofType, stackResources, via } from "../helpers/stacks";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-"));

function haproxyCheck(config: string): { ok: boolean; output: string } {
    const file = path.join(tmp, `check-${Math.random().toString(36).slice(2)}.cfg`);
    fs.writeFileSync(file, config);
    const run = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8", timeout: 20_000 });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** Connects from `source` and returns what the other end sent before closing (empty when HAProxy refused). */
function fetchFrom(source: string, port: number): Promise<string> {
    return new Promise((resolve) => {
        let data = "";
        const socket = net.connect({ host: "127.0.0.1", port, localAddress: source });
        socket.setTimeout(5000, () => socket.destroy());
        socket.on("data", (chunk) => (data += chunk.toString()));
        socket.on("error", () => resolve(data));
        socket.on("close", () => resolve(data));
    });
}

/** A free loopback port block: `count` consecutive ports starting at the returned one. */
function basePort(): number {
    return 20_000 + Math.floor(Math.random() * 20_000);
}

describe("gateway", () => {
    let haproxy: ChildProcess | undefined;
    const backends: net.Server[] = [];

    after(() => {
        haproxy?.kill("SIGKILL");
        backends.forEach((b) => b.close());
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("the stack's haproxy.cfg is accepted by the real haproxy -c, and refuses an empty allow-list", async () => {
        const resources = await stackResources("prod");
        const instance = ofType(resources, "aws:ec2/instance:Instance").find((i) => i.urn.includes("haproxy"))!;
        const files = (YAML.parse(instance.inputs!.userData as string) as { write_files: { path: string; content: string }[] }).write_files;
        const config = files.find((f) => f.path === "/etc/haproxy/haproxy.cfg")!.content;
        const check = haproxyCheck(config);
        assert.ok(check.ok, check.output);
        assert.match(config, /bind \[::\]:2048-3388,\[::\]:3390-4096 v4v6/); // 3389 is RDP's, bound once
        assert.ok(!haproxyCheck("global\nfrontend x\n    bind :1 nonsense\n").ok, "haproxy -c accepts anything: the check is not real");
        assert.throws(() => haproxyConfig({ services: [], allowedSources: [], listenAddress: "::" }), /empty allow-list would refuse every connection/);
    });

    it("prod's security group admits the five services from the operators' two ranges and nothing else", async () => {
        const r = await stackResources("prod");
        const [group] = ofType(r, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.urn.endsWith("haproxy-sg"));
        const rules = ofType(r, INGRESS).filter((rule) => via(r, rule, "securityGroupId").includes(group));
        const admitted = rules.map((x) => `${x.inputs!.ipProtocol}/${x.inputs!.fromPort}-${x.inputs!.toPort} ${x.inputs!.cidrIpv4}`);
        const sources = ["203.0.113.0/24", "198.51.100.17/32"];
        const expected = ["445-445", "8700-8800", "3389-3389", "21-21", "2048-4096"].flatMap((p) => sources.map((s) => `tcp/${p} ${s}`));
        assert.deepStrictEqual(admitted.sort(), expected.sort());
        assert.strictEqual((group.inputs!.tags as Record<string, string>).AllowedSources, sources.join(","));
        // The instance sits in the first AZ's public subnet, behind this group and the gateway tier's (which internal hosts admit).
        const [instance] = ofType(r, "aws:ec2/instance:Instance").filter((i) => i.urn.includes("haproxy"));
        assert.deepStrictEqual(via(r, instance, "subnetId").map((s) => s.inputs!.cidrBlock), ["10.20.1.0/24"]);
        assert.deepStrictEqual(via(r, instance, "vpcSecurityGroupIds").map((g) => g.urn.split("::").pop()).sort(), ["magento-prod-gateway-sg", "magento-prod-haproxy-sg"]);
    });

    it("a real HAProxy forwards an allowed source to the target, on a single port and inside a range, and refuses any other source", async function () {
        this.timeout(30_000);
        const base = basePort();
        // A test backend on 127.0.0.4 answering on each port it listens on with that port.
        for (const port of [base + 10, base + 21]) {
            const server = net.createServer((s) => s.end(`hello from ${port}`));
            await new Promise<void>((resolve) => server.listen(port, "127.0.0.4", resolve));
            backends.push(server);
        }
        const services: GatewayService[] = [
            { name: "single", protocol: "tcp", fromPort: base + 10, toPort: base + 10, target: "127.0.0.4" },
            { name: "range", protocol: "tcp", fromPort: base + 20, toPort: base + 22, target: "127.0.0.4" },
        ];
        const file = path.join(tmp, "loopback.cfg");
        fs.writeFileSync(file, haproxyConfig({ services, allowedSources: ["127.0.0.2/32"], listenAddress: "127.0.0.1" }));
        haproxy = spawn("haproxy", ["-db", "-f", file], { stdio: "ignore" });
        // Wait for the frontends to listen (bounded).
        for (let i = 0; i < 50 && (await fetchFrom("127.0.0.2", base + 10)) === ""; i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        assert.strictEqual(await fetchFrom("127.0.0.2", base + 10), `hello from ${base + 10}`);
        assert.strictEqual(await fetchFrom("127.0.0.2", base + 21), `hello from ${base + 21}`);
        assert.strictEqual(await fetchFrom("127.0.0.3", base + 10), "", "a source outside the allow-list got through");
        assert.strictEqual(await fetchFrom("127.0.0.3", base + 21), "", "a source outside the allow-list got through");
    });

    it("a port listed by two services is bound by the first only", () => {
        const svc = (name: string, fromPort: number, toPort: number): GatewayService => ({ name, protocol: "tcp", fromPort, toPort, target: "h" });
        assert.deepStrictEqual(ownPorts(svc("ftp-passive", 2048, 4096), [svc("rdp", 3389, 3389)]), [[2048, 3388], [3390, 4096]]);
        assert.deepStrictEqual(ownPorts(svc("a", 10, 20), [svc("b", 5, 12), svc("c", 20, 30)]), [[13, 19]]);
    });
});
