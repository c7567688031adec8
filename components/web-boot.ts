// What a Magento web server does at boot, as cloud-config: mount the shared folders at their Magento paths (never
// pub/static, which ships in the image with the release), then read the stack's parameters from SSM into an
// environment file the image's services load. No secret is in here: servers fetch secrets by ARN with their role.
import { CloudConfig } from "./cloud-init";
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

/** One /etc/fstab entry as cloud-init's `mounts` module takes it. */
function fstabEntry(share: Share, source: ShareSource): string[] {
    const target = `${MAGENTO_ROOT}/${share.mountPath}`;
    // _netdev: wait for the network; noresvport: reconnect on a new port after a network blip (AWS's advice).
    return source.kind === "efs"
        ? [`${source.fileSystemId}:/`, target, "efs", `_netdev,noresvport,tls,accesspoint=${source.accessPointId}`, "0", "0"]
        : [`${source.host}:${source.exportPath}`, target, "nfs4", "_netdev,noresvport,hard,timeo=600,retrans=2", "0", "0"];
}

/** A bash script (checked by shellcheck in the tests) writing every parameter below the path as KEY=value. */
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
        "    printf '%s=%q\\n' \"${key^^}\" \"$value\"",
        '  done > "$out.tmp"',
        'mv "$out.tmp" "$out"',
        "",
    ].join("\n");
}

export function webBootConfig(args: WebBootArgs): CloudConfig {
    planShares(args.mounts.map((m) => m.share)); // refuses pub/static before it can reach a server
    return {
        mounts: args.mounts.map((m) => fstabEntry(m.share, m.source)),
        write_files: [{ path: "/usr/local/sbin/magento-parameters", permissions: "0755", content: parametersScript(args.parameterPath, args.region) }],
        runcmd: [["/usr/local/sbin/magento-parameters"], ["systemctl", "restart", "php-fpm"]],
    };
}
