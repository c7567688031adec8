// Operations: the operators' ways in (the gateway and the VPN, in the operations AZ's public subnet, each with an
// Elastic IP that survives a rebuild), then the single servers inside: Rundeck and the Windows host, their data on
// protected volumes, reachable only from inside.
import * as pulumi from "@pulumi/pulumi";
import { appSecretNames, MAGENTO_INDEX_PREFIX } from "../components/data/app-credentials";
import { windowsServerOrPinned } from "../components/compute/images";
import { Gateway, gatewayConfigParameter } from "../components/operations/gateway/gateway";
import { DatabaseAccess } from "../components/operations/database-access";
import { Rundeck } from "../components/operations/rundeck/rundeck";
import { VpnServer } from "../components/operations/vpn/vpn-server";
import { WindowsHost } from "../components/operations/windows/windows-host";
import { viaService } from "../components/security/kms-conditions";
import { forwardedPorts } from "../model/gateway-services";
import { StackContext } from "./context";
import { AppSettings, DataLayer } from "./data";
import { NetworkLayer } from "./network";
import { Keys, Telemetry } from "./security";
import { SingleServers } from "./servers";
import { ServerTiers } from "./tiers";

export interface Operations {
    readonly gateway: Gateway;
    readonly vpn: VpnServer;
    readonly rundeck: Rundeck;
    readonly databaseAccess: DatabaseAccess;
    readonly windows: WindowsHost;
}

/**
 * The release's setup step on Rundeck (components/operations/rundeck/data-users.ts): it finds the shop database and the
 * search domain, reads their master credentials (the search master's only to retire it), and writes Magento's users' secrets.
 */
export function setupJobAccess(
    { config, accountId }: StackContext,
    tiers: ServerTiers,
    data: DataLayer,
    app: AppSettings,
): void {
    const { database, search, masterSecretKeys } = data;
    const { credentials } = app;
    tiers.rundeck.grant("data-setup", [
        {
            Effect: "Allow" as const,
            Action: "rds:DescribeDBInstances",
            Resource: pulumi.interpolate`arn:aws:rds:${config.region}:${accountId}:db:*`,
        },
        { Effect: "Allow" as const, Action: "es:DescribeDomain", Resource: search.domainArn },
        { Effect: "Allow" as const, Action: "sts:AssumeRole", Resource: search.adminRoleArn }, // it signs as the domain's admin
        { Effect: "Allow" as const, Action: "secretsmanager:ListSecrets", Resource: "*" }, // names and tags only; it finds the search master by its tag
        {
            Effect: "Allow" as const,
            Action: "secretsmanager:GetSecretValue",
            Resource: [
                database.masterSecretArn,
                search.masterSecretArn,
                credentials.databaseSecretArn,
                credentials.searchSecretArn,
            ],
        },
        {
            Effect: "Allow" as const,
            Action: "secretsmanager:PutSecretValue",
            Resource: [credentials.databaseSecretArn, credentials.searchSecretArn],
        },
        // The masters' keys; the storage key also holds Rundeck's own admin password (components/operations/rundeck/rundeck.ts).
        {
            Effect: "Allow" as const,
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: masterSecretKeys,
            Condition: viaService("secretsmanager", config.region),
        },
    ]);
}

export function operations(
    { config, prefix, accountId }: StackContext,
    { network: vpc, internalZone }: NetworkLayer,
    tiers: ServerTiers,
    keys: Keys,
    telemetry: Telemetry,
    data: DataLayer,
    singleServer: SingleServers,
): Operations {
    const dns = internalZone.dns;
    const gatewayConfig = gatewayConfigParameter(config.stack);
    const gateway = new Gateway(`${prefix}-haproxy`, {
        ...singleServer(tiers.gateway, "public"),
        services: config.gatewayInternet,
        // The operators' and the partners' addresses: the gateway alone admits partners (review of 4 Dec, I-F11).
        allowedSources: config.gatewaySources,
        elasticIp: { keptAllocationId: config.keptAddresses.gateway },
        configParameterName: gatewayConfig,
        region: config.region,
        grantConfigRead: (arn) =>
            tiers.gateway.grant("haproxy-config", [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: arn }]),
    });
    const vpn = new VpnServer(`${prefix}-openvpn`, {
        ...singleServer(tiers.vpn, "public"),
        elasticIp: { keptAllocationId: config.keptAddresses.vpn },
        vpcCidr: config.network.vpcCidr,
        // In AZ-name order: the pushed routes (user data) stay the same when the AZs are listed in another order.
        routedCidrs: [config.network.publicSubnetCidrs, config.network.privateSubnetCidrs].flatMap((tier) =>
            vpc.availabilityZones.map((az) => tier[az]),
        ),
        clientCidr: config.vpnClientCidr,
        internalDomain: config.internalDomain,
        stack: config.stack,
        region: config.region,
        roleName: tiers.vpn.roleName,
        accountId,
        secretsKmsKeyArn: keys.secrets,
    });

    const { database, search } = data;
    const secretNames = appSecretNames(config.stack);
    const rundeck = new Rundeck(`${prefix}-rundeck`, {
        ...singleServer(tiers.rundeck, "private"),
        roleName: tiers.rundeck.roleName,
        vpnSecurityGroupId: tiers.vpn.securityGroupId,
        logKeyArn: telemetry.keyArn, // job output and audit logs, with the other security logs
        volumeGb: 50,
        deployScope: { region: config.region, accountId, stack: config.stack, prefix, tiers: ["web", "backoffice"] },
        dns,
        dataUsers: {
            region: config.region,
            databaseNameTag: database.nameTag,
            schema: "magento",
            databaseSecretName: secretNames.database,
            searchDomain: search.domainName,
            searchMasterTag: search.masterSecretTag,
            searchAdminRole: search.adminRoleName,
            searchSecretName: secretNames.search,
            indexPrefix: MAGENTO_INDEX_PREFIX,
        },
    });

    // Operators' read-only way into the shop's database: a port forwarded through Rundeck, which the database admits.
    // The side applications' database admits only their servers (docs/database-access.md).
    const databaseAccess = new DatabaseAccess(`${prefix}-db-access`, {
        stack: config.stack,
        region: config.region,
        accountId,
        throughTier: tiers.rundeck.tier,
        databases: [{ name: "shop", host: database.address, port: database.port, resourceId: database.resourceId }],
        tags: config.tags,
    });

    // Operators reach the Windows host's services through the VPN; the gateway forwards only those open to the internet.
    const onWindows = <T extends { target: string }>(s: T) => s.target === `windows.${config.internalDomain}`;
    const windowsServices = config.gatewayServices.filter(onWindows);
    const ftpPassive = windowsServices.find((s) => s.name === "ftp-passive");
    const ftpOnInternet = config.gatewayInternet.some((e) => e.service.name === "ftp");
    const windows = new WindowsHost(`${prefix}-windows`, {
        ...singleServer(tiers.windows, "private", {
            image: windowsServerOrPinned(config.windows.amiId),
            instanceType: config.windows.instanceType,
        }),
        gatewaySecurityGroupId: tiers.gateway.securityGroupId,
        // Exactly the ports the gateway forwards to it.
        proxiedPorts: forwardedPorts(config.gatewayInternet, onWindows),
        gatewaySubnetCidr: config.network.publicSubnetCidrs[config.network.operationsAz], // the gateway's and the VPN server's: the operations AZ's public subnet
        ftp: ftpPassive && {
            fromPort: ftpPassive.fromPort,
            toPort: ftpPassive.toPort,
            externalAddress: ftpOnInternet ? gateway.publicIp : undefined,
        },
        vpnSecurityGroupId: tiers.vpn.securityGroupId,
        vpnPorts: windowsServices.map(({ fromPort, toPort }) => ({ fromPort, toPort })),
        volumes: [
            { label: "data", driveLetter: "D", sizeGb: 200 },
            { label: "apps", driveLetter: "E", sizeGb: 100 },
        ],
        dns,
    });
    return { gateway, vpn, rundeck, databaseAccess, windows };
}
