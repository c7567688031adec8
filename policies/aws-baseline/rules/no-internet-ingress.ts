// Nothing admits the whole internet except what must: HTTP/HTTPS on an internet-facing load balancer, and the VPN's
// UDP port. Databases, caches, SSH and RDP open to 0.0.0.0/0 are how hand-made estates leak.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { dependsOn, ofType } from "../../lib/stack";

const SECURITY_GROUPS = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const WHOLE_INTERNET = ["0.0.0.0/0", "::/0"];

interface Config {
    webPorts?: number[];
    vpnPort?: number;
}

/** One ingress permission, whichever of the three ways AWS lets a program write it. */
interface Ingress {
    readonly rule: PolicyResource;
    readonly group: PolicyResource | undefined;
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly sources: string[];
}

function ingresses(resources: readonly PolicyResource[]): Ingress[] {
    const inline = ofType(resources, ...SECURITY_GROUPS).flatMap((group) =>
        ((group.props.ingress ?? []) as Record<string, any>[]).map((i) => ({
            rule: group, group, protocol: String(i.protocol), fromPort: i.fromPort, toPort: i.toPort,
            sources: [...(i.cidrBlocks ?? []), ...(i.ipv6CidrBlocks ?? [])],
        })));
    const legacy = ofType(resources, LEGACY_RULE).filter((r) => r.props.type === "ingress").map((rule) => ({
        rule, group: dependsOn(rule, "securityGroupId", ...SECURITY_GROUPS)[0], protocol: String(rule.props.protocol),
        fromPort: rule.props.fromPort, toPort: rule.props.toPort,
        sources: [...(rule.props.cidrBlocks ?? []), ...(rule.props.ipv6CidrBlocks ?? [])],
    }));
    const modern = ofType(resources, INGRESS_RULE).map((rule) => ({
        rule, group: dependsOn(rule, "securityGroupId", ...SECURITY_GROUPS)[0], protocol: String(rule.props.ipProtocol),
        fromPort: rule.props.fromPort ?? 0, toPort: rule.props.toPort ?? 65535,
        sources: [rule.props.cidrIpv4, rule.props.cidrIpv6].filter((c): c is string => typeof c === "string"),
    }));
    return [...inline, ...legacy, ...modern];
}

function protocolName(protocol: string): string {
    return ({ "6": "tcp", "17": "udp", "-1": "all", all: "all" } as Record<string, string>)[protocol.toLowerCase()] ?? protocol.toLowerCase();
}

function describe(i: Ingress): string {
    const protocol = protocolName(i.protocol);
    const ports = protocol === "all" ? "all ports" : i.fromPort === i.toPort ? `port ${i.fromPort}` : `ports ${i.fromPort}-${i.toPort}`;
    return `${protocol} ${ports}`;
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
    description: "No security group admits 0.0.0.0/0 or ::/0, except HTTP/HTTPS on an internet-facing load balancer and the VPN's UDP port.",
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
        for (const ingress of ingresses(args.resources)) {
            const open = ingress.sources.filter((s) => WHOLE_INTERNET.includes(s));
            if (open.length === 0) {
                continue;
            }
            const protocol = protocolName(ingress.protocol);
            const single = ingress.fromPort === ingress.toPort;
            const web = protocol === "tcp" && single && webPorts.includes(ingress.fromPort) && ingress.group !== undefined && lbGroups.has(ingress.group);
            const vpn = protocol === "udp" && single && ingress.fromPort === vpnPort;
            if (!web && !vpn) {
                const owner = ingress.group && ingress.group !== ingress.rule ? ` of security group ${ingress.group.name}` : "";
                reportViolation(`${ingress.rule.name}${owner} admits ${describe(ingress)} from ${open.join(" and ")}; ` +
                    `only TCP ${webPorts.join("/")} on an internet-facing load balancer and UDP ${vpnPort} (VPN) may be open to the internet. ` +
                    "Admit the operators' allow-list, the VPN or another security group instead.", ingress.rule.urn);
            }
        }
    },
};
