// What the order connector's FTP drop needs outside its server (docs/sideapps.md, "FTP for the order connector"): the
// FTP user's generated password and the TLS certificate's secret (the server writes it at first boot), the internal
// name the server claims at boot, and its tier's admission of the gateway and the VPN on the FTP ports alone.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { admit, PortRange, rangeName } from "../network/clients";
import { InternalDns } from "../network/internal-zone";
import { GeneratedSecret, keptSecret } from "../security/generated-secret";
import { FTP_LAYOUT, FTP_RECORD_TTL } from "./ftp-boot";

export interface FtpDropArgs {
    /** The application's tier's security group, which admits the FTP clients' ways in. */
    readonly securityGroupId: pulumi.Input<string>;
    /** The gateway's group and the ports it forwards here (the pair's, when opened to the internet; else none). */
    readonly gatewaySecurityGroupId: pulumi.Input<string>;
    readonly proxiedPorts: readonly PortRange[];
    /** The VPN server's group (clients are masqueraded to it) and the pair's ports, which operators reach. */
    readonly vpnSecurityGroupId: pulumi.Input<string>;
    readonly vpnPorts: readonly PortRange[];
    /** The zone and the host the server claims (orders-ftp). */
    readonly dns: InternalDns;
    readonly host: string;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** Before the first server boots the name points at TEST-NET-1 (RFC 5737), which nothing answers. */
const NOBODY = "192.0.2.1";

export class FtpDrop extends pulumi.ComponentResource {
    public readonly fqdn: string;
    public readonly passwordSecretArn: pulumi.Output<string>;
    public readonly certificateSecretArn: pulumi.Output<string>;
    /** What the server's boot needs in place first: the password's value. */
    public readonly bootDependsOn: pulumi.Resource[];

    constructor(name: string, args: FtpDropArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:sideapps:FtpDrop", name, {}, opts);
        const child = { parent: this };
        const password = new GeneratedSecret(
            `${name}-user`,
            {
                description: `The FTP user ${FTP_LAYOUT.user} of the order connector's drop`,
                length: 32,
                specials: "", // fed to chpasswd as user:password
                document: (value) => ({ username: FTP_LAYOUT.user, password: value }),
                kmsKeyArn: args.kmsKeyArn,
                tags: args.tags,
            },
            child,
        );
        // No value from the program: the first server makes the certificate and writes it (its key never in state).
        const certificate = keptSecret(this, `${name}-tls`, {
            description: "TLS certificate and key of the order connector's FTP drop ({certificate, privateKey}, PEM)",
            kmsKeyArn: args.kmsKeyArn,
            tags: args.tags,
        });
        this.fqdn = `${args.host}.${args.dns.domain}`;
        // The program owns the record's life (a destroy deletes it); the server its address (UPSERT at boot).
        new aws.route53.Record(
            `${name}-dns`,
            { zoneId: args.dns.zoneId, name: this.fqdn, type: "A", ttl: FTP_RECORD_TTL, records: [NOBODY] },
            { ...child, ignoreChanges: ["records"] },
        );
        const ways = [
            { from: "gateway", group: args.gatewaySecurityGroupId, ranges: args.proxiedPorts, what: "HAProxy gateway" },
            { from: "vpn", group: args.vpnSecurityGroupId, ranges: args.vpnPorts, what: "VPN clients" },
        ];
        for (const { from, group, ranges, what } of ways) {
            for (const ports of ranges) {
                admit(this, `${name}-from-${from}-${rangeName(ports)}`, {
                    securityGroupId: args.securityGroupId,
                    source: { securityGroupId: group },
                    ports,
                    description: `${what}: FTP`,
                    tags: args.tags,
                });
            }
        }
        this.passwordSecretArn = password.secretArn;
        this.certificateSecretArn = certificate.arn;
        this.bootDependsOn = [password];
        this.registerOutputs({
            passwordSecretArn: this.passwordSecretArn,
            certificateSecretArn: this.certificateSecretArn,
        });
    }
}
