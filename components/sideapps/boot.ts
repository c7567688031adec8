// What a side application's server does at boot (docs/sideapps.md, "Release"): install nginx and PHP-FPM from the
// stock image's repositories, fetch the release the stack's parameter names from the config bucket (checked against its
// checksum), unpack it owned by root and readable by the application's own user, write its database credentials from
// Secrets Manager, update its schema with its own code, then serve. Nothing it writes is world-readable or -writable.
import { CloudConfig, INSTALL_PACKAGES, installPackagesFile, WriteFile } from "../compute/cloud-init";
import { AGENT_PACKAGES, AgentBoot } from "../compute/cloudwatch-agent";
import { rdsCaBundle } from "../web/web-boot";
import { WEB_PORT } from "../web/load-balancer";
import { FTP_LAYOUT, ftpBoot, FtpBootArgs } from "./ftp-boot";

/** What the release's tarball holds (docs/sideapps.md, "The package"). */
export const RELEASE_LAYOUT = {
    /** The document root nginx serves, PHP through the application's pool. */
    docroot: "public",
    /** The front controller in the document root: the one script nginx passes to the pool (every route reaches it). */
    frontController: "index.php",
    /** Brings the schema to this release's, idempotent; run as the application's user before it serves. */
    migrate: "bin/migrate",
} as const;

/** The health check's path: the application answers 200 once it reaches its database. */
export const HEALTH_PATH = "/health";

export interface SideAppBootArgs {
    /** The application's name: its Unix user and group, its directories, its pool. */
    readonly app: string;
    readonly region: string;
    /**
     * Its parameters' path (docs/sideapps.md): `release`, the version an operator names (`1.4.2`: sideapps/<app>/1.4.2.tar.gz
     * and its .sha256 in `bucket`), and those the program writes: `bucket`, `db/host`, `db/name`, `db/secret-arn` (the
     * secret of its database user: {"username", "password"}). Read at boot, so that the user data holds no value AWS
     * assigns and a preview shows it whole.
     */
    readonly parameterPath: string;
    /** A job run every few minutes while this server holds the application's lock in MySQL. */
    readonly cron?: { readonly onCalendar: string; readonly command: string };
    /** Its CloudWatch agent (components/compute/cloudwatch-agent.ts), started before anything that may fail. */
    readonly agent: AgentBoot;
    /** An FTP drop beside it (the order connector's: ftp-boot.ts), set up once its release is deployed. */
    readonly ftp?: Omit<FtpBootArgs, "app" | "region" | "parameterPath" | "healthUrl">;
}

/** Where an application's releases are in the bucket, and one release's tarball (its checksum beside it, `.sha256`). */
export const releasePrefix = (app: string) => `sideapps/${app}/`;
export const releaseKey = (app: string, version: string) => `${releasePrefix(app)}${version}.tar.gz`;

const DEPLOY = "/usr/local/sbin/sideapp-deploy";
const LOCKED = "/usr/local/sbin/sideapp-locked";

export function sideAppBootConfig(args: SideAppBootArgs): CloudConfig {
    const { app } = args;
    const ca = rdsCaBundle(args.region);
    const settings = `/etc/sideapps/${app}`;
    const ftp =
        args.ftp &&
        ftpBoot(
            {
                ...args.ftp,
                app,
                region: args.region,
                parameterPath: args.parameterPath,
                healthUrl: `http://127.0.0.1:${WEB_PORT}${HEALTH_PATH}`,
            },
            parameterReader(),
        );
    return {
        write_files: [
            installPackagesFile(),
            { path: DEPLOY, permissions: "0755", content: deployScript(args, ca.path) },
            {
                path: `/etc/nginx/conf.d/${app}.conf`,
                permissions: "0644",
                content: nginxConfig(app, ftp ? FTP_LAYOUT.servedAt : undefined),
            },
            { path: `/etc/php-fpm.d/${app}.conf`, permissions: "0644", content: poolConfig(app, settings) },
            ...(args.cron ? cronFiles(app, args.cron, settings) : []),
            ...(ftp?.files ?? []),
            ...args.agent.files,
        ],
        runcmd: [
            // cloud-init runs runcmd as one /bin/sh script, whose status is its last command's, going on after a
            // failure (canonical/cloud-init issue 7037): with -e the first failing step ends the boot, so a failed
            // deploy never starts the FTP drop nor claims its name.
            ["set", "-e"],
            [INSTALL_PACKAGES, ...AGENT_PACKAGES],
            ...args.agent.runcmd,
            [
                INSTALL_PACKAGES,
                ...["nginx", "php8.3-fpm", "php8.3-mysqlnd", "php8.3-cli", "jq", "mariadb105"],
                ...(ftp ? ["vsftpd", "openssl"] : []),
            ],
            ["curl", "-fsS", "--retry", "5", "--create-dirs", "-o", ca.path, ca.url],
            [DEPLOY],
            ...(ftp?.runcmd ?? []),
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", "php-fpm", "nginx"],
            ...(args.cron ? [["systemctl", "enable", "--now", `${app}-cron.timer`]] : []),
            ...(ftp?.claim ?? []),
        ],
    };
}

/** Shell lines reading the parameters below $path in $region once, and `param KEY` printing one (failing when absent). */
function parameterReader(): string {
    return [
        `params=$(aws ssm get-parameters-by-path --region "$region" --path "$path" --recursive --query 'Parameters[].{n:Name,v:Value}' --output json)`,
        'param() { jq -er --arg n "$path/$1" \'.[] | select(.n == $n) | .v\' <<<"$params"; }',
    ].join("\n");
}

function deployScript(args: SideAppBootArgs, caPath: string): string {
    const { app } = args;
    return [
        "#!/bin/bash",
        `# Deploys ${app}'s release at boot: the version the stack's parameter names, from the config bucket, checked.`,
        "set -euo pipefail",
        "umask 027",
        `app=${app}`,
        `region=${args.region}`,
        `path=${args.parameterPath}`,
        parameterReader(),
        "version=$(param release)",
        'case "$version" in',
        "  '' | *[!A-Za-z0-9._-]* | .*) echo \"release parameter holds '$version', not a version\" >&2; exit 1 ;;",
        "esac",
        "bucket=$(param bucket)",
        "host=$(param db/host)",
        "database=$(param db/name)",
        "secret_arn=$(param db/secret-arn)",
        "",
        "# The application's own user: it owns only what it writes (var/); its code is root's, readable by its group.",
        'id "$app" >/dev/null 2>&1 || useradd --system --user-group --home-dir "/var/lib/$app" --shell /sbin/nologin "$app"',
        'usermod -a -G "$app" nginx # nginx reads the document root through the group',
        "",
        "work=$(mktemp -d)",
        "trap 'rm -rf \"$work\"' EXIT",
        `aws s3 cp --region "$region" "s3://$bucket/${releaseKey(app, "$version")}" "$work/release.tar.gz"`,
        `aws s3 cp --region "$region" "s3://$bucket/${releaseKey(app, "$version")}.sha256" "$work/release.sha256"`,
        'echo "$(cut -d " " -f 1 "$work/release.sha256")  $work/release.tar.gz" | sha256sum --check --quiet',
        'release="/opt/$app/releases/$version"',
        'install -d -o root -g "$app" -m 0750 "/opt/$app" "/opt/$app/releases" "$release"',
        'tar -xzf "$work/release.tar.gz" -C "$release" --no-same-owner --no-same-permissions',
        'chown -R root:"$app" "$release"',
        'chmod -R u=rwX,g=rX,o= "$release"',
        'install -d -o "$app" -g "$app" -m 0750 "/var/lib/$app" "/var/lib/$app/var"',
        'ln -sfn "/var/lib/$app/var" "$release/var"',
        'ln -sfn "$release" "/opt/$app/current"',
        "",
        "# The database user's credentials, readable by the application alone: a JSON file for its code, an option file",
        "# for the MySQL client (the lock of its cron job).",
        'install -d -o root -g "$app" -m 0750 "/etc/sideapps/$app"',
        'secret=$(aws secretsmanager get-secret-value --region "$region" --secret-id "$secret_arn" --query SecretString --output text)',
        `jq -n --argjson s "$secret" --arg host "$host" --arg name "$database" --arg ca ${caPath} \\`,
        "    '$s + {host: $host, port: 3306, name: $name, ssl_ca: $ca}' \\",
        '    | install -o root -g "$app" -m 0640 /dev/stdin "/etc/sideapps/$app/database.json"',
        'jq -r \'"[client]", "user=\\(.username)", (to_entries[] | select(.key == "password") | "\\(.key)=\\(.value)")\' <<<"$secret" \\',
        '    | install -o root -g "$app" -m 0640 /dev/stdin "/etc/sideapps/$app/my.cnf"',
        `printf 'host=%s\\ndatabase=%s\\nssl-ca=%s\\nssl-verify-server-cert\\n' "$host" "$database" ${caPath} >>"/etc/sideapps/$app/my.cnf"`,
        "",
        "# The schema this release expects, by its own code, before it serves (the health check waits for it).",
        `runuser -u "$app" -- env SIDEAPP_DATABASE="/etc/sideapps/$app/database.json" "$release/${RELEASE_LAYOUT.migrate}"`,
        "rm -f /etc/php-fpm.d/www.conf # the stock pool runs as apache; only the application's pool serves",
        "",
    ].join("\n");
}

/**
 * The application's server block. Only its front controller runs: an exact location, the one that reaches the pool
 * (`=` locations win before any other, http://nginx.org/en/docs/http/ngx_http_core_module.html#location); any other
 * `.php` is a 404, so a script someone else wrote into the document root never runs. `uploads`, a directory another
 * user writes (the FTP drop's), is served as files alone: `^~` stops nginx looking at regular expressions for it,
 * scripts there are a 404, and only passive types keep theirs, everything else (HTML, SVG, JS, XML) is
 * application/octet-stream with `nosniff`, so a browser downloads it instead of running it on the application's origin
 * (http://nginx.org/en/docs/http/ngx_http_core_module.html#types).
 */
/** Script names PHP runs (.php, .php5, .phtml, .phar, .pht), refused wherever the request is not the front controller. */
const SCRIPT_NAMES = "\\.(php\\d?|phtml|phar|pht)$";

function nginxConfig(app: string, uploads?: string): string {
    const front = `/${RELEASE_LAYOUT.frontController}`;
    return [
        `# ${app} behind the load balancer (TLS ends there): its front controller alone through its own pool.`,
        "server {",
        `    listen ${WEB_PORT} default_server;`,
        `    root /opt/${app}/current/${RELEASE_LAYOUT.docroot};`,
        `    index ${RELEASE_LAYOUT.frontController};`,
        "    location / {",
        `        try_files $uri ${front}$is_args$args;`,
        "    }",
        `    location = ${front} {`,
        "        include fastcgi_params;",
        "        fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;",
        `        fastcgi_pass unix:/run/php-fpm/${app}.sock;`,
        "    }",
        `    location ~* ${SCRIPT_NAMES} {`,
        "        return 404;",
        "    }",
        ...(uploads === undefined
            ? []
            : [
                  `    # Uploads (the FTP drop's): files only, never code; active content as a download.`,
                  `    location ^~ /${uploads}/ {`,
                  "        types {",
                  "            image/jpeg jpg jpeg;",
                  "            image/png png;",
                  "            image/gif gif;",
                  "            image/webp webp;",
                  "            application/pdf pdf;",
                  "            text/plain txt csv;",
                  "        }",
                  "        default_type application/octet-stream;",
                  "        add_header X-Content-Type-Options nosniff always;",
                  `        location ~* ${SCRIPT_NAMES} {`,
                  "            return 404;",
                  "        }",
                  "    }",
              ]),
        "}",
        "",
    ].join("\n");
}

function poolConfig(app: string, settings: string): string {
    return [
        `; ${app}'s PHP-FPM pool, as its own user; nginx alone may use the socket.`,
        `[${app}]`,
        `user = ${app}`,
        `group = ${app}`,
        `listen = /run/php-fpm/${app}.sock`,
        "listen.owner = nginx",
        "listen.group = nginx",
        "listen.mode = 0660",
        "pm = dynamic",
        "pm.max_children = 10",
        "pm.start_servers = 2",
        "pm.min_spare_servers = 1",
        "pm.max_spare_servers = 3",
        `env[SIDEAPP_DATABASE] = ${settings}/database.json`,
        "",
    ].join("\n");
}

/**
 * The job as a systemd timer (AL2023 ships no cron daemon), run through a MySQL named lock: a one-server group still
 * runs two servers for a while when it replaces one (an instance refresh launches first, AZ rebalancing too), and
 * the lock lets one of them run the job. GET_LOCK's lock is the session's and goes with it when the session ends,
 * normally or not (https://dev.mysql.com/doc/refman/8.4/en/locking-functions.html): a server that dies mid-job
 * frees it.
 */
function cronFiles(app: string, cron: { onCalendar: string; command: string }, settings: string): WriteFile[] {
    return [
        {
            path: LOCKED,
            permissions: "0755",
            content: [
                "#!/bin/bash",
                "# Runs a command while this session holds MySQL's named lock <lock>; exits 0 without running it when another does.",
                "# usage: sideapp-locked <mysql option file> <lock> <command...>",
                "set -euo pipefail",
                "options=$1 lock=$2",
                "shift 2",
                'coproc DB { mysql --defaults-extra-file="$options" --batch --skip-column-names; }',
                'printf "SELECT GET_LOCK(\'%s\', 0);\\n" "$lock" >&"${DB[1]}"',
                'read -r held <&"${DB[0]}"',
                'if [ "$held" != 1 ]; then',
                '  echo "lock $lock is held by another server: not running $*"',
                "  exit 0",
                "fi",
                '"$@"',
                "",
            ].join("\n"),
        },
        {
            path: `/etc/systemd/system/${app}-cron.service`,
            permissions: "0644",
            content: [
                "[Unit]",
                `Description=${app}'s job, on one server at a time`,
                "[Service]",
                "Type=oneshot",
                `User=${app}`,
                `Group=${app}`,
                `Environment=SIDEAPP_DATABASE=${settings}/database.json`,
                `ExecStart=${LOCKED} ${settings}/my.cnf ${app}-cron /opt/${app}/current/${cron.command}`,
                "",
            ].join("\n"),
        },
        {
            path: `/etc/systemd/system/${app}-cron.timer`,
            permissions: "0644",
            content: [
                "[Unit]",
                `Description=${app}'s job every few minutes`,
                "[Timer]",
                `OnCalendar=${cron.onCalendar}`,
                "[Install]",
                "WantedBy=timers.target",
                "",
            ].join("\n"),
        },
    ];
}
