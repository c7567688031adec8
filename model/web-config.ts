// The release image's web configuration as text (docs/release-image.md, "What the image provides"): nginx from
// Magento's sample, PHP-FPM's `magento` pool sized from the server's memory when it starts, the php.ini settings
// Magento asks for, and the cron units the back office enables. model/image-components.ts writes these files.
import {
    CRON_SERVICE,
    CRON_TIMER,
    FPM_RESERVED_EXTRA,
    FPM_SIZING_FILE,
    FPM_SOCKET,
    MAGENTO_ROOT,
    MAGENTO_USER,
} from "./release";

/** The image's own units go to the vendor directory: `systemctl mask` (the front end's, on the cron timer) writes a
 *  /dev/null link in /etc/systemd/system and refuses where a unit file already is
 *  (https://www.freedesktop.org/software/systemd/man/latest/systemctl.html#mask%20UNIT%E2%80%A6). */
const VENDOR_UNITS = "/usr/lib/systemd/system";

/** nginx's own user on Amazon Linux 2023 (the nginx package's); it reads pub/ through the magento group. */
export const NGINX_USER = "nginx";

/** Where each file goes on Amazon Linux 2023: nginx reads /etc/nginx, PHP /etc/php.d/*.ini, PHP-FPM
 *  /etc/php-fpm.d/*.conf (the php8.3-fpm package's layout). */
export const WEB_CONFIG_PATHS = {
    nginxMain: "/etc/nginx/nginx.conf",
    nginxServer: "/etc/nginx/conf.d/magento.conf",
    fpmPool: "/etc/php-fpm.d/magento.conf",
    /** The stock pool (user apache, www.sock): removed, so only the sized magento pool takes memory. */
    fpmStockPool: "/etc/php-fpm.d/www.conf",
    phpIni: "/etc/php.d/99-magento.ini",
    fpmSizeScript: "/usr/local/sbin/magento-fpm-size",
    fpmSizeEnv: "/run/magento/fpm-size.env",
    fpmSizeDropIn: "/etc/systemd/system/php-fpm.service.d/magento-size.conf",
    fpmStopDropIn: "/etc/systemd/system/php-fpm.service.d/magento-stop.conf",
    /** PHP's error log for the pool: a directory of the magento user's (AL2023's /var/log/php-fpm may not be). */
    logDir: "/var/log/magento",
    /** The pool's PHP errors, in logDir (the CloudWatch agent ships it: components/compute/cloudwatch-agent.ts). */
    fpmErrorLog: "/var/log/magento/php-fpm-error.log",
    logRotate: "/etc/logrotate.d/magento",
    cronService: `${VENDOR_UNITS}/${CRON_SERVICE}.service`,
    cronTimer: `${VENDOR_UNITS}/${CRON_TIMER}`,
} as const;

/** The variable PHP-FPM substitutes into pm.max_children: php-fpm expands ${VAR} from its environment in its
 *  configuration (https://www.php.net/manual/en/install.fpm.configuration.php), checked with the real php-fpm. */
export const FPM_CHILDREN_VARIABLE = "FPM_MAX_CHILDREN";

/** What one PHP-FPM request may allocate: the 756M of Magento's nginx.conf.sample
 *  (https://github.com/magento/magento2/blob/2.4-develop/nginx.conf.sample), set by the pool as an admin value so no
 *  request or script raises it. */
export const FPM_MEMORY_LIMIT_MIB = 756;

/** How long one request may run (the pool's request_terminate_timeout, nginx's fastcgi_read_timeout). */
export const FPM_REQUEST_TIMEOUT_S = 600;

/** Stopping PHP-FPM: the master waits this long for workers to finish their requests after SIGQUIT, then sends
 *  SIGTERM (process_control_timeout; 0, its default, sends SIGTERM at once: php-src sapi/fpm/fpm/fpm_process_ctl.c,
 *  fpm_pctl_action_next). Short: while it waits, workers have closed the listening socket and new requests, the load
 *  balancer's health checks among them, wait too (fpm_signals.c, sig_soft_quit), and 3 checks 15 s apart failing
 *  would have the server replaced; a request still running after it is cut, as a plain stop would. systemd's stop
 *  timeout is above it, so it never SIGKILLs a finishing request. */
export const FPM_STOP = {
    processControlTimeoutS: 20,
    systemdTimeoutStopS: 40,
} as const;

/** OPcache's shared memory in MiB, which the sizing reserves whole: it fills as Magento's classes are loaded. */
const OPCACHE_MIB = 2048;

/**
 * How the pool is sized, so that all workers at their memory limit at once still fit: workers = (MemTotal - reserved)
 * / FPM_MEMORY_LIMIT_MIB, where reserved is OPcache's whole shared memory (2048 MiB) and 512 MiB for the OS, nginx,
 * sshd/SSM and the CloudWatch agent. 8 GiB (c6i.xlarge, t3.large): (8192 - 2560) / 756 = 7 workers (6 on the ~7.6
 * GiB MemTotal the kernel shows); 16 GiB (m6i.xlarge): (16384 - 2560) / 756 = 18. Most requests use far less than
 * 756M, so this leaves memory to the page cache; no swap, so the budget must hold at the worst. The floor of 2 keeps a
 * server under 4 GiB serving (none of the stacks' types), where the guarantee no longer holds. A server that runs more
 * than the pool (the back office: cron's indexers and queue consumers, CLI runs of up to php.ini's 2G each) keeps
 * FPM_RESERVED_EXTRA_MIB more free, from FPM_SIZING_FILE, which boot writes there (4096: two such runs at their limit):
 * (16384 - 2560 - 4096) / 756 = 12 workers on the back office's m6i.xlarge. The front end's 6 to 7 workers per 8 GiB
 * server are its capacity per server: more takes a larger instance type or more servers.
 */
export const FPM_SIZING = {
    reservedMiB: OPCACHE_MIB + 512,
    perWorkerMiB: FPM_MEMORY_LIMIT_MIB,
    minWorkers: 2,
} as const;

/** Magento's php.ini settings. memory_limit 2G for the CLI runs (setup:di:compile, static content, cron); realpath
 *  cache 10M/7200 s (https://experienceleague.adobe.com/docs/commerce-operations/implementation-playbook/best-practices/planning/realpath-cache-size.html);
 *  OPcache 2 GB (https://experienceleague.adobe.com/docs/commerce-operations/implementation-playbook/best-practices/planning/opcache-memory-size.html),
 *  no timestamp checks since the code never changes on an image (a release is a new image), comments kept for
 *  Magento's annotations (https://www.php.net/manual/en/opcache.configuration.php). */
export const PHP_INI_SETTINGS: Readonly<Record<string, string>> = {
    memory_limit: "2G",
    max_execution_time: "600",
    realpath_cache_size: "10M",
    realpath_cache_ttl: "7200",
    "date.timezone": "UTC",
    expose_php: "Off",
    "opcache.enable": "1",
    "opcache.enable_cli": "0",
    "opcache.memory_consumption": String(OPCACHE_MIB),
    "opcache.interned_strings_buffer": "32",
    "opcache.max_accelerated_files": "100000",
    "opcache.validate_timestamps": "0",
    "opcache.save_comments": "1",
    "opcache.consistency_checks": "0",
};

export function phpIni(): string {
    return [
        "; Magento's PHP settings (model/web-config.ts): the code is immutable on a release image.",
        ...Object.entries(PHP_INI_SETTINGS).map(([k, v]) => `${k} = ${v}`),
        "",
    ].join("\n");
}

/** Which Unix users the files name: the contract's on a server; tests run the real tools with users of their host. */
export interface WebUsers {
    readonly magento: string;
    readonly nginx: string;
}
const SERVER_USERS: WebUsers = { magento: MAGENTO_USER, nginx: NGINX_USER };

/** nginx's main configuration: replaces the package's, whose default server would answer beside Magento's. Relative
 *  includes resolve against the configuration's own folder, so the tests run it from a temporary one. */
export function nginxMainConfig(users: WebUsers = SERVER_USERS): string {
    return `# nginx for Magento (model/web-config.ts); the server is conf.d/magento.conf.
user ${users.nginx};
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /run/nginx.pid;

events {
    worker_connections 4096;
}

http {
    include mime.types;
    default_type application/octet-stream;
    log_format main '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                    '"$http_referer" "$http_user_agent" "$http_x_forwarded_for" $request_time';
    access_log /var/log/nginx/access.log main;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    client_max_body_size 64m;
    include conf.d/*.conf;
}
`;
}

/** Locations PHP runs from: Magento's entry points only (the sample's list), never an uploaded file. */
const PHP_ENTRY_POINTS = "index|get|static|errors/report|errors/404|errors/503|health_check";

/**
 * The Magento server, written from Magento's nginx.conf.sample
 * (https://github.com/magento/magento2/blob/2.4-develop/nginx.conf.sample): docroot pub/, its static and media
 * locations and entry points. Left out: /setup and /update (the web setup wizard; the front end never runs setup:*).
 * Production mode: static files expire max, as the sample says to do in production.
 */
export function nginxServerConfig(): string {
    const media = "ico|jpg|jpeg|png|gif|svg|svgz|webp|avif|avifs|js|css|eot|ttf|otf|woff|woff2";
    const cacheable = `${media}|html|json|webmanifest`;
    const noStore = "zip|gz|gzip|bz2|csv|xml";
    const staticFallback = "rewrite ^/static/(version\\d*/)?(.*)$ /static.php?resource=$2 last;";
    return `# Magento 2 (model/web-config.ts, from Magento's nginx.conf.sample).
upstream fastcgi_backend {
    server unix:${FPM_SOCKET};
}

server {
    listen 80 default_server;
    set $MAGE_ROOT ${MAGENTO_ROOT};
    root $MAGE_ROOT/pub;

    index index.php;
    autoindex off;
    charset UTF-8;
    error_page 404 403 = /errors/404.php;

    location /.user.ini {
        deny all;
    }

    location / {
        try_files $uri $uri/ /index.php$is_args$args;
    }

    location /pub/ {
        location ~ ^/pub/media/(downloadable|customer|import|custom_options|theme_customization/.*\\.xml) {
            deny all;
        }
        alias $MAGE_ROOT/pub/;
        add_header X-Frame-Options "SAMEORIGIN";
    }

    location /static/ {
        expires max;
        location ~ ^/static/version\\d*/ {
            rewrite ^/static/version\\d*/(.*)$ /static/$1 last;
        }
        location ~* \\.(${cacheable})$ {
            add_header Cache-Control "public";
            add_header X-Frame-Options "SAMEORIGIN";
            expires +1y;
            if (!-f $request_filename) {
                ${staticFallback}
            }
        }
        location ~* \\.(${noStore})$ {
            add_header Cache-Control "no-store";
            add_header X-Frame-Options "SAMEORIGIN";
            expires off;
            if (!-f $request_filename) {
                ${staticFallback}
            }
        }
        if (!-f $request_filename) {
            ${staticFallback}
        }
        add_header X-Frame-Options "SAMEORIGIN";
    }

    location /media/ {
        try_files $uri $uri/ /get.php$is_args$args;
        location ~ ^/media/theme_customization/.*\\.xml {
            deny all;
        }
        location ~* \\.(${media})$ {
            add_header Cache-Control "public";
            add_header X-Frame-Options "SAMEORIGIN";
            expires +1y;
            try_files $uri $uri/ /get.php$is_args$args;
        }
        location ~* \\.(${noStore})$ {
            add_header Cache-Control "no-store";
            add_header X-Frame-Options "SAMEORIGIN";
            expires off;
            try_files $uri $uri/ /get.php$is_args$args;
        }
        add_header X-Frame-Options "SAMEORIGIN";
    }

    location /media/customer/ {
        deny all;
    }
    location /media/downloadable/ {
        deny all;
    }
    location /media/import/ {
        deny all;
    }
    location /media/custom_options/ {
        deny all;
    }
    location /errors/ {
        location ~* \\.xml$ {
            deny all;
        }
    }

    location ~ ^/(${PHP_ENTRY_POINTS})\\.php$ {
        try_files $uri =404;
        fastcgi_pass fastcgi_backend;
        fastcgi_buffers 16 16k;
        fastcgi_buffer_size 32k;
        fastcgi_param PHP_FLAG "session.auto_start=off \\n suhosin.session.cryptua=off";
        # The sample's memory_limit is the pool's admin value (fpmPool), which a PHP_VALUE cannot change.
        fastcgi_param PHP_VALUE "max_execution_time=18000";
        fastcgi_read_timeout ${FPM_REQUEST_TIMEOUT_S}s;
        fastcgi_connect_timeout ${FPM_REQUEST_TIMEOUT_S}s;
        fastcgi_index index.php;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        include fastcgi_params;
    }

    gzip on;
    gzip_comp_level 6;
    gzip_min_length 1100;
    gzip_buffers 16 8k;
    gzip_proxied any;
    gzip_types text/plain text/css text/js text/xml text/javascript application/javascript application/x-javascript
        application/json application/xml application/xml+rss image/svg+xml;
    gzip_vary on;

    location ~* (\\.php$|\\.phtml$|\\.htaccess$|\\.htpasswd$|\\.git) {
        deny all;
    }
}
`;
}

/** PHP-FPM's magento pool: runs as the magento user, listens on FPM_SOCKET for nginx only, as many workers as the
 *  sizing script computed at start (static: the server runs nothing else, its memory is budgeted up front). Its
 *  [global] part makes a stop wait for running requests (FPM_STOP); php-fpm reads [global] in included files too. */
export function fpmPool(users: WebUsers = SERVER_USERS): string {
    return `; Magento's pool (model/web-config.ts). pm.max_children comes from ${WEB_CONFIG_PATHS.fpmSizeScript} at start.
[global]
process_control_timeout = ${FPM_STOP.processControlTimeoutS}s

[magento]
user = ${users.magento}
group = ${users.magento}
listen = ${FPM_SOCKET}
listen.owner = ${users.nginx}
listen.group = ${users.nginx}
listen.mode = 0660
pm = static
pm.max_children = \${${FPM_CHILDREN_VARIABLE}}
pm.max_requests = 1000
request_terminate_timeout = ${FPM_REQUEST_TIMEOUT_S}s
catch_workers_output = yes
; Workers see no environment: Magento reads its connections from env.php, never from variables.
clear_env = yes
php_admin_value[memory_limit] = ${FPM_MEMORY_LIMIT_MIB}M
php_admin_flag[log_errors] = on
php_admin_value[error_log] = ${WEB_CONFIG_PATHS.fpmErrorLog}
`;
}

/** The sizing script (bash): writes FPM_CHILDREN_VARIABLE from MemTotal. Arguments for the tests: a meminfo file
 *  and the output file, defaulting to the server's. */
export function fpmSizeScript(): string {
    const { reservedMiB, perWorkerMiB, minWorkers } = FPM_SIZING;
    return `#!/bin/bash
# Sizes PHP-FPM's magento pool from this server's memory (model/web-config.ts): one image, many instance sizes.
set -euo pipefail
meminfo=\${1:-/proc/meminfo}
out=\${2:-${WEB_CONFIG_PATHS.fpmSizeEnv}}
total_kib=$(awk '$1 == "MemTotal:" { print $2 }' "$meminfo")
if [ -z "$total_kib" ]; then
  echo "no MemTotal in $meminfo" >&2
  exit 1
fi
extra=\${${FPM_RESERVED_EXTRA}:-0}
case "$extra" in ''|*[!0-9]*) echo "${FPM_RESERVED_EXTRA}='$extra' is not a number of MiB" >&2; exit 1 ;; esac
workers=$(( (total_kib / 1024 - ${reservedMiB} - extra) / ${perWorkerMiB} ))
if [ "$workers" -lt ${minWorkers} ]; then
  workers=${minWorkers}
fi
mkdir -p "$(dirname "$out")"
printf '${FPM_CHILDREN_VARIABLE}=%s\\n' "$workers" > "$out.tmp"
mv "$out.tmp" "$out"
`;
}

/** The php-fpm drop-in: size before each start, and hand the value to the master. systemd reads EnvironmentFile=
 *  after the previous unit state's processes ended, so the file ExecStartPre= writes reaches ExecStart=; `-`
 *  because it does not exist yet when ExecStartPre= itself starts
 *  (https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#EnvironmentFile=). */
export function fpmSizeDropIn(): string {
    return `[Service]
ExecStartPre=${WEB_CONFIG_PATHS.fpmSizeScript}
EnvironmentFile=-${FPM_SIZING_FILE}
EnvironmentFile=-${WEB_CONFIG_PATHS.fpmSizeEnv}
`;
}

/** php-fpm stops gracefully on SIGQUIT only: SIGTERM, systemd's default, is immediate termination (php-fpm(8),
 *  "Signals", https://github.com/php/php-src/blob/master/sapi/fpm/php-fpm.8.in). The workers finish their requests
 *  within FPM_STOP; systemd waits longer before its SIGKILL
 *  (https://www.freedesktop.org/software/systemd/man/latest/systemd.kill.html#KillSignal=,
 *  https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#TimeoutStopSec=). */
export function fpmStopDropIn(): string {
    return `[Service]
KillSignal=SIGQUIT
TimeoutStopSec=${FPM_STOP.systemdTimeoutStopS}
`;
}

/** Magento's cron as a systemd service and timer, every minute as Magento asks for
 *  (https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/cli/configure-cron-jobs.html);
 *  a oneshot service never overlaps itself. KillMode=process: only cron:run itself is stopped with the unit, the
 *  groups it started run on as under crond, Magento's per-group locks keeping two runs of a group apart
 *  (https://www.freedesktop.org/software/systemd/man/latest/systemd.kill.html#KillMode=). Wants= with After=: ordering
 *  alone pulls nothing in (https://systemd.io/NETWORK_ONLINE/). The image installs the timer disabled: boot enables it
 *  on the back office, and adds its mounts drop-in to CRON_SERVICE. */
export function cronUnits(users: WebUsers = SERVER_USERS): { service: string; timer: string } {
    return {
        service: `[Unit]
Description=Magento cron (bin/magento cron:run)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
# cron:run starts the separate-process groups (index, consumers) in the background and exits: stopping the unit
# must not kill them with its control group (systemd.kill(5), KillMode=).
KillMode=process
User=${users.magento}
Group=${users.magento}
WorkingDirectory=${MAGENTO_ROOT}
ExecStart=/usr/bin/php ${MAGENTO_ROOT}/bin/magento cron:run
`,
        timer: `[Unit]
Description=Run Magento cron every minute (enabled by boot on the back office only)

[Timer]
OnCalendar=*-*-* *:*:00
AccuracySec=1s

[Install]
WantedBy=timers.target
`,
    };
}

/** logrotate for the pool's error log (nothing else rotates its directory): weekly, 4 kept, as the magento user owns
 *  it; copytruncate, since PHP-FPM's workers keep the file open (logrotate(8): su, copytruncate,
 *  https://man7.org/linux/man-pages/man8/logrotate.8.html). */
export function logRotateConfig(): string {
    return `${WEB_CONFIG_PATHS.logDir}/*.log {
    su ${MAGENTO_USER} ${MAGENTO_USER}
    weekly
    rotate 4
    compress
    missingok
    notifempty
    copytruncate
}
`;
}
