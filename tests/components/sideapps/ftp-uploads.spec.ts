// What the order connector's web server does with what the FTP user uploads (review I-F1 / A-F2 of issue 19): the
// real nginx (Debian's) runs the orders server's rendered configuration, re-rooted under a temporary directory, with
// a fake PHP-FPM socket that records every request it receives. Only the application's front controller reaches it;
// an uploaded script is refused, and uploaded active content (HTML, SVG, JS, XML) is served as a download, never
// rendered by a browser on orders.<domain>.
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { WriteFile } from "../../../components/compute/cloud-init";
import { FTP_LAYOUT } from "../../../components/sideapps/ftp-boot";
import { EC2_LAUNCH_TEMPLATE } from "../../../policies/lib/types";
import { named } from "../../helpers/reachability";
import { prefetch, stackResources } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

const CONF = "/etc/nginx/conf.d/orders.conf";

async function rendered(p: string): Promise<string> {
    const template = named(await stackResources("prod", { preview: false }), EC2_LAUNCH_TEMPLATE, "-orders-lt");
    const config = YAML.parse(userDataText(template)) as {
        write_files: WriteFile[];
    };
    return config.write_files.find((f) => f.path === p)!.content;
}

/** Each `location` line of an nginx server block with what its block holds, nested blocks included. */
function locations(conf: string): { match: string; body: string }[] {
    const found: { match: string; body: string }[] = [];
    for (let at = conf.indexOf("location "); at >= 0; at = conf.indexOf("location ", at + 1)) {
        const open = conf.indexOf("{", at);
        let depth = 0;
        let end = open;
        for (; end < conf.length; end++) {
            depth += conf[end] === "{" ? 1 : conf[end] === "}" ? -1 : 0;
            if (depth === 0) {
                break;
            }
        }
        found.push({ match: conf.slice(at + "location ".length, open).trim(), body: conf.slice(open, end + 1) });
    }
    return found;
}

describe("what the order connector serves of the FTP uploads", () => {
    prefetch(["prod", { preview: false }]);

    it("only the front controller's exact location passes a request to PHP-FPM", async () => {
        const conf = await rendered(CONF);
        const php = locations(conf).filter((l) => /fastcgi_pass/.test(l.body));
        assert.deepStrictEqual(
            php.map((l) => l.match),
            ["= /index.php"],
            conf,
        );
        // The uploads are linked into the document root at /media (ftp-boot.ts): PHP is never passed from there.
        const media = locations(conf).find((l) => l.match === `^~ /${FTP_LAYOUT.servedAt}/`);
        assert.ok(media, conf);
        assert.doesNotMatch(media.body, /fastcgi/);
    });

    describe("the real nginx on the rendered configuration", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orders-nginx-"));
        const root = path.join(tmp, "opt/orders/current/public");
        const uploads = path.join(tmp, "srv/orders-ftp/media");
        const socket = path.join(tmp, "fpm.sock");
        /** What the fake PHP-FPM received, one string a connection (FastCGI records as latin1 text). */
        const received: string[] = [];
        let fpm: net.Server | undefined;
        let nginx: ChildProcess | undefined;
        let port = 0;

        const get = (url: string) =>
            new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
                http.get({ host: "127.0.0.1", port, path: url, timeout: 5000 }, (res) => {
                    let body = "";
                    res.on("data", (d: Buffer) => (body += d.toString()));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
                }).on("error", reject);
            });
        /** Status and whether the request reached PHP-FPM. */
        const fetch = async (url: string) => {
            const before = received.length;
            const { status, headers } = await get(url);
            await new Promise((r) => setTimeout(r, 50));
            return { status, fpm: received.length > before, type: headers["content-type"], headers };
        };

        before(async function () {
            this.timeout(60_000);
            fs.chmodSync(tmp, 0o755); // nginx's workers (nobody) read the tree and reach the socket
            fs.mkdirSync(root, { recursive: true });
            fs.mkdirSync(uploads, { recursive: true });
            fs.writeFileSync(path.join(root, "index.php"), "<?php echo 'front controller';");
            fs.writeFileSync(path.join(root, "other.php"), "<?php echo 'another script of the release';");
            for (const [name, content] of Object.entries({
                "x.php": "<?php system($_GET['c']);",
                "x.phtml": "<?php system($_GET['c']);",
                "x.html": "<script>alert(1)</script>",
                "x.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                "x.js": "alert(1)",
                "x.xml": "<a/>",
                "a.jpg": "JPEG",
            })) {
                fs.writeFileSync(path.join(uploads, name), content);
            }
            fs.symlinkSync(uploads, path.join(root, FTP_LAYOUT.servedAt));
            fpm = net.createServer((c) => {
                let data = "";
                c.on("data", (d: Buffer) => {
                    data += d.toString("latin1");
                    c.destroy(); // nginx answers 502: the request reached PHP-FPM
                });
                c.on("close", () => received.push(data));
            });
            await new Promise<void>((resolve) => fpm!.listen(socket, resolve));
            fs.chmodSync(socket, 0o666);
            port = await new Promise<number>((resolve) => {
                const probe = net.createServer().listen(0, "127.0.0.1", () => {
                    const { port: free } = probe.address() as net.AddressInfo;
                    probe.close(() => resolve(free));
                });
            });
            const server = (await rendered(CONF))
                .split("/opt/orders/current/public")
                .join(root)
                .split("unix:/run/php-fpm/orders.sock")
                .join(`unix:${socket}`)
                .replace(/listen \d+ default_server;/, `listen 127.0.0.1:${port} default_server;`);
            assert.ok(server.includes(root) && server.includes(socket), server);
            fs.writeFileSync(path.join(tmp, "server.conf"), server);
            fs.copyFileSync("/etc/nginx/mime.types", path.join(tmp, "mime.types"));
            fs.copyFileSync("/etc/nginx/fastcgi_params", path.join(tmp, "fastcgi_params"));
            fs.writeFileSync(
                path.join(tmp, "nginx.conf"),
                [
                    `pid ${tmp}/nginx.pid;`,
                    `error_log ${tmp}/error.log;`,
                    "events {}",
                    "http {",
                    "    include mime.types;",
                    "    default_type application/octet-stream;",
                    "    access_log off;",
                    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
                        (t) => `    ${t}_temp_path ${tmp}/${t};`,
                    ),
                    "    include server.conf;",
                    "}",
                    "",
                ].join("\n"),
            );
            const check = spawnSync("nginx", ["-t", "-p", tmp, "-c", path.join(tmp, "nginx.conf")], {
                encoding: "utf8",
            });
            assert.strictEqual(check.status, 0, `nginx -t: ${check.stderr}`);
            nginx = spawn("nginx", ["-p", tmp, "-c", path.join(tmp, "nginx.conf"), "-g", "daemon off;"], {
                stdio: "ignore",
            });
            for (let i = 0; i < 100; i++) {
                if (
                    await get("/a").then(
                        () => true,
                        () => false,
                    )
                ) {
                    break;
                }
                await new Promise((r) => setTimeout(r, 100));
            }
        });

        after(() => {
            nginx?.kill();
            fpm?.close();
            fs.rmSync(tmp, { recursive: true, force: true });
        });

        it("the health check and the application's routes reach the front controller (the check is real)", async () => {
            const health = await fetch("/health");
            assert.deepStrictEqual([health.status, health.fpm], [502, true]);
            assert.match(received[received.length - 1], /SCRIPT_FILENAME.*\/public\/index\.php/s);
            assert.strictEqual((await fetch("/orders/42?x=1")).fpm, true);
        });

        it("an uploaded script never reaches PHP-FPM, nor does any script of the release but index.php", async () => {
            for (const url of ["/media/x.php", "/media/x.phtml", "/media/X.PHP", "/other.php", "/media/../other.php"]) {
                const got = await fetch(url);
                assert.deepStrictEqual([url, got.status, got.fpm], [url, 404, false]);
            }
        });

        it("uploaded HTML, SVG, JavaScript and XML are downloads (octet-stream, nosniff); images keep their type", async () => {
            for (const name of ["x.html", "x.svg", "x.js", "x.xml"]) {
                const got = await fetch(`/media/${name}`);
                assert.deepStrictEqual(
                    [name, got.status, got.fpm, got.type, got.headers["x-content-type-options"]],
                    [name, 200, false, "application/octet-stream", "nosniff"],
                );
            }
            const image = await fetch("/media/a.jpg");
            assert.deepStrictEqual(
                [image.status, image.type, image.headers["x-content-type-options"]],
                [200, "image/jpeg", "nosniff"],
            );
        });
    });
});
