// The matrix of who reaches what (policies/lib/reachability.ts, written for each stack to docs/<stack>/reachability.md),
// enforced: the data services admit only the tiers that use them, Rundeck (which deploys production, root on every
// Magento server) only the VPN's clients, never the VPC range (any compromised server) nor another tier, the gateway
// only the operators' allow-list. Decides during preview: it
// reads groups through property dependencies and CIDRs as the program wrote them.
import { StackValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { describeParty, describePorts, Party, reachability, Reach } from "../../lib/reachability";
import { EC2_SECURITY_GROUP, EC2_SECURITY_GROUP_RULE, VPC_SECURITY_GROUP_INGRESS_RULE } from "../../lib/types";

interface Config {
    allowedSources?: Record<string, string[]>;
    vpnOnly?: string[];
    allowListOnly?: string[];
}

/** This program's wiring (infra/data.ts): MySQL for Magento, Rundeck's jobs and the side applications; the rest for Magento. */
const ALLOWED_SOURCES: Record<string, string[]> = {
    database: ["web", "backoffice", "rundeck", "sideapps"],
    redis: ["web", "backoffice"],
    search: ["web", "backoffice", "rundeck"], // Rundeck: the release's setup job creates Magento's search users
    efs: ["web", "backoffice", "datasync"], // DataSync: the estate's copy while it moves in (components/storage/nfs-sync.ts)
    nfs: ["web", "backoffice"],
};
/** The tier whose group VPN clients are masqueraded to (components/operations/vpn/vpn-server.ts). */
const VPN_TIER = "vpn";

/** The key of a target in allowedSources: its kind for a service, its name for a tier. */
const keyOf = (target: Party) => (target.kind === "tier" ? target.name : target.kind);

function problem(row: Reach, config: Config): string | undefined {
    const key = keyOf(row.target);
    const allowed = (config.allowedSources ?? ALLOWED_SOURCES)[key];
    if (allowed !== undefined && !(row.source.kind === "tier" && allowed.includes(row.source.name))) {
        return `only the tiers that use it may reach it (${allowed.join(", ")})`;
    }
    if (
        row.target.kind === "tier" &&
        (config.vpnOnly ?? ["rundeck"]).includes(key) &&
        !(row.source.kind === "tier" && row.source.name === VPN_TIER)
    ) {
        return "it admits only the VPN's clients (through the vpn tier's group)";
    }
    if (
        row.target.kind === "tier" &&
        (config.allowListOnly ?? ["gateway"]).includes(key) &&
        row.source.kind !== "allow-list"
    ) {
        return "it admits only the operators' allow-list (its AllowedSources, from the stack's operatorCidrs and partnerCidrs)";
    }
    return undefined;
}

export const reachabilityPolicy: StackValidationPolicy = {
    name: "reachability",
    description:
        "From the security groups alone: MySQL, Redis, OpenSearch, EFS and the NFS server admit only the tiers that use them; Rundeck only the VPN's clients (not the VPC range); the gateway only the operators' allow-list.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedSources: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "string" } },
                default: ALLOWED_SOURCES,
                description:
                    "Per service kind (database, redis, search, efs) or server tier (nfs): the tiers that may reach it.",
            },
            vpnOnly: {
                type: "array",
                items: { type: "string" },
                default: ["rundeck"],
                description: "Tiers reachable only from the VPN's clients (the vpn tier's group).",
            },
            allowListOnly: {
                type: "array",
                items: { type: "string" },
                default: ["gateway"],
                description: "Tiers reachable only from the operators' allow-list.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        for (const row of reachability(args.resources)) {
            const why = problem(row, config);
            if (why !== undefined) {
                reportViolation(
                    `${describeParty(row.target)} admits ${describeParty(row.source)} on ${describePorts(row)} (${row.rule}): ${why}.`,
                    row.ruleUrn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_SECURITY_GROUP, VPC_SECURITY_GROUP_INGRESS_RULE, EC2_SECURITY_GROUP_RULE],
    decides:
        "Decides during preview from the groups' property dependencies, their Tier tags and the CIDRs as the program writes them.",
    remediation:
        "Admit each data service only from the security groups of the tiers that use it, Rundeck only from the VPN clients' group, and the gateway only from the operators' allow-list.",
    controls: controls({}),
};
