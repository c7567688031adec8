// The operations servers as an operator checks them: who reaches Rundeck and the Windows host, on which ports, what
// survives a rebuild, what Rundeck's role may do, and how the site-to-site tunnels are watched.
import * as assert from "assert";
import * as YAML from "yaml";
import { CloudConfig } from "../../../components/compute/cloud-init";
import { SECURE_RUNDECK, secureRundeckScript } from "../../../components/operations/rundeck/login";
import { rundeckDeployPolicy } from "../../../components/operations/rundeck/policy";
import { prepareDisksScript, renderPowerShellUserData } from "../../../components/operations/windows/user-data";
import { StateResource } from "../../../offline/state";
import {
    CLOUDWATCH_LOG_GROUP,
    CLOUDWATCH_METRIC_ALARM,
    EBS_VOLUME,
    EC2_CUSTOMER_GATEWAY,
    EC2_EIP,
    EC2_EIP_ASSOCIATION,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_VOLUME_ATTACHMENT,
    EC2_VPN_CONNECTION,
    EC2_VPN_CONNECTION_ROUTE,
    EC2_VPN_GATEWAY,
    EC2_VPN_GATEWAY_ROUTE_PROPAGATION,
    IAM_ROLE_POLICY,
    KMS_KEY,
    ROUTE53_RECORD,
    SECRETSMANAGER_SECRET,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../../policies/lib/types";
import { PREPROD_NFS, PREPROD_OPS_REBUILT } from "../../fixtures/stacks";
import { reachability } from "../../helpers/reachability";
import { changedTypes, ofType, prefetch, stackResources, via, webOfType } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

const REBUILT = { changes: PREPROD_OPS_REBUILT };
const NO_LINKS = { changes: { "magento:siteLinks": [] } };

const named = (resources: StateResource[], type: string, suffix: string) =>
    ofType(resources, type).find((r) => r.urn.endsWith(suffix))!;
const volumesOf = (resources: StateResource[], server: string) =>
    ofType(resources, EBS_VOLUME).filter((v) => v.urn.includes(`-${server}-server-`));

describe("operations servers", () => {
    prefetch(["prod"], ["preprod"], ["preprod", REBUILT], ["prod", { preview: false }], ["preprod", NO_LINKS]);

    it("Rundeck's UI (HTTPS, 4443) is reachable from VPN clients only, not from the VPC's other servers", async () => {
        const r = await stackResources("prod");
        const rundeck = named(r, EC2_INSTANCE, "rundeck-server-instance");
        // The Rundeck tier's own group admits nothing: it is what the database admits.
        assert.deepStrictEqual(reachability(r, rundeck, "vpcSecurityGroupIds"), ["vpn -> tcp/4443"]);
        assert.strictEqual(rundeck.inputs!.associatePublicIpAddress, false);
        assert.strictEqual(via(r, rundeck, "subnetId")[0].inputs!.cidrBlock, "10.20.101.0/24");
    });

    it("the Windows host takes every service from VPN clients, and from the gateway only FTP, which prod opens to the internet", async () => {
        const r = await stackResources("prod");
        const windows = named(r, EC2_INSTANCE, "windows-server-instance");
        assert.deepStrictEqual(reachability(r, windows, "vpcSecurityGroupIds"), [
            "gateway -> tcp/2048-3388",
            "gateway -> tcp/21",
            "gateway -> tcp/3390-4096",
            "vpn -> tcp/2048-4096",
            "vpn -> tcp/21",
            "vpn -> tcp/3389",
            "vpn -> tcp/445",
            "vpn -> tcp/8700-8800",
        ]);
        // RDP's rule keeps its name: renamed, an update would create it while the old identical rule still exists.
        assert.strictEqual(named(r, VPC_SECURITY_GROUP_INGRESS_RULE, "windows-rdp-from-vpn").inputs!.fromPort, 3389);
        // preprod opens nothing: the gateway reaches none of it.
        const preprod = await stackResources("preprod");
        assert.ok(
            reachability(preprod, named(preprod, EC2_INSTANCE, "windows-server-instance"), "vpcSecurityGroupIds").every(
                (row) => row.startsWith("vpn -> "),
            ),
        );
        assert.strictEqual(windows.inputs!.associatePublicIpAddress, false);
        assert.strictEqual(via(r, windows, "subnetId")[0].inputs!.availabilityZone, "eu-west-3a");
    });

    it("each server has its internal name: rundeck. and windows. in the VPC's private zone; orders-ftp. is its server's to set at boot", async () => {
        const r = await stackResources("prod");
        const names = ofType(r, ROUTE53_RECORD).map((x) => [
            x.inputs!.name,
            via(r, x, "records").map((i) => i.urn.split("::").pop()),
        ]);
        assert.deepStrictEqual(names.sort(), [
            ["orders-ftp.prod.example.internal", []],
            ["rundeck.prod.example.internal", ["magento-prod-rundeck-server-instance"]],
            ["windows.prod.example.internal", ["magento-prod-windows-server-instance"]],
        ]);
    });

    it("an internal name moves to a rebuilt server only once that server holds its volumes", async () => {
        // The record's update (new address) waits for the new attachments, not only for the new instance.
        const check = async (
            stack: string,
            opts: Parameters<typeof stackResources>[1],
            host: string,
            server: string,
        ) => {
            const r = await stackResources(stack, opts);
            const record = ofType(r, ROUTE53_RECORD).find((x) => (x.inputs!.name as string).startsWith(`${host}.`))!;
            const attachments = ofType(r, EC2_VOLUME_ATTACHMENT).filter((a) => a.urn.includes(`-${server}-server-`));
            assert.ok(attachments.length > 0, server);
            for (const a of attachments) {
                assert.ok(record.dependencies?.includes(a.urn), `${record.inputs!.name} does not wait for ${a.urn}`);
            }
        };
        await check("prod", {}, "rundeck", "rundeck");
        await check("prod", {}, "windows", "windows");
        await check("preprod", { changes: PREPROD_NFS }, "nfs", "shared");
    });

    it("data lives on protected, encrypted volumes in the servers' AZ: one for Rundeck, two for the Windows host", async () => {
        const r = await stackResources("prod");
        const shape = (v: StateResource) => [
            v.inputs!.size,
            v.inputs!.availabilityZone,
            v.inputs!.encrypted,
            v.protect,
            (v.inputs!.tags as Record<string, string>).MountPoint,
        ];
        assert.deepStrictEqual(volumesOf(r, "rundeck").map(shape), [[50, "eu-west-3a", true, true, "/srv/rundeck"]]);
        assert.deepStrictEqual(volumesOf(r, "windows").map(shape), [
            [200, "eu-west-3a", true, true, "D:"],
            [100, "eu-west-3a", true, true, "E:"],
        ]);
    });

    it("Rundeck keeps its configuration and data on its volume: formatted only when blank, bind-mounted over the package's", async () => {
        const text = userDataText(named(await stackResources("prod"), EC2_INSTANCE, "rundeck-server-instance"));
        assert.match(text, /if ! blkid "\$device"/);
        assert.match(text, /keep \/etc\/rundeck \/srv\/rundeck\/etc/);
        assert.match(text, /keep \/var\/lib\/rundeck \/srv\/rundeck\/data/);
        // The bind mounts wait for the volume's own mount (nofail drops the ordering local-fs.target would give).
        assert.match(text, /none bind,nofail,x-systemd\.requires-mounts-for=\/srv\/rundeck 0 0/);
        assert.match(text, /configure-rundeck\n\s+- https:\/\/rundeck\.prod\.example\.internal:4443/);
    });

    it("Rundeck has no default login: its one user's password is generated into Secrets Manager and read at boot", async () => {
        const r = await stackResources("prod");
        const config = YAML.parse(userDataText(named(r, EC2_INSTANCE, "rundeck-server-instance"))) as CloudConfig;
        const commands = config.runcmd!.map((c) => c.join(" "));
        const secure = commands.indexOf(
            `${SECURE_RUNDECK} magento/prod/rundeck-admin eu-west-3 rundeck.prod.example.internal`,
        );
        // After the package and the volume (so realm.properties and the keystore land on the volume), before the start.
        assert.ok(
            secure > commands.indexOf("/usr/local/sbin/keep-rundeck-on-volume") &&
                secure < commands.indexOf("systemctl enable --now rundeckd"),
            commands.join("\n"),
        );
        const secret = ofType(r, SECRETSMANAGER_SECRET).find((x) => x.inputs!.name === "magento/prod/rundeck-admin");
        assert.ok(secret, "the admin password's secret, named as the boot script reads it");
        const script = secureRundeckScript();
        // The package's realm.properties (admin:admin, user:user) is replaced whole, by one admin with the secret's value.
        assert.match(script, /printf "admin: %s,user,admin\\n" "\$password" > \/etc\/rundeck\/realm.properties/);
        assert.match(script, /--secret-id "\$secret"/);
    });

    it("Rundeck serves HTTPS from a keystore generated once on its volume, so a rebuilt server keeps its certificate", () => {
        const script = secureRundeckScript();
        assert.match(script, /if \[ ! -f "\$ssl\/keystore" \]; then/); // /etc/rundeck/ssl is on the volume (keep /etc/rundeck)
        assert.match(script, /-ext "san=dns:\$fqdn"/);
        assert.match(script, /RUNDECK_WITH_SSL=true\\nRDECK_HTTPS_PORT=4443/);
    });

    it("Rundeck installs on Amazon Linux 2023: its repository written as Rundeck documents it, Java installed on its own first", async () => {
        const config = YAML.parse(
            userDataText(named(await stackResources("prod"), EC2_INSTANCE, "rundeck-server-instance")),
        ) as CloudConfig & Record<string, unknown>;
        // cloud-init's yum_repos module skips AL2023 (its distro list has no amazon): the repo is a plain file.
        assert.strictEqual(config.yum_repos, undefined);
        const repo = config.write_files!.find((f) => f.path === "/etc/yum.repos.d/rundeck.repo")!;
        assert.match(repo.content, /^\[rundeck\]\n/);
        assert.match(repo.content, /\nrepo_gpgcheck=1\ngpgcheck=0\n/); // the metadata is signed, and carries every package's checksum
        assert.match(repo.content, /\ngpgkey=https:\/\/packages\.rundeck\.com\/pagerduty\/rundeck\/gpgkey\n/);
        const commands = config.runcmd!.map((c) => c.join(" "));
        const java = commands.findIndex((c) => / java-17-amazon-corretto-headless$/.test(c));
        const rundeck = commands.findIndex((c) => / rundeck$/.test(c));
        assert.ok(java >= 0 && rundeck > java, commands.join("\n"));
        // The package first: the volume is seeded from its /etc/rundeck and /var/lib/rundeck once, then mounted over them.
        assert.ok(
            commands.indexOf("/usr/local/sbin/keep-rundeck-on-volume") > rundeck &&
                commands.indexOf("systemctl enable --now rundeckd") > rundeck,
        );
        assert.strictEqual(config.packages, undefined);
    });

    it("Rundeck ships its job output and its audit logs off the box: to /magento/<stack>/rundeck, a year, under the telemetry key", async () => {
        const r = await stackResources("prod");
        const config = YAML.parse(userDataText(named(r, EC2_INSTANCE, "rundeck-server-instance"))) as CloudConfig;
        const agent = config.write_files!.find((f) => f.path === "/opt/aws/amazon-cloudwatch-agent/etc/magento.json");
        assert.ok(agent, "no CloudWatch agent configuration in Rundeck's user data");
        const collected = (
            JSON.parse(agent.content) as {
                logs: { logs_collected: { files: { collect_list: Record<string, unknown>[] } } };
            }
        ).logs.logs_collected.files.collect_list;
        const shipped = (file: string) => collected.find((c) => c.file_path === file);
        // Every execution's output file (one stream each: a glob otherwise follows only the newest file).
        assert.deepStrictEqual(shipped("/var/lib/rundeck/logs/rundeck/**.rdlog"), {
            file_path: "/var/lib/rundeck/logs/rundeck/**.rdlog",
            log_group_name: "/magento/prod/rundeck",
            log_stream_name: "{instance_id}/executions",
            publish_multi_logs: true,
        });
        for (const file of ["rundeck.audit.log", "rundeck.jobs.log", "rundeck.log", "service.log"]) {
            assert.deepStrictEqual(shipped(`/var/log/rundeck/${file}`), {
                file_path: `/var/log/rundeck/${file}`,
                log_group_name: "/magento/prod/rundeck",
                log_stream_name: `{instance_id}/${file}`,
            });
        }
        // Nothing else there (its system logs go to its tier's group: cloudwatch-agent.spec.ts), and no retention in the
        // agent's file: it would call PutRetentionPolicy, which the role must not hold.
        assert.strictEqual(collected.filter((c) => c.log_group_name === "/magento/prod/rundeck").length, 5);
        assert.ok(
            collected.every((c) => !("retention_in_days" in c)),
            agent.content,
        );
        const commands = config.runcmd!.map((c) => c.join(" "));
        const start = commands.indexOf(
            "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/magento.json",
        );
        assert.ok(
            commands.includes("/usr/local/sbin/install-packages amazon-cloudwatch-agent rsyslog") &&
                start > commands.indexOf("systemctl daemon-reload"),
            commands.join("\n"),
        );
        const group = ofType(r, CLOUDWATCH_LOG_GROUP).find((g) => g.inputs!.name === "/magento/prod/rundeck");
        assert.ok(group, "no log group /magento/prod/rundeck");
        const key = named(r, KMS_KEY, "telemetry-key");
        assert.deepStrictEqual(
            [
                group.inputs!.retentionInDays,
                group.inputs!.kmsKeyId,
                (group.inputs!.tags as Record<string, string>).LogClass,
            ],
            [365, key.outputs!.arn, "security"],
        );
    });

    it("after a reboot Rundeck and the NFS server start only on their data volumes, never on the root disk", async () => {
        const units = async (stack: string, opts: Parameters<typeof stackResources>[1], server: string) => {
            const config = YAML.parse(
                userDataText(named(await stackResources(stack, opts), EC2_INSTANCE, `${server}-server-instance`)),
            ) as CloudConfig;
            return config
                .write_files!.filter((f) => /^\/etc\/systemd\/system\/[^/]+\.service\.d\//.test(f.path))
                .map((f) => [f.path, f.content]); // drop-ins (Rundeck also has its rotation timer)
        };
        assert.deepStrictEqual(await units("prod", {}, "rundeck"), [
            [
                "/etc/systemd/system/rundeckd.service.d/mounts.conf",
                "[Unit]\n# Never start on the root disk: the data volume and the bind mounts first.\nRequiresMountsFor=/srv/rundeck /etc/rundeck /var/lib/rundeck\n" +
                    // A volume that never arrived has no fstab line, so no mount unit to require: the assertions keep it down then.
                    "AssertPathIsMountPoint=/srv/rundeck\nAssertPathIsMountPoint=/etc/rundeck\nAssertPathIsMountPoint=/var/lib/rundeck\n",
            ],
            // The log shipper too: started before the mounts, it would follow the root disk's empty /var/lib/rundeck.
            [
                "/etc/systemd/system/amazon-cloudwatch-agent.service.d/mounts.conf",
                "[Unit]\n# Ship the job output on the data volume, never the root disk's empty directories.\nRequiresMountsFor=/srv/rundeck /etc/rundeck /var/lib/rundeck\n" +
                    "AssertPathIsMountPoint=/srv/rundeck\nAssertPathIsMountPoint=/etc/rundeck\nAssertPathIsMountPoint=/var/lib/rundeck\n",
            ],
        ]);
        assert.deepStrictEqual(await units("preprod", { changes: PREPROD_NFS }, "shared"), [
            [
                "/etc/systemd/system/nfs-server.service.d/mounts.conf",
                "[Unit]\n# Never export the root disk: every share's volume first.\nRequiresMountsFor=/srv/nfs/media /srv/nfs/sitemap /srv/nfs/exports\n" +
                    "AssertPathIsMountPoint=/srv/nfs/media\nAssertPathIsMountPoint=/srv/nfs/sitemap\nAssertPathIsMountPoint=/srv/nfs/exports\n",
            ],
        ]);
    });

    it("a new image or instance type replaces Rundeck and the Windows host but not their volumes", async () => {
        const before = await stackResources("preprod");
        const after = await stackResources("preprod", REBUILT);
        // The side applications boot the ops image too: their templates take it (their groups roll out by refresh).
        assert.deepStrictEqual(changedTypes(before, after), [EC2_INSTANCE, EC2_LAUNCH_TEMPLATE]);
        assert.deepStrictEqual(
            changedTypes(webOfType(before, EC2_LAUNCH_TEMPLATE), webOfType(after, EC2_LAUNCH_TEMPLATE)),
            [],
        );
        const image = (rs: StateResource[], server: string) => {
            const i = named(rs, EC2_INSTANCE, `${server}-server-instance`);
            return [i.inputs!.ami, i.inputs!.instanceType, i.ignoreChanges];
        };
        // Before: the latest image, held against drift; after: the pinned image, which replaces the instance.
        assert.deepStrictEqual(image(before, "rundeck"), ["ami-0a1b2c3d4e5f60718", "t3.small", ["ami"]]);
        assert.deepStrictEqual(image(after, "rundeck"), ["ami-0fedcba9876543210", "t3.medium", []]);
        assert.deepStrictEqual(image(after, "windows"), ["ami-0abcdef0123456789", "m6i.xlarge", []]);
        for (const server of ["rundeck", "windows"]) {
            for (const volume of volumesOf(after, server)) {
                assert.strictEqual(volume.protect, true, volume.urn);
            }
        }
    });

    it("a rebuild deletes the old server first: its attachments go before it, and the new instance gets the same volumes and address", async () => {
        const r = await stackResources("prod");
        const moving = [...ofType(r, EC2_VOLUME_ATTACHMENT), ...ofType(r, EC2_EIP_ASSOCIATION)];
        const plan = moving.map((link) => {
            const [instance] = via(r, link, "instanceId");
            // The link's instanceId is the instance's id: a new instance replaces the link, delete-first like the instance.
            return [
                link.urn.split("::").pop(),
                instance.urn.split("::").pop(),
                instance.deleteBeforeReplace,
                link.deleteBeforeReplace,
            ];
        });
        assert.deepStrictEqual(plan.sort(), [
            ["magento-prod-haproxy-server-eip-assoc", "magento-prod-haproxy-server-instance", true, true],
            ["magento-prod-openvpn-server-eip-assoc", "magento-prod-openvpn-server-instance", true, true],
            ["magento-prod-rundeck-server-rundeck", "magento-prod-rundeck-server-instance", true, true],
            ["magento-prod-windows-server-apps", "magento-prod-windows-server-instance", true, true],
            ["magento-prod-windows-server-data", "magento-prod-windows-server-instance", true, true],
        ]);
        // What moves is protected and outlives the instance: the volumes and the addresses are never replaced.
        for (const link of moving) {
            const [held] = [...via(r, link, "volumeId"), ...via(r, link, "allocationId")];
            assert.strictEqual(held.protect, true, held.urn);
            assert.strictEqual(held.deleteBeforeReplace, undefined, held.urn);
        }
    });

    it("the Windows host boots the latest Windows Server 2022 image unless pinned, and prepares only raw disks", async () => {
        const windows = named(
            await stackResources("preprod", { preview: false }),
            EC2_INSTANCE,
            "windows-server-instance",
        );
        assert.strictEqual(windows.inputs!.instanceType, "t3.large");
        const text = windows.inputs!.userData as string;
        assert.match(text, /^<powershell>\n/);
        // Every boot: the firewall and FTP settings come back, and apply once the FTP server is installed.
        assert.match(text, /<\/powershell>\n<persist>true<\/persist>\n$/);
        assert.match(text, /\$_\.PartitionStyle -eq 'RAW'/);
    });

    it("EC2 takes every server's user data (16 KB at most): Rundeck's cloud-config gzip-compressed, the others as today's text", async () => {
        const r = await stackResources("prod", { preview: false });
        const sent = ofType(r, EC2_INSTANCE).map((i) => [
            i.urn.split("::").pop(),
            i.inputs!.userDataBase64 === undefined ? "text" : "gzip",
            Buffer.byteLength(String(i.inputs!.userData ?? ""), "utf8") +
                Buffer.from(String(i.inputs!.userDataBase64 ?? ""), "base64").length <=
                16384,
        ]);
        assert.deepStrictEqual(
            sent.filter(([, form]) => form === "gzip"),
            [["magento-prod-rundeck-server-instance", "gzip", true]],
        );
        assert.ok(
            sent.every(([, , fits]) => fits),
            JSON.stringify(sent),
        );
        assert.match(userDataText(named(r, EC2_INSTANCE, "rundeck-server-instance")), /^#cloud-config\n/);
    });

    it("a changed Windows script is applied in place (stop, start, rerun), keeping C:; a changed cloud-config replaces its Linux server", async () => {
        // Gateway services, the passive range or the gateway's address change the Windows script: a replacement would
        // lose what operators installed on C: (the FTP server, local accounts). The Linux servers run cloud-config once.
        const r = await stackResources("prod", { preview: false });
        const replaces = ofType(r, EC2_INSTANCE).map((i) => [
            i.urn.split("::").pop(),
            i.inputs!.userDataReplaceOnChange,
        ]);
        assert.deepStrictEqual(
            replaces.filter(([, replace]) => replace !== true),
            [["magento-prod-windows-server-instance", false]],
        );
        assert.ok(replaces.length >= 4, JSON.stringify(replaces));
    });

    it("the Windows Firewall admits exactly the forwarded ports, from the gateway's subnet, and passive FTP answers with the gateway's address", async () => {
        const r = await stackResources("prod", { preview: false });
        const text = named(r, EC2_INSTANCE, "windows-server-instance").inputs!.userData as string;
        const rules = [...text.matchAll(/@\{ Name = '(magento-gateway-[0-9-]+)'; Ports = '([0-9-]+)' \}/g)].map(
            (m) => m[2],
        );
        assert.deepStrictEqual(rules, ["445", "8700-8800", "3389", "21", "2048-4096"]);
        assert.match(
            text,
            /New-NetFirewallRule -Name \$r\.Name .* -Direction Inbound -Action Allow -Protocol TCP -LocalPort \$r\.Ports -RemoteAddress '10\.20\.1\.0\/24' -Profile Any/,
        );
        // The gateway lives in that subnet (the first AZ's public one).
        const gateway = named(r, EC2_INSTANCE, "haproxy-server-instance");
        assert.strictEqual(via(r, gateway, "subnetId")[0].inputs!.cidrBlock, "10.20.1.0/24");
        const eip = ofType(r, EC2_EIP).find((e) => e.urn.endsWith("haproxy-server-eip"))!;
        assert.match(text, /-Name lowDataChannelPort -Value 2048\n.*-Name highDataChannelPort -Value 4096\n/);
        assert.ok(
            text.includes(`-Name ftpServer.firewallSupport.externalIp4Address -Value '${eip.outputs!.publicIp}'`),
            text,
        );
    });

    it("a rebuilt Windows host admits nothing through its firewall until its data disks are there", async () => {
        const text = named(await stackResources("prod", { preview: false }), EC2_INSTANCE, "windows-server-instance")
            .inputs!.userData as string;
        // One script, stopping at the first error: the disk wait throws after 10 minutes, before any rule or FTP setting.
        assert.ok(text.indexOf("$ErrorActionPreference = 'Stop'") < text.indexOf("$deadline"));
        assert.ok(text.indexOf("no disk for volume") < text.indexOf("New-NetFirewallRule"));
        assert.ok(text.indexOf("no disk for volume") < text.indexOf("Restart-Service ftpsvc"));
    });

    it("IIS FTP requires TLS on the control and the data channel, with the operators' certificate or a self-signed one for windows.<domain>", async () => {
        const text = named(await stackResources("preprod", { preview: false }), EC2_INSTANCE, "windows-server-instance")
            .inputs!.userData as string;
        assert.match(text, /-Name ftpServer\.security\.ssl\.controlChannelPolicy -Value 'SslRequire'/);
        assert.match(text, /-Name ftpServer\.security\.ssl\.dataChannelPolicy -Value 'SslRequire'/);
        assert.match(text, /-Name ftpServer\.security\.ssl\.serverCertHash -Value \$cert\.Thumbprint/);
        assert.match(text, /\$_\.FriendlyName -eq 'magento-ftps' -and \$_\.NotAfter -gt \(Get-Date\)\.AddDays\(30\)/);
        assert.match(text, /New-SelfSignedCertificate -DnsName 'windows\.preprod\.example\.internal' /);
        // FTP stays behind the VPN in preprod: PASV answers with the host's own address, which VPN clients reach.
        assert.ok(text.includes("-Name ftpServer.firewallSupport.externalIp4Address -Value ''"), text);
    });

    it("the disk script formats a disk only while it is raw, matched by size, and refuses values it would have to quote", () => {
        const script = prepareDisksScript([
            { label: "data", driveLetter: "D", sizeGb: 200 },
            { label: "apps", driveLetter: "E", sizeGb: 100 },
        ]);
        assert.match(
            script,
            /@\{ Label = 'data'; Letter = 'D'; SizeGb = 200 \},\n {4}@\{ Label = 'apps'; Letter = 'E'; SizeGb = 100 \}/,
        );
        // Initialize-Disk runs only inside the branch where no volume carries the label yet, on a RAW disk.
        const formatAt = script.indexOf("Initialize-Disk");
        assert.ok(script.indexOf("if (-not $existing)") < formatAt && script.indexOf("'RAW'") < formatAt);
        assert.ok(!/Clear-Disk|Remove-Partition/.test(script), "the script never wipes a disk");
        assert.throws(() => prepareDisksScript([{ label: "data'; rm", driveLetter: "D", sizeGb: 1 }]), /label must be/);
        assert.throws(
            () => prepareDisksScript([{ label: "data", driveLetter: "C", sizeGb: 1 }]),
            /driveLetter one of D-Z/,
        );
        assert.strictEqual(
            renderPowerShellUserData({ powershell: "Write-Output 1\n" }),
            "<powershell>\nWrite-Output 1\n</powershell>\n<persist>true</persist>\n",
        );
        // A volume attached after the script starts (a rebuild attaches after boot) is waited for, not reported missing.
        const wait = script.indexOf("Start-Sleep");
        assert.ok(wait > 0 && wait < formatAt && /\$deadline = \(Get-Date\)\.AddMinutes\(10\)/.test(script));
    });
});

describe("Rundeck's role", () => {
    const policy = rundeckDeployPolicy({
        region: "eu-west-3",
        accountId: "123456789012",
        stack: "prod",
        prefix: "magento-prod",
        tiers: ["web", "backoffice"],
    });
    const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid)!;

    it("may start an instance refresh of this stack's web and back-office groups, nothing else on any group", () => {
        assert.deepStrictEqual(statement("RefreshWebGroups"), {
            Sid: "RefreshWebGroups",
            Effect: "Allow",
            Action: ["autoscaling:StartInstanceRefresh"],
            Resource: "arn:aws:autoscaling:eu-west-3:123456789012:autoScalingGroup:*:autoScalingGroupName/*",
            Condition: {
                StringEquals: { "aws:ResourceTag/Tier": ["web", "backoffice"], "aws:ResourceTag/Stack": "prod" },
            },
        });
    });

    it("may run the shell-script document on those groups' instances only", () => {
        assert.deepStrictEqual(
            statement("RunCommandsOnWebInstances").Resource,
            "arn:aws:ec2:eu-west-3:123456789012:instance/*",
        );
        assert.deepStrictEqual(statement("RunCommandsOnWebInstances").Condition, {
            StringEquals: { "ssm:resourceTag/Tier": ["web", "backoffice"], "ssm:resourceTag/Stack": "prod" },
        });
        assert.deepStrictEqual(
            statement("WithTheShellDocument").Resource,
            "arn:aws:ssm:eu-west-3::document/AWS-RunShellScript",
        );
    });

    it("grants no write action beyond those two and starting the release runner, and unscoped resources only to read calls", () => {
        const actions = policy.Statement.flatMap((s) => s.Action);
        const writes = actions.filter((a) => !/:(Describe|Get|List)/.test(a));
        assert.deepStrictEqual([...new Set(writes)].sort(), [
            "autoscaling:StartInstanceRefresh",
            "ssm:SendCommand",
            "states:StartExecution",
        ]);
        for (const s of policy.Statement.filter((x) => x.Resource === "*")) {
            assert.ok(
                s.Action.every((a) => /:(Describe|Get|List)/.test(a)),
                `${s.Sid} grants a write on every resource`,
            );
        }
        assert.ok(!actions.some((a) => a.includes("*")), "no wildcard action");
    });

    it("is attached to the Rundeck tier's role in the stack", async () => {
        const r = await stackResources("prod");
        const attached = ofType(r, IAM_ROLE_POLICY).filter((p) => p.urn.endsWith("rundeck-deploy"));
        assert.strictEqual(attached.length, 1);
        assert.deepStrictEqual(
            via(r, attached[0], "role").map((x) => x.urn.split("::").pop()),
            ["magento-prod-rundeck-role"],
        );
    });
});

describe("site-to-site links", () => {
    it("prod: one virtual private gateway whose routes reach every private route table, one customer gateway and connection per site", async () => {
        const r = await stackResources("prod");
        const [vgw] = ofType(r, EC2_VPN_GATEWAY);
        const propagated = ofType(r, EC2_VPN_GATEWAY_ROUTE_PROPAGATION).flatMap((p) => via(r, p, "routeTableId"));
        assert.deepStrictEqual(
            propagated.map((t) => t.urn.split("::").pop()).sort(),
            ["a", "b", "c"].map((az) => `magento-prod-private-rt-${az}`),
        );
        const sites = ofType(r, EC2_CUSTOMER_GATEWAY).map((c) => [c.inputs!.ipAddress, c.inputs!.bgpAsn]);
        assert.deepStrictEqual(sites, [
            ["198.51.100.10", "65010"],
            ["203.0.113.20", "65020"],
            ["192.0.2.30", "65000"],
        ]);
        const connections = ofType(r, EC2_VPN_CONNECTION);
        assert.deepStrictEqual(
            connections.map((c) => c.inputs!.staticRoutesOnly),
            [false, false, true],
        );
        assert.ok(connections.every((c) => via(r, c, "vpnGatewayId")[0] === vgw));
        const routes = ofType(r, EC2_VPN_CONNECTION_ROUTE);
        assert.deepStrictEqual(
            routes.map((x) => x.inputs!.destinationCidrBlock),
            ["192.168.30.0/24"],
        );
    });

    it("every tunnel has an alarm when it is down for more than 15 minutes, keyed by that tunnel's address", async () => {
        const r = await stackResources("prod", { preview: false });
        const alarms = ofType(r, CLOUDWATCH_METRIC_ALARM).filter((a) => a.inputs!.namespace === "AWS/VPN");
        assert.strictEqual(alarms.length, 6);
        const addresses = ofType(r, EC2_VPN_CONNECTION).flatMap((c) => [
            c.outputs!.tunnel1Address,
            c.outputs!.tunnel2Address,
        ]);
        assert.deepStrictEqual(
            alarms.map((a) => (a.inputs!.dimensions as Record<string, string>).TunnelIpAddress),
            addresses,
        );
        for (const a of alarms.map((x) => x.inputs!)) {
            assert.deepStrictEqual(
                [a.namespace, a.metricName, a.statistic, a.comparisonOperator, a.threshold, a.treatMissingData],
                ["AWS/VPN", "TunnelState", "Maximum", "LessThanThreshold", 1, "breaching"],
            );
            assert.strictEqual((a.period as number) * (a.evaluationPeriods as number), 15 * 60);
            assert.strictEqual(a.datapointsToAlarm, a.evaluationPeriods);
        }
    });

    it("the alarms are the stack's alarm targets, ready for the operators' topic", async () => {
        const r = await stackResources("prod", { preview: false });
        const stack = r.find((x) => x.type === "pulumi:pulumi:Stack")!;
        const targets = stack.outputs!.alarmTargets as { name: string; arn: string }[];
        // Every alarm of the stack, the tunnels' first.
        assert.deepStrictEqual(
            targets.map((t) => t.arn).sort(),
            ofType(r, CLOUDWATCH_METRIC_ALARM)
                .map((a) => a.outputs!.arn as string)
                .sort(),
        );
        assert.match(
            targets[0].arn,
            /^arn:aws:cloudwatch:eu-west-3:\d{12}:alarm:magento-prod-sites-warehouse-tunnel1-down$/,
        );
        // Names are the program's, known before the first deploy.
        const preview = (await stackResources("prod")).find((x) => x.type === "pulumi:pulumi:Stack")!;
        assert.strictEqual(
            (preview.outputs!.alarmTargets as { name: string }[])[5].name,
            "magento-prod-sites-office-lyon-tunnel2-down",
        );
    });

    it("a static route added before the others creates that route only: routes are keyed by their CIDR, not their position", async function () {
        this.timeout(300_000); // two captures of its own
        const added = {
            "magento:siteLinks": [
                {
                    name: "warehouse",
                    customerGatewayIp: "198.51.100.11",
                    staticRoutes: ["192.168.9.0/24", "192.168.10.0/24"],
                },
            ],
        };
        const routes = async (opts: Parameters<typeof stackResources>[1]) =>
            ofType(await stackResources("preprod", opts), EC2_VPN_CONNECTION_ROUTE).map((r) => [
                r.urn.split("::").pop(),
                r.inputs!.destinationCidrBlock,
            ]);
        const before = await routes({});
        const after = await routes({ changes: added });
        // Every route keeps its name and CIDR (destination_cidr_block forces a new route), the new one is added.
        assert.deepStrictEqual(
            after.filter(([urn]) => before.some(([b]) => b === urn)),
            before,
        );
        assert.strictEqual(after.length, before.length + 1);
    });

    it("preprod: one static link; a stack without links has no virtual private gateway", async () => {
        const r = await stackResources("preprod");
        assert.strictEqual(ofType(r, EC2_VPN_CONNECTION).length, 1);
        const none = await stackResources("preprod", NO_LINKS);
        assert.strictEqual(ofType(none, EC2_VPN_GATEWAY).length, 0);
    });
});
