// What a Magento web server does at boot, as cloud-config: mount the shared folders at their Magento paths (never
// pub/static, which ships in the image with the release), then read the stack's parameters from SSM into an
// environment file the image's services load. No secret is in here: servers fetch secrets by ARN with their role.
import { CloudConfig } from "./cloud-init";
import { requiresMountsDropIn } from "./data-volumes";
import { planShares, Share } from "./shares";

/** Where the release image installs Magento. */
export const MAGENTO_ROOT = "/var/www/magento";
/** The environment file the image's PHP-FPM and cron units load (EnvironmentFile=). */
export const PARAMETERS_FILE = "/etc/magento/parameters.env";

/** Where a share comes from: an EFS access point (mounted over TLS) or an export of the NFS server. */
export type ShareSource =
    | { readonly kind: "efs"; readonly fileSystemId: string; readonly accessPointId: string }
    | { readonly kind: "nfs"; readonly host: string; readonly exportPath: string };

export interface WebBootArgs {
    /** Each shared folder with its source. */
    readonly mounts: readonly { readonly share: Share; readonly source: ShareSource }[];
    /** SSM path of the stack's parameters, e.g. /magento/prod. */
    readonly parameterPath: string;
    readonly region: string;
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
        ? [`${source.fileSystemId}:/`, target, "efs", [...MOUNT_OPTIONS.efs, `accesspoint=${source.accessPointId}`].join(","), "0", "0"]
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
        throw new Error(`parameter path '${parameterPath}' or region '${region}' has characters that would need quoting`);
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
        "    printf '%s=%s\\n' \"${key^^}\" \"$value\"",
        '  done > "$out.tmp"',
        'mv "$out.tmp" "$out"',
        "",
    ].join("\n");
}

/** The units that serve the shop: they start only once every shared folder is mounted (web-boot's drop-ins). */
export const WEB_SERVICES = ["php-fpm", "nginx"];

export function webBootConfig(args: WebBootArgs): CloudConfig {
    planShares(args.mounts.map((m) => m.share)); // refuses pub/static before it can reach a server
    const targets = args.mounts.map((m) => `${MAGENTO_ROOT}/${m.share.mountPath}`);
    return {
        // cloud-init writes the fstab lines; systemd's fstab generator makes them mount units the services require.
        mounts: args.mounts.map((m) => fstabEntry(m.share, m.source)),
        write_files: [
            { path: "/usr/local/sbin/magento-parameters", permissions: "0755", content: parametersScript(args.parameterPath, args.region) },
            // A failed mount leaves the folder on the root disk: the web server then does not start, answers no health
            // check, and the group replaces the server, instead of writing media where no other server sees it.
            // Nor does it start without the parameters: cloud-init's runcmd goes on after a failed step.
            ...WEB_SERVICES.map((service) => requiresMountsDropIn(service, "Serve only from the shared folders, never from the root disk, and only once the parameters are read.",
                targets, [`AssertPathExists=${PARAMETERS_FILE}`])),
        ],
        runcmd: [
            ["/usr/local/sbin/magento-parameters"],
            ["systemctl", "daemon-reload"], // the drop-ins apply to the restart below
            ["systemctl", "restart", ...WEB_SERVICES],
        ],
    };
}
