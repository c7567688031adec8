// The release image's web configuration, checked by the real tools from Debian (installed by .ci/run): nginx -t and
// php-fpm -t on the files the image writes, then nginx and PHP-FPM run on loopback with them, serving a small Magento
// tree as a shopper would reach it; the pool sized from memory; php.ini as PHP reads it; the units as systemd does.
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import {
    CRON_SERVICE,
    CRON_TIMER,
    FPM_RESERVED_EXTRA,
    FPM_SIZING_FILE,
    FPM_SOCKET,
    MAGENTO_ROOT,
} from "../../model/release";
import {
    cronUnits,
    FPM_CHILDREN_VARIABLE,
    FPM_MEMORY_LIMIT_MIB,
    FPM_REQUEST_TIMEOUT_S,
    FPM_SIZING,
    fpmPool,
    fpmSizeDropIn,
    fpmSizeScript,
    fpmStopDropIn,
    logRotateConfig,
    nginxMainConfig,
    nginxServerConfig,
    phpIni,
    WEB_CONFIG_PATHS,
    WebUsers,
} from "../../model/web-config";

/** This host's web user stands for both of the image's (magento, nginx): they do not exist here. */
const HOST_USERS: WebUsers = { magento: "www-data", nginx: "www-data" };
const PHP_FPM = fs.readdirSync("/usr/sbin").find((f) => /^php-fpm\d/.test(f));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "web-config-"));
fs.chmodSync(tmp, 0o755); // the workers (www-data) read the tree and reach the socket

/** Writes files under tmp/`dir`; returns its path. */
function layout(dir: string, files: Record<string, string>): string {
    const root = path.join(tmp, dir);
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), content);
    }
    return root;
}

const nginxTest = (dir: string) =>
    spawnSync("nginx", ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf")], { encoding: "utf8" });

/** nginx's configuration as the image writes it, in a folder of its own with the package's mime.types and
 *  fastcgi_params (Debian's stand for AL2023's), with `rewrite` applied to each file (loopback, temporary paths). */
function nginxFolder(dir: string, rewrite: (text: string) => string = (t) => t): string {
    return layout(dir, {
        "nginx.conf": rewrite(nginxMainConfig(HOST_USERS)),
        "conf.d/magento.conf": rewrite(nginxServerConfig()),
        "mime.types": fs.readFileSync("/etc/nginx/mime.types", "utf8"),
        fastcgi_params: fs.readFileSync("/etc/nginx/fastcgi_params", "utf8"),
    });
}

/** php-fpm's global section and the magento pool, as php-fpm -y takes them. */
function fpmConfig(dir: string, rewrite: (text: string) => string = (t) => t): string {
    const root = layout(dir, { "pool.conf": rewrite(fpmPool(HOST_USERS)) });
    fs.writeFileSync(
        path.join(root, "php-fpm.conf"),
        `[global]\nerror_log = ${root}/error.log\npid = ${root}/php-fpm.pid\ninclude = ${root}/pool.conf\n`,
    );
    return path.join(root, "php-fpm.conf");
}

function systemdVerify(dir: string): string {
    const units = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const result = spawnSync("systemd-analyze", ["verify", "--man=no", ...units], { encoding: "utf8" });
    // The image's commands are missing here: that complaint is about this machine, not the units.
    return `${result.stdout}${result.stderr}`
        .split("\n")
        .filter((l) => l !== "" && !/Command \S+ is not executable: No such file/.test(l))
        .join("\n");
}

describe("release image web configuration", () => {
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("nginx -t accepts the main configuration and Magento's server, and refuses a broken one (the check is real)", () => {
        const ok = nginxTest(nginxFolder("nginx-ok"));
        assert.strictEqual(ok.status, 0, ok.stderr);
        const broken = nginxTest(
            nginxFolder("nginx-broken", (t) => t.replace("location /media/ {", "location /media/ ")),
        );
        assert.notStrictEqual(broken.status, 0);
    });

    it("php-fpm -t accepts the pool with its size from the environment, and refuses it without (the size is required)", () => {
        assert.ok(PHP_FPM, "no php-fpm in /usr/sbin");
        const conf = fpmConfig("fpm-t");
        const sized = spawnSync(`/usr/sbin/${PHP_FPM}`, ["-tt", "-y", conf], {
            encoding: "utf8",
            env: { ...process.env, [FPM_CHILDREN_VARIABLE]: "7" },
        });
        assert.strictEqual(sized.status, 0, sized.stderr);
        assert.match(sized.stderr, /pm\.max_children = 7\b/);
        assert.match(sized.stderr, new RegExp(`listen = ${FPM_SOCKET.replace(/\./g, "\\.")}`));
        assert.match(sized.stderr, /process_control_timeout = (\d+)s/);
        const unsized = spawnSync(`/usr/sbin/${PHP_FPM}`, ["-t", "-y", conf], { encoding: "utf8" });
        assert.notStrictEqual(unsized.status, 0);
        assert.match(unsized.stderr, /pm\.max_children must be a positive value/);
    });

    it("the pool is sized so that every worker at its memory limit fits beside OPcache and the OS, with a floor", () => {
        const script = path.join(layout("sizing", { "magento-fpm-size": fpmSizeScript() }), "magento-fpm-size");
        assert.strictEqual(spawnSync("shellcheck", [script], { encoding: "utf8" }).stdout, "");
        const size = (gib: number, extra?: string) => {
            const meminfo = path.join(tmp, "sizing", `meminfo-${gib}`);
            const out = path.join(tmp, "sizing", `size-${gib}.env`);
            fs.writeFileSync(meminfo, `MemTotal:       ${gib * 1024 * 1024} kB\nMemFree:         1000 kB\n`);
            const env = { ...process.env, ...(extra === undefined ? {} : { [FPM_RESERVED_EXTRA]: extra }) };
            const result = spawnSync("bash", [script, meminfo, out], { encoding: "utf8", env });
            assert.strictEqual(result.status, 0, result.stderr);
            return fs.readFileSync(out, "utf8");
        };
        // c6i.xlarge and t3.large (8 GiB), m6i.xlarge (16 GiB): (memory - 2560 MiB) / 756 MiB.
        assert.strictEqual(size(8), `${FPM_CHILDREN_VARIABLE}=7\n`);
        assert.strictEqual(size(16), `${FPM_CHILDREN_VARIABLE}=18\n`);
        for (const [gib, workers] of [
            [8, 7],
            [16, 18],
        ]) {
            assert.strictEqual(FPM_SIZING.perWorkerMiB, FPM_MEMORY_LIMIT_MIB);
            assert.ok(
                workers * FPM_MEMORY_LIMIT_MIB + FPM_SIZING.reservedMiB <= gib * 1024,
                `${gib} GiB overcommitted`,
            );
        }
        assert.strictEqual(size(1), `${FPM_CHILDREN_VARIABLE}=${FPM_SIZING.minWorkers}\n`);
        // The back office keeps 4 GiB more for cron's CLI runs (boot writes the reserve there): 12 workers on 16 GiB.
        assert.strictEqual(size(16, "4096"), `${FPM_CHILDREN_VARIABLE}=12\n`);
        assert.ok(12 * FPM_MEMORY_LIMIT_MIB + FPM_SIZING.reservedMiB + 4096 <= 16 * 1024);
        const bad = spawnSync(
            "bash",
            [script, path.join(tmp, "sizing", "meminfo-16"), path.join(tmp, "sizing", "x.env")],
            {
                encoding: "utf8",
                env: { ...process.env, [FPM_RESERVED_EXTRA]: "4G" },
            },
        );
        assert.strictEqual(bad.status, 1);
        assert.match(bad.stderr, /FPM_RESERVED_EXTRA_MIB='4G' is not a number of MiB/);
        const empty = path.join(tmp, "sizing", "meminfo-empty");
        fs.writeFileSync(empty, "MemFree: 1 kB\n");
        const refused = spawnSync("bash", [script, empty, path.join(tmp, "sizing", "never.env")], { encoding: "utf8" });
        assert.strictEqual(refused.status, 1);
        assert.match(refused.stderr, /no MemTotal/);
    });

    it("php-fpm's drop-in sizes before each start and hands the value to the master; systemd reads it without a complaint", () => {
        // The reserve boot may write (the back office's) is read before the script runs, the size after it.
        assert.deepStrictEqual(fpmSizeDropIn().split("\n").slice(1, 4), [
            `ExecStartPre=${WEB_CONFIG_PATHS.fpmSizeScript}`,
            `EnvironmentFile=-${FPM_SIZING_FILE}`,
            `EnvironmentFile=-${WEB_CONFIG_PATHS.fpmSizeEnv}`,
        ]);
        const dir = layout("drop-in", { "php-fpm.service": `${fpmSizeDropIn()}ExecStart=/bin/true\n` });
        assert.strictEqual(systemdVerify(dir), "");
    });

    it("php-fpm stops gracefully but briefly: SIGQUIT, a grace shorter than the health check's unhealthy window, and systemd waits past it", () => {
        const dropIn = fpmStopDropIn();
        assert.match(dropIn, /^\[Service\]\nKillSignal=SIGQUIT$/m);
        const stopTimeout = Number(dropIn.match(/^TimeoutStopSec=(\d+)$/m)![1]);
        const pool = fpmPool();
        const seconds = (key: string) => Number(pool.match(new RegExp(`^${key} = (\\d+)s$`, "m"))![1]);
        assert.strictEqual(seconds("request_terminate_timeout"), FPM_REQUEST_TIMEOUT_S);
        // While the master waits, new requests (the load balancer's health checks too) wait: 3 checks 15 s apart
        // failing would have the server replaced (components/web/load-balancer.ts).
        assert.ok(seconds("process_control_timeout") > 0 && seconds("process_control_timeout") < 3 * 15);
        assert.ok(stopTimeout > seconds("process_control_timeout"), `TimeoutStopSec=${stopTimeout}`);
        const dir = layout("stop-drop-in", { "php-fpm.service": `${dropIn}ExecStart=/bin/true\n` });
        assert.strictEqual(systemdVerify(dir), "");
    });

    it("the pool's error log is rotated: logrotate reads the configuration without an error", () => {
        const config = logRotateConfig();
        assert.match(config, /^\/var\/log\/magento\/\*\.log \{$/m);
        assert.match(config, /^\s+copytruncate$/m);
        // This machine has no magento user: the same file, rotated as root, is what logrotate parses here.
        const dir = layout("logrotate", { magento: config.replace(/su magento magento/, "su root root") });
        const result = spawnSync("logrotate", ["-d", "-s", path.join(dir, "state"), path.join(dir, "magento")], {
            encoding: "utf8",
        });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.doesNotMatch(result.stderr, /error/i);
    });

    it("cron runs bin/magento cron:run as Magento's user every minute, as units systemd accepts", () => {
        const units = cronUnits(HOST_USERS);
        assert.match(units.service, new RegExp(`^ExecStart=/usr/bin/php ${MAGENTO_ROOT}/bin/magento cron:run$`, "m"));
        assert.match(units.service, /^User=www-data$/m);
        // cron:run leaves its separate-process groups (index, consumers) running: the unit's stop must spare them.
        assert.match(units.service, /\[Service\][^[]*^KillMode=process$/m);
        assert.match(units.service, /\[Unit\][^[]*^Wants=network-online\.target$[^[]*^After=network-online\.target$/m);
        assert.strictEqual(path.basename(WEB_CONFIG_PATHS.cronService), `${CRON_SERVICE}.service`);
        assert.match(units.timer, /^OnCalendar=\*-\*-\* \*:\*:00$/m);
        const dir = layout("cron", {
            [path.basename(WEB_CONFIG_PATHS.cronService)]: units.service,
            [path.basename(WEB_CONFIG_PATHS.cronTimer)]: units.timer,
        });
        assert.strictEqual(systemdVerify(dir), "");
        assert.match(cronUnits().service, /^User=magento$/m);
    });

    it("the cron units are installed where systemd lets the front end mask the timer, disabled until boot", () => {
        const root = path.join(tmp, "systemd-root");
        const units = cronUnits(HOST_USERS);
        for (const [file, text] of [
            [WEB_CONFIG_PATHS.cronService, units.service],
            [WEB_CONFIG_PATHS.cronTimer, units.timer],
        ]) {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), text);
        }
        const systemctl = (...args: string[]) =>
            spawnSync("systemctl", [`--root=${root}`, ...args], { encoding: "utf8" });
        assert.strictEqual(systemctl("is-enabled", CRON_TIMER).stdout.trim(), "disabled");
        const mask = systemctl("mask", CRON_TIMER);
        assert.strictEqual(mask.status, 0, mask.stderr);
        assert.strictEqual(systemctl("is-enabled", CRON_TIMER).stdout.trim(), "masked");
    });

    it("PHP reads Magento's settings from the image's php.ini", () => {
        const ini = path.join(layout("ini", { "99-magento.ini": phpIni() }), "99-magento.ini");
        const read = spawnSync(
            "php",
            [
                "-c",
                ini,
                "-r",
                'echo json_encode(array_map("ini_get", ["memory_limit", "realpath_cache_size", "realpath_cache_ttl", "opcache.validate_timestamps", "opcache.save_comments"]));',
            ],
            { encoding: "utf8" },
        );
        assert.strictEqual(read.status, 0, read.stderr);
        assert.deepStrictEqual(JSON.parse(read.stdout), ["2G", "10M", "7200", "0", "1"]);
    });

    describe("nginx and PHP-FPM serving a Magento tree on loopback", () => {
        const running: ChildProcess[] = [];
        const root = path.join(tmp, "magento");
        const socket = path.join(tmp, "magento.sock");
        /** The image's log directory: the workers' user's, 0750, as the image creates it. */
        const logDir = path.join(tmp, "log-magento");
        const HOST_UID = Number(spawnSync("id", ["-u", HOST_USERS.magento], { encoding: "utf8" }).stdout);
        let port = 0;
        let fpmPid = 0;

        /** GET on the loopback server: status, headers, body. */
        function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
            return new Promise((resolve, reject) => {
                http.get({ host: "127.0.0.1", port, path: url, timeout: 5000 }, (res) => {
                    let body = "";
                    res.on("data", (d: Buffer) => (body += d.toString()));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
                }).on("error", reject);
            });
        }

        async function until(ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
            for (let i = 0; i < 100; i++) {
                if (await ready()) {
                    return;
                }
                await new Promise((r) => setTimeout(r, 100));
            }
            throw new Error(`${what} did not start`);
        }

        before(async function () {
            this.timeout(30000);
            layout("magento", {
                // ?ini=<key>: PHP's setting as a request sees it; ?log: writes PHP's error log; ?slow: a long request.
                // Magento's front controller answers 503 while var/.maintenance.flag exists (Bootstrap::assertMaintenance).
                "pub/index.php":
                    '<?php if (file_exists(__DIR__ . "/../var/.maintenance.flag")) { http_response_code(503); exit("maintenance"); } if (isset($_GET["ini"])) { exit(ini_get($_GET["ini"])); } if (isset($_GET["log"])) { error_log("logged by a worker"); } if (isset($_GET["slow"])) { sleep(2); } echo "storefront";',
                "pub/health_check.php": '<?php echo "healthy";',
                // Magento's own answers 404: denied paths (403) are answered with it, as the sample's error_page says.
                "pub/errors/404.php": '<?php http_response_code(404); echo "Magento 404";',
                "pub/static.php": '<?php echo "generated ", $_GET["resource"];',
                "pub/static/frontend/Vendor/shop/fr_FR/css/styles.css": "body { color: teal; }",
                "pub/media/catalog/product/a.jpg": "JPEG",
                "pub/media/customer/passport.pdf": "private",
                "pub/media/upload.php": '<?php echo "executed an upload";',
                "app/etc/env.php": "<?php return ['db' => 'secret'];",
            });
            fs.mkdirSync(logDir, { mode: 0o750 });
            fs.chownSync(logDir, HOST_UID, HOST_UID);
            port = await new Promise<number>((resolve) => {
                const server = net.createServer().listen(0, "127.0.0.1", () => {
                    const { port: free } = server.address() as net.AddressInfo;
                    server.close(() => resolve(free));
                });
            });
            const local = (t: string) =>
                t
                    .split(MAGENTO_ROOT)
                    .join(root)
                    .split(FPM_SOCKET)
                    .join(socket)
                    .replace("listen 80 default_server;", `listen 127.0.0.1:${port} default_server;`)
                    .replace("/run/nginx.pid", path.join(tmp, "nginx.pid"))
                    .split("/var/log/nginx/")
                    .join(`${tmp}/`)
                    .split(WEB_CONFIG_PATHS.logDir)
                    .join(logDir);
            const nginxDir = nginxFolder("nginx-run", local);
            const fpm = spawn(`/usr/sbin/${PHP_FPM}`, ["-F", "-y", fpmConfig("fpm-run", local)], {
                env: { ...process.env, [FPM_CHILDREN_VARIABLE]: "2" },
                stdio: "ignore",
            });
            running.push(fpm);
            fpmPid = fpm.pid!;
            await until(() => fs.existsSync(socket), "php-fpm");
            const nginx = spawn(
                "nginx",
                ["-p", nginxDir, "-c", path.join(nginxDir, "nginx.conf"), "-g", "daemon off;"],
                {
                    stdio: "ignore",
                },
            );
            running.push(nginx);
            await until(
                () =>
                    get("/health_check.php").then(
                        () => true,
                        () => false,
                    ),
                "nginx",
            );
        });

        after(() => running.forEach((p) => p.kill()));

        it("the load balancer's health check and the storefront run through PHP-FPM", async () => {
            assert.deepStrictEqual(await get("/health_check.php").then((r) => [r.status, r.body]), [200, "healthy"]);
            assert.deepStrictEqual(await get("/some-category.html").then((r) => [r.status, r.body]), [
                200,
                "storefront",
            ]);
        });

        it("static content is served from the image's pub/static, versioned URLs included, cached for a year", async () => {
            const css = await get("/static/version1733130000/frontend/Vendor/shop/fr_FR/css/styles.css");
            assert.deepStrictEqual([css.status, css.body], [200, "body { color: teal; }"]);
            assert.strictEqual(css.headers["cache-control"]?.includes("public"), true, JSON.stringify(css.headers));
            assert.ok(
                new Date(css.headers.expires!).getTime() > Date.now() + 300 * 24 * 3600 * 1000,
                css.headers.expires,
            );
            const missing = await get("/static/frontend/Vendor/shop/fr_FR/js/missing.js");
            assert.deepStrictEqual(
                [missing.status, missing.body],
                [200, "generated frontend/Vendor/shop/fr_FR/js/missing.js"],
            );
        });

        it("media is served, customers' files are not, and no PHP outside Magento's entry points ever runs", async () => {
            assert.deepStrictEqual(await get("/media/catalog/product/a.jpg").then((r) => [r.status, r.body]), [
                200,
                "JPEG",
            ]);
            const notFound = [404, "Magento 404"];
            assert.deepStrictEqual(await get("/media/customer/passport.pdf").then((r) => [r.status, r.body]), notFound);
            assert.deepStrictEqual(await get("/media/upload.php").then((r) => [r.status, r.body]), notFound);
        });

        it("nothing outside pub/ is reachable: the docroot is pub/", async () => {
            assert.deepStrictEqual(await get("/app/etc/env.php").then((r) => [r.status, r.body]), [404, "Magento 404"]);
        });

        it("a request's memory limit is the pool's, whatever nginx passes, and PHP's errors reach the pool's log", async () => {
            assert.strictEqual((await get("/index.php?ini=memory_limit")).body, `${FPM_MEMORY_LIMIT_MIB}M`);
            await get("/index.php?log=1");
            assert.match(fs.readFileSync(path.join(logDir, "php-fpm-error.log"), "utf8"), /logged by a worker/);
        });

        // Magento's maintenance mode is the file var/.maintenance.flag on each server (MaintenanceMode::FLAG_DIR is var/,
        // which is local: only var/export is shared), checked by the application's bootstrap behind index.php; its
        // pub/health_check.php bootstraps no application and checks only the database and the cache
        // (https://github.com/magento/magento2/blob/2.4-develop/pub/health_check.php,
        // lib/internal/Magento/Framework/App/MaintenanceMode.php). So the release runner's maintenance window answers
        // shoppers 503 and the load balancer 200: no server is marked unhealthy or replaced (docs/releasing.md).
        it("in maintenance the storefront answers 503 and the load balancer's health check still 200", async () => {
            const flag = path.join(root, "var", ".maintenance.flag");
            fs.mkdirSync(path.dirname(flag), { recursive: true });
            fs.writeFileSync(flag, "");
            try {
                assert.deepStrictEqual(await get("/some-category.html").then((r) => r.status), 503);
                assert.deepStrictEqual(await get("/index.php/checkout/").then((r) => r.status), 503);
                assert.deepStrictEqual(await get("/health_check.php").then((r) => [r.status, r.body]), [
                    200,
                    "healthy",
                ]);
            } finally {
                fs.rmSync(flag);
            }
            assert.deepStrictEqual(await get("/some-category.html").then((r) => r.status), 200);
        });

        // Last: it stops PHP-FPM.
        it("SIGQUIT stops PHP-FPM only once the request in flight is answered", async function () {
            this.timeout(15000);
            const slow = get("/index.php?slow=1");
            await new Promise((r) => setTimeout(r, 500));
            process.kill(fpmPid, "SIGQUIT");
            assert.deepStrictEqual(await slow.then((r) => [r.status, r.body]), [200, "storefront"]);
        });
    });
});
