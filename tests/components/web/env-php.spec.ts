// Magento's env.php as boot renders it, with the real tools: the renderer passes `php -l`; boot's own scripts turn the
// stack's parameters (each stack's update capture) and sample secrets into the two env files; the renderer, run by the
// real php, writes an env.php that PHP loads into the array Magento reads (docs/release-image.md, "What boot adds").
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import { createHmac } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    ENV_PHP_FILES,
    envPhpScript,
    EnvPhpFiles,
    GRAPHQL_SALT_LABEL,
    RedisUsages,
    redisUsages,
} from "../../../components/web/env-php";
import { PARAMETERS_FILE, parametersScript, SECRETS_FILE, secretsScript } from "../../../components/web/web-boot";
import { SSM_PARAMETER } from "../../../policies/lib/types";
import { ROOT, ofType, prefetch, stackResources } from "../../helpers/stacks";

const STACKS = ["prod", "preprod"] as const;
const UPDATE = { preview: false };
/** The samples the fake Secrets Manager answers; plain letters and digits as boot's env files carry them. */
const CRYPT_KEY = "0a1B2c3D4e5F6a7B8c9D0e1F2a3B4c5D";
const DB_USER = { username: "magento_a", password: "Db0123abcdAa1" };
const SEARCH_USER = { username: "magento_b", password: "Se4567cdefAa1" };
const authToken = (usage: string) => `Auth${usage}0123456789abcdefABCDEF`;

/** The stack's parameters below /magento/<stack>/, by name relative to it. */
async function parametersOf(stack: string): Promise<Record<string, string>> {
    const prefix = `/magento/${stack}/`;
    return Object.fromEntries(
        ofType(await stackResources(stack, UPDATE), SSM_PARAMETER)
            .filter((p) => (p.inputs!.name as string).startsWith(prefix))
            .map((p) => [(p.inputs!.name as string).slice(prefix.length), p.inputs!.insecureValue as string]),
    );
}

/** A folder standing in for the server: a fake `aws` answering from the stack's parameters and the sample secrets. */
class Server {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-php-"));
    readonly files: EnvPhpFiles;

    constructor(stack: string, parameters: Record<string, string>, secrets: Record<string, string>) {
        fs.mkdirSync(path.join(this.dir, "app/etc"), { recursive: true });
        this.files = {
            parameters: path.join(this.dir, "parameters.env"),
            secrets: path.join(this.dir, "secrets.env"),
            target: path.join(this.dir, "app/etc/env.php"),
            group: execFileSync("id", ["-gn"], { encoding: "utf8" }).trim(), // magento's stand-in: ours
        };
        fs.writeFileSync(
            path.join(this.dir, "parameters.tsv"),
            Object.entries(parameters)
                .map(([name, value]) => `/magento/${stack}/${name}\t${value}\n`)
                .join(""),
        );
        fs.writeFileSync(path.join(this.dir, "secrets.json"), JSON.stringify(secrets));
        // Secrets Manager fails a secret with no value yet: so does this one.
        fs.writeFileSync(
            path.join(this.dir, "aws"),
            [
                "#!/bin/bash",
                `case "$1" in ssm) cat ${this.dir}/parameters.tsv; exit ;; esac`,
                'for a in "$@"; do case "$a" in arn:*) arn=$a ;; esac; done',
                `jq -er --arg a "$arn" '.[$a] // empty' ${this.dir}/secrets.json || exit 254`,
                "",
            ].join("\n"),
            { mode: 0o755 },
        );
        // A fake systemctl logging its calls; PHP-FPM counts as enabled once `php-fpm.enabled` exists (boot enabled it).
        fs.writeFileSync(
            path.join(this.dir, "systemctl"),
            [
                "#!/bin/bash",
                `echo "$*" >> ${this.dir}/systemctl.log`,
                `case "$1" in is-enabled) [ -e ${this.dir}/php-fpm.enabled ] ;; esac`,
                "",
            ].join("\n"),
            { mode: 0o755 },
        );
    }

    /** The sample secrets the fake Secrets Manager answers from now on. */
    answer(secrets: Record<string, string>): void {
        fs.writeFileSync(path.join(this.dir, "secrets.json"), JSON.stringify(secrets));
    }

    /** What boot's scripts asked of systemctl so far. */
    systemctl(): string[] {
        const log = path.join(this.dir, "systemctl.log");
        return fs.existsSync(log) ? fs.readFileSync(log, "utf8").trimEnd().split("\n") : [];
    }

    /** magento-secrets with its files here: as the first boot runs it, as the timer does (`restart`), or as a later
     *  start does before PHP-FPM (`start`, magento-refresh). */
    secrets(mode?: "restart" | "start"): { status: number | null; stderr: string } {
        const script = secretsScript("eu-west-3")
            .replace(`in=${PARAMETERS_FILE}`, `in=${this.files.parameters}`)
            .replace(`out=${SECRETS_FILE}`, `out=${this.files.secrets}`);
        return this.run(script, "bash", mode ? [mode] : []);
    }

    /** Runs a boot script as the server would, with its files here. */
    run(script: string, interpreter = "bash", args: string[] = []): { status: number | null; stderr: string } {
        const file = path.join(this.dir, `script-${Math.random().toString(36).slice(2)}`);
        fs.writeFileSync(file, script, { mode: 0o755 });
        const result = spawnSync(interpreter, [file, ...args], {
            encoding: "utf8",
            env: { ...process.env, PATH: `${this.dir}:${process.env.PATH}` },
        });
        return { status: result.status, stderr: result.stderr };
    }

    /** magento-parameters, magento-secrets, then the renderer. */
    boot(stack: string, redis: RedisUsages): { status: number | null; stderr: string } {
        const parameters = this.run(
            parametersScript(`/magento/${stack}`, "eu-west-3").replace(
                `out=${PARAMETERS_FILE}`,
                `out=${this.files.parameters}`,
            ),
        );
        assert.strictEqual(parameters.status, 0, parameters.stderr);
        const secrets = this.secrets();
        assert.strictEqual(secrets.status, 0, secrets.stderr);
        return this.run(envPhpScript(redis, this.files), "php");
    }

    /** env.php as PHP loads it (json_encode keeps integer keys as strings). */
    load(): Record<string, unknown> {
        const json = execFileSync("php", ["-r", "echo json_encode(include $argv[1]);", this.files.target], {
            encoding: "utf8",
        });
        return JSON.parse(json) as Record<string, unknown>;
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** The sample secrets, by the ARNs the stack's parameters name. */
function sampleSecrets(parameters: Record<string, string>): Record<string, string> {
    const secrets: Record<string, string> = {
        [parameters["db/secret-arn"]]: JSON.stringify(DB_USER),
        [parameters["search/credentials-secret-arn"]]: JSON.stringify(SEARCH_USER),
        [parameters["crypt/key-secret-arn"]]: CRYPT_KEY,
    };
    for (const name of Object.keys(parameters)) {
        const usage = /^redis\/([a-z]+)\/auth-secret-arn$/.exec(name)?.[1];
        if (usage) {
            secrets[parameters[name]] = authToken(usage);
        }
    }
    return secrets;
}

const usagesOf = (parameters: Record<string, string>) =>
    redisUsages(
        Object.keys(parameters)
            .map((n) => /^redis\/([a-z]+)\/host$/.exec(n)?.[1])
            .filter((u): u is string => u !== undefined),
    );

/** The salt as the renderer derives it: HMAC-SHA256 of the fixed label, keyed with the crypt key. */
const graphqlSalt = (cryptKey: string) => createHmac("sha256", cryptKey).update(GRAPHQL_SALT_LABEL).digest("hex");

const pdo = (constant: string) => execFileSync("php", ["-r", `echo ${constant};`], { encoding: "utf8" });

describe("env.php rendered at boot", () => {
    prefetch(...STACKS.map((s) => [s, UPDATE] as [string, typeof UPDATE]));

    it("the renderer is valid PHP (php -l), for both Redis layouts", () => {
        for (const redis of [redisUsages(["shared"]), redisUsages(["sessions", "cache"])]) {
            const result = spawnSync("php", ["-l"], { input: envPhpScript(redis), encoding: "utf8" });
            assert.strictEqual(result.status, 0, `${result.stdout}${result.stderr}`);
        }
        assert.notStrictEqual(spawnSync("php", ["-l"], { input: "<?php return [;" }).status, 0, "the check is real");
        // Magento's key for MySQL's CA is PHP's constant: pdo_mysql must be there for the comparison below to mean it.
        assert.match(pdo("PDO::MYSQL_ATTR_SSL_CA"), /^\d+$/, "php's pdo_mysql is missing (Debian's php-mysql)");
    });

    for (const stack of STACKS) {
        it(`${stack}: the stack's parameters and secrets give the array Magento reads: TLS to MySQL, Redis and OpenSearch, AUTH, the admin path, the crypt key, production`, async () => {
            const parameters = await parametersOf(stack);
            const redis = usagesOf(parameters);
            // Host names without a scheme or port: the renderer adds tls:// and https:// itself.
            for (const name of [
                "db/host",
                "search/host",
                `redis/${redis.cache}/host`,
                `redis/${redis.sessions}/host`,
            ]) {
                assert.match(parameters[name], /^[a-z0-9][a-z0-9.-]+$/, name);
            }
            const server = new Server(stack, parameters, sampleSecrets(parameters));
            try {
                const result = server.boot(stack, redis);
                assert.strictEqual(result.status, 0, result.stderr);
                const env = server.load();
                const stat = fs.statSync(server.files.target);
                assert.strictEqual((stat.mode & 0o777).toString(8), "640", "root's, readable by the pool's group only");
                assert.deepStrictEqual([stat.uid], [0]);
                // Magento reads install/date as "installed"; each render keeps the first one's.
                const { date } = env.install as { date: string };
                assert.match(date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
                const redisCache = (db: string, compress: string) => ({
                    backend: "Magento\\Framework\\Cache\\Backend\\Redis",
                    backend_options: {
                        server: `tls://${parameters[`redis/${redis.cache}/host`]}`,
                        port: "6379",
                        password: authToken(redis.cache),
                        database: db,
                        compress_data: compress,
                    },
                });
                assert.deepStrictEqual(
                    { ...env, install: undefined },
                    {
                        backend: { frontName: stack === "prod" ? "ops_7f3k" : parameters["admin/path"] },
                        crypt: { key: CRYPT_KEY },
                        db: {
                            table_prefix: "",
                            connection: {
                                default: {
                                    host: parameters["db/host"],
                                    dbname: "magento",
                                    ...DB_USER,
                                    model: "mysql4",
                                    engine: "innodb",
                                    initStatements: "SET NAMES utf8mb4;",
                                    active: "1",
                                    // Magento's ConfigOptionsListConstants: KEY_MYSQL_SSL_CA and KEY_MYSQL_SSL_VERIFY.
                                    driver_options: {
                                        [pdo("PDO::MYSQL_ATTR_SSL_CA")]: "/etc/pki/rds/eu-west-3-bundle.pem",
                                        [pdo("PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT")]: true,
                                    },
                                },
                            },
                        },
                        resource: { default_setup: { connection: "default" } },
                        cache: {
                            frontend: { default: redisCache("0", "1"), page_cache: redisCache("1", "0") },
                            graphql: { id_salt: graphqlSalt(CRYPT_KEY) },
                        },
                        session: {
                            save: "redis",
                            redis: {
                                host: `tls://${parameters[`redis/${redis.sessions}/host`]}`,
                                port: "6379",
                                password: authToken(redis.sessions),
                                timeout: "2.5",
                                persistent_identifier: "",
                                database: "2",
                                compression_threshold: "2048",
                                compression_library: "gzip",
                                log_level: "1",
                                max_concurrency: "6",
                                break_after_frontend: "5",
                                break_after_adminhtml: "30",
                                first_lifetime: "600",
                                bot_first_lifetime: "60",
                                bot_lifetime: "7200",
                                disable_locking: "0",
                                min_lifetime: "60",
                                max_lifetime: "2592000",
                            },
                        },
                        system: {
                            default: {
                                catalog: {
                                    search: {
                                        engine: "opensearch",
                                        opensearch_server_hostname: `https://${parameters["search/host"]}`,
                                        opensearch_server_port: "443",
                                        opensearch_enable_auth: "1",
                                        opensearch_username: SEARCH_USER.username,
                                        opensearch_password: SEARCH_USER.password,
                                        opensearch_index_prefix: "magento2",
                                        opensearch_server_timeout: "15",
                                    },
                                },
                            },
                        },
                        deployment: { blue_green: { enabled: true } },
                        directories: { document_root_is_pub: true },
                        MAGE_MODE: "production",
                        "x-frame-options": "SAMEORIGIN",
                        install: undefined,
                        cache_types: Object.fromEntries(
                            [
                                "config",
                                "layout",
                                "block_html",
                                "collections",
                                "reflection",
                                "db_ddl",
                                "compiled_config",
                                "eav",
                                "customer_notification",
                                "config_integration",
                                "config_integration_api",
                                "graphql_query_resolver_result",
                                "full_page",
                                "config_webservice",
                                "translate",
                            ].map((t) => [t, 1]),
                        ),
                    },
                );
                // A second render (PHP-FPM's next start) keeps the install date.
                assert.strictEqual(server.boot(stack, redis).status, 0);
                assert.strictEqual((server.load().install as { date: string }).date, date);
            } finally {
                server.remove();
            }
        });
    }

    it("a secret not written yet stops the renderer with its name, and leaves the env.php it had", async () => {
        const parameters = await parametersOf("prod");
        const redis = usagesOf(parameters);
        const secrets = sampleSecrets(parameters);
        const server = new Server("prod", parameters, secrets);
        try {
            assert.strictEqual(server.boot("prod", redis).status, 0);
            const before = fs.readFileSync(server.files.target, "utf8");
            delete secrets[parameters["crypt/key-secret-arn"]];
            server.answer(secrets);
            const result = server.boot("prod", redis);
            assert.strictEqual(result.status, 1);
            assert.strictEqual(
                result.stderr,
                `magento-env: env.php not written: missing CRYPT_KEY (from ${server.files.secrets})\n`,
            );
            assert.strictEqual(fs.readFileSync(server.files.target, "utf8"), before);
            assert.deepStrictEqual(
                fs.readdirSync(path.dirname(server.files.target)),
                ["env.php"],
                "no temporary file left",
            );
        } finally {
            server.remove();
        }
    });

    it("Magento's DB-version and config-hash guards are off (blue/green), so a rolling release or a rotation re-rendering `system` does not fail every page", async () => {
        const parameters = await parametersOf("prod");
        const server = new Server("prod", parameters, sampleSecrets(parameters));
        try {
            assert.strictEqual(server.boot("prod", usagesOf(parameters)).status, 0);
            // DbStatusValidator and ConfigChangeDetector return early when deployment/blue_green/enabled is truthy.
            assert.deepStrictEqual(server.load().deployment, { blue_green: { enabled: true } });
        } finally {
            server.remove();
        }
    });

    it("GraphQL's cache id salt is in env.php, derived from the crypt key: the same on two servers and across renders", async () => {
        const parameters = await parametersOf("prod");
        const redis = usagesOf(parameters);
        const servers = [0, 1].map(() => new Server("prod", parameters, sampleSecrets(parameters)));
        try {
            const salts = servers.map((server) => {
                assert.strictEqual(server.boot("prod", redis).status, 0);
                return (server.load().cache as { graphql: { id_salt: string } }).graphql.id_salt;
            });
            assert.match(salts[0], /^[0-9a-f]{64}$/);
            assert.notStrictEqual(salts[0], CRYPT_KEY, "the salt does not give the crypt key away");
            assert.strictEqual(salts[1], salts[0], "two servers, one salt");
            assert.strictEqual(servers[0].boot("prod", redis).status, 0);
            const again = (servers[0].load().cache as { graphql: { id_salt: string } }).graphql.id_salt;
            assert.strictEqual(again, salts[0], "a second render keeps it");
        } finally {
            servers.forEach((server) => server.remove());
        }
    });

    describe("the secrets timer's re-read (magento-secrets restart)", () => {
        const booted = async () => {
            const parameters = await parametersOf("prod");
            const secrets = sampleSecrets(parameters);
            const server = new Server("prod", parameters, secrets);
            assert.strictEqual(server.boot("prod", usagesOf(parameters)).status, 0);
            fs.writeFileSync(path.join(server.dir, "php-fpm.enabled"), ""); // boot's `systemctl enable --now`
            return { server, parameters, secrets, before: fs.readFileSync(server.files.secrets, "utf8") };
        };
        const noTemporary = (server: Server) =>
            assert.deepStrictEqual(
                fs.readdirSync(server.dir).filter((f) => f.includes(".tmp")),
                [],
                "no temporary file left",
            );

        it("a secret Secrets Manager cannot give (a blip) leaves secrets.env as it was, fails the run and restarts nothing", async () => {
            const { server, parameters, secrets, before } = await booted();
            try {
                delete secrets[parameters["db/secret-arn"]];
                server.answer(secrets);
                const result = server.secrets("restart");
                assert.strictEqual(result.status, 1);
                assert.match(result.stderr, /^secret DB_SECRET_ARN: not readable; .*secrets\.env left as it was\n$/);
                assert.strictEqual(fs.readFileSync(server.files.secrets, "utf8"), before);
                assert.deepStrictEqual(server.systemctl(), []);
                noTemporary(server);
            } finally {
                server.remove();
            }
        });

        it("at the first boot the same secret is skipped until a later run (the setup job has not written it yet)", async () => {
            const { server, parameters, secrets } = await booted();
            try {
                delete secrets[parameters["db/secret-arn"]];
                server.answer(secrets);
                const result = server.secrets();
                assert.strictEqual(result.status, 0, result.stderr);
                assert.match(
                    result.stderr,
                    /^secret DB_SECRET_ARN: no value readable yet; skipped until the next run\n$/,
                );
                assert.doesNotMatch(fs.readFileSync(server.files.secrets, "utf8"), /^DB_/m);
                assert.deepStrictEqual(server.systemctl(), [], "the first boot starts PHP-FPM itself");
            } finally {
                server.remove();
            }
        });

        it("a changed secret restarts PHP-FPM even when it had failed (try-restart would leave it down); an unchanged one does not", async () => {
            const { server, parameters, secrets, before } = await booted();
            try {
                assert.strictEqual(server.secrets("restart").status, 0);
                assert.deepStrictEqual(server.systemctl(), [], "nothing changed, nothing restarted");
                secrets[parameters["crypt/key-secret-arn"]] = "9z8Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K";
                server.answer(secrets);
                const result = server.secrets("restart");
                assert.strictEqual(result.status, 0, result.stderr);
                assert.notStrictEqual(fs.readFileSync(server.files.secrets, "utf8"), before);
                assert.deepStrictEqual(server.systemctl(), ["is-enabled -q php-fpm", "restart php-fpm"]);
                noTemporary(server);
            } finally {
                server.remove();
            }
        });

        it("a server started again (out of the warm pool) writes a rotated secret before PHP-FPM starts, restarting nothing; a blip keeps the file", async () => {
            const { server, parameters, secrets, before } = await booted();
            try {
                secrets[parameters["crypt/key-secret-arn"]] = "9z8Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K";
                server.answer(secrets);
                const rotated = server.secrets("start");
                assert.strictEqual(rotated.status, 0, rotated.stderr);
                const after = fs.readFileSync(server.files.secrets, "utf8");
                assert.notStrictEqual(after, before);
                // systemd starts PHP-FPM after this unit: a restart from inside it would wait on that very start.
                assert.deepStrictEqual(server.systemctl(), []);
                delete secrets[parameters["db/secret-arn"]];
                server.answer(secrets);
                const blip = server.secrets("start");
                assert.strictEqual(blip.status, 1);
                assert.match(blip.stderr, /^secret DB_SECRET_ARN: not readable; .*secrets\.env left as it was\n$/);
                assert.strictEqual(fs.readFileSync(server.files.secrets, "utf8"), after);
                noTemporary(server);
            } finally {
                server.remove();
            }
        });

        it("before boot enabled PHP-FPM, a change does not start it", async () => {
            const { server, parameters, secrets } = await booted();
            try {
                fs.rmSync(path.join(server.dir, "php-fpm.enabled"));
                secrets[parameters["crypt/key-secret-arn"]] = "9z8Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K";
                server.answer(secrets);
                assert.strictEqual(server.secrets("restart").status, 0);
                assert.deepStrictEqual(server.systemctl(), ["is-enabled -q php-fpm"]);
            } finally {
                server.remove();
            }
        });
    });

    it("an env.php that does not load (edited by hand, say) is replaced, not a stack trace", async () => {
        const parameters = await parametersOf("prod");
        const server = new Server("prod", parameters, sampleSecrets(parameters));
        try {
            fs.writeFileSync(server.files.target, "<?php return [;\n");
            const result = server.boot("prod", usagesOf(parameters));
            assert.deepStrictEqual([result.status, result.stderr], [0, ""]);
            assert.strictEqual((server.load().crypt as { key: string }).key, CRYPT_KEY);
        } finally {
            server.remove();
        }
    });

    it("without the parameters file it stops with the file's name, writing nothing", () => {
        const server = new Server("prod", {}, {});
        try {
            fs.writeFileSync(server.files.secrets, "");
            const result = server.run(envPhpScript(redisUsages(["shared"]), server.files), "php");
            assert.strictEqual(result.status, 1);
            assert.match(result.stderr, new RegExp(`^magento-env: ${server.files.parameters} cannot be read`));
            assert.ok(!fs.existsSync(server.files.target));
        } finally {
            server.remove();
        }
    });

    it("on the servers it reads and writes the contract's files (model/release.ts)", () => {
        const script = envPhpScript(redisUsages(["shared"]));
        for (const file of [ENV_PHP_FILES.parameters, ENV_PHP_FILES.secrets, ENV_PHP_FILES.target]) {
            assert.ok(script.includes(`'${file}'`), file);
        }
        assert.deepStrictEqual(
            [ENV_PHP_FILES.parameters, ENV_PHP_FILES.secrets, ENV_PHP_FILES.target, ENV_PHP_FILES.group],
            ["/etc/magento/parameters.env", "/etc/magento/secrets.env", "/var/www/magento/app/etc/env.php", "magento"],
        );
    });

    it("docs/release-image.md's 'What boot adds' names every part of env.php the renderer writes", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs/release-image.md"), "utf8");
        const section = doc.split("## What boot adds")[1].split("\n## ")[0];
        for (const key of [
            "backend.frontName",
            "crypt.key",
            "db.connection.default",
            "cache.frontend.default",
            "cache.frontend.page_cache",
            "session",
            "system.default.catalog.search",
            "cache.graphql.id_salt",
            "deployment.blue_green.enabled",
            "MAGE_MODE",
            "cache_types",
            "ExecStartPre",
            "/usr/local/sbin/magento-env",
        ]) {
            assert.ok(section.includes(`\`${key}`), `${key} is not in the section`);
        }
    });
});
