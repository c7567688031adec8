// Cloud-init user data, generated from typed data with a YAML library (never string concatenation), so what a
// server does at boot is reviewable, testable (`cloud-init schema`) and free of quoting bugs.
import * as YAML from "yaml";
import { gzipSync } from "zlib";
import { USER_DATA_LIMIT } from "../../policies/lib/user-data";

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

/**
 * A cloud-config as EC2 takes it: its text while it fits EC2's 16 KB (a server whose document fits keeps its user data
 * byte for byte), gzip-compressed when not. cloud-init decompresses gzip user data
 * (https://docs.cloud-init.io/en/21.3/topics/format.html, "Gzip Compressed Content"). gzip's header carries no time
 * here (Node writes mtime 0), so the same document gives the same bytes at every preview.
 */
export function cloudConfigBytes(config: CloudConfig): { readonly bytes: Buffer; readonly gzipped: boolean } {
    const text = renderCloudConfig(config);
    return Buffer.byteLength(text, "utf8") <= USER_DATA_LIMIT
        ? { bytes: Buffer.from(text, "utf8"), gzipped: false }
        : { bytes: gzipSync(text, { level: 9 }), gzipped: true };
}

/** A cloud-config as a launch template takes it: cloudConfigBytes, always base64 (the template's userData field is). */
export function launchTemplateUserData(config: CloudConfig): string {
    return cloudConfigBytes(config).bytes.toString("base64");
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
