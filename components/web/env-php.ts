// Magento's app/etc/env.php, rendered on the server from the env files boot writes (docs/release-image.md, "What boot
// adds"), never baked into the image: a PHP CLI script that reads PARAMETERS_FILE and SECRETS_FILE, refuses a missing
// key by its name, and writes the array Magento reads with var_export, atomically, root-owned and readable by the
// PHP-FPM pool's group only. PHP-FPM runs it before each start (its drop-in): production's OPcache does not re-read
// PHP files, so a restart, which the secrets timer does on a change, is what brings a new env.php to PHP.
// What Magento reads: https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/files/config-reference-envphp
import { WriteFile } from "../compute/cloud-init";
import { CacheUsage, REDIS_PORT } from "../data/cache";
import { MAGENTO_ROOT, MAGENTO_USER, PARAMETERS_FILE, SECRETS_FILE } from "../../model/release";

/** Where Magento reads its deployment configuration. */
export const ENV_PHP = `${MAGENTO_ROOT}/app/etc/env.php`;
/** The renderer, installed by the user data. */
export const ENV_RENDERER = "/usr/local/sbin/magento-env";

/** The environment name boot gives a parameter (web-boot's parametersScript): below the stack's path, upper-cased,
 *  '/' and '-' as '_'. A secret's `<name>-secret-arn` gives `<NAME>` (plain) or `<NAME>_<FIELD>` (JSON) in SECRETS_FILE. */
export function parameterEnvName(name: string): string {
    return name.replace(/[/-]/g, "_").toUpperCase();
}

/** Which Redis group serves Magento's cache (default and page cache) and which its sessions. */
export interface RedisUsages {
    readonly cache: CacheUsage;
    readonly sessions: CacheUsage;
}

/** The usages a stack's Redis groups have (infra/data.ts): one shared, or sessions and cache apart. */
export function redisUsages(usages: readonly string[]): RedisUsages {
    const sorted = [...usages].sort().join(",");
    if (sorted === "shared") {
        return { cache: "shared", sessions: "shared" };
    }
    if (sorted === "cache,sessions") {
        return { cache: "cache", sessions: "sessions" };
    }
    throw new Error(`Redis groups '${sorted}': Magento's boot expects one 'shared', or 'sessions' and 'cache'`);
}

/** Where the renderer reads and writes; the defaults are the contract's (model/release.ts). */
export interface EnvPhpFiles {
    readonly parameters: string;
    readonly secrets: string;
    readonly target: string;
    /** The group that may read env.php: PHP-FPM's pool and cron run as it. */
    readonly group: string;
}

export const ENV_PHP_FILES: EnvPhpFiles = {
    parameters: PARAMETERS_FILE,
    secrets: SECRETS_FILE,
    target: ENV_PHP,
    group: MAGENTO_USER,
};

/** Magento's cache types (bin/magento cache:status of 2.4.8), all enabled in production. */
export const CACHE_TYPES = [
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
] as const;

/** Redis databases as Adobe recommends them when one server holds several uses: default cache 0, page cache 1,
 *  sessions 2 (https://experienceleague.adobe.com/en/docs/commerce-operations/configuration-guide/cache/redis/redis-session). */
const REDIS_DB = { default: "0", page_cache: "1", session: "2" } as const;

/** What the GraphQL cache id salt is derived from, with the crypt key: one salt for every server and every render,
 *  and no secret of its own. */
export const GRAPHQL_SALT_LABEL = "magento graphql cache id salt";

/** A PHP single-quoted literal of a value the TypeScript side chose (paths, names). */
function php(value: string): string {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * The renderer's source. Values come only from the two files: parameters (endpoints, names, the admin path) and
 * secrets (users, passwords, AUTH tokens, the crypt key). Redis is reached over TLS, which the groups' in-transit
 * encryption requires of clients (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html),
 * as `tls://<host>`, which Magento's Redis client Credis reads as its scheme
 * (https://github.com/colinmollenhour/credis/blob/master/Client.php, convertHost), with AUTH; MySQL over TLS checked against RDS's CA: `driver_options` keyed as Magento keys them,
 * \PDO::MYSQL_ATTR_SSL_CA and 1014 (ConfigOptionsListConstants::KEY_MYSQL_SSL_VERIFY, mysqlnd's
 * MYSQL_ATTR_SSL_VERIFY_SERVER_CERT:
 * https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/Config/ConfigOptionsListConstants.php);
 * OpenSearch over HTTPS on 443, the only way the domain answers (enforceHttps and its security group,
 * components/data/search.ts), with the search user (Magento takes the scheme from the hostname:
 * https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/OpenSearch/Model/SearchClient.php, buildOSConfig).
 * `deployment.blue_green.enabled` (Magento 2.4.4+) turns off the two FrontController guards that would fail every page
 * while a release rolls out or after a rotation re-renders `system`: the DB-version check
 * (https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/Module/Plugin/DbStatusValidator.php)
 * and the config-hash check asking for app:config:import
 * (https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Deploy/Model/Plugin/ConfigChangeDetector.php);
 * these servers never import configuration, the release runner upgrades. `cache.graphql.id_salt` is set because
 * Magento otherwise writes a random one into env.php, which is read-only here, on a GraphQL request
 * (https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/GraphQlCache/Model/CacheId/CacheIdCalculator.php,
 * getSalt): an HMAC of a fixed label with the crypt key, the same on every server.
 */
export function envPhpScript(redis: RedisUsages, files: EnvPhpFiles = ENV_PHP_FILES): string {
    const p = (name: string) => `$param(${php(parameterEnvName(name))})`;
    const s = (name: string) => `$secret(${php(parameterEnvName(name))})`;
    const redisServer = (usage: CacheUsage) => `'tls://' . ${p(`redis/${usage}/host`)}`;
    const redisAuth = (usage: CacheUsage) => s(`redis/${usage}/auth`);
    const cacheBackend = (db: string, compress: string) => `[
        'backend' => 'Magento\\\\Framework\\\\Cache\\\\Backend\\\\Redis',
        'backend_options' => [
            'server' => ${redisServer(redis.cache)},
            'port' => '${REDIS_PORT}',
            'password' => ${redisAuth(redis.cache)},
            'database' => '${db}',
            'compress_data' => '${compress}',
        ],
    ]`;
    return `#!/usr/bin/php
<?php
// Renders Magento's env.php from the files boot writes; run by PHP-FPM before it starts (docs/release-image.md).
declare(strict_types=1);

const PARAMETERS_FILE = ${php(files.parameters)};
const SECRETS_FILE = ${php(files.secrets)};
const TARGET = ${php(files.target)};
const GROUP = ${php(files.group)};

function fail(string $message): never
{
    fwrite(STDERR, "magento-env: $message\\n");
    exit(1);
}

/** KEY=value lines, as boot's scripts write them. */
function envFile(string $path): array
{
    $lines = @file($path, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
    if ($lines === false) {
        fail("$path cannot be read: boot writes it before PHP-FPM starts");
    }
    $values = [];
    foreach ($lines as $i => $line) {
        $eq = strpos($line, '=');
        if (!$eq) {
            fail(sprintf('%s line %d is not KEY=value', $path, $i + 1));
        }
        $values[substr($line, 0, $eq)] = substr($line, $eq + 1);
    }
    return $values;
}

if (!defined('PDO::MYSQL_ATTR_SSL_CA')) {
    fail('PHP has no pdo_mysql: Magento cannot reach its database without it');
}
$files = [PARAMETERS_FILE => envFile(PARAMETERS_FILE), SECRETS_FILE => envFile(SECRETS_FILE)];
$missing = [];
$read = function (string $file, string $key) use ($files, &$missing): string {
    $value = $files[$file][$key] ?? '';
    if ($value === '') {
        $missing[] = "$key (from $file)";
    }
    return $value;
};
$param = fn (string $key): string => $read(PARAMETERS_FILE, $key);
$secret = fn (string $key): string => $read(SECRETS_FILE, $key);

// Kept from the env.php it replaces: Magento reads install/date as "installed". One that does not load is replaced.
try {
    $previous = is_file(TARGET) ? include TARGET : [];
} catch (\\Throwable) {
    $previous = [];
}
$previous = is_array($previous) ? $previous : [];
$cryptKey = ${s("crypt/key")};
$config = [
    'backend' => ['frontName' => ${p("admin/path")}],
    'crypt' => ['key' => $cryptKey],
    'db' => [
        'table_prefix' => '',
        'connection' => [
            'default' => [
                'host' => ${p("db/host")},
                'dbname' => ${p("db/name")},
                'username' => ${s("db/username")},
                'password' => ${s("db/password")},
                'model' => 'mysql4',
                'engine' => 'innodb',
                'initStatements' => 'SET NAMES utf8mb4;',
                'active' => '1',
                'driver_options' => [
                    \\PDO::MYSQL_ATTR_SSL_CA => ${p("db/ssl-ca")},
                    1014 => true,
                ],
            ],
        ],
    ],
    'resource' => ['default_setup' => ['connection' => 'default']],
    'cache' => [
        'frontend' => [
            'default' => ${cacheBackend(REDIS_DB.default, "1")},
            'page_cache' => ${cacheBackend(REDIS_DB.page_cache, "0")},
        ],
        'graphql' => ['id_salt' => hash_hmac('sha256', ${php(GRAPHQL_SALT_LABEL)}, $cryptKey)],
    ],
    'session' => [
        'save' => 'redis',
        'redis' => [
            'host' => ${redisServer(redis.sessions)},
            'port' => '${REDIS_PORT}',
            'password' => ${redisAuth(redis.sessions)},
            'timeout' => '2.5',
            'persistent_identifier' => '',
            'database' => '${REDIS_DB.session}',
            'compression_threshold' => '2048',
            'compression_library' => 'gzip',
            'log_level' => '1',
            'max_concurrency' => '6',
            'break_after_frontend' => '5',
            'break_after_adminhtml' => '30',
            'first_lifetime' => '600',
            'bot_first_lifetime' => '60',
            'bot_lifetime' => '7200',
            'disable_locking' => '0',
            'min_lifetime' => '60',
            'max_lifetime' => '2592000',
        ],
    ],
    'system' => [
        'default' => [
            'catalog' => [
                'search' => [
                    'engine' => 'opensearch',
                    'opensearch_server_hostname' => 'https://' . ${p("search/host")},
                    'opensearch_server_port' => '443',
                    'opensearch_enable_auth' => '1',
                    'opensearch_username' => ${s("search/credentials/username")},
                    'opensearch_password' => ${s("search/credentials/password")},
                    'opensearch_index_prefix' => ${p("search/index-prefix")},
                    'opensearch_server_timeout' => '15',
                ],
            ],
        ],
    ],
    'deployment' => ['blue_green' => ['enabled' => true]],
    'directories' => ['document_root_is_pub' => true],
    'MAGE_MODE' => 'production',
    'x-frame-options' => 'SAMEORIGIN',
    'install' => ['date' => $previous['install']['date'] ?? date('r')],
    'cache_types' => array_fill_keys(${`[${CACHE_TYPES.map(php).join(", ")}]`}, 1),
];
if ($missing !== []) {
    fail('env.php not written: missing ' . implode(', ', $missing));
}

// Atomic: Magento never reads half a file. Root's, readable by the pool's group, never by the world.
$tmp = tempnam(dirname(TARGET), '.env.php.');
if ($tmp === false
    || file_put_contents($tmp, "<?php\\nreturn " . var_export($config, true) . ";\\n") === false
    || !chown($tmp, 0) || !chgrp($tmp, GROUP) || !chmod($tmp, 0640)
    || !rename($tmp, TARGET)) {
    if ($tmp !== false && is_file($tmp)) {
        unlink($tmp);
    }
    fail('cannot write ' . TARGET . ' as root:' . GROUP . ' 0640');
}
`;
}

/** The renderer and PHP-FPM's drop-in running it before every start (boot's restart, the secrets timer's). */
export function envPhpFiles(redis: RedisUsages): WriteFile[] {
    return [
        { path: ENV_RENDERER, permissions: "0755", content: envPhpScript(redis) },
        {
            path: "/etc/systemd/system/php-fpm.service.d/env-php.conf",
            permissions: "0644",
            // "+": as root whatever user the unit runs as, since it reads the secrets file (systemd.service(5)).
            content: `[Service]\n# env.php from the current parameters and secrets; a missing one keeps PHP-FPM down.\nExecStartPre=+${ENV_RENDERER}\n`,
        },
    ];
}
