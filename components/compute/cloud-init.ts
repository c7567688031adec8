// Cloud-init user data, generated from typed data with a YAML library (never string concatenation), so what a
// server does at boot is reviewable, testable (`cloud-init schema`) and free of quoting bugs.
import * as YAML from "yaml";

export interface WriteFile {
    readonly path: string;
    readonly content: string;
    readonly permissions?: string;
    readonly owner?: string;
}

/** The subset of cloud-config modules the estate's servers use. */
export interface CloudConfig {
    readonly packages?: readonly string[];
    readonly write_files?: readonly WriteFile[];
    /** /etc/fstab entries (device, mount point, type, options, dump, pass); cloud-init creates the points and mounts. */
    readonly mounts?: readonly (readonly string[])[];
    /** Commands run once, on first boot, in order; each an argv list so nothing is re-parsed by a shell. */
    readonly runcmd?: readonly (readonly string[])[];
}

export function renderCloudConfig(config: CloudConfig): string {
    return `#cloud-config\n${YAML.stringify(config, { lineWidth: 0 })}`;
}

/** Where installPackagesFile puts the script; `[INSTALL_PACKAGES, ...names]` is one runcmd step. */
export const INSTALL_PACKAGES = "/usr/local/sbin/install-packages";

/**
 * A script installing packages with dnf, retried 60 times 10 s apart (at least 10 minutes): cloud-init's `packages` module tries once, and a
 * server in a public subnet has no egress until its Elastic IP is associated, after the instance is running. Each
 * call is its own transaction, so a package that fails leaves the ones installed before it.
 */
export function installPackagesFile(): WriteFile {
    return {
        path: INSTALL_PACKAGES,
        permissions: "0755",
        content: [
            "#!/bin/sh",
            "# dnf install, retried until the network answers (a public server's address is associated after it boots).",
            "set -eu",
            "tries=0",
            'until dnf install -y "$@"; do',
            "  tries=$((tries + 1))",
            '  if [ "$tries" -ge 60 ]; then echo "dnf install $* failed 60 times, 10 s apart" >&2; exit 1; fi',
            "  sleep 10",
            "done",
            "",
        ].join("\n"),
    };
}
