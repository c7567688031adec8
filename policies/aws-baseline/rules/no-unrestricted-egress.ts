// A compromised web server or data service must not talk to anything it likes: the security groups of the web tiers
// and of the data services hold no egress of every protocol, or of every port, to the whole internet. What they may
// reach is listed (docs/network.md): the data services, the VPC endpoints, HTTPS out for the shop's payment and
// shipping APIs. A data service needs no egress at all: its security group answers the connections it admits.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TIER_TAG } from "../../lib/contracts";
import {
    describeIngress,
    egresses,
    EGRESS_TYPES,
    ownerOf,
    protocolName,
    SECURITY_GROUPS,
    WHOLE_INTERNET,
} from "../../lib/ingress";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType } from "../../lib/stack";
import { knownTags } from "../../lib/values";
import {
    EFS_MOUNT_TARGET,
    ELASTICACHE_REPLICATION_GROUP,
    RDS_CLUSTER,
    RDS_INSTANCE,
    SEARCH_DOMAINS,
} from "../../lib/types";

interface Config {
    tiers?: string[];
}

/** The data services and the properties naming their security groups. */
const DATA_SERVICES: [string[], string][] = [
    [[RDS_INSTANCE, RDS_CLUSTER], "vpcSecurityGroupIds"],
    [[ELASTICACHE_REPLICATION_GROUP], "securityGroupIds"],
    [SEARCH_DOMAINS, "vpcOptions"],
    [[EFS_MOUNT_TARGET], "securityGroups"],
];

/** Each guarded group with what it is, for the message. */
function guardedGroups(resources: readonly PolicyResource[], tiers: readonly string[]): Map<PolicyResource, string> {
    const guarded = new Map<PolicyResource, string>();
    for (const group of ofType(resources, ...SECURITY_GROUPS)) {
        const tier = knownTags(group.props).find(([k]) => k === TIER_TAG)?.[1];
        if (tier !== undefined && tiers.includes(tier)) {
            guarded.set(group, `the ${tier} tier`);
        }
    }
    for (const [types, property] of DATA_SERVICES) {
        for (const service of ofType(resources, ...types)) {
            dependsOn(service, property, ...SECURITY_GROUPS).forEach((g) =>
                guarded.set(g, `data service ${service.name}`),
            );
        }
    }
    return guarded;
}

export const noUnrestrictedEgress: StackValidationPolicy = {
    name: "no-unrestricted-egress",
    description:
        "Security groups of the web tiers (Tier tag) and of the data services (RDS, ElastiCache, OpenSearch, EFS mount targets) allow no egress of all protocols or all ports to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            tiers: {
                type: "array",
                items: { type: "string" },
                default: ["web", "backoffice"],
                description: "Tier tag values of the web tiers whose egress is held to an allow-list.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const guarded = guardedGroups(args.resources, args.getConfig<Config>().tiers ?? ["web", "backoffice"]);
        for (const egress of egresses(args.resources)) {
            const what = egress.group && guarded.get(egress.group);
            const everywhere = egress.sources.filter((s) => WHOLE_INTERNET.includes(s));
            const allPorts =
                protocolName(egress.protocol) === "all" || (egress.fromPort <= 0 && egress.toPort >= 65535);
            if (what && everywhere.length > 0 && allPorts) {
                const traffic = protocolName(egress.protocol) === "all" ? "all traffic" : `${describeIngress(egress)}`;
                reportViolation(
                    `${ownerOf(egress)} (${what}) allows ${traffic} out to ${everywhere.join(" and ")}: ` +
                        "a compromised server could reach anything. Allow only what it needs: the security groups of the services it uses, " +
                        "the VPC endpoints, and named ports (HTTPS) to the internet.",
                    egress.rule.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [
        ...EGRESS_TYPES,
        RDS_INSTANCE,
        RDS_CLUSTER,
        ELASTICACHE_REPLICATION_GROUP,
        ...SEARCH_DOMAINS,
        EFS_MOUNT_TARGET,
    ],
    decides:
        "Decides during preview from the protocols, ports and CIDRs of every egress permission, the groups' Tier tags and which data service uses a group (property dependencies).",
    remediation:
        "Replace the all-protocol or all-port egress with rules for the ports the tier uses, to the security groups or prefix lists it talks to.",
    controls: controls({}), // scanners flag any egress to 0.0.0.0/0 (tfsec aws-vpc-no-public-egress-sgr), HTTPS out included: not the same check
};
