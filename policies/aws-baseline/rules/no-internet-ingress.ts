// Nothing admits the whole internet except what must: HTTP/HTTPS on an internet-facing load balancer, and the VPN's
// UDP port. Databases, caches, SSH and RDP open to 0.0.0.0/0 are how hand-made estates leak.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { describeIngress, describeInternet, ingresses, internetOpenings, INGRESS_TYPES, protocolName, ownerOf, SECURITY_GROUPS } from "../../lib/ingress";
import { dependsOn, ofType } from "../../lib/stack";
import { LOAD_BALANCERS } from "../../lib/types";
import { controls, RuleMetadata } from "../../lib/metadata";


interface Config {
    webPorts?: number[];
    vpnPort?: number;
}

/** Security groups attached only to internet-facing load balancers (and to at least one). */
function internetFacingLoadBalancerGroups(resources: readonly PolicyResource[]): Set<PolicyResource> {
    const attachments = new Map<PolicyResource, boolean[]>();
    for (const lb of ofType(resources, ...LOAD_BALANCERS)) {
        for (const group of dependsOn(lb, "securityGroups", ...SECURITY_GROUPS)) {
            attachments.set(group, [...(attachments.get(group) ?? []), lb.props.internal !== true]);
        }
    }
    return new Set([...attachments].filter(([, facing]) => facing.every(Boolean)).map(([group]) => group));
}

export const noInternetIngress: StackValidationPolicy = {
    name: "no-internet-ingress",
    description: "No security group admits the whole internet (0.0.0.0/0, ::/0, or ranges that together cover every internet address), except HTTP/HTTPS on an internet-facing load balancer and the VPN's UDP port.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            webPorts: { type: "array", items: { type: "integer" }, default: [80, 443], description: "TCP ports an internet-facing load balancer may open to all." },
            vpnPort: { type: "integer", default: 1194, description: "UDP port of the OpenVPN server, open to all so operators connect from anywhere." },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const webPorts = config.webPorts ?? [80, 443];
        const vpnPort = config.vpnPort ?? 1194;
        const lbGroups = internetFacingLoadBalancerGroups(args.resources);
        for (const [ingress, open] of internetOpenings(ingresses(args.resources))) {
            const protocol = protocolName(ingress.protocol);
            const single = ingress.fromPort === ingress.toPort;
            const web = protocol === "tcp" && single && webPorts.includes(ingress.fromPort) && ingress.group !== undefined && lbGroups.has(ingress.group);
            const vpn = protocol === "udp" && single && ingress.fromPort === vpnPort;
            if (!web && !vpn) {
                reportViolation(`${ownerOf(ingress)} admits ${describeIngress(ingress)} from ${describeInternet(open)}; ` +
                    `only TCP ${webPorts.join("/")} on an internet-facing load balancer and UDP ${vpnPort} (VPN) may be open to the internet. ` +
                    "Admit the operators' allow-list, the VPN or another security group instead.", ingress.rule.urn);
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...INGRESS_TYPES, ...LOAD_BALANCERS],
    decides: "Decides during preview from CIDRs, protocols and ports of every ingress permission, and which load balancer uses the group (property dependencies).",
    controls: controls({ securityHub: ["EC2.13", "EC2.14", "EC2.18", "EC2.19"], awsConfig: ["restricted-ssh", "restricted-common-ports", "vpc-sg-open-only-to-authorized-ports"], checkov: ["CKV_AWS_24", "CKV_AWS_25"], trivy: ["AVD-AWS-0107"] }),
};
