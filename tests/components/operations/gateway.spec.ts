// The gateway as an operator checks it: what the internet reaches (only the services a stack opens, each from its own
// addresses, in the security group and again in HAProxy; everything else through the VPN), and what HAProxy logs, with
// the real HAProxy from Debian (installed by .ci/run).
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { exposedServices, GatewayService, ownPorts } from "../../../model/gateway-services";
import { haproxyConfig } from "../../../components/operations/gateway/haproxy";
import { haproxySyncScript } from "../../../components/operations/gateway/haproxy-sync";
import { stackView } from "../../../offline/stack-view";
import { StateResource } from "../../../offline/state";
import { accessModel } from "../../../policies/lib/access/model";
import { decide } from "../../../policies/lib/access/simulate";
import {
    EC2_INSTANCE,
    EC2_SECURITY_GROUP,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    SSM_PARAMETER,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../../policies/lib/types";
import { knownString } from "../../../policies/lib/values";
import { ofType, stackResources, via } from "../../helpers/stacks";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-"));

function writeTemp(content: string): string {
    const file = path.join(tmp, `check-${Math.random().toString(36).slice(2)}.cfg`);
    fs.writeFileSync(file, content);
    return file;
}

function haproxyCheck(config: string): { ok: boolean; output: string } {
    const file = writeTemp(config);
    const run = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8", timeout: 20_000 });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** haproxy.cfg as the stack holds it: the gateway's SSM parameter, which the server reads at boot and on a timer. */
const haproxyConfigOf = (resources: StateResource[]) =>
    ofType(resources, SSM_PARAMETER).find((p) => p.urn.endsWith("haproxy-config"))!.inputs!.insecureValue as string;

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

    it("the stack's haproxy.cfg is accepted by the real haproxy -c, and refuses a service without a source", async () => {
        const config = haproxyConfigOf(await stackResources("prod"));
        const check = haproxyCheck(config);
        assert.ok(check.ok, check.output);
        assert.match(config, /bind \[::\]:2048-3388,\[::\]:3390-4096 v4v6/); // 3389 is RDP's, which stays behind the VPN
        assert.ok(
            !haproxyCheck("global\nfrontend x\n    bind :1 nonsense\n").ok,
            "haproxy -c accepts anything: the check is not real",
        );
        const ftp: GatewayService = { name: "ftp", protocol: "tcp", fromPort: 21, toPort: 21, target: "h" };
        assert.throws(
            () => haproxyConfig({ services: [{ service: ftp, sources: [], ports: [[21, 21]] }], listenAddress: "::" }),
            /no port of its own or no source/,
        );
    });

    it("prod opens only the partner's FTP and its passive range, from its one address; SMB, RDP and the application stay behind the VPN", async () => {
        const r = await stackResources("prod");
        const [group] = ofType(r, EC2_SECURITY_GROUP).filter((g) => g.urn.endsWith("haproxy-sg"));
        const rules = ofType(r, VPC_SECURITY_GROUP_INGRESS_RULE).filter((rule) =>
            via(r, rule, "securityGroupId").includes(group),
        );
        const admitted = rules.map(
            (x) => `${x.inputs!.ipProtocol}/${x.inputs!.fromPort}-${x.inputs!.toPort} ${x.inputs!.cidrIpv4}`,
        );
        assert.deepStrictEqual(admitted.sort(), [
            "tcp/2048-3388 203.0.113.10/32",
            "tcp/21-21 203.0.113.10/32",
            "tcp/3390-4096 203.0.113.10/32",
        ]);
        // The tag names the operators' networks; each rule admits one address of them.
        assert.strictEqual(
            (group.inputs!.tags as Record<string, string>).AllowedSources,
            "203.0.113.0/24,198.51.100.17/32",
        );
        // The instance sits in the first AZ's public subnet, behind this group and the gateway tier's (which internal hosts admit).
        const [instance] = ofType(r, EC2_INSTANCE).filter((i) => i.urn.includes("haproxy"));
        assert.deepStrictEqual(
            via(r, instance, "subnetId").map((s) => s.inputs!.cidrBlock),
            ["10.20.1.0/24"],
        );
        assert.deepStrictEqual(
            via(r, instance, "vpcSecurityGroupIds")
                .map((g) => g.urn.split("::").pop())
                .sort(),
            ["magento-prod-gateway-sg", "magento-prod-haproxy-sg"],
        );
    });

    it("the server boots after its haproxy.cfg and its grant to read it exist: the first sync at boot succeeds, not only the timer's", async () => {
        for (const stack of ["prod", "preprod"]) {
            const r = await stackResources(stack);
            const [instance] = ofType(r, EC2_INSTANCE).filter((i) => i.urn.includes("haproxy"));
            const parameter = ofType(r, SSM_PARAMETER).find((p) => p.urn.endsWith("haproxy-config"))!;
            const grant = ofType(r, IAM_ROLE_POLICY).find((p) => p.urn.endsWith("gateway-haproxy-config"))!;
            for (const needed of [parameter, grant]) {
                assert.ok(
                    (instance.dependencies ?? []).includes(needed.urn),
                    `${stack}: ${instance.urn} waits for ${needed.urn}`,
                );
            }
        }
    });

    it("preprod opens nothing to the internet: the gateway's group admits no one and its haproxy.cfg has no listener, so HAProxy does not run", async () => {
        const r = await stackResources("preprod");
        const [group] = ofType(r, EC2_SECURITY_GROUP).filter((g) => g.urn.endsWith("haproxy-sg"));
        assert.deepStrictEqual(
            ofType(r, VPC_SECURITY_GROUP_INGRESS_RULE).filter((rule) =>
                via(r, rule, "securityGroupId").includes(group),
            ),
            [],
        );
        const config = haproxyConfigOf(r);
        assert.ok(!/^frontend /m.test(config), config);
        // Exit 2, "will not start (no listener)": the server's sync job stops HAProxy on it (haproxy-sync.ts).
        assert.strictEqual(spawnSync("haproxy", ["-c", "-q", "-f", writeTemp(config)]).status, 2);
        // Same user data as prod's but for the stack's name in the parameter and its telemetry's log group and
        // namespace: opening a service later rebuilds nothing.
        const prod = await stackResources("prod");
        const userData = (x: typeof r) =>
            ofType(x, EC2_INSTANCE).find((i) => i.urn.includes("haproxy"))!.inputs!.userData as string;
        assert.strictEqual(
            userData(r),
            userData(prod)
                .replaceAll("/magento-gateway/prod/", "/magento-gateway/preprod/")
                .replaceAll("/magento/prod/servers/", "/magento/preprod/servers/")
                .replaceAll("Magento/prod/Servers", "Magento/preprod/Servers"),
        );
    });

    it("a new source for an opened service adds its rules and edits HAProxy's parameter in place: no other rule, and not the server, changes", async () => {
        // The new address goes first in one list and last in the other: rules are keyed by what they admit, not by position.
        const added = {
            "magento:gatewayInternet": {
                ftp: ["203.0.113.11/32", "203.0.113.10/32"],
                "ftp-passive": ["203.0.113.10/32", "203.0.113.11/32"],
            },
        };
        const [before, after] = [await stackResources("prod"), await stackResources("prod", { changes: added })];
        const rules = (r: typeof before) =>
            ofType(r, VPC_SECURITY_GROUP_INGRESS_RULE).filter((x) => x.urn.includes("-haproxy-"));
        const afterByUrn = new Map(rules(after).map((x) => [x.urn, x]));
        for (const rule of rules(before)) {
            assert.deepStrictEqual(afterByUrn.get(rule.urn)?.inputs, rule.inputs, rule.urn);
        }
        assert.strictEqual(rules(after).length, rules(before).length + 3);
        const instance = (r: typeof before) => ofType(r, EC2_INSTANCE).find((i) => i.urn.includes("haproxy"))!;
        assert.strictEqual(instance(after).inputs!.userData, instance(before).inputs!.userData);
        assert.match(haproxyConfigOf(after), /reject unless \{ src 203\.0\.113\.11\/32 203\.0\.113\.10\/32 \}/);
    });

    it("refuses a source listed twice for a service, naming it (two rules of one name would stop the preview)", async () => {
        const twice = {
            "magento:gatewayInternet": {
                ftp: ["203.0.113.10/32", "203.0.113.10/32"],
                "ftp-passive": ["203.0.113.10/32", "203.0.113.10/32"],
            },
        };
        await assert.rejects(
            stackResources("prod", { changes: twice }),
            /gatewayInternet lists 203\.0\.113\.10\/32 twice for ftp/,
        );
    });

    it("the server installs a new haproxy.cfg only when the real haproxy -c accepts it, reloads HAProxy for it, and stops HAProxy without a listener", () => {
        // The sync script with fakes for what it drives: `aws` prints the parameter's value, `systemctl` logs its calls.
        const dir = fs.mkdtempSync(path.join(tmp, "sync-"));
        const installed = path.join(dir, "haproxy.cfg");
        const value = path.join(dir, "value");
        fs.writeFileSync(path.join(dir, "aws"), `#!/bin/sh\ncat ${value}\n`, { mode: 0o755 });
        fs.writeFileSync(path.join(dir, "systemctl"), `#!/bin/sh\necho "$*" >> ${dir}/calls\n`, { mode: 0o755 });
        const script = path.join(dir, "sync");
        fs.writeFileSync(
            script,
            haproxySyncScript("/magento-gateway/prod/haproxy.cfg", "eu-west-3").replace(
                "/etc/haproxy/haproxy.cfg",
                installed,
            ),
        );
        const sync = (config: string) => {
            fs.writeFileSync(value, config);
            fs.rmSync(path.join(dir, "calls"), { force: true });
            const run = spawnSync("sh", [script], {
                encoding: "utf8",
                env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
            });
            const calls = fs.existsSync(path.join(dir, "calls"))
                ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n")
                : [];
            return {
                status: run.status,
                calls,
                installed: fs.existsSync(installed) ? fs.readFileSync(installed, "utf8") : "",
            };
        };
        const ftp: GatewayService = {
            name: "ftp",
            protocol: "tcp",
            fromPort: 21,
            toPort: 21,
            target: "windows.example.internal",
        };
        const good = haproxyConfig({
            services: [{ service: ftp, sources: ["192.0.2.1/32"], ports: [[21, 21]] }],
            listenAddress: "::",
        });
        assert.deepStrictEqual(sync(good), {
            status: 0,
            calls: ["enable --now haproxy", "reload-or-restart haproxy"],
            installed: good,
        });
        assert.deepStrictEqual(
            sync(good).calls,
            ["enable --now haproxy"],
            "an unchanged configuration is not reloaded",
        );
        const broken = sync(good.replace("mode tcp", "mode nonsense"));
        assert.deepStrictEqual(
            [broken.status, broken.calls, broken.installed],
            [1, [], good],
            "a refused configuration must leave the running one",
        );
        const none = haproxyConfig({ services: [], listenAddress: "::" });
        assert.deepStrictEqual(sync(none), { status: 0, calls: ["disable --now haproxy"], installed: none });
    });

    it("the gateway's role reads its haproxy.cfg and no other parameter; no other tier reads that one", async () => {
        const resources = stackView(await stackResources("prod", { preview: false }));
        const model = accessModel(resources);
        const role = (tier: string) =>
            knownString(
                resources.find((x) => x.type === IAM_ROLE && x.name === `magento-prod-${tier}-role`)!.props,
                "arn",
            )!;
        const arn = (name: string) => `arn:aws:ssm:${model.region}:${model.account}:parameter${name}`;
        const read = (tier: string, name: string) =>
            decide(model, { principal: role(tier), action: "ssm:GetParameter", resource: arn(name) });
        assert.strictEqual(await read("gateway", "/magento-gateway/prod/haproxy.cfg"), "Allowed");
        for (const other of [
            "/magento-gateway/preprod/haproxy.cfg",
            "/magento/prod/db/host",
            "/magento-gateway/prod/other",
        ]) {
            assert.notStrictEqual(await read("gateway", other), "Allowed", other);
        }
        for (const tier of ["web", "backoffice", "rundeck", "vpn", "windows"]) {
            assert.notStrictEqual(await read(tier, "/magento-gateway/prod/haproxy.cfg"), "Allowed", tier);
        }
    });

    it("opening FTP's passive range never opens RDP inside it; a port listed by two opened services is bound by the first", () => {
        const svc = (name: string, fromPort: number, toPort: number): GatewayService => ({
            name,
            protocol: "tcp",
            fromPort,
            toPort,
            target: "h",
        });
        const all = [svc("rdp", 3389, 3389), svc("ftp", 21, 21), svc("ftp-passive", 2048, 4096)];
        const ports = (opened: Record<string, string[]>) =>
            exposedServices(all, opened).map((e) => `${e.service.name} ${e.ports.map((p) => p.join("-")).join(",")}`);
        assert.deepStrictEqual(ports({ ftp: ["192.0.2.1/32"], "ftp-passive": ["192.0.2.1/32"] }), [
            "ftp 21-21",
            "ftp-passive 2048-3388,3390-4096",
        ]);
        assert.deepStrictEqual(ports({ rdp: ["192.0.2.1/32"], "ftp-passive": ["192.0.2.2/32"] }), [
            "rdp 3389-3389",
            "ftp-passive 2048-3388,3390-4096",
        ]);
        assert.deepStrictEqual(exposedServices(all, {}), []);
    });

    it("a real HAProxy forwards an allowed source to the target, on a single port and inside a range, refuses any other source, and logs both", async function () {
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
        const sources = { single: ["127.0.0.2/32"], range: ["127.0.0.2/32"] };
        const file = path.join(tmp, "loopback.cfg");
        // The same configuration, logging to stdout instead of the server's /dev/log.
        const config = haproxyConfig({ services: exposedServices(services, sources), listenAddress: "127.0.0.1" });
        fs.writeFileSync(file, config.replace("log /dev/log local0", "log stdout format raw local0"));
        let log = "";
        haproxy = spawn("haproxy", ["-db", "-f", file], { stdio: ["ignore", "pipe", "ignore"] });
        haproxy.stdout!.on("data", (chunk) => (log += chunk.toString()));
        // Wait for the frontends to listen (bounded).
        for (let i = 0; i < 50 && (await fetchFrom("127.0.0.2", base + 10)) === ""; i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        assert.strictEqual(await fetchFrom("127.0.0.2", base + 10), `hello from ${base + 10}`);
        assert.strictEqual(await fetchFrom("127.0.0.2", base + 21), `hello from ${base + 21}`);
        assert.strictEqual(await fetchFrom("127.0.0.3", base + 10), "", "a source outside the allow-list got through");
        assert.strictEqual(await fetchFrom("127.0.0.3", base + 21), "", "a source outside the allow-list got through");
        await new Promise((r) => setTimeout(r, 300));
        // Each connection is logged with the client's address; a refused one with PR (refused by a proxy rule).
        assert.match(log, /^127\.0\.0\.2:\d+ \[[^\]]+\] single single\/target /m, log);
        assert.match(log, /^127\.0\.0\.3:\d+ \[[^\]]+\] range range\/<NOSRV> .* PR /m, log);
    });

    it("a service's ports less those of others", () => {
        const svc = (name: string, fromPort: number, toPort: number): GatewayService => ({
            name,
            protocol: "tcp",
            fromPort,
            toPort,
            target: "h",
        });
        assert.deepStrictEqual(ownPorts(svc("ftp-passive", 2048, 4096), [svc("rdp", 3389, 3389)]), [
            [2048, 3388],
            [3390, 4096],
        ]);
        assert.deepStrictEqual(ownPorts(svc("a", 10, 20), [svc("b", 5, 12), svc("c", 20, 30)]), [[13, 19]]);
    });
});
