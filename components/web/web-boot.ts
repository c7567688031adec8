// What a Magento web server does at boot, as cloud-config: mount the shared folders at their Magento paths (never
// pub/static, which ships in the image with the release), then read the stack's parameters from SSM into an
// environment file the image's services load, and the secrets those parameters name into another, re-read every 15
// minutes so a rotated credential reaches PHP-FPM, and Magento's env.php rendered from both (env-php.ts). No secret is
// in the user data: servers fetch them with their role. The front end and the back office differ in their mounts and in
// cron alone: the back office enables the image's cron timer, the front end masks it. Neither runs `setup:*` (the
// release's upgrade runs from the release runner). cloud-init runs all this at the first boot only; a server started
// again (out of the warm pool, or rebooted) re-reads its parameters and secrets before it serves, and one whose group
// has a launch hook reports its boot to it (magento-ready), at its first boot and whenever it is started again.
import { CloudConfig, WriteFile } from "../compute/cloud-init";
import type { AgentBoot } from "../compute/cloudwatch-agent";
import { requiresMountsDropIn } from "../compute/data-volumes";
import { planShares, Share } from "../storage/shares";
import type { ShareSource } from "../storage/shared-storage";
import {
    CRON_SERVICE,
    CRON_TIMER,
    FPM_RESERVED_EXTRA,
    FPM_SIZING_FILE,
    MAGENTO_ROOT,
    PARAMETERS_FILE,
    SECRETS_FILE,
} from "../../model/release";
import { envPhpFiles, RedisUsages } from "./env-php";

// The image's side of the contract (model/release.ts): where Magento is, the env files the image's units load
// (SECRETS_FILE holds <NAME>_<FIELD> for a JSON secret's fields, db/secret-arn giving DB_USERNAME and DB_PASSWORD,
// and <NAME> for a plain one).
export { MAGENTO_ROOT, PARAMETERS_FILE, SECRETS_FILE };

/** RDS's CA bundle for the region, which MySQL's certificate chains to: the release points Magento at the file
 *  (parameter db/ssl-ca). https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html */
export function rdsCaBundle(region: string): { readonly url: string; readonly path: string } {
    return {
        url: `https://truststore.pki.rds.amazonaws.com/${region}/${region}-bundle.pem`,
        path: `/etc/pki/rds/${region}-bundle.pem`,
    };
}

/** How often servers re-read their secrets: far inside a rotation's grace (the previous user works a month). */
const REREAD_MINUTES = 15;

/** What a web server does besides serving: the back office runs Magento's cron, the front end never does. */
export type WebRole = "frontend" | "backoffice";

export interface WebBootArgs {
    readonly role: WebRole;
    /** Which Redis group holds the cache and which the sessions (env-php.ts's redisUsages). */
    readonly redis: RedisUsages;
    /** Each shared folder with its source. */
    readonly mounts: readonly { readonly share: Share; readonly source: ShareSource }[];
    /** SSM path of the stack's parameters, e.g. /magento/prod. */
    readonly parameterPath: string;
    readonly region: string;
    /** The group's launch hook (web-group.ts, launchHookName), which magento-ready completes; absent: none. */
    readonly launchHook?: string;
    /** Its CloudWatch agent (the image has the package): started first, so a boot that fails later is shipped. */
    readonly agent: AgentBoot;
}

/** Mount options of each kind of share, in one place. _netdev: wait for the network; noresvport: reconnect on a new
 *  port after a network blip (AWS's advice; the NFS server's exports are `insecure` to accept it); iam: the EFS mount
 *  helper signs the mount with the instance role, so the file system policy can tell the tiers apart
 *  (https://docs.aws.amazon.com/efs/latest/ug/mounting-IAM-option.html; needs tls). */
export const MOUNT_OPTIONS = {
    efs: ["_netdev", "noresvport", "tls", "iam"],
    nfs: ["_netdev", "noresvport", "hard", "timeo=600", "retrans=2"],
} as const;

/** One /etc/fstab entry as cloud-init's `mounts` module takes it. */
function fstabEntry(share: Share, source: ShareSource): string[] {
    const target = `${MAGENTO_ROOT}/${share.mountPath}`;
    return source.kind === "efs"
        ? [
              `${source.fileSystemId}:/`,
              target,
              "efs",
              [...MOUNT_OPTIONS.efs, `accesspoint=${source.accessPointId}`].join(","),
              "0",
              "0",
          ]
        : [`${source.host}:${source.exportPath}`, target, "nfs4", MOUNT_OPTIONS.nfs.join(","), "0", "0"];
}

/** What a parameter's value may hold: what systemd's EnvironmentFile= and a POSIX shell's `.` both read unquoted as
 *  the same text (no quotes, spaces, `$`, backslash or `#`). RDS-managed secret names hold `!` (`rds!db-...`). */
export const PARAMETER_VALUE = "A-Za-z0-9._:/@+=,!-";

/**
 * A bash script (checked by shellcheck in the tests) writing every parameter below the path as KEY=value, one a line.
 * Readers: the image's PHP-FPM and cron units (systemd EnvironmentFile=) and shell scripts that source it. A value
 * outside PARAMETER_VALUE stops the boot with its name instead of being quoted one way for one reader and read another
 * way by the other (printf %q wrote `rds\!db-...`, which systemd kept with its backslash).
 */
export function parametersScript(parameterPath: string, region: string): string {
    if (!/^\/[A-Za-z0-9_/-]+$/.test(parameterPath) || !/^[a-z0-9-]+$/.test(region)) {
        throw new Error(
            `parameter path '${parameterPath}' or region '${region}' has characters that would need quoting`,
        );
    }
    return [
        "#!/bin/bash",
        "# Reads the stack's parameters (names relative to the path, upper-cased, '/' and '-' as '_') into an env file.",
        "set -euo pipefail",
        `path=${parameterPath}`,
        `out=${PARAMETERS_FILE}`,
        "umask 077",
        'mkdir -p "$(dirname "$out")"',
        `aws ssm get-parameters-by-path --region ${region} --path "$path" --recursive --query 'Parameters[].[Name,Value]' --output text |`,
        "  while IFS=$'\\t' read -r name value; do",
        '    key=${name#"$path"/}',
        "    key=${key//[\\/-]/_}",
        '    case "$value" in',
        `      ''|*[!${PARAMETER_VALUE}]*) echo "parameter $name: its value must be made of ${PARAMETER_VALUE}" >&2; exit 1 ;;`,
        "    esac",
        '    printf \'%s=%s\\n\' "${key^^}" "$value"',
        '  done > "$out.tmp"',
        'mv "$out.tmp" "$out"',
        "",
    ].join("\n");
}

/**
 * A bash script (checked by shellcheck) writing the secrets that PARAMETERS_FILE's *_SECRET_ARN entries name into
 * SECRETS_FILE; with `restart`, restarting PHP-FPM when the file changed: systemd reads EnvironmentFile= only when it
 * starts a unit (systemd.exec(5)), a reload would keep the old values, and PHP-FPM's start renders env.php anew
 * (env-php.ts), whose new workers start with an empty OPcache. It restarts a failed PHP-FPM too (`try-restart` "does
 * nothing if units are not running": https://www.freedesktop.org/software/systemd/man/latest/systemctl.html), once
 * boot has enabled it. At the first boot (no mode) a secret not written yet (the setup job has not run) is skipped
 * with a message and picked up by a later run; in `restart` mode, and in `start` mode (a later boot, before PHP-FPM
 * starts: magento-refresh), an unreadable secret (a Secrets Manager blip) stops the run and leaves the file as it was,
 * so that the renderer never sees it without that secret. A value outside PARAMETER_VALUE stops it.
 */
export function secretsScript(region: string): string {
    return [
        "#!/bin/bash",
        "# Reads the secrets the parameters name into an env file; restarts PHP-FPM on a change when asked to.",
        "set -euo pipefail",
        `in=${PARAMETERS_FILE}`,
        `out=${SECRETS_FILE}`,
        "mode=${1:-}",
        "umask 077",
        "trap 'rm -f \"$out.tmp\"' EXIT",
        ': > "$out.tmp"',
        "while IFS='=' read -r key arn; do",
        '  case "$key" in *_SECRET_ARN) ;; *) continue ;; esac',
        "  name=${key%_SECRET_ARN}",
        `  if ! value=$(aws secretsmanager get-secret-value --region ${region} --secret-id "$arn" --query SecretString --output text 2>/dev/null); then`,
        '    if [ -n "$mode" ]; then',
        '      echo "secret $key: not readable; $out left as it was" >&2',
        "      exit 1",
        "    fi",
        '    echo "secret $key: no value readable yet; skipped until the next run" >&2',
        "    continue",
        "  fi",
        '  if jq -e \'type == "object"\' > /dev/null 2>&1 <<<"$value"; then',
        '    lines=$(jq -r --arg n "$name" \'to_entries[] | "\\($n)_\\(.key | ascii_upcase)=\\(.value)"\' <<<"$value")',
        "  else",
        '    lines="$name=$value"',
        "  fi",
        "  while IFS= read -r line; do",
        '    case "${line%%=*}" in \'\'|*[!A-Z0-9_]*) echo "secret $key: field ${line%%=*} is not a variable name" >&2; exit 1 ;; esac',
        `    case "\${line#*=}" in ''|*[!${PARAMETER_VALUE}]*) echo "secret $key: its values must be made of ${PARAMETER_VALUE}" >&2; exit 1 ;; esac`,
        "    printf '%s\\n' \"$line\"",
        '  done <<<"$lines" >> "$out.tmp"',
        'done < "$in"',
        'if cmp -s "$out.tmp" "$out"; then',
        "  exit 0",
        "fi",
        'mv "$out.tmp" "$out"',
        'if [ "$mode" = restart ] && systemctl is-enabled -q php-fpm; then',
        "  systemctl restart php-fpm",
        "fi",
        "",
    ].join("\n");
}

/** The timer re-reading parameters and secrets; spread over 5 minutes so the servers do not restart together. */
function rereadUnits(): WriteFile[] {
    return [
        {
            path: "/etc/systemd/system/magento-secrets.service",
            permissions: "0644",
            content: `[Unit]\nDescription=Re-read Magento's parameters and secrets\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/magento-parameters\nExecStart=/usr/local/sbin/magento-secrets restart\n`,
        },
        {
            path: "/etc/systemd/system/magento-secrets.timer",
            permissions: "0644",
            content: `[Unit]\nDescription=Re-read Magento's secrets every ${REREAD_MINUTES} minutes\n\n[Timer]\nOnBootSec=${REREAD_MINUTES}min\nOnUnitActiveSec=${REREAD_MINUTES}min\nRandomizedDelaySec=5min\n\n[Install]\nWantedBy=timers.target\n`,
        },
    ];
}

/** The units that serve the shop: they start only once every shared folder is mounted (web-boot's drop-ins). */
export const WEB_SERVICES = ["php-fpm", "nginx"];

/**
 * What a server started again does before it serves: the files boot wrote may be days old (a server waits stopped in
 * the warm pool, its secrets rotate meanwhile), so the parameters and secrets are read again before PHP-FPM renders
 * env.php. Enabled by the first boot, which reads them itself; a failed re-read leaves the files as they were and
 * PHP-FPM starts on them (no Requires=), as after the timer's failed re-read.
 */
const REFRESH_UNIT: WriteFile = {
    path: "/etc/systemd/system/magento-refresh.service",
    permissions: "0644",
    content: [
        "[Unit]",
        "Description=Re-read Magento's parameters and secrets before serving, at every start after the first",
        "Wants=network-online.target",
        "After=network-online.target",
        "Before=php-fpm.service nginx.service",
        "",
        "[Service]",
        "Type=oneshot",
        "ExecStart=/usr/local/sbin/magento-parameters",
        "ExecStart=/usr/local/sbin/magento-secrets start",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n"),
};

/**
 * A bash script (checked by shellcheck) completing the group's launch hook once the server serves: the group holds a
 * server in Warmed:Pending:Wait on its way into the warm pool and in Pending:Wait on its way into service
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pool-instance-lifecycle.html), and only its own boot
 * knows when it is done. The state it is headed for is the instance metadata's autoscaling/target-lifecycle-state
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/retrieving-target-lifecycle-state-through-imds.html), logged;
 * whether a hook waits is the group's current state of the instance (DescribeAutoScalingInstances): a reboot in
 * service, or a launch before the hook existed, has none to complete. Boot itself is the same on the way into the
 * pool as into service: everything it does holds for a later start, and what may not (parameters, secrets) is read
 * again then (magento-refresh).
 */
export function readyScript(region: string, hook: string): string {
    if (!/^[a-z0-9-]+$/.test(region) || !/^[A-Za-z0-9-]+$/.test(hook)) {
        throw new Error(`region '${region}' or launch hook '${hook}' has characters that would need quoting`);
    }
    return [
        "#!/bin/bash",
        "# Completes the launch hook while the group waits for this server's boot; does nothing otherwise.",
        "set -euo pipefail",
        "imds=http://169.254.169.254/latest",
        'token=$(curl -fsS --retry 5 -X PUT "$imds/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
        'meta() { curl -fsS --retry 5 -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/$1"; }',
        "id=$(meta instance-id)",
        "target=$(meta autoscaling/target-lifecycle-state)",
        `found=$(aws autoscaling describe-auto-scaling-instances --region ${region} --instance-ids "$id" --query 'AutoScalingInstances[0].[AutoScalingGroupName,LifecycleState]' --output text)`,
        'read -r group state <<<"$found"',
        'case "$state" in',
        "  Pending:Wait|Warmed:Pending:Wait) ;;",
        '  *) echo "instance $id is $state (headed for $target): no launch hook waits for it"; exit 0 ;;',
        "esac",
        `aws autoscaling complete-lifecycle-action --region ${region} --auto-scaling-group-name "$group" --lifecycle-hook-name ${hook} --instance-id "$id" --lifecycle-action-result CONTINUE`,
        'echo "instance $id: boot reported to $group ($state, headed for $target)"',
        "",
    ].join("\n");
}

/** magento-ready at every start, once the shop's units run: a unit that failed keeps it from reporting, and the hook
 *  abandons the server. */
function readyUnits(region: string, hook: string): WriteFile[] {
    return [
        { path: "/usr/local/sbin/magento-ready", permissions: "0755", content: readyScript(region, hook) },
        {
            path: "/etc/systemd/system/magento-ready.service",
            permissions: "0644",
            content: [
                "[Unit]",
                "Description=Report this server's boot to its group's launch hook",
                `Requires=${WEB_SERVICES.map((u) => `${u}.service`).join(" ")}`,
                `After=${WEB_SERVICES.map((u) => `${u}.service`).join(" ")}`,
                "",
                "[Service]",
                "Type=oneshot",
                "ExecStart=/usr/local/sbin/magento-ready",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "",
            ].join("\n"),
        },
    ];
}

/**
 * The units' guards, as drop-ins: a failed mount leaves the folder on the root disk, so the web server then does not
 * start, answers no health check, and the group replaces the server, instead of writing media where no other server
 * sees it. Nor does it start without the parameters (cloud-init's runcmd goes on after a failed step), nor PHP-FPM
 * without RDS's CA bundle, which env.php points MySQL's TLS at. On the back office, cron (sitemaps, exports, image
 * resizing) is held to the same folders and runs only while PHP-FPM runs: PHP-FPM is active only once its
 * ExecStartPre= rendered env.php (the image's own env.php, the mode alone, exists before that: asserting the file
 * would hold nothing). Requisite= fails the cron run when PHP-FPM is not active (systemd.unit(5)).
 */
function guardDropIns(role: WebRole, targets: readonly string[], caPath: string): WriteFile[] {
    const envFiles = [`AssertPathExists=${PARAMETERS_FILE}`, `AssertPathExists=${SECRETS_FILE}`];
    const web = WEB_SERVICES.map((service) =>
        requiresMountsDropIn(
            service,
            "Serve only from the shared folders, never from the root disk, and only once the parameters are read.",
            targets,
            service === "php-fpm" ? [...envFiles, `AssertPathExists=${caPath}`] : envFiles,
        ),
    );
    if (role === "frontend") {
        return web;
    }
    return [
        ...web,
        requiresMountsDropIn(
            CRON_SERVICE,
            "Run Magento's cron only on the shared folders, and only while PHP-FPM (which renders env.php) runs.",
            targets,
            ["Requisite=php-fpm.service", "After=php-fpm.service"],
        ),
    ];
}

export function webBootConfig(args: WebBootArgs): CloudConfig {
    planShares(args.mounts.map((m) => m.share)); // refuses pub/static before it can reach a server
    const targets = args.mounts.map((m) => `${MAGENTO_ROOT}/${m.share.mountPath}`);
    const ca = rdsCaBundle(args.region);
    return {
        // No `packages`: jq, which the secrets script reads JSON secrets with, is in the image (web-stack).
        // cloud-init writes the fstab lines; systemd's fstab generator makes them mount units the services require.
        mounts: args.mounts.map((m) => fstabEntry(m.share, m.source)),
        write_files: [
            {
                path: "/usr/local/sbin/magento-parameters",
                permissions: "0755",
                content: parametersScript(args.parameterPath, args.region),
            },
            { path: "/usr/local/sbin/magento-secrets", permissions: "0755", content: secretsScript(args.region) },
            ...rereadUnits(),
            REFRESH_UNIT,
            ...(args.launchHook ? readyUnits(args.region, args.launchHook) : []),
            ...envPhpFiles(args.redis),
            ...guardDropIns(args.role, targets, ca.path),
            // The back office's cron runs indexers and queue consumers beside the pool: the pool's sizing keeps them
            // memory (model/web-config.ts, FPM_SIZING), two CLI runs at php.ini's 2G.
            ...(args.role === "backoffice"
                ? [{ path: FPM_SIZING_FILE, permissions: "0644", content: `${FPM_RESERVED_EXTRA}=4096\n` }]
                : []),
            ...args.agent.files,
        ],
        runcmd: [
            ...args.agent.runcmd,
            ["/usr/local/sbin/magento-parameters"],
            ["/usr/local/sbin/magento-secrets"],
            ["curl", "-fsS", "--retry", "5", "--create-dirs", "-o", ca.path, ca.url],
            ["systemctl", "daemon-reload"], // the drop-ins apply to the start below
            // The image ships them disabled, so nothing serves before this; enabled, they start again at a reboot.
            ["systemctl", "enable", "--now", ...WEB_SERVICES],
            ["systemctl", "enable", "--now", "magento-secrets.timer"],
            ["systemctl", "enable", "magento-refresh.service"], // this boot read them above
            // One server runs cron (two would run every job twice); masked, the front end's cron cannot be started.
            args.role === "backoffice"
                ? ["systemctl", "enable", "--now", CRON_TIMER]
                : ["systemctl", "mask", "--now", CRON_TIMER, `${CRON_SERVICE}.service`],
            // Last: the group may stop the server into the warm pool as soon as the hook is complete.
            ...(args.launchHook ? [["systemctl", "enable", "--now", "magento-ready.service"]] : []),
        ],
    };
}
