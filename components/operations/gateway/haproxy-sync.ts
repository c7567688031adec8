// How the gateway follows its allow-list without being rebuilt: a script, run at boot and by a timer, that fetches
// haproxy.cfg from the stack's SSM parameter, lets the real `haproxy -c` judge it, and only then installs it and
// reloads HAProxy. A configuration HAProxy refuses leaves the running one in place; one without a listener (nothing
// opened to the internet: `haproxy -c` exits 2, "will not start (no listener)") stops HAProxy.
import { WriteFile } from "../../compute/cloud-init";

export const HAPROXY_SYNC = "/usr/local/sbin/haproxy-config";
export const HAPROXY_SYNC_TIMER = "haproxy-config.timer";

/** The POSIX shell script (checked by shellcheck in the tests); `aws` and `systemctl` are what it drives. */
export function haproxySyncScript(parameterName: string, region: string): string {
    if (!/^\/[A-Za-z0-9_./-]+$/.test(parameterName) || !/^[a-z0-9-]+$/.test(region)) {
        throw new Error(
            `haproxy-config: parameter '${parameterName}' or region '${region}' has characters that would need quoting`,
        );
    }
    return [
        "#!/bin/sh",
        "# Installs haproxy.cfg from the gateway's parameter once haproxy -c accepts it; HAProxy runs while it has a listener.",
        "set -eu",
        `parameter=${parameterName}`,
        "config=/etc/haproxy/haproxy.cfg",
        "new=$(mktemp)",
        "trap 'rm -f \"$new\"' EXIT",
        `aws ssm get-parameter --region ${region} --name "$parameter" --query Parameter.Value --output text > "$new"`,
        "status=0",
        'haproxy -c -q -f "$new" || status=$?',
        'if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then',
        '  echo "haproxy -c refused $parameter (exit $status): the running configuration stays" >&2',
        "  exit 1",
        "fi",
        "changed=no",
        'if ! cmp -s "$new" "$config"; then',
        '  install -m 0644 "$new" "$config"',
        "  changed=yes",
        "fi",
        'if [ "$status" -eq 2 ]; then',
        "  systemctl disable --now haproxy",
        "  exit 0",
        "fi",
        "systemctl enable --now haproxy",
        'if [ "$changed" = yes ]; then',
        "  systemctl reload-or-restart haproxy",
        "fi",
        "",
    ].join("\n");
}

/** The script, and the oneshot service and timer that run it 5 minutes after boot and every 5 minutes after that. */
export function haproxySyncFiles(parameterName: string, region: string): WriteFile[] {
    return [
        { path: HAPROXY_SYNC, permissions: "0755", content: haproxySyncScript(parameterName, region) },
        {
            path: "/etc/systemd/system/haproxy-config.service",
            permissions: "0644",
            content: `[Unit]\nDescription=Install the gateway's haproxy.cfg from its SSM parameter when haproxy -c accepts it\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nType=oneshot\nExecStart=${HAPROXY_SYNC}\n`,
        },
        {
            path: `/etc/systemd/system/${HAPROXY_SYNC_TIMER}`,
            permissions: "0644",
            content:
                "[Unit]\nDescription=Follow the gateway's allow-list every 5 minutes\n\n[Timer]\nOnBootSec=5min\nOnUnitActiveSec=5min\n\n[Install]\nWantedBy=timers.target\n",
        },
    ];
}
