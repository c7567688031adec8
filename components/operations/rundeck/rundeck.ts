// Rundeck, which runs the one-button deployment jobs (root on every Magento server): one server in the first AZ, its
// configuration, keystore and job output on a protected EBS volume that survives the server being rebuilt, its web UI
// over HTTPS (4443) reachable from the operators' VPN only, at rundeck.<internal domain>, its one login an admin whose
// password is generated into Secrets Manager (docs/rundeck.md). Its role may refresh the web groups and run commands
// on their instances and read that one secret (policy.ts); it also runs the data tier's setup step, which
// reads the MySQL and OpenSearch masters (data-users.ts, granted in infra/operations.ts). Its job output and its
// audit logs go to a log group it may only append to (logs.ts). Its "Deploy Magento <stack>" job starts the stack's
// release runner (deploy-job.ts), loaded into Rundeck at every boot (deploy-job-loader.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { admit } from "../../network/clients";
import { INSTALL_PACKAGES, installPackagesFile } from "../../compute/cloud-init";
import { GeneratedSecret } from "../../security/generated-secret";
import { DATA_USERS, DataUsersConfig, dataUsersConfigFile, dataUsersScript, rotationUnits } from "./data-users";
import { DataVolume, dataDeviceName, prepareVolumesScript, requiresMountsDropIn } from "../../compute/data-volumes";
import { InternalDns } from "../../network/internal-zone";
import { deployScopeRunnerArn, rundeckAdminSecretPolicy, rundeckDeployPolicy } from "./policy";
import { deployJobYaml, releaseToolFiles, rundeckProject } from "./deploy-job";
import { deployJobParameter, LOAD_JOBS_UNIT, loadJobsFiles } from "./deploy-job-loader";
import {
    AGENT_PACKAGES,
    agentBoot,
    AgentMetrics,
    CLOUDWATCH_AGENT,
    requireTelemetry,
} from "../../compute/cloudwatch-agent";
import { RundeckLogs, rundeckLogSources } from "./logs";
import { RUNDECK_PORT, rundeckAdminSecretName, SECURE_RUNDECK, secureRundeckScript } from "./login";
import { ServerSpec, serverSpec } from "../../compute/placement";
import { Server } from "../../compute/server";

export { RUNDECK_PORT } from "./login";
/** Where the data volume is mounted; /etc/rundeck and /var/lib/rundeck are bind-mounted from it. */
export const RUNDECK_VOLUME = "/srv/rundeck";
const RUNDECK_REPO = "https://packages.rundeck.com/pagerduty/rundeck";
const JAVA = "java-17-amazon-corretto-headless";

/**
 * /etc/yum.repos.d/rundeck.repo as Rundeck's RPM install guide writes it
 * (https://docs.rundeck.com/docs/administration/install/linux-rpm.html): the repository metadata is signed with the
 * key at gpgkey (repo_gpgcheck) and lists every package's checksum, which dnf checks; packages carry no signature by
 * that key, so gpgcheck stays off. A plain file: cloud-init's yum_repos module skips Amazon Linux (docs/servers.md).
 */
export function rundeckRepoFile(): string {
    return [
        "[rundeck]",
        "name=rundeck",
        `baseurl=${RUNDECK_REPO}/rpm_any/rpm_any/$basearch`,
        "repo_gpgcheck=1",
        "gpgcheck=0",
        "enabled=1",
        `gpgkey=${RUNDECK_REPO}/gpgkey`,
        "sslverify=1",
        "sslcacert=/etc/pki/tls/certs/ca-bundle.crt",
        "metadata_expire=300",
        "",
    ].join("\n");
}

/** Where Rundeck keeps what must survive a rebuild, each bind-mounted from the volume. */
const KEPT = ["/etc/rundeck", "/var/lib/rundeck"];

/** Placed in the private subnets, in the operations AZ; its admin password is on the placement's key. */
export interface RundeckArgs extends ServerSpec {
    /** The Rundeck tier's role (its security group, which the database admits, is runsAs's). */
    readonly roleName: pulumi.Input<string>;
    /** The OpenVPN server's security group: VPN clients are masqueraded to its address. */
    readonly vpnSecurityGroupId: pulumi.Input<string>;
    /** Size of the volume holding jobs, projects, logs and configuration, in GiB. */
    readonly volumeGb: number;
    /** What deployments may touch: the web groups of this stack (Tier/Stack tags), in this account and region. */
    readonly deployScope: {
        readonly region: string;
        readonly accountId: pulumi.Input<string>;
        readonly stack: string;
        /** The stack's resource prefix, which names its release runner (model/release.ts). */
        readonly prefix: string;
        readonly tiers: readonly string[];
    };
    /** The telemetry key: encrypts the log group of job output and audit logs. */
    readonly logKeyArn: pulumi.Input<string>;
    readonly dns: InternalDns;
    /** What the data tier's setup job (data-users.ts) works on. */
    readonly dataUsers: DataUsersConfig;
}

/** Keeps /etc/rundeck and /var/lib/rundeck on the volume: seeded from the package once, bind-mounted on every boot. */
export function keepOnVolumeScript(): string {
    return [
        "#!/bin/sh",
        "# Rundeck's configuration and data live on the data volume: a rebuilt server mounts them over the package's.",
        "set -eu",
        "",
        "keep() {",
        '  dir="$1"; stored="$2"',
        '  if [ ! -d "$stored" ]; then',
        '    cp -a "$dir" "$stored.tmp"',
        '    mv "$stored.tmp" "$stored"',
        "  fi",
        '  if ! grep -q " $dir none bind" /etc/fstab; then',
        // systemd.mount(5): x-systemd.requires-mounts-for orders the bind mount after the volume's own mount.
        `    echo "$stored $dir none bind,nofail,x-systemd.requires-mounts-for=${RUNDECK_VOLUME} 0 0" >> /etc/fstab`,
        "  fi",
        '  mountpoint -q "$dir" || mount "$dir"',
        "}",
        "",
        `keep ${KEPT[0]} ${RUNDECK_VOLUME}/etc`,
        `keep ${KEPT[1]} ${RUNDECK_VOLUME}/data`,
        "",
    ].join("\n");
}

/** Sets Rundeck's public URL (its first argument) and listens on every interface: the security group decides (the VPN only). */
export function configureRundeckScript(): string {
    return [
        "#!/bin/sh",
        "# Points Rundeck at its internal name; idempotent, so a rebuilt server re-applies it to the kept configuration.",
        "set -eu",
        'url="$1"',
        "config=/etc/rundeck/rundeck-config.properties",
        "",
        "set_property() {",
        '  if grep -q "^$1=" "$config"; then',
        '    sed -i "s|^$1=.*|$1=$2|" "$config"',
        "  else",
        '    echo "$1=$2" >> "$config"',
        "  fi",
        "}",
        "",
        'set_property grails.serverURL "$url"',
        "set_property server.address 0.0.0.0",
        "",
    ].join("\n");
}

export class Rundeck extends pulumi.ComponentResource {
    public readonly url: string;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly instanceId: pulumi.Output<string>;
    public readonly volumeId: pulumi.Output<string>;
    /** What the dashboard draws of it: its agent's metrics, by instance id, in its tier's namespace. */
    public readonly agentMetrics: AgentMetrics;
    /** The secret holding the admin login's password: what an operator reads to log in. */
    public readonly adminSecretArn: pulumi.Output<string>;

    constructor(name: string, args: RundeckArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:Rundeck", name, {}, opts);
        const child = { parent: this };
        const { kmsKeyArn, tags } = args.placement;
        const ui = new aws.ec2.SecurityGroup(
            `${name}-ui-sg`,
            {
                vpcId: args.placement.vpcId,
                description: `Rundeck web UI ${name} over HTTPS: VPN clients only`,
                tags: { ...tags, Name: `${name}-ui-sg` },
            },
            child,
        );
        const ports = { fromPort: RUNDECK_PORT, toPort: RUNDECK_PORT };
        // Not the VPC range: a compromised server of any tier would reach the console that is root on the shop's servers.
        admit(this, `${name}-ui-from-vpn`, {
            securityGroupId: ui.id,
            source: { securityGroupId: args.vpnSecurityGroupId },
            ports,
            description: "VPN clients",
            tags,
        });

        const scope = args.deployScope;
        const deployPolicy = new aws.iam.RolePolicy(
            `${name}-deploy`,
            {
                role: args.roleName,
                policy: pulumi
                    .output(scope.accountId)
                    .apply((accountId) => JSON.stringify(rundeckDeployPolicy({ ...scope, accountId }))),
            },
            child,
        );
        const admin = new GeneratedSecret(
            `${name}-admin`,
            {
                description: `Rundeck ${name}: password of its one login, admin`,
                secretName: rundeckAdminSecretName(scope.stack),
                length: 32,
                specials: "", // realm.properties separates roles with commas: letters and digits only
                kmsKeyArn,
                tags,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-admin-secret`,
            {
                role: args.roleName,
                policy: pulumi.jsonStringify(rundeckAdminSecretPolicy(admin.secretArn, kmsKeyArn, scope.region)),
            },
            child,
        );

        const deployJob = new aws.ssm.Parameter(
            `${name}-deploy-job`,
            {
                name: deployJobParameter(scope.stack),
                type: "String",
                tier: "Standard",
                // The runner's ARN and the job's options, no secret: shown in previews and diffs.
                insecureValue: pulumi.output(scope.accountId).apply((accountId) =>
                    deployJobYaml({
                        stack: scope.stack,
                        region: scope.region,
                        runnerArn: deployScopeRunnerArn({ ...scope, accountId }),
                    }),
                ),
                description: `Rundeck job YAML of "Deploy Magento ${scope.stack}", imported by Rundeck at every boot`,
                tags,
            },
            child,
        );

        const logs = new RundeckLogs(
            `${name}-logs`,
            { stack: scope.stack, roleName: args.roleName, keyArn: args.logKeyArn, tags },
            child,
        );

        const volume: DataVolume = {
            name: "rundeck",
            sizeGb: args.volumeGb,
            deviceName: dataDeviceName(0),
            mountPoint: RUNDECK_VOLUME,
        };
        // Its system logs and metrics to its tier's group, job output and audit logs to its own (logs.ts).
        const telemetry = requireTelemetry(name, args.runsAs);
        const agent = agentBoot({
            telemetry,
            logs: rundeckLogSources(logs.groupName),
            diskPaths: [RUNDECK_VOLUME],
        });
        const host = "rundeck";
        const fqdn = `${host}.${args.dns.domain}`;
        this.url = `https://${fqdn}:${RUNDECK_PORT}`;
        const server = new Server(
            `${name}-server`,
            {
                ...serverSpec(args),
                securityGroupId: ui.id,
                rootVolumeGb: 20,
                dataVolumes: [volume],
                userData: {
                    write_files: [
                        { path: "/etc/yum.repos.d/rundeck.repo", permissions: "0644", content: rundeckRepoFile() },
                        installPackagesFile(),
                        {
                            path: "/usr/local/sbin/prepare-volumes",
                            permissions: "0755",
                            content: prepareVolumesScript([volume]),
                        },
                        {
                            path: "/usr/local/sbin/keep-rundeck-on-volume",
                            permissions: "0755",
                            content: keepOnVolumeScript(),
                        },
                        {
                            path: "/usr/local/sbin/configure-rundeck",
                            permissions: "0755",
                            content: configureRundeckScript(),
                        },
                        { path: SECURE_RUNDECK, permissions: "0700", content: secureRundeckScript() },
                        dataUsersConfigFile(args.dataUsers),
                        { path: DATA_USERS, permissions: "0700", content: dataUsersScript() },
                        ...rotationUnits(),
                        requiresMountsDropIn(
                            "rundeckd",
                            "Never start on the root disk: the data volume and the bind mounts first.",
                            [RUNDECK_VOLUME, ...KEPT],
                        ),
                        ...releaseToolFiles(),
                        ...loadJobsFiles({
                            adminSecretName: rundeckAdminSecretName(scope.stack),
                            region: scope.region,
                            project: rundeckProject(scope.stack),
                            parameter: deployJobParameter(scope.stack),
                        }),
                        ...agent.files,
                        requiresMountsDropIn(
                            CLOUDWATCH_AGENT,
                            "Ship the job output on the data volume, never the root disk's empty directories.",
                            [RUNDECK_VOLUME, ...KEPT],
                        ),
                    ],
                    runcmd: [
                        // Java on its own: in one transaction with Rundeck, a Rundeck repository problem would leave both out.
                        [INSTALL_PACKAGES, JAVA],
                        [INSTALL_PACKAGES, "rundeck"],
                        [INSTALL_PACKAGES, "jq", "mariadb105"], // the data users' job: JSON secrets, the MySQL client (AL2023's package)
                        [INSTALL_PACKAGES, ...AGENT_PACKAGES], // in AL2023's own repository (docs/rundeck.md)
                        ["/usr/local/sbin/prepare-volumes"],
                        ["/usr/local/sbin/keep-rundeck-on-volume"],
                        ["/usr/local/sbin/configure-rundeck", this.url],
                        [SECURE_RUNDECK, rundeckAdminSecretName(scope.stack), scope.region, fqdn],
                        ["systemctl", "daemon-reload"], // the drop-in and the new fstab lines take effect now, not at the next boot
                        ["systemctl", "enable", "--now", "rundeckd"],
                        ...agent.runcmd, // after the mounts and the drop-in: it follows /var/lib/rundeck on the volume
                        ["systemctl", "enable", "--now", "magento-data-users-rotate.timer"],
                        // Enabled, it runs at every boot after Rundeck; --no-block: boot does not wait for Rundeck's start.
                        ["systemctl", "enable", "--now", "--no-block", LOAD_JOBS_UNIT],
                    ],
                },
                internalName: { dns: args.dns, host },
                // The loader reads the job at boot (a missing one fails the unit until the next boot).
                bootDependsOn: [deployJob, deployPolicy],
            },
            child,
        );

        this.securityGroupId = ui.id;
        this.instanceId = server.instanceId;
        this.agentMetrics = { id: server.instanceId, namespace: telemetry.namespace };
        this.volumeId = server.volumeIds[volume.name];
        this.adminSecretArn = admin.secretArn;
        this.registerOutputs({
            url: this.url,
            securityGroupId: this.securityGroupId,
            instanceId: this.instanceId,
            volumeId: this.volumeId,
            adminSecretArn: this.adminSecretArn,
        });
    }
}
