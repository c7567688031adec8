// Who will run where: each tier's security group and role exist before the services that admit them, and the
// operators' shells on every tier (Session Manager).
import * as pulumi from "@pulumi/pulumi";
import { parameterPathArn } from "../components/data/app-parameters";
import { ServerTier, ServerTierArgs } from "../components/compute/server-tier";
import { gatewayConfigParameter } from "../components/operations/gateway/gateway";
import { SessionManager } from "../components/operations/session-manager";
import { Client } from "../components/network/clients";
import { SIDE_APP_TIER, SIDE_APPS, sideAppParameterPath, SideAppName } from "../model/side-apps";
import { StackContext } from "./context";
import { NetworkLayer } from "./network";
import { Telemetry } from "./security";

export interface ServerTiers {
    readonly web: ServerTier;
    readonly backOffice: ServerTier;
    readonly rundeck: ServerTier;
    /** Each side application's own tier (model/side-apps.ts). */
    readonly sideApps: Readonly<Record<SideAppName, ServerTier>>;
    readonly gateway: ServerTier;
    readonly vpn: ServerTier;
    readonly windows: ServerTier;
    /** EC2 Image Builder's build and test instances, in the stack that builds release images (infra/release.ts). */
    readonly builder: ServerTier | undefined;
    /** Magento's two tiers as clients of the data services. */
    readonly magento: readonly Client[];
    /** The tiers' roles, which the data keys' policies forbid administering them. */
    readonly roleArns: pulumi.Output<string>[];
    readonly sessions: SessionManager;
    /** Another tier like these, reading the stack's parameters: the NFS server's, built only with NFS. */
    readonly tier: (name: string, purpose: string, egress?: Egress) => ServerTier;
}

// Egress is an allow-list (docs/network.md): the VPC endpoints, S3, the services that admit the tier, and to the
// internet only the ports named here. `tier`: a Tier tag other than the name (the side applications' kind). Every
// Linux tier's CloudWatch agent writes to a log group of its own: `servers` says whether they run in Auto Scaling
// groups, `none` for the tiers without the agent (Windows, the image builds).
type Egress = Pick<ServerTierArgs, "internetPorts" | "forwardTo"> &
    Partial<Pick<ServerTierArgs, "parameterPathArn" | "tier">> & { readonly servers?: "scaled" | "single" | "none" };

const HTTPS_OUT = { internetPorts: [443] }; // payment, shipping and PIM APIs; Rundeck's package repository

export function serverTiers(
    { config, prefix, accountId }: StackContext,
    { network: vpc }: NetworkLayer,
    telemetry: Telemetry,
): ServerTiers {
    const readableParameters = parameterPathArn(config.stack, config.region, accountId);
    const tier = (name: string, purpose: string, { servers = "single", ...egress }: Egress = {}) =>
        new ServerTier(`${prefix}-${name}`, {
            tier: name,
            vpcId: vpc.vpcId,
            purpose,
            parameterPathArn: readableParameters,
            endpoints: vpc.endpoints,
            ...egress,
            telemetry:
                servers === "none"
                    ? undefined
                    : { stack: config.stack, group: name, keyArn: telemetry.keyArn, scaled: servers === "scaled" },
            tags: config.tags,
        });
    const scaled = { ...HTTPS_OUT, servers: "scaled" as const };
    const web = tier("web", "Magento front-end servers", scaled);
    const backOffice = tier("backoffice", "Magento back-office server: admin, cron, indexers, imports", scaled);
    const rundeck = tier("rundeck", "Rundeck: one-button deployment jobs", HTTPS_OUT);
    // Each side application a tier of its own, reading its own path, none of Magento's nor another application's: the
    // internet-facing connectors must not read the cash-out's database password (docs/sideapps.md). Tagged with their
    // kind, which the packs know.
    const sideApps = Object.fromEntries(
        SIDE_APPS.map((app) => [
            app.name,
            tier(app.tier.name, app.tier.description, {
                ...scaled,
                tier: SIDE_APP_TIER,
                parameterPathArn: pulumi.interpolate`arn:aws:ssm:${config.region}:${accountId}:parameter${sideAppParameterPath(config.stack, app.name)}`,
            }),
        ]),
    ) as Record<SideAppName, ServerTier>;
    // The gateway reads one parameter, its haproxy.cfg, kept outside the stack's path (components/operations/gateway/gateway.ts).
    const gateway = tier(
        "gateway",
        "HAProxy gateway: the services a stack opens to the internet, each to its own addresses",
        {
            parameterPathArn: pulumi.interpolate`arn:aws:ssm:${config.region}:${accountId}:parameter${gatewayConfigParameter(config.stack)}`,
        },
    );
    const vpn = tier("vpn", "OpenVPN server: operator access to every subnet", { forwardTo: [config.network.vpcCidr] });
    const windows = tier("windows", "Windows host of the custom application", {
        internetPorts: [80, 443], // Windows Update uses both
        servers: "none",
    });
    // Egress to the endpoints and S3 only (packages come from AL2023's repositories in S3); it reads no parameter.
    const builder = config.release.builds
        ? tier("builder", "EC2 Image Builder build and test instances of the release images", {
              parameterPathArn: pulumi.interpolate`arn:aws:ssm:${config.region}:${accountId}:parameter/magento/${config.stack}/release`,
              servers: "none", // a build's output is Image Builder's logs (docs/release-image.md)
          })
        : undefined;
    // Operators' shells on every tier: Session Manager with the stack's logged, encrypted preferences, MFA, this stack only.
    const sessions = new SessionManager(`${prefix}-sessions`, {
        stack: config.stack,
        region: config.region,
        accountId,
        keyArn: telemetry.keyArn,
        idleTimeoutMinutes: 20,
        tags: config.tags,
        tierRoleNames: {
            web: web.roleName,
            backoffice: backOffice.roleName,
            rundeck: rundeck.roleName,
            ...Object.fromEntries(SIDE_APPS.map((app) => [app.tier.name, sideApps[app.name].roleName])),
            gateway: gateway.roleName,
            vpn: vpn.roleName,
            windows: windows.roleName,
            // A failed build kept (magento:keepFailedBuilds) is reached like any server, logged.
            ...(builder ? { builder: builder.roleName } : {}),
        },
    });
    return {
        web,
        backOffice,
        rundeck,
        sideApps,
        gateway,
        vpn,
        windows,
        builder,
        magento: [web.asClient("web"), backOffice.asClient("backoffice")],
        roleArns: [
            web,
            backOffice,
            rundeck,
            ...Object.values(sideApps),
            gateway,
            vpn,
            windows,
            ...(builder ? [builder] : []),
        ].map((t) => t.roleArn),
        sessions,
        tier,
    };
}
