// The side applications (docs/sideapps.md): the PIM, the order connector and the cash-out connector, each a
// self-healing single server of its own tier behind the shop's load balancer on its own host name, with a database
// user of its own in the side applications' database, and the release an operator names in the stack's parameter.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { agentBoot, NGINX_LOGS, phpFpmLogs, requireTelemetry } from "../components/compute/cloudwatch-agent";
import { GeneratedSecret } from "../components/security/generated-secret";
import { viaService } from "../components/security/kms-conditions";
import { releasePrefix, sideAppBootConfig } from "../components/sideapps/boot";
import { FtpDrop } from "../components/sideapps/ftp-drop";
import { forwardedPorts, ORDERS_FTP } from "../model/gateway-services";
import { SideApp } from "../components/sideapps/side-app";
import {
    SIDE_APP_TIER,
    SIDE_APPS,
    sideAppHost,
    sideAppParameterPath,
    sideAppPriorityProblems,
    sideAppRules,
} from "../model/side-apps";
import { StackContext } from "./context";
import { DataLayer } from "./data";
import { Keys } from "./security";
import { SingleServers } from "./servers";
import { StorageLayer } from "./storage";
import { ServerTiers } from "./tiers";
import { LoadBalancing } from "./web";
import { NetworkLayer } from "./network";

export interface SideApps {
    readonly apps: Readonly<Record<string, SideApp>>;
    /** Each application's database secret (its user's name and password). */
    readonly databaseSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** The order connector's FTP drop, when the stack's gatewayServices lists its pair. */
    readonly ftp: FtpDrop | undefined;
}

export function sideApps(
    { config, prefix, accountId }: StackContext,
    tiers: ServerTiers,
    keys: Keys,
    data: DataLayer,
    storage: StorageLayer,
    { loadBalancer }: LoadBalancing,
    singleServer: SingleServers,
    { internalZone }: NetworkLayer,
    /** The gateway's Elastic IP: PASV's answer when the order connector's FTP is opened to the internet. */
    gatewayPublicIp: pulumi.Output<string>,
): SideApps {
    const { tags } = config;
    const bucket = storage.buckets;
    const problems = sideAppPriorityProblems(SIDE_APPS);
    if (problems.length > 0) {
        throw new Error(`model/side-apps.ts SIDE_APPS: ${problems.join("; ")}`);
    }
    const built = SIDE_APPS.map((app) => {
        const tier = tiers.sideApps[app.name];
        loadBalancer.admit(app.tier.name, tier.securityGroupId);
        const spec = singleServer(tier, "private");
        const secret = new GeneratedSecret(`${prefix}-${app.name}-db`, {
            description: `${app.name}'s MySQL user in the side applications' database`,
            length: 32,
            specials: "", // written into a MySQL option file, where # and quotes would need escaping
            document: (password) => ({ username: app.name, password }),
            kmsKeyArn: keys.secrets,
            tags,
        });
        // Its parameters' path, and the one there the operator sets to the version it runs (docs/sideapps.md,
        // "Deploying a release").
        const path = sideAppParameterPath(config.stack, app.name);
        const parameter = `${path}/release`;
        // The operator's parameter, read at deploy time by its path (absent, the lookup answers an empty list:
        // https://www.pulumi.com/registry/packages/aws/api-docs/ssm/getparametersbypath/): no server before a release.
        const size = aws.ssm.getParametersByPath({ path }).then((found) => (found.names.includes(parameter) ? 1 : 0));
        // Its boot reads, nothing else, on its own tier's role: its own parameters (GetParametersByPath is authorised on the path itself), its
        // release's objects, its own secret (the secrets key through Secrets Manager only, the storage key through S3
        // only: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
        const pathArn = pulumi.interpolate`arn:aws:ssm:${config.region}:${accountId}:parameter${path}`;
        // Named `sideapps-<app>-boot` when the three shared the PIM's tier: the PIM's keeps that state.
        const formerly = { name: `${prefix}-sideapps-${app.name}-boot` };
        const renamed = app.tier.name === SIDE_APP_TIER;
        const grant = tier.grant(
            "boot",
            [
                { Effect: "Allow", Action: "ssm:GetParametersByPath", Resource: pathArn },
                {
                    Effect: "Allow",
                    Action: ["ssm:GetParameter", "ssm:GetParameters"],
                    Resource: pulumi.interpolate`${pathArn}/*`,
                },
                { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret.secretArn },
                {
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: keys.secrets,
                    Condition: viaService("secretsmanager", config.region),
                },
                {
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: pulumi.interpolate`${bucket.configBucketArn}/${releasePrefix(app.name)}*`,
                },
                {
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: keys.storage,
                    Condition: viaService("s3", config.region),
                },
            ],
            renamed ? [formerly] : [],
        );
        const ftp = app.ftp ? orderFtp(app.name, tier) : undefined;
        const boot = (pasvAddress?: string) =>
            sideAppBootConfig({
                app: app.name,
                region: config.region,
                parameterPath: path,
                cron: app.cron,
                agent: agentBoot({
                    telemetry: requireTelemetry(app.name, tier),
                    logs: [...NGINX_LOGS, ...phpFpmLogs()],
                }),
                ftp: ftp && { ...ftp.boot, pasvAddress },
            });
        // PASV answers with the gateway's address only when the pair is opened there (else the server's own, which VPN
        // clients reach); in the user data, so that opening or closing it rolls a new server out.
        const userData = config.ordersFtp?.onInternet && ftp ? gatewayPublicIp.apply(boot) : boot();
        const server = new SideApp(`${prefix}-${app.name}`, {
            ...spec,
            placement: { ...spec.placement, availabilityZone: undefined }, // every AZ: replaced in another when its AZ fails
            app: app.name,
            host: sideAppHost(app, config.domain),
            rules: sideAppRules(app, config.operatorCidrs),
            listenerArn: loadBalancer.httpsListenerArn,
            rootVolumeGb: 20,
            userData,
            size,
            parameters: {
                path,
                values: {
                    bucket: bucket.configBucketName,
                    "db/host": data.sideDatabase.address,
                    "db/name": app.name,
                    "db/secret-arn": secret.secretArn,
                    ...(ftp?.parameters ?? {}),
                },
            },
            bootDependsOn: [secret, grant, ...(ftp?.bootDependsOn ?? [])],
        });
        return { name: app.name, server, secretArn: secret.secretArn, ftpDrop: ftp?.drop };
    });
    return {
        apps: Object.fromEntries(built.map((b) => [b.name, b.server])),
        databaseSecretArns: Object.fromEntries(built.map((b) => [b.name, b.secretArn])),
        ftp: built.find((b) => b.ftpDrop)?.ftpDrop,
    };

    /**
     * The order connector's FTP drop (docs/sideapps.md, "FTP for the order connector"): its secrets, name and admissions,
     * what its boot reads, and its grants: the two secrets (the certificate's written at first boot) and its own A
     * record, UPSERT only, in the internal zone alone, by Route 53's fine-grained conditions
     * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-conditions-route53.html).
     */
    function orderFtp(app: string, tier: ServerTiers["sideApps"][keyof ServerTiers["sideApps"]]) {
        const pair = config.ordersFtp;
        if (pair === undefined) {
            return undefined;
        }
        const names: readonly string[] = [ORDERS_FTP.control, ORDERS_FTP.passive];
        const drop = new FtpDrop(`${prefix}-${app}-ftp`, {
            securityGroupId: tier.securityGroupId,
            gatewaySecurityGroupId: tiers.gateway.securityGroupId,
            proxiedPorts: forwardedPorts(config.gatewayInternet, (service) => names.includes(service.name)),
            vpnSecurityGroupId: tiers.vpn.securityGroupId,
            vpnPorts: [pair.control, pair.passive].map(({ fromPort, toPort }) => ({ fromPort, toPort })),
            dns: internalZone.dns,
            host: ORDERS_FTP.host,
            kmsKeyArn: keys.secrets,
            tags,
        });
        const grant = tier.grant("ftp", [
            {
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: [drop.passwordSecretArn, drop.certificateSecretArn],
            },
            { Effect: "Allow", Action: "secretsmanager:PutSecretValue", Resource: drop.certificateSecretArn },
            {
                Effect: "Allow",
                Action: "kms:GenerateDataKey",
                Resource: keys.secrets,
                Condition: viaService("secretsmanager", config.region),
            },
            {
                Effect: "Allow",
                Action: "route53:ChangeResourceRecordSets",
                Resource: pulumi.interpolate`arn:aws:route53:::hostedzone/${internalZone.zoneId}`,
                Condition: {
                    "ForAllValues:StringEquals": {
                        "route53:ChangeResourceRecordSetsNormalizedRecordNames": [drop.fqdn],
                        "route53:ChangeResourceRecordSetsRecordTypes": ["A"],
                        "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
                    },
                },
            },
        ]);
        return {
            drop,
            boot: {
                fqdn: drop.fqdn,
                listenPort: pair.control.fromPort,
                passive: { fromPort: pair.passive.fromPort, toPort: pair.passive.toPort },
            },
            parameters: {
                "ftp/password-arn": drop.passwordSecretArn,
                "ftp/certificate-arn": drop.certificateSecretArn,
                "ftp/zone-id": internalZone.zoneId,
            },
            bootDependsOn: [...drop.bootDependsOn, grant],
        };
    }
}
