// Ingress (and egress) permissions of security groups, whichever of the three ways AWS lets a program write them
// (inline in the group, the legacy SecurityGroupRule, the VPC SecurityGroupIngressRule / EgressRule), for the rules
// that judge who gets in and where a server may connect to.
import { PolicyResource } from "@pulumi/policy";
import { internetCovered, isPublic } from "./cidr";
import { dependsOn, ofType, StackResource } from "./stack";
import {
    EC2_DEFAULT_SECURITY_GROUP,
    EC2_SECURITY_GROUP,
    EC2_SECURITY_GROUP_RULE,
    VPC_SECURITY_GROUP_EGRESS_RULE,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "./types";

export const SECURITY_GROUPS = [EC2_SECURITY_GROUP, EC2_DEFAULT_SECURITY_GROUP];
/** Every resource type that can grant ingress to a security group. */
export const INGRESS_TYPES = [...SECURITY_GROUPS, EC2_SECURITY_GROUP_RULE, VPC_SECURITY_GROUP_INGRESS_RULE];
/** Every resource type that can grant egress from a security group. */
export const EGRESS_TYPES = [...SECURITY_GROUPS, EC2_SECURITY_GROUP_RULE, VPC_SECURITY_GROUP_EGRESS_RULE];
export const WHOLE_INTERNET = ["0.0.0.0/0", "::/0"];

/** The CIDRs of some lists, the entries not known yet left out. */
const cidrs = (...lists: unknown[]): string[] =>
    lists.flatMap((l) => (Array.isArray(l) ? l : [l])).filter((c): c is string => typeof c === "string");

/** One ingress permission. */
export interface Ingress<R extends StackResource = PolicyResource> {
    /** The resource that writes it (the group itself for inline rules). */
    readonly rule: R;
    readonly group: R | undefined;
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    /** CIDR sources (IPv4 and IPv6; for egress, the destinations); a rule naming another security group has none. */
    readonly sources: string[];
    /** Security groups admitted (the group itself for `self`). Inline rules name theirs in one `ingress` property, so
     *  an inline permission that admits groups is credited with every group the group's inline ingress refers to. */
    readonly groups: R[];
}

export function ingresses<R extends StackResource>(resources: readonly R[]): Ingress<R>[] {
    return permissions(resources, "ingress");
}

/** Egress permissions, in the same shape: `sources` are the destinations a group may connect to. */
export function egresses<R extends StackResource>(resources: readonly R[]): Ingress<R>[] {
    return permissions(resources, "egress");
}

function permissions<R extends StackResource>(resources: readonly R[], direction: "ingress" | "egress"): Ingress<R>[] {
    const inline = ofType(resources, ...SECURITY_GROUPS).flatMap((group) =>
        ((group.props[direction] ?? []) as Record<string, any>[]).map((i) => ({
            rule: group,
            group,
            protocol: String(i.protocol),
            fromPort: i.fromPort,
            toPort: i.toPort,
            sources: cidrs(i.cidrBlocks, i.ipv6CidrBlocks),
            groups: [
                ...((i.securityGroups ?? []).length > 0 ? dependsOn(group, direction, ...SECURITY_GROUPS) : []),
                ...(i.self === true ? [group] : []),
            ],
        })),
    );
    const legacy = ofType(resources, EC2_SECURITY_GROUP_RULE)
        .filter((r) => r.props.type === direction)
        .map((rule) => {
            const group = dependsOn(rule, "securityGroupId", ...SECURITY_GROUPS)[0];
            return {
                rule,
                group,
                protocol: String(rule.props.protocol),
                fromPort: rule.props.fromPort,
                toPort: rule.props.toPort,
                sources: cidrs(rule.props.cidrBlocks, rule.props.ipv6CidrBlocks),
                groups: [
                    ...dependsOn(rule, "sourceSecurityGroupId", ...SECURITY_GROUPS),
                    ...(rule.props.self === true && group ? [group] : []),
                ],
            };
        });
    const modern = ofType(
        resources,
        direction === "ingress" ? VPC_SECURITY_GROUP_INGRESS_RULE : VPC_SECURITY_GROUP_EGRESS_RULE,
    ).map((rule) => ({
        rule,
        group: dependsOn(rule, "securityGroupId", ...SECURITY_GROUPS)[0],
        protocol: String(rule.props.ipProtocol),
        fromPort: rule.props.fromPort ?? 0,
        toPort: rule.props.toPort ?? 65535,
        sources: cidrs(rule.props.cidrIpv4, rule.props.cidrIpv6),
        groups: dependsOn(rule, "referencedSecurityGroupId", ...SECURITY_GROUPS),
    }));
    return [...inline, ...legacy, ...modern];
}

/** The ports a permission opens, per protocol ("all" opens every port of every protocol). */
function portRange(i: Ingress<StackResource>): [string, number, number] {
    const protocol = protocolName(i.protocol);
    return protocol === "all" ? ["all", 0, 65535] : [protocol, i.fromPort, i.toPort];
}

function opensPort(i: Ingress<StackResource>, protocol: string, port: number): boolean {
    const [p, from, to] = portRange(i);
    return (p === "all" || p === protocol) && from <= port && port <= to;
}

/**
 * The permissions that let the whole internet in, each with the sources that together do: a group's permissions
 * open a port to the internet when the CIDRs of all those opening that port cover every internet address
 * (`internetCovered`), whether one rule says 0.0.0.0/0 or two say 0.0.0.0/1 and 128.0.0.0/1.
 */
export function internetOpenings<R extends StackResource>(all: readonly Ingress<R>[]): Map<Ingress<R>, string[]> {
    const openings = new Map<Ingress<R>, string[]>();
    const byGroup = new Map<R | undefined, Ingress<R>[]>();
    all.forEach((i) => byGroup.set(i.group, [...(byGroup.get(i.group) ?? []), i]));
    for (const [group, permissions] of byGroup) {
        for (const p of permissions.filter((i) => i.sources.some(isPublic))) {
            const [protocol, from, to] = portRange(p);
            // Coverage changes only where some permission's range starts or ends: test those ports of p's range.
            const ports = [from, ...permissions.flatMap((q) => [portRange(q)[1], portRange(q)[2] + 1])].filter(
                (port) => from <= port && port <= to,
            );
            for (const port of ports) {
                const sharing =
                    group === undefined ? [p] : permissions.filter((q) => q === p || opensPort(q, protocol, port));
                // The permissions that let the internet in: those that do alone, or without which the others would not
                // (an allow-list's ranges on a port another rule opens to all are not themselves "the internet").
                const covers = (qs: Ingress<R>[]) => internetCovered(qs.flatMap((q) => q.sources)).length > 0;
                const opening = covers(sharing)
                    ? sharing.filter((q) => covers([q]) || !covers(sharing.filter((x) => x !== q)))
                    : [];
                if (opening.includes(p)) {
                    openings.set(p, [...new Set(opening.flatMap((q) => q.sources.filter(isPublic)))]);
                    break;
                }
            }
        }
    }
    return openings;
}

/** "0.0.0.0/0 and ::/0", or "0.0.0.0/1 and 128.0.0.0/1 (together the whole internet)". */
export function describeInternet(sources: readonly string[]): string {
    const listed = sources.join(" and ");
    return sources.every((s) => WHOLE_INTERNET.includes(s)) ? listed : `${listed} (together the whole internet)`;
}

export function protocolName(protocol: string): string {
    return (
        ({ "6": "tcp", "17": "udp", "-1": "all", all: "all" } as Record<string, string>)[protocol.toLowerCase()] ??
        protocol.toLowerCase()
    );
}

/** "tcp port 22", "udp ports 2048-4096", "all all ports". */
export function describeIngress(i: Ingress<StackResource>): string {
    const protocol = protocolName(i.protocol);
    const ports =
        protocol === "all"
            ? "all ports"
            : i.fromPort === i.toPort
              ? `port ${i.fromPort}`
              : `ports ${i.fromPort}-${i.toPort}`;
    return `${protocol} ${ports}`;
}

/** True when the permission opens TCP `port` (a TCP range holding it, or all traffic). */
export function opensTcpPort(i: Ingress<StackResource>, port: number): boolean {
    const protocol = protocolName(i.protocol);
    return protocol === "all" || (protocol === "tcp" && i.fromPort <= port && port <= i.toPort);
}

/** "rule of security group sg" or just the group, for messages. */
export function ownerOf(i: Ingress<StackResource>): string {
    return i.group && i.group !== i.rule ? `${i.rule.name} of security group ${i.group.name}` : i.rule.name;
}
