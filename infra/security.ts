// The stack's keys: security telemetry's first (the network's flow logs need it), then, once the server tiers exist,
// the data and secrets keys and the audit logs' key, whose policies name the tiers' roles.
import * as pulumi from "@pulumi/pulumi";
import { AuditLogKey } from "../components/security/audit-logs";
import { DataKey } from "../components/security/data-key";
import { ServiceLinkedRoles } from "../components/security/service-linked-roles";
import { TelemetryKey } from "../components/security/telemetry-key";
import { SIDE_APPS } from "../model/side-apps";
import { StackContext } from "./context";
import { ServerTiers } from "./tiers";

export interface Telemetry {
    /** Encrypts flow, WAF, session and Rundeck logs and the alarm topic. */
    readonly keyArn: pulumi.Output<string>;
}

/** Every tier whose role the telemetry key's policy names (by pattern: the roles are created after the network). */
const SERVER_TIERS = [
    "web",
    "backoffice",
    "rundeck",
    ...SIDE_APPS.map((app) => app.tier.name),
    "gateway",
    "vpn",
    "windows",
    "nfs",
    "builder",
];

/**
 * Security telemetry (flow, WAF and session logs, the alarm topic) is encrypted with a key of its own. Its policy keeps
 * the server roles from administering it; they are created after the network, which needs the key, so it names them
 * by their autonamed ARNs' pattern (<prefix>-<tier>-role-<suffix>).
 */
export function telemetry({ config, prefix, accountId }: StackContext): Telemetry {
    const key = new TelemetryKey(`${prefix}-telemetry`, {
        alias: `${prefix}-telemetry`,
        accountId,
        region: config.region,
        tags: config.tags,
        serverRoleArns: SERVER_TIERS.map(
            (t) => pulumi.interpolate`arn:aws:iam::${accountId}:role/${prefix}-${t}-role-*`,
        ),
    });
    return { keyArn: key.keyArn };
}

export interface Keys {
    /** Data at rest; it outlives the stack: the final snapshots and kept backups are encrypted with it (docs/teardown.md). */
    readonly storage: pulumi.Output<string>;
    /** The secrets of the components that hold one next to their data (database, caches, search, VPN). */
    readonly secrets: pulumi.Output<string>;
    /** The data tier's audit logs (MySQL, OpenSearch), kept as PCI DSS 10.5.1 asks. */
    readonly auditLog: pulumi.Output<string>;
    /** The service-linked roles, adopted or created: the key's policy names Auto Scaling's, the search domain needs OpenSearch's. */
    readonly linkedRoles: ServiceLinkedRoles;
}

/**
 * Two keys (issue 13): data at rest, and secrets. Server roles use them through their grants, never administer them.
 * Rundeck's admin password is still on the storage key (docs/access.md, "Keys").
 */
export function dataKeys({ config, prefix, accountId }: StackContext, tiers: ServerTiers): Keys {
    const tags = config.tags;
    const linkedRoles = new ServiceLinkedRoles(`${prefix}-linked-roles`, { tags });
    const serverRoleArns = tiers.roleArns;
    const keyOf = (name: string, purpose: string, outlivesStack = false) =>
        new DataKey(`${prefix}-${name}`, {
            alias: `${prefix}-${name}`,
            purpose,
            accountId,
            autoScalingRoleArn: linkedRoles.roleArns["autoscaling.amazonaws.com"],
            serverRoleArns,
            outlivesStack,
            tags,
        }).keyArn;
    const storage = keyOf("data", "Data at rest", true);
    const secrets = keyOf("secrets", "Secrets");
    const auditLog = new AuditLogKey(`${prefix}-data-audit`, { accountId, region: config.region, serverRoleArns, tags })
        .keyArn;
    return { storage, secrets, auditLog, linkedRoles };
}
