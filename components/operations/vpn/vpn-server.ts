// The operators' OpenVPN server (docs/estate.md): public subnet, Elastic IP, UDP 1194 open to the world, routes
// to every subnet pushed to clients, whose traffic is NATed to the server's own address. Clients need a certificate
// (30 days, revocable) and a TOTP code. The CA lives in a secret only the operators' CA role can read; the server reads
// its own bundle (docs/vpn.md), so a compromised server can neither issue a certificate nor undo a revocation.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../../model/cidr";
import { INSTALL_PACKAGES, installPackagesFile } from "../../compute/cloud-init";
import { AGENT_PACKAGES, agentBoot, AgentMetrics, requireTelemetry } from "../../compute/cloudwatch-agent";
import {
    natRules,
    openvpnServerConfig,
    PAM_SERVICE,
    pamConfig,
    PKI_DIR,
    PKI_FETCH,
    pkiFetchScript,
    SAME_USER,
    sameUserScript,
    VPN_PORT,
} from "./openvpn";
import { ServerSpec } from "../../compute/placement";
import { ElasticIp, publicServer } from "../../compute/server";
import { viaService } from "../../security/kms-conditions";
import { operatorTrustPolicy } from "../../security/trust-policy";

/**
 * Placed in the public subnets (clients connect from the internet), in the operations AZ. The tier's security group is
 * how services admit VPN users; its role may read the server's PKI bundle only.
 */
export interface VpnServerArgs extends ServerSpec {
    /** Its address: its own, or the estate's that the operators' profiles name (docs/migration.md). */
    readonly elasticIp: ElasticIp;
    /** The key of the PKI secrets (docs/access.md, "Keys"); the server's volume stays on the placement's key. */
    readonly secretsKmsKeyArn: pulumi.Input<string>;
    readonly vpcCidr: string;
    /** The subnets clients get routes to (the network's six). */
    readonly routedCidrs: readonly string[];
    /** Addresses handed to clients; NATed to the server's address, so only the server needs to know them. */
    readonly clientCidr: string;
    /** The internal domain, pushed to clients with the VPC's resolver. */
    readonly internalDomain: string;
    /** The stack: the PKI secrets are magento/<stack>/openvpn-pki (the CA) and magento/<stack>/openvpn-server. */
    readonly stack: string;
    readonly region: string;
    /** The VPN tier's role, granted reading the server's PKI bundle. */
    readonly roleName: pulumi.Input<string>;
    /** The account whose principals may assume the CA role (with MFA). */
    readonly accountId: pulumi.Input<string>;
}

/** Oneshot: OpenVPN is enabled but started by the first fetch that installs a PKI (there is none before vpn-pki init). */
function pkiFetchService(): string {
    return [
        "[Unit]",
        "Description=Install the VPN PKI published by vpn-pki (read-only)",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        `ExecStart=${PKI_FETCH} --reload`,
        "",
    ].join("\n");
}
const PKI_FETCH_TIMER = [
    "[Unit]",
    "Description=Install the VPN PKI every 5 minutes",
    "",
    "[Timer]",
    "OnActiveSec=0",
    "OnCalendar=*:0/5",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
].join("\n");

export class VpnServer extends pulumi.ComponentResource {
    public readonly publicIp: pulumi.Output<string>;
    /** The server's instance: its metrics' InstanceId (the dashboard). */
    public readonly instanceId: pulumi.Output<string>;
    /** What the dashboard draws of it: its agent's metrics, by instance id, in its tier's namespace. */
    public readonly agentMetrics: AgentMetrics;
    /** The role operators assume (with MFA) to run vpn-pki. */
    public readonly caRoleArn: pulumi.Output<string>;

    constructor(name: string, args: VpnServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:VpnServer", name, {}, opts);
        const child = { parent: this };
        const vpc = parseCidr(args.vpcCidr);
        if (vpc === undefined) {
            throw new Error(`VpnServer ${name}: ${args.vpcCidr} is not an IPv4 CIDR`);
        }
        const resolver = vpc.network.octets.slice(0, 3).join(".") + `.${vpc.network.octets[3] + 2}`; // AWS: VPC base + 2

        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.placement.vpcId,
                description:
                    "OpenVPN: UDP 1194 from anywhere (operators connect from wherever they are; tls-crypt drops strangers)",
                tags: { ...args.placement.tags, Name: `${name}-sg` },
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-openvpn`,
            {
                securityGroupId: group.id,
                ipProtocol: "udp",
                fromPort: VPN_PORT,
                toPort: VPN_PORT,
                cidrIpv4: "0.0.0.0/0",
                description: "OpenVPN clients",
                tags: { ...args.placement.tags, Name: `${name}-openvpn` },
            },
            child,
        );

        // Two secrets, both created empty: the operators' vpn-pki writes them, Pulumi never sees (or keeps) the keys.
        // The CA (its key, database, OTP secrets) only the CA role may read or write; the server's bundle it writes
        // and the server only reads. The CA keeps the first layout's secret (and URN): vpn-pki init replaces its content.
        const caSecretName = `magento/${args.stack}/openvpn-pki`;
        const serverSecretName = `magento/${args.stack}/openvpn-server`;
        const pkiSecret = (suffix: string, secretName: string, description: string) =>
            new aws.secretsmanager.Secret(
                `${name}-${suffix}`,
                {
                    name: secretName,
                    description,
                    kmsKeyId: args.secretsKmsKeyArn,
                    recoveryWindowInDays: 30,
                    tags: { ...args.placement.tags, Name: `${name}-${suffix}` },
                },
                { ...child, protect: true },
            );
        const caSecret = pkiSecret(
            "pki",
            caSecretName,
            "OpenVPN CA (key, issued and revoked certificates, OTP secrets): the VPN CA role only, never the server",
        );
        const serverSecret = pkiSecret(
            "server-pki",
            serverSecretName,
            "OpenVPN server bundle (CA certificate, server key, tls-crypt key, CRL, OTP secrets): written by vpn-pki, read by the server",
        );
        const viaSecretsManager = viaService("secretsmanager", args.region);
        const policy = (statements: object[]) => pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
        new aws.iam.RolePolicy(
            `${name}-pki`,
            {
                role: args.roleName,
                policy: policy([
                    {
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue", "secretsmanager:ListSecretVersionIds"],
                        Resource: serverSecret.arn,
                    },
                    {
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: args.secretsKmsKeyArn,
                        Condition: viaSecretsManager,
                    },
                ]),
            },
            child,
        );
        // Operators assume it with MFA from the account (scripts/vpn-pki.ts): issuing and revoking happen off the
        // internet-facing path. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
        const caRole = new aws.iam.Role(
            `${name}-ca-role`,
            {
                description:
                    "Operators issuing and revoking VPN certificates (vpn-pki); the VPN server's own role cannot",
                assumeRolePolicy: pulumi.jsonStringify(operatorTrustPolicy(args.accountId)),
                maxSessionDuration: 3600,
                tags: { ...args.placement.tags, Name: `${name}-ca-role` },
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-ca`,
            {
                role: caRole.name,
                policy: policy([
                    {
                        Effect: "Allow",
                        Action: [
                            "secretsmanager:GetSecretValue",
                            "secretsmanager:PutSecretValue",
                            "secretsmanager:ListSecretVersionIds",
                        ],
                        Resource: caSecret.arn,
                    },
                    { Effect: "Allow", Action: "secretsmanager:PutSecretValue", Resource: serverSecret.arn },
                    {
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: args.secretsKmsKeyArn,
                        Condition: viaSecretsManager,
                    },
                ]),
            },
            child,
        );

        const script = (path: string, content: string) => ({ path, permissions: "0700", content });
        const file = (path: string, content: string) => ({ path, permissions: "0644", content });
        // OpenVPN logs to the journal (connections, PAM's verdicts): with the system logs, in the tier's group.
        const telemetry = requireTelemetry(name, args.runsAs);
        const agent = agentBoot({ telemetry, logs: [] });
        const server = publicServer(this, name, {
            ...args,
            securityGroupId: group.id,
            userData: {
                write_files: [
                    installPackagesFile(),
                    script(
                        PKI_FETCH,
                        pkiFetchScript({ secretId: serverSecretName, region: args.region, pkiDir: PKI_DIR }),
                    ),
                    { path: SAME_USER, permissions: "0755", content: sameUserScript() }, // run by the unprivileged OpenVPN
                    file(`/etc/pam.d/${PAM_SERVICE}`, pamConfig(PKI_DIR)),
                    file(
                        "/etc/openvpn/server/magento.conf",
                        openvpnServerConfig({
                            clientCidr: args.clientCidr,
                            routes: args.routedCidrs,
                            dns: { resolver, domain: args.internalDomain },
                            pkiDir: PKI_DIR,
                            pamService: PAM_SERVICE,
                            sameUser: SAME_USER,
                            runAs: { user: "openvpn", group: "openvpn" },
                        }),
                    ),
                    file("/etc/openvpn/server/nat.nft", natRules(args.clientCidr, args.vpcCidr)),
                    // NAT and forwarding come back with the VPN after every reboot.
                    file(
                        "/etc/systemd/system/openvpn-server@magento.service.d/nat.conf",
                        "[Service]\nExecStartPre=/usr/sbin/nft -f /etc/openvpn/server/nat.nft\n",
                    ),
                    // The PKI every 5 minutes (revocations, new users); its first success starts OpenVPN.
                    file("/etc/systemd/system/openvpn-pki-fetch.service", pkiFetchService()),
                    file("/etc/systemd/system/openvpn-pki-fetch.timer", PKI_FETCH_TIMER),
                    file("/etc/sysctl.d/90-openvpn.conf", "net.ipv4.ip_forward = 1\n"),
                    ...agent.files,
                ],
                runcmd: [
                    [INSTALL_PACKAGES, ...AGENT_PACKAGES],
                    ...agent.runcmd,
                    [INSTALL_PACKAGES, "openvpn", "nftables", "google-authenticator"],
                    ["sysctl", "--system"],
                    ["systemctl", "daemon-reload"],
                    ["systemctl", "enable", "openvpn-server@magento"],
                    ["systemctl", "enable", "--now", "openvpn-pki-fetch.timer"],
                ],
            },
        });
        this.publicIp = server.publicIp;
        this.instanceId = server.instanceId;
        this.agentMetrics = { id: server.instanceId, namespace: telemetry.namespace };
        this.caRoleArn = caRole.arn;
        this.registerOutputs({ publicIp: this.publicIp, instanceId: this.instanceId, caRoleArn: this.caRoleArn });
    }
}
