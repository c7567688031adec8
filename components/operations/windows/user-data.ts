// User data of the Windows host. cloud-init does not run on Windows: EC2Launch v2 runs the <powershell> block, here at
// every boot (<persist>true</persist>, https://docs.aws.amazon.com/AWSEC2/latest/WindowsGuide/ec2-windows-user-data.html),
// so the firewall and FTP settings are re-applied once an operator has installed the FTP server. Every step is
// idempotent: the disks are prepared only while raw, rules are replaced by name.
import type { PortRange } from "../../network/clients";

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
    return `<powershell>\n${userData.powershell}</powershell>\n<persist>true</persist>\n`;
}

/**
 * Brings every disk online, initialises and formats (GPT, NTFS) a disk only while it is RAW, and gives each volume its
 * drive letter by label. On the first boot every data disk is blank, so a raw disk of the volume's size is the
 * volume's (two blank disks of the same size are interchangeable); a rebuilt host finds them labelled and keeps them.
 */
export function prepareDisksScript(volumes: readonly WindowsVolume[]): string {
    // Values are spliced into PowerShell: allow only characters that need no quoting.
    for (const v of volumes) {
        if (
            !/^[a-z0-9-]{1,32}$/.test(v.label) ||
            !/^[D-Z]$/.test(v.driveLetter) ||
            !Number.isInteger(v.sizeGb) ||
            v.sizeGb < 1
        ) {
            throw new Error(
                `Windows volume '${v.label}': label must be 1-32 of [a-z0-9-], driveLetter one of D-Z, sizeGb a whole number`,
            );
        }
    }
    return [
        "$ErrorActionPreference = 'Stop'",
        "$volumes = @(",
        volumes
            .map((v) => `    @{ Label = '${v.label}'; Letter = '${v.driveLetter}'; SizeGb = ${v.sizeGb} }`)
            .join(",\n"),
        ")",
        // A rebuilt host boots before its volumes are attached (the old instance releases them first): wait for each.
        "$deadline = (Get-Date).AddMinutes(10)",
        "foreach ($v in $volumes) {",
        "    while ($true) {",
        "        Get-Disk | Where-Object IsOffline | Set-Disk -IsOffline $false",
        "        $existing = Get-Volume -FileSystemLabel $v.Label -ErrorAction SilentlyContinue",
        "        $disk = Get-Disk | Where-Object { $_.PartitionStyle -eq 'RAW' -and $_.Size -eq ($v.SizeGb * 1GB) } | Select-Object -First 1",
        "        if ($existing -or $disk) { break }",
        '        if ((Get-Date) -gt $deadline) { throw "no disk for volume $($v.Label) ($($v.SizeGb) GiB) after 10 minutes" }',
        "        Start-Sleep -Seconds 5",
        "    }",
        "    if (-not $existing) {",
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

/** What the Windows Firewall admits: the services' ports, from the VPN server's and the gateway's subnet only. */
export interface WindowsFirewallArgs {
    /** The public subnet the VPN server and the gateway run in: a rebuilt server keeps it, not its address. */
    readonly remoteCidr: string;
    readonly ports: readonly PortRange[];
}

/**
 * Windows Firewall blocks unsolicited inbound traffic by default: one allow rule per TCP range from that subnet
 * (New-NetFirewallRule, https://learn.microsoft.com/en-us/powershell/module/netsecurity/new-netfirewallrule). The
 * security group admits only the VPN and gateway tiers' groups; the firewall is the second layer, by subnet. The rules
 * keep their magento-gateway-* names, so a boot replaces the ones earlier boots made.
 */
export function firewallScript(args: WindowsFirewallArgs): string {
    if (!/^[0-9.]+\/[0-9]{1,2}$/.test(args.remoteCidr)) {
        throw new Error(`Windows firewall: '${args.remoteCidr}' is not an IPv4 CIDR`);
    }
    const ranges = [
        ...new Set(args.ports.map((p) => (p.fromPort === p.toPort ? `${p.fromPort}` : `${p.fromPort}-${p.toPort}`))),
    ];
    return [
        "$rules = @(",
        ranges.map((ports) => `    @{ Name = 'magento-gateway-${ports}'; Ports = '${ports}' }`).join(",\n"),
        ")",
        "foreach ($r in $rules) {",
        "    Remove-NetFirewallRule -Name $r.Name -ErrorAction SilentlyContinue",
        `    New-NetFirewallRule -Name $r.Name -DisplayName "Gateway: TCP $($r.Ports)" -Direction Inbound -Action Allow -Protocol TCP -LocalPort $r.Ports -RemoteAddress '${args.remoteCidr}' -Profile Any | Out-Null`,
        "}",
        "",
    ].join("\n");
}

/** IIS FTP as the estate runs it: passive data ports, the address PASV answers with, and the TLS certificate's name. */
export interface FtpArgs {
    readonly fromPort: number;
    readonly toPort: number;
    /** The gateway's Elastic IP when FTP is open to the internet (clients there cannot reach the private address);
     *  undefined: PASV answers with the host's own address, which VPN clients reach. */
    readonly externalAddress?: string;
    /** The DNS name of the self-signed certificate made when no operator-imported one is found (windows.<internal domain>). */
    readonly certificateName: string;
}

/** Friendly name of the FTPS certificate in LocalMachine\My: an operator's imported one wins over the self-signed. */
export const FTPS_CERTIFICATE = "magento-ftps";

/**
 * IIS FTP, applied on every boot once the FTP server is installed (until then the EC2Launch log says so):
 * - passive mode: the server-wide data channel range (system.ftpServer/firewallSupport) and each FTP site's external
 *   address (ftpServer.firewallSupport.externalIp4Address), per Microsoft's IIS settings schema
 *   (https://learn.microsoft.com/en-us/previous-versions/iis/settings-schema/ff713772(v=vs.90), ff713760);
 * - FTPS required on the control and the data channel of every FTP site (ftpServer.security.ssl controlChannelPolicy
 *   and dataChannelPolicy SslRequire, https://learn.microsoft.com/en-us/iis/configuration/system.applicationHost/sites/site/ftpServer/security/ssl),
 *   with the certificate of LocalMachine\My named FTPS_CERTIFICATE that is valid for 30 more days, else a new
 *   self-signed one (New-SelfSignedCertificate, https://learn.microsoft.com/powershell/module/pki/new-selfsignedcertificate) whose thumbprint the log gives for clients to pin (docs/gateway.md).
 */
export function ftpScript(args: FtpArgs): string {
    const external = args.externalAddress ?? "";
    if (
        !/^([0-9.]+)?$/.test(external) ||
        !Number.isInteger(args.fromPort) ||
        !Number.isInteger(args.toPort) ||
        args.fromPort > args.toPort
    ) {
        throw new Error(
            `FTP settings: '${external}' must be an IPv4 address (or none) and ${args.fromPort}-${args.toPort} a port range`,
        );
    }
    if (!/^[a-z0-9.-]+$/.test(args.certificateName)) {
        throw new Error(`FTP settings: certificate name '${args.certificateName}' must be a DNS name`);
    }
    const site = (property: string, value: string) =>
        `        Set-ItemProperty "IIS:\\Sites\\$($_.Name)" -Name ftpServer.${property} -Value ${value}`;
    return [
        "if ((Get-WindowsFeature Web-Ftp-Server).Installed) {",
        "    Import-Module WebAdministration",
        `    Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.ftpServer/firewallSupport' -Name lowDataChannelPort -Value ${args.fromPort}`,
        `    Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.ftpServer/firewallSupport' -Name highDataChannelPort -Value ${args.toPort}`,
        `    $cert = Get-ChildItem Cert:\\LocalMachine\\My | Where-Object { $_.FriendlyName -eq '${FTPS_CERTIFICATE}' -and $_.NotAfter -gt (Get-Date).AddDays(30) } | Sort-Object NotAfter -Descending | Select-Object -First 1`,
        "    if (-not $cert) {",
        `        $cert = New-SelfSignedCertificate -DnsName '${args.certificateName}' -CertStoreLocation Cert:\\LocalMachine\\My -FriendlyName '${FTPS_CERTIFICATE}' -KeyAlgorithm RSA -KeyLength 3072 -NotAfter (Get-Date).AddYears(1)`,
        `        Write-Output "FTPS: made a self-signed certificate for ${args.certificateName}, thumbprint $($cert.Thumbprint): FTP clients pin it"`,
        "    }",
        "    Get-ChildItem IIS:\\Sites | Where-Object { $_.Bindings.Collection.protocol -contains 'ftp' } | ForEach-Object {",
        site("firewallSupport.externalIp4Address", `'${external}'`),
        site("security.ssl.serverCertStoreName", "'My'"),
        site("security.ssl.serverCertHash", "$cert.Thumbprint"),
        site("security.ssl.controlChannelPolicy", "'SslRequire'"),
        site("security.ssl.dataChannelPolicy", "'SslRequire'"),
        "    }",
        "    Restart-Service ftpsvc",
        "} else {",
        `    Write-Output "IIS FTP is not installed: the next boot sets passive ports ${args.fromPort}-${args.toPort}, external address '${external}' and FTPS on every FTP site"`,
        "}",
        "",
    ].join("\n");
}
