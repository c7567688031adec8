// The order connector's FTP drop as an operator checks it: the real vsftpd (Debian's) takes the generated
// configuration and refuses a login before TLS and a weak cipher; the server listens and hands out exactly the ports
// the gateway forwards (one source of truth); only the gateway (ports it forwards) and the VPN reach it; its user is
// chrooted to a directory it cannot write and uploads group-writeable, nothing world-writeable; its certificate is
// made once and never replaced on an error (the rendered script with a fake aws); its name is claimed last, once the
// application answers, and never after a failed boot step (the rendered runcmd through cloud-init's own shellify).
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { WriteFile } from "../../../components/compute/cloud-init";
import {
    FTP_CERTIFICATE_SCRIPT,
    FTP_CLAIM_SCRIPT,
    FTP_CIPHERS,
    FTP_LAYOUT,
    GENERATED_MARK,
    vsftpdConfig,
} from "../../../components/sideapps/ftp-boot";
import { StateResource } from "../../../offline/state";
import { EC2_EIP, EC2_LAUNCH_TEMPLATE, SECRETSMANAGER_SECRET, SSM_PARAMETER } from "../../../policies/lib/types";
import { named, reachability } from "../../helpers/reachability";
import { ofType, prefetch, stackResources } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

const PARTNER = ["203.0.113.10/32"];
/** preprod with the order connector's FTP opened to a partner, as docs/sideapps.md says to. */
const OPENED = {
    "magento:partnerCidrs": PARTNER,
    "magento:gatewayInternet": { "orders-ftp": PARTNER, "orders-ftp-passive": PARTNER },
};

const files = (template: StateResource) =>
    (
        YAML.parse(userDataText(template)) as {
            write_files: WriteFile[];
        }
    ).write_files;
const file = (template: StateResource, p: string) => files(template).find((f) => f.path === p)!.content;
const keys = (conf: string) =>
    Object.fromEntries(
        conf
            .split("\n")
            .filter((l) => /^\w+=/.test(l))
            .map((l) => l.split("=", 2)),
    );

/** Lines a server sends until `done` matches (or 5 s pass). */
function talk(port: number, commands: string[], done: RegExp): Promise<string> {
    return new Promise((resolve) => {
        let got = "";
        const socket = net.connect(port, "127.0.0.1");
        const timer = setTimeout(() => socket.destroy(), 5000);
        socket.on("data", (chunk) => {
            got += chunk.toString();
            if (/^220 /m.test(got) && commands.length > 0) {
                socket.write(`${commands.shift()}\r\n`);
            }
            if (done.test(got)) {
                socket.end();
            }
        });
        socket.on("close", () => {
            clearTimeout(timer);
            resolve(got);
        });
        socket.on("error", () => undefined);
    });
}

/** openssl s_client's FTP STARTTLS handshake (AUTH TLS) with `args`: its output. */
const handshake = (port: number, args: string[]) =>
    spawnSync("openssl", ["s_client", "-starttls", "ftp", "-connect", `127.0.0.1:${port}`, ...args], {
        input: "",
        encoding: "utf8",
        timeout: 10_000,
    });

/** An `aws` CLI for the certificate script: logs each call; GetSecretValue answers what the last put stored, else fails
 *  as $FAKE_GET says (the CLI's messages for AccessDenied and for a secret with no value yet). */
const FAKE_AWS = [
    "#!/bin/bash",
    'echo "$*" >>"$FAKE_LOG"',
    'case "$2" in',
    "get-secret-value)",
    '    if [ -f "$FAKE_STATE" ]; then cat "$FAKE_STATE"; exit 0; fi',
    '    case "$FAKE_GET" in',
    '    denied) echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User is not authorized" >&2; exit 255 ;;',
    '    missing) echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can\'t find the specified secret value for staging label: AWSCURRENT" >&2; exit 254 ;;',
    "    esac ;;",
    "put-secret-value)",
    '    for a in "$@"; do case "$a" in file://*) cp "${a#file://}" "$FAKE_STATE" ;; esac; done ;;',
    "esac",
    "",
].join("\n");

describe("the order connector's FTP drop", () => {
    prefetch(["prod", { preview: false }], ["preprod", { preview: false, changes: OPENED }]);

    describe("its certificate, made once and never replaced (the rendered script, a fake aws)", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ftp-cert-"));
        after(() => fs.rmSync(tmp, { recursive: true, force: true }));

        /** Runs the stack's certificate script with the secret in `state` (absent: $FAKE_GET decides the read). */
        async function run(stack: "prod" | "preprod", get: "denied" | "missing", state?: object) {
            const changes = stack === "preprod" ? { changes: OPENED } : {};
            const template = named(
                await stackResources(stack, { preview: false, ...changes }),
                EC2_LAUNCH_TEMPLATE,
                "-orders-lt",
            );
            const dir = fs.mkdtempSync(path.join(tmp, `${stack}-${get}-`));
            fs.writeFileSync(path.join(dir, "aws"), FAKE_AWS, { mode: 0o755 });
            fs.writeFileSync(path.join(dir, "certificate"), file(template, FTP_CERTIFICATE_SCRIPT), { mode: 0o755 });
            const secret = path.join(dir, "secret.json");
            if (state) {
                fs.writeFileSync(secret, JSON.stringify(state));
            }
            const pem = path.join(dir, "ftp.pem");
            const result = spawnSync(
                "bash",
                [path.join(dir, "certificate"), "arn:aws:secretsmanager:x:1:secret:tls", pem],
                {
                    encoding: "utf8",
                    env: {
                        ...process.env,
                        PATH: `${dir}:${process.env.PATH}`,
                        FAKE_LOG: path.join(dir, "log"),
                        FAKE_STATE: secret,
                        FAKE_GET: get,
                    },
                },
            );
            const calls = fs.existsSync(path.join(dir, "log")) ? fs.readFileSync(path.join(dir, "log"), "utf8") : "";
            const x509 = (...a: string[]) =>
                spawnSync("openssl", ["x509", "-in", pem, "-noout", ...a], { encoding: "utf8" }).stdout;
            return {
                status: result.status,
                stderr: result.stderr,
                puts: calls.split("\n").filter((c) => c.includes("put-secret-value")).length,
                pem: fs.existsSync(pem) ? fs.readFileSync(pem, "utf8") : undefined,
                stored: fs.existsSync(secret)
                    ? (JSON.parse(fs.readFileSync(secret, "utf8")) as Record<string, string>)
                    : undefined,
                x509,
            };
        }

        it("any other failure to read the secret (AccessDenied) stops the boot with AWS's message and puts nothing", async () => {
            const got = await run("prod", "denied");
            assert.notStrictEqual(got.status, 0);
            assert.strictEqual(got.puts, 0);
            assert.strictEqual(got.pem, undefined);
            assert.match(got.stderr, /AccessDeniedException/);
        });

        it("a secret with no value yet (ResourceNotFoundException): the first server makes one, marked as its own, for ten years, and puts it", async () => {
            const got = await run("prod", "missing");
            assert.strictEqual(got.status, 0, got.stderr);
            assert.strictEqual(got.puts, 1);
            assert.strictEqual(got.stored![GENERATED_MARK.field], GENERATED_MARK.value);
            assert.ok(got.pem!.includes(got.stored!.certificate) && got.pem!.includes(got.stored!.privateKey));
            const ends = new Date(got.x509("-enddate").split("=")[1]).getTime();
            assert.ok(ends > Date.now() + 9 * 365 * 24 * 3600 * 1000, got.x509("-enddate"));
            assert.match(got.x509("-ext", "subjectAltName"), /DNS:orders-ftp\.prod\.example\.internal\s*$/);
        });

        it("opened to a partner, the certificate it makes also names the gateway's Elastic IP", async () => {
            const opened = await stackResources("preprod", { preview: false, changes: OPENED });
            const eip = String(named(opened, EC2_EIP, "-haproxy-server-eip").outputs!.publicIp);
            const got = await run("preprod", "missing");
            assert.strictEqual(got.status, 0, got.stderr);
            assert.match(
                got.x509("-ext", "subjectAltName"),
                new RegExp(`DNS:orders-ftp\\.preprod\\.example\\.internal, IP Address:${eip.replace(/\./g, "\\.")}`),
            );
        });

        it("an operator's certificate is never replaced, even within 30 days of its end: a warning, the same certificate", async () => {
            const key = path.join(tmp, "operator.key");
            const made = spawnSync("openssl", [
                ...[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=orders-ftp.company-ca",
                ],
                ...["-keyout", key, "-out", `${key}.crt`],
            ]);
            assert.strictEqual(made.status, 0, String(made.stderr));
            const operator = {
                certificate: fs.readFileSync(`${key}.crt`, "utf8"),
                privateKey: fs.readFileSync(key, "utf8"),
            };
            const got = await run("prod", "missing", operator);
            assert.strictEqual(got.status, 0, got.stderr);
            assert.strictEqual(got.puts, 0);
            assert.deepStrictEqual(got.stored, operator);
            assert.ok(got.pem!.startsWith(operator.certificate), "the operator's certificate is used");
            assert.match(
                got.stderr,
                /WARNING: the FTPS certificate \(put in by an operator\) ends .*it is not replaced/,
            );
        });
    });

    describe("the real vsftpd with the generated configuration", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vsftpd-"));
        let vsftpd: ChildProcess | undefined;
        let port = 0;
        const paths = {
            pem: path.join(tmp, "ftp.pem"),
            users: path.join(tmp, "users"),
            emptyDir: path.join(tmp, "empty"),
        };

        before(async function () {
            this.timeout(30_000);
            fs.mkdirSync(paths.emptyDir, { mode: 0o755 });
            fs.writeFileSync(paths.users, `${FTP_LAYOUT.user}\n`);
            const made = spawnSync("openssl", [
                ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=orders-ftp.test"],
                ...["-keyout", paths.pem, "-out", `${paths.pem}.crt`],
            ]);
            assert.strictEqual(made.status, 0, String(made.stderr));
            fs.appendFileSync(paths.pem, fs.readFileSync(`${paths.pem}.crt`));
            port = 30_000 + Math.floor(Math.random() * 20_000);
            const conf = path.join(tmp, "vsftpd.conf");
            fs.writeFileSync(
                conf,
                vsftpdConfig({ listenPort: port, passive: { fromPort: port + 1, toPort: port + 9 }, paths }),
            );
            vsftpd = spawn("/usr/sbin/vsftpd", [conf], { stdio: "ignore" });
            for (let i = 0; i < 50 && !/^220 /m.test(await talk(port, [], /^220 /m)); i++) {
                await new Promise((r) => setTimeout(r, 100));
            }
        });

        after(() => {
            vsftpd?.kill();
            fs.rmSync(tmp, { recursive: true, force: true });
        });

        it("starts on the generated configuration and refuses the FTP user's login before TLS", async () => {
            assert.strictEqual(vsftpd?.exitCode, null, "vsftpd exited: it refused the configuration");
            const reply = await talk(port, [`USER ${FTP_LAYOUT.user}`], /^530 /m);
            assert.match(reply, /^530 Non-anonymous sessions must use encryption/m, reply);
        });

        it("negotiates TLS with a forward-secret AEAD suite of its list, and refuses a client offering only CBC", () => {
            const good = handshake(port, ["-tls1_2"]);
            const cipher = /Cipher is (\S+)/.exec(good.stdout)?.[1];
            assert.ok(cipher && FTP_CIPHERS.split(":").includes(cipher), `${good.stdout}${good.stderr}`);
            const cbc = handshake(port, ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"]);
            assert.doesNotMatch(cbc.stdout, /Cipher is ECDHE-RSA-AES128-SHA/, cbc.stdout);
            assert.match(`${cbc.stdout}${cbc.stderr}`, /handshake failure|no shared cipher|Cipher is \(NONE\)/);
        });

        it("greets without naming its version", async () => {
            const greeting = await talk(port, [], /^220 /m);
            assert.match(greeting, /^220 /m);
            assert.doesNotMatch(greeting, /vsFTPd|\d+\.\d+\.\d+/, greeting);
        });

        it("refuses a key vsftpd.conf(5) does not define (the check is real)", () => {
            const bad = path.join(tmp, "bad.conf");
            fs.writeFileSync(
                bad,
                `${vsftpdConfig({ listenPort: port + 20, passive: { fromPort: 1, toPort: 2 }, paths })}allow_everything=YES\n`,
            );
            const run = spawnSync("/usr/sbin/vsftpd", [bad], { encoding: "utf8", timeout: 5000 });
            assert.strictEqual(run.status, 2, "vsftpd took an unknown key"); // exit 2, as seen with Debian's vsftpd 3.0.3
        });
    });

    it("authenticates through the PAM service AL2023's package installs (vsftpd), not vsftpd's compiled-in ftp", () => {
        // Upstream's default is `ftp` (tunables.c); Fedora's package, AL2023's source, ships /etc/pam.d/vsftpd only and
        // sets the name in its own vsftpd.conf, which we do not use. Debian's build defaults to vsftpd, so the real
        // vsftpd in this test cannot see the difference: the generated file must say it.
        const conf = keys(vsftpdConfig({ listenPort: 5021, passive: { fromPort: 5100, toPort: 5199 } }));
        assert.strictEqual(conf.pam_service_name, "vsftpd");
    });

    it("keeps TLS session reuse on the data connection, slows failed logins, and caps clients not addresses", () => {
        const conf = keys(vsftpdConfig({ listenPort: 5021, passive: { fromPort: 5100, toPort: 5199 } }));
        // Every client arrives from the gateway's (or the VPN server's) one address, so vsftpd's same-address check on
        // a passive data connection tells them apart not at all: session reuse is the one proof the data connection is
        // the control connection's client.
        assert.strictEqual(conf.require_ssl_reuse, "YES");
        assert.ok(Number(conf.delay_failed_login) >= 5, conf.delay_failed_login);
        assert.strictEqual(conf.max_login_fails, "1");
        // A cap per address is a cap on every partner together (or on every VPN user): only the total is capped.
        assert.strictEqual(conf.max_per_ip, conf.max_clients);
    });

    it("the operator finds its two secrets from the stack's outputs, the ones the server reads, named as the docs say", async () => {
        const prod = await stackResources("prod", { preview: false });
        const outputs = prod.find((x) => x.type === "pulumi:pulumi:Stack")!.outputs as Record<string, unknown>;
        const parameter = (key: string) => {
            const p = ofType(prod, SSM_PARAMETER).find(
                (x) => x.inputs!.name === `/magento-sideapps/prod/orders/${key}`,
            )!;
            return p.inputs!.value ?? p.inputs!.insecureValue;
        };
        assert.strictEqual(outputs.ordersFtpPasswordSecretArn, parameter("ftp/password-arn"));
        assert.strictEqual(outputs.ordersFtpCertificateSecretArn, parameter("ftp/certificate-arn"));
        const docs = fs.readFileSync("docs/sideapps.md", "utf8");
        for (const arn of [outputs.ordersFtpPasswordSecretArn, outputs.ordersFtpCertificateSecretArn]) {
            const secret = ofType(prod, SECRETSMANAGER_SECRET).find((x) => x.outputs!.arn === arn)!;
            const name = String(secret.outputs!.name)
                .replace(/^magento-prod-/, "magento-<stack>-")
                .replace(/-[a-z0-9]{7}$/, "-<random>");
            assert.ok(docs.includes(`\`${name}\``), `docs/sideapps.md does not name ${name}`);
        }
    });

    it("refuses any upload named as a PHP script or an .ht file (deny_file), besides nginx never running one", () => {
        const conf = keys(vsftpdConfig({ listenPort: 5021, passive: { fromPort: 5100, toPort: 5199 } }));
        assert.strictEqual(conf.deny_file, "{*.php,*.php?,*.phtml,*.phar,*.pht,*.PHP,*.PHP?,*.PHTML,*.PHAR,.ht*}");
    });

    it("listens on the gateway's orders-ftp port and hands out its passive range; PASV answers with the gateway's address only when opened", async () => {
        const opened = await stackResources("preprod", { preview: false, changes: OPENED });
        const haproxy = ofType(opened, SSM_PARAMETER).find((p) => String(p.inputs!.name).endsWith("/haproxy.cfg"))!;
        const cfg = String(haproxy.inputs!.value ?? haproxy.inputs!.insecureValue);
        assert.match(cfg, /frontend orders-ftp\n\s+bind \[::\]:5021 v4v6\n/);
        assert.match(cfg, /frontend orders-ftp-passive\n\s+bind \[::\]:5100-5199 v4v6\n/);
        assert.match(cfg, /server target orders-ftp\.preprod\.example\.internal:5021 /);
        const conf = keys(file(named(opened, EC2_LAUNCH_TEMPLATE, "-orders-lt"), FTP_LAYOUT.config));
        const eip = named(opened, EC2_EIP, "-haproxy-server-eip");
        assert.deepStrictEqual(
            [conf.listen_port, conf.pasv_min_port, conf.pasv_max_port, conf.pasv_address],
            ["5021", "5100", "5199", eip.outputs!.publicIp],
        );
        const prod = await stackResources("prod", { preview: false });
        const closed = keys(file(named(prod, EC2_LAUNCH_TEMPLATE, "-orders-lt"), FTP_LAYOUT.config));
        assert.deepStrictEqual([closed.listen_port, closed.pasv_address], ["5021", undefined]);
        // FTPS only, no anonymous, chroot without a writeable root, umask 002.
        for (const k of ["ssl_enable", "force_local_logins_ssl", "force_local_data_ssl", "chroot_local_user"]) {
            assert.strictEqual(closed[k], "YES", k);
        }
        assert.deepStrictEqual(
            [closed.anonymous_enable, closed.allow_writeable_chroot, closed.local_umask],
            ["NO", undefined, "002"],
        );
        // Only the order connector runs an FTP server.
        for (const app of ["pim", "cashout"]) {
            assert.ok(!files(named(prod, EC2_LAUNCH_TEMPLATE, `-${app}-lt`)).some((f) => f.path.includes("vsftpd")));
        }
    });

    it("the gateway reaches it on exactly the ports it forwards, VPN clients on the pair's; nothing else new", async () => {
        const lt = (r: StateResource[]) => named(r, EC2_LAUNCH_TEMPLATE, "-orders-lt");
        const prod = await stackResources("prod", { preview: false });
        assert.deepStrictEqual(reachability(prod, lt(prod), "networkInterfaces"), [
            "shop -> tcp/80",
            "vpn -> tcp/5021",
            "vpn -> tcp/5100-5199",
        ]);
        const opened = await stackResources("preprod", { preview: false, changes: OPENED });
        assert.deepStrictEqual(reachability(opened, lt(opened), "networkInterfaces"), [
            "gateway -> tcp/5021",
            "gateway -> tcp/5100-5199",
            "shop -> tcp/80",
            "vpn -> tcp/5021",
            "vpn -> tcp/5100-5199",
        ]);
    });

    describe("its name, claimed last: once the application answers, never after a failed step", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ftp-claim-"));
        after(() => fs.rmSync(tmp, { recursive: true, force: true }));
        const runcmd = async () =>
            (
                YAML.parse(
                    userDataText(
                        named(await stackResources("prod", { preview: false }), EC2_LAUNCH_TEMPLATE, "-orders-lt"),
                    ),
                ) as { runcmd: string[][] }
            ).runcmd;

        /** A stub that logs its name and arguments, failing when its name is $FAIL. */
        const stub = (dir: string, name: string) =>
            fs.writeFileSync(
                path.join(dir, name),
                `#!/bin/sh\necho "${name} $*" >>"$STEPS"\n[ "$FAIL" != "${name}" ]\n`,
                { mode: 0o755 },
            );

        /** The rendered runcmd as cloud-init runs it (its own shellify: one /bin/sh script), every command a stub. */
        async function boot(fail: string) {
            const dir = fs.mkdtempSync(path.join(tmp, "boot-"));
            const steps = (await runcmd()).map((argv) => {
                if (argv[0] === "set") {
                    return argv;
                }
                stub(dir, path.basename(argv[0]));
                return [path.join(dir, path.basename(argv[0])), ...argv.slice(1)];
            });
            // cloud-init's own Python (its script's shebang), which imports its module.
            const cloudInit = spawnSync("sh", ["-c", "command -v cloud-init"], { encoding: "utf8" }).stdout.trim();
            const python = fs
                .readFileSync(cloudInit, "utf8")
                .split("\n")[0]
                .replace(/^#!\s*/, "");
            const script = spawnSync(
                python,
                ["-c", "import json,sys; from cloudinit.util import shellify; print(shellify(json.load(sys.stdin)))"],
                { input: JSON.stringify(steps), encoding: "utf8" },
            );
            assert.strictEqual(script.status, 0, script.stderr);
            fs.writeFileSync(path.join(dir, "runcmd"), script.stdout);
            const log = path.join(dir, "steps");
            const run = spawnSync("/bin/sh", [path.join(dir, "runcmd")], {
                encoding: "utf8",
                env: { ...process.env, STEPS: log, FAIL: fail },
            });
            return { status: run.status, steps: fs.readFileSync(log, "utf8").trim().split("\n") };
        }

        it("cloud-init's runcmd stops at the first failing step: a failed deploy runs no FTP setup and claims nothing", async () => {
            const ok = await boot("none");
            assert.strictEqual(ok.status, 0);
            const names = ok.steps.map((s) => s.split(" ")[0]);
            assert.ok(names.includes("sideapp-deploy") && names.includes("orders-ftp-setup"), names.join(", "));
            const failed = await boot("sideapp-deploy");
            assert.notStrictEqual(failed.status, 0);
            assert.strictEqual(
                failed.steps[failed.steps.length - 1].split(" ")[0],
                "sideapp-deploy",
                failed.steps.join("\n"),
            );
        });

        it("the claim is the last step, after php-fpm and nginx start and vsftpd runs; the setup claims nothing", async () => {
            const steps = (await runcmd()).map((argv) => argv.join(" "));
            assert.strictEqual(steps[steps.length - 1], FTP_CLAIM_SCRIPT);
            assert.ok(steps.indexOf("systemctl enable --now php-fpm nginx") < steps.length - 1, steps.join("\n"));
            const prod = await stackResources("prod", { preview: false });
            const setup = file(named(prod, EC2_LAUNCH_TEMPLATE, "-orders-lt"), "/usr/local/sbin/orders-ftp-setup");
            assert.doesNotMatch(setup, /route53/);
        });

        it("the claim UPSERTs the name only once the local health check answers 200, and in the stack's region", async () => {
            const prod = await stackResources("prod", { preview: false });
            const claim = file(named(prod, EC2_LAUNCH_TEMPLATE, "-orders-lt"), FTP_CLAIM_SCRIPT);
            const run = (health: "up" | "down") => {
                const dir = fs.mkdtempSync(path.join(tmp, `claim-${health}-`));
                fs.writeFileSync(path.join(dir, "claim"), claim, { mode: 0o755 });
                const log = path.join(dir, "calls");
                // curl: the health URL answers per $HEALTH, IMDS gives a token and an address; aws: the parameters.
                fs.writeFileSync(
                    path.join(dir, "curl"),
                    [
                        "#!/bin/bash",
                        'echo "curl $*" >>"$CALLS"',
                        'case "$*" in',
                        '*/health*) [ "$HEALTH" = up ] ;;',
                        "*api/token*) echo token ;;",
                        "*local-ipv4*) echo 10.0.1.23 ;;",
                        "esac",
                        "",
                    ].join("\n"),
                    { mode: 0o755 },
                );
                fs.writeFileSync(
                    path.join(dir, "aws"),
                    [
                        "#!/bin/bash",
                        'echo "aws $*" >>"$CALLS"',
                        'if [ "$2" = get-parameters-by-path ]; then',
                        `    echo '[{"n": "/magento-sideapps/prod/orders/ftp/zone-id", "v": "Z123"}]'`,
                        "fi",
                        'for a in "$@"; do case "$a" in file://*) cp "${a#file://}" "$CALLS.change" ;; esac; done',
                        "",
                    ].join("\n"),
                    { mode: 0o755 },
                );
                for (const name of ["sleep", "systemctl", "logger"]) {
                    fs.writeFileSync(path.join(dir, name), '#!/bin/sh\necho "$0 $*" >>"$CALLS"\n', { mode: 0o755 });
                }
                const result = spawnSync("bash", [path.join(dir, "claim")], {
                    encoding: "utf8",
                    env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, CALLS: log, HEALTH: health },
                });
                const calls = fs.readFileSync(log, "utf8");
                const change = fs.existsSync(`${log}.change`) ? fs.readFileSync(`${log}.change`, "utf8") : undefined;
                return { status: result.status, stderr: result.stderr, calls, change };
            };
            const down = run("down");
            assert.notStrictEqual(down.status, 0);
            assert.doesNotMatch(down.calls, /route53/);
            assert.match(down.stderr, /not claiming/);
            const up = run("up");
            assert.strictEqual(up.status, 0, up.stderr);
            assert.ok(up.calls.indexOf("127.0.0.1") < up.calls.indexOf("route53"), up.calls);
            assert.match(up.calls, /aws route53 change-resource-record-sets --region eu-west-3 --hosted-zone-id Z123 /);
            assert.deepStrictEqual(JSON.parse(up.change!).Changes[0].ResourceRecordSet, {
                Name: "orders-ftp.prod.example.internal",
                Type: "A",
                TTL: 30,
                ResourceRecords: [{ Value: "10.0.1.23" }],
            });
        });
    });

    it("its user is chrooted to root's directory and uploads into a group-writeable setgid media directory; the boot stops on anything world-writeable", async () => {
        const prod = await stackResources("prod", { preview: false });
        const script = file(named(prod, EC2_LAUNCH_TEMPLATE, "-orders-lt"), "/usr/local/sbin/orders-ftp-setup");
        assert.match(script, /install -d -o root -g root -m 0755 \/srv\/orders-ftp\n/);
        assert.match(script, /install -d -o orders-ftp -g orders-files -m 2775 \/srv\/orders-ftp\/media\n/);
        assert.match(script, /usermod -a -G orders-files orders\nusermod -a -G orders-files nginx\n/);
        assert.match(script, /--shell \/usr\/local\/sbin\/ftp-only orders-ftp/);
        assert.match(
            script,
            /find \/srv\/orders-ftp \/opt\/orders \/var\/lib\/orders \/etc\/sideapps -xdev -perm -0002/,
        );
    });
});
