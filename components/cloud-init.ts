// Cloud-init user data, generated from typed data with a YAML library (never string concatenation), so what a
// server does at boot is reviewable, testable (`cloud-init schema`) and free of quoting bugs.
import * as YAML from "yaml";

export interface WriteFile {
    readonly path: string;
    readonly content: string;
    readonly permissions?: string;
    readonly owner?: string;
}

/** A package repository cloud-init adds before installing packages (cc_yum_add_repo). */
export interface YumRepo {
    readonly name: string;
    readonly baseurl: string;
    readonly enabled: boolean;
    readonly gpgcheck: boolean;
    readonly gpgkey: string;
}

/** The subset of cloud-config modules the estate's servers use. */
export interface CloudConfig {
    /** Repositories by id, added before `packages` are installed. */
    readonly yum_repos?: Readonly<Record<string, YumRepo>>;
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
