// First-boot preparation of a server's data volumes: wait for each device, create a file system only when the
// volume is blank (a rebuilt server finds its data intact), and mount it by label, surviving reboots.
import { WriteFile } from "./cloud-init";

export interface DataVolume {
    /** Short name: the volume's Name suffix and the file system's label (at most 12 characters for XFS). */
    readonly name: string;
    readonly sizeGb: number;
    /** Attachment device; on Nitro instances AL2023's udev rules link it to the NVMe device. */
    readonly deviceName: string;
    readonly mountPoint: string;
}

/** Device names AWS recommends for EBS data volumes, in attachment order. */
export function dataDeviceName(index: number): string {
    return `/dev/sd${String.fromCharCode("f".charCodeAt(0) + index)}`;
}

/** A POSIX shell script (checked by shellcheck in the tests) that prepares every volume idempotently. */
export function prepareVolumesScript(volumes: readonly DataVolume[]): string {
    // Values are spliced into shell: allow only characters that need no quoting.
    for (const v of volumes) {
        if (
            !/^[a-z0-9-]{1,12}$/.test(v.name) ||
            !/^\/[a-z0-9/_-]+$/.test(v.mountPoint) ||
            !/^\/dev\/[a-z0-9]+$/.test(v.deviceName)
        ) {
            throw new Error(
                `data volume '${v.name}': name must be 1-12 of [a-z0-9-], mountPoint an absolute path, deviceName /dev/<name>`,
            );
        }
    }
    const lines = [
        "#!/bin/sh",
        "# Prepares data volumes: format only when blank, mount by label, idempotent across reboots and rebuilds.",
        "set -eu",
        "",
        "prepare() {",
        '  device="$1"; label="$2"; mount_point="$3"',
        "  tries=0",
        '  while [ ! -b "$device" ]; do',
        "    tries=$((tries + 1))",
        // A rebuilt server boots before its volumes are attached (the old instance releases them first): wait.
        '    if [ "$tries" -gt 120 ]; then echo "no device $device after 10 minutes" >&2; exit 1; fi',
        "    sleep 5",
        "  done",
        '  if ! blkid "$device" >/dev/null 2>&1; then',
        '    mkfs.xfs -L "$label" "$device"',
        "  fi",
        '  mkdir -p "$mount_point"',
        '  if ! grep -q "^LABEL=$label " /etc/fstab; then',
        '    echo "LABEL=$label $mount_point xfs defaults,nofail 0 2" >> /etc/fstab',
        "  fi",
        '  mountpoint -q "$mount_point" || mount "$mount_point"',
        "}",
        "",
        ...volumes.map((v) => `prepare ${v.deviceName} ${v.name} ${v.mountPoint}`),
        "",
    ];
    return lines.join("\n");
}

/**
 * A drop-in making a service require its mounts. `nofail` keeps a missing volume from stopping the boot, and with it
 * the mount is no longer ordered before local-fs.target (systemd.mount(5)); RequiresMountsFor= (systemd.unit(5))
 * orders the service after the mounts and keeps it down when one fails. It only requires the mount units that exist:
 * a volume that never arrived has no fstab line, hence no unit, so AssertPathIsMountPoint= (systemd.unit(5),
 * https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html) refuses to start the service on the
 * root disk in that case too. `extra` adds further [Unit] lines.
 */
export function requiresMountsDropIn(
    service: string,
    why: string,
    paths: readonly string[],
    extra: readonly string[] = [],
): WriteFile {
    const lines = [
        "[Unit]",
        `# ${why}`,
        `RequiresMountsFor=${paths.join(" ")}`,
        ...paths.map((p) => `AssertPathIsMountPoint=${p}`),
        ...extra,
    ];
    return {
        path: `/etc/systemd/system/${service}.service.d/mounts.conf`,
        permissions: "0644",
        content: `${lines.join("\n")}\n`,
    };
}
