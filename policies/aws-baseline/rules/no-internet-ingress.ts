// Nothing admits the whole internet except what must: HTTP/HTTPS on an internet-facing load balancer, and the VPN's
// UDP port on the VPN server's own group (any other group opening that port is a hole with a harmless-looking number).
// Databases, caches, SSH and RDP open to 0.0.0.0/0 are how hand-made estates leak.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    describeIngress,
    describeInternet,
    ingresses,
    internetOpenings,
    INGRESS_TYPES,
    protocolName,
    ownerOf,
    SECURITY_GROUPS,
} from "../../lib/ingress";
import { dependsOn } from "../../lib/stack";
import { EC2_INSTANCE, LOAD_BALANCERS } from "../../lib/types";
import { controls, RuleMetadata } from "../../lib/metadata";
import { TIER_TAG } from "../../lib/contracts";
import { knownTags } from "../../lib/values";

interface Config {
    webPorts?: number[];
    vpnPort?: number;
    vpnTier?: string;
}

/** The properties by which a resource puts itself behind security groups (instances, templates, databases, caches,
 *  search domains, mount targets, load balancers). */
const USES = [
    "vpcSecurityGroupIds",
    "securityGroups",
    "securityGroupNames",
    "securityGroupIds",
    "networkInterfaces",
    "vpcOptions",
];

/** Security groups used by at least one resource and only by resources that `fit`. */
function groupsOnlyOn(resources: readonly PolicyResource[], fits: (r: PolicyResource) => boolean): Set<PolicyResource> {
    const attachments = new Map<PolicyResource, boolean[]>();
    for (const r of resources) {
        for (const group of USES.flatMap((property) => dependsOn(r, property, ...SECURITY_GROUPS))) {
            attachments.set(group, [...(attachments.get(group) ?? []), fits(r)]);
        }
    }
    return new Set([...attachments].filter(([, fit]) => fit.every(Boolean)).map(([group]) => group));
}

export const noInternetIngress: StackValidationPolicy = {
    name: "no-internet-ingress",
    description:
        "No security group admits the whole internet (0.0.0.0/0, ::/0, or ranges that together cover every internet address), except HTTP/HTTPS on an internet-facing load balancer and the VPN's UDP port on the VPN server's own security group.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            webPorts: {
                type: "array",
                items: { type: "integer" },
                default: [80, 443],
                description: "TCP ports an internet-facing load balancer may open to all.",
            },
            vpnPort: {
                type: "integer",
                default: 1194,
                description: "UDP port of the OpenVPN server, open to all so operators connect from anywhere.",
            },
            vpnTier: {
                type: "string",
                default: "vpn",
                description:
                    "Tier tag of the VPN server: only a group attached to such instances alone may open vpnPort to all.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const webPorts = config.webPorts ?? [80, 443];
        const vpnPort = config.vpnPort ?? 1194;
        const vpnTier = config.vpnTier ?? "vpn";
        const lbGroups = groupsOnlyOn(
            args.resources,
            (r) => LOAD_BALANCERS.includes(r.type) && r.props.internal !== true,
        );
        // Only instances of the VPN tier: a group also on a launch template or another server is not the VPN's.
        const vpnGroups = groupsOnlyOn(
            args.resources,
            (r) => r.type === EC2_INSTANCE && knownTags(r.props).some(([k, v]) => k === TIER_TAG && v === vpnTier),
        );
        for (const [ingress, open] of internetOpenings(ingresses(args.resources))) {
            const protocol = protocolName(ingress.protocol);
            const single = ingress.fromPort === ingress.toPort;
            const web =
                protocol === "tcp" &&
                single &&
                webPorts.includes(ingress.fromPort) &&
                ingress.group !== undefined &&
                lbGroups.has(ingress.group);
            const vpn =
                protocol === "udp" &&
                single &&
                ingress.fromPort === vpnPort &&
                ingress.group !== undefined &&
                vpnGroups.has(ingress.group);
            if (!web && !vpn) {
                reportViolation(
                    `${ownerOf(ingress)} admits ${describeIngress(ingress)} from ${describeInternet(open)}; ` +
                        `only TCP ${webPorts.join("/")} on an internet-facing load balancer and UDP ${vpnPort} on the VPN server's security group ` +
                        `(attached only to instances tagged ${TIER_TAG}=${vpnTier}) may be open to the internet. ` +
                        "Admit the operators' allow-list, the VPN or another security group instead.",
                    ingress.rule.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...INGRESS_TYPES, ...LOAD_BALANCERS, EC2_INSTANCE],
    decides:
        "Decides during preview from CIDRs, protocols and ports of every ingress permission, and which load balancers and instances (Tier tag) use the group (property dependencies).",
    remediation:
        "Replace 0.0.0.0/0 or ::/0 (or the ranges that add up to them) with the sources that need access: the load balancer's security group, the VPC range, or the operators' allow-list.",
    controls: controls({
        securityHub: ["EC2.13", "EC2.14", "EC2.18", "EC2.19"],
        awsConfig: ["restricted-ssh", "restricted-common-ports", "vpc-sg-open-only-to-authorized-ports"],
        checkov: ["CKV_AWS_24", "CKV_AWS_25"],
        trivy: ["AVD-AWS-0107"],
    }),
};
