// User data of the Windows host. cloud-init does not run on Windows: EC2Launch v2 runs a <powershell> block once, on
// the first boot of each instance. The script prepares the data disks, and only disks that are still raw.

/** A data volume of a Windows server: its NTFS label and the drive letter it gets. */
export interface WindowsVolume {
    readonly label: string;
    readonly driveLetter: string;
    readonly sizeGb: number;
}

/** User data as EC2Launch v2 reads it; the Server component renders it (cloud-config is the alternative). */
export interface PowerShellUserData {
    readonly powershell: string;
}

export function renderPowerShellUserData(userData: PowerShellUserData): string {
    // persist false: run on the first boot only, as cloud-init does on Linux.
    return `<powershell>\n${userData.powershell}</powershell>\n<persist>false</persist>\n`;
}

/**
 * Brings every disk online, initialises and formats (GPT, NTFS) a disk only while it is RAW, and gives each volume its
 * drive letter by label. On the first boot every data disk is blank, so a raw disk of the volume's size is the
 * volume's (two blank disks of the same size are interchangeable); a rebuilt host finds them labelled and keeps them.
 */
export function prepareDisksScript(volumes: readonly WindowsVolume[]): string {
    // Values are spliced into PowerShell: allow only characters that need no quoting.
    for (const v of volumes) {
        if (!/^[a-z0-9-]{1,32}$/.test(v.label) || !/^[D-Z]$/.test(v.driveLetter) || !Number.isInteger(v.sizeGb) || v.sizeGb < 1) {
            throw new Error(`Windows volume '${v.label}': label must be 1-32 of [a-z0-9-], driveLetter one of D-Z, sizeGb a whole number`);
        }
    }
    return [
        "$ErrorActionPreference = 'Stop'",
        "$volumes = @(",
        volumes.map((v) => `    @{ Label = '${v.label}'; Letter = '${v.driveLetter}'; SizeGb = ${v.sizeGb} }`).join(",\n"),
        ")",
        "Get-Disk | Where-Object IsOffline | Set-Disk -IsOffline $false",
        "foreach ($v in $volumes) {",
        "    $existing = Get-Volume -FileSystemLabel $v.Label -ErrorAction SilentlyContinue",
        "    if (-not $existing) {",
        "        $disk = Get-Disk | Where-Object { $_.PartitionStyle -eq 'RAW' -and $_.Size -eq ($v.SizeGb * 1GB) } | Select-Object -First 1",
        "        if (-not $disk) { throw \"no raw disk of $($v.SizeGb) GiB for volume $($v.Label)\" }",
        "        $disk | Initialize-Disk -PartitionStyle GPT -PassThru |",
        "            New-Partition -UseMaximumSize -DriveLetter $v.Letter |",
        "            Format-Volume -FileSystem NTFS -NewFileSystemLabel $v.Label -Confirm:$false | Out-Null",
        "    } elseif ($existing.DriveLetter -ne $v.Letter) {",
        "        Get-Partition -Volume $existing | Set-Partition -NewDriveLetter $v.Letter",
        "    }",
        "}",
        "",
    ].join("\n");
}
