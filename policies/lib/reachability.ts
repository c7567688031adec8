// Who can reach what, from the security groups alone: every ingress permission (of the three kinds AWS has) becomes
// rows "source -> target on protocol/ports". Sources are the internet, the operators' allow-list (CIDRs inside an
// AllowedSources tag), the VPC (CIDRs inside a VPC of the stack), other CIDRs, and the tiers and services behind a
// referenced group. Targets are whoever uses the group: a tier's servers, a database, Redis, a search domain, EFS, a
// load balancer. Ingress only: a stateful group admits replies, and every tier here may send anywhere.
// Pure: it reads the resources of a preview or of a stack export alike (see StackResource), values not known are
// left out (a CIDR not known yet admits nobody the matrix can name).
import { within } from "./cidr";
import { ALLOWED_SOURCES_TAG, listTag, TIER_TAG } from "./contracts";
import { ingresses, internetOpenings, protocolName, SECURITY_GROUPS } from "./ingress";
import { dependsOn, ofType, StackResource } from "./stack";
import {
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_VPC,
    EFS_MOUNT_TARGET,
    ELASTICACHE_REPLICATION_GROUP,
    LOAD_BALANCERS,
    RDS_CLUSTER,
    RDS_INSTANCE,
    SEARCH_DOMAINS,
} from "./types";
import { knownString, knownTags } from "./values";

export type PartyKind =
    | "internet"
    | "allow-list"
    | "vpc"
    | "cidr"
    | "tier"
    | "database"
    | "redis"
    | "search"
    | "efs"
    | "load-balancer"
    | "group";

/** A source or a target: its kind, and its name (a tier, a resource, or a CIDR). */
export interface Party {
    readonly kind: PartyKind;
    readonly name: string;
}

/** One row of the matrix. */
export interface Reach {
    readonly source: Party;
    readonly target: Party;
    /** "tcp", "udp", "icmp", "all". */
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    /** The resource that writes the permission: its name and URN. */
    readonly rule: string;
    readonly ruleUrn: string;
}

/** The resources that use security groups, the kind they make a target, and the properties naming their groups. */
const USERS: [string[], PartyKind, string[]][] = [
    [[EC2_INSTANCE], "tier", ["vpcSecurityGroupIds", "securityGroups"]],
    [[EC2_LAUNCH_TEMPLATE], "tier", ["vpcSecurityGroupIds", "securityGroupNames", "networkInterfaces"]],
    [[RDS_INSTANCE, RDS_CLUSTER], "database", ["vpcSecurityGroupIds"]],
    [[ELASTICACHE_REPLICATION_GROUP], "redis", ["securityGroupIds"]],
    [SEARCH_DOMAINS, "search", ["vpcOptions"]],
    [[EFS_MOUNT_TARGET], "efs", ["securityGroups"]],
    [LOAD_BALANCERS, "load-balancer", ["securityGroups"]],
];

const tagOf = (r: StackResource, key: string) => knownTags(r.props).find(([k]) => k === key)?.[1];

export function reachability<R extends StackResource>(resources: readonly R[]): Reach[] {
    const groupsOf = (r: R, properties: string[]) => properties.flatMap((p) => dependsOn(r, p, ...SECURITY_GROUPS));
    const users = USERS.flatMap(([types, kind, properties]) =>
        ofType(resources, ...types).map((r) => ({ r, kind, groups: groupsOf(r, properties) })),
    );

    /** A server's tier: its Tier tag, else the Tier of a tier's group it is in. */
    const tierOf = (r: R, groups: R[]) =>
        tagOf(r, TIER_TAG) ?? groups.map((g) => tagOf(g, TIER_TAG)).find((t) => t !== undefined) ?? r.name;
    const partyOf = (u: (typeof users)[number]): Party =>
        u.kind === "tier"
            ? { kind: "tier", name: tierOf(u.r, u.groups) }
            : u.kind === "efs"
              ? { kind: "efs", name: dependsOn(u.r, "fileSystemId")[0]?.name ?? u.r.name }
              : { kind: u.kind, name: u.r.name };
    /** Who is behind a group: the tier it identifies, else whoever uses it, else the group itself. */
    const behind = (group: R): Party[] => {
        const tier = tagOf(group, TIER_TAG);
        if (tier !== undefined) {
            return [{ kind: "tier", name: tier }];
        }
        const parties = users.filter((u) => u.groups.includes(group)).map(partyOf);
        return parties.length > 0 ? unique(parties) : [{ kind: "group", name: group.name }];
    };
    /** The targets a group's permissions open: whoever uses it (a server in a tier's group is that tier). */
    const targetsOf = (group: R): Party[] => {
        const parties = users.filter((u) => u.groups.includes(group)).map(partyOf);
        return parties.length > 0 ? unique(parties) : behind(group);
    };

    const vpcs = ofType(resources, EC2_VPC)
        .map((v) => knownString(v.props, "cidrBlock"))
        .filter((c): c is string => c !== undefined);
    const allowList = ofType(resources, ...SECURITY_GROUPS).flatMap((g) =>
        listTag(tagOf(g, ALLOWED_SOURCES_TAG) ?? ""),
    );
    const all = ingresses(resources);
    // A source is the internet when it is part of a set of permissions that admits every internet address.
    const openings = internetOpenings(all);
    const cidr = (i: (typeof all)[number], source: string): Party => ({
        kind: openings.get(i)?.includes(source)
            ? "internet"
            : vpcs.some((v) => within(source, v))
              ? "vpc"
              : allowList.some((a) => within(source, a))
                ? "allow-list"
                : "cidr",
        name: source,
    });

    const rows = all
        .filter((i) => i.group !== undefined)
        .flatMap((i) => {
            const sources = [...i.sources.map((source) => cidr(i, source)), ...i.groups.flatMap(behind)];
            const protocol = protocolName(i.protocol);
            const [fromPort, toPort] = protocol === "all" ? [0, 65535] : [i.fromPort, i.toPort];
            return targetsOf(i.group!).flatMap((target) =>
                sources.map((source) => ({
                    source,
                    target,
                    protocol,
                    fromPort,
                    toPort,
                    rule: i.rule.name,
                    ruleUrn: i.rule.urn,
                })),
            );
        });
    const key = (r: Reach) =>
        [
            describeParty(r.target),
            describeParty(r.source),
            r.protocol,
            String(r.fromPort).padStart(5, "0"),
            r.rule,
        ].join("|");
    return rows.sort((a, b) => key(a).localeCompare(key(b)));
}

function unique(parties: Party[]): Party[] {
    return parties.filter((p, i) => parties.findIndex((q) => q.kind === p.kind && q.name === p.name) === i);
}

export function describeParty(p: Party): string {
    return p.kind === "internet" ? `internet (${p.name})` : `${p.kind} ${p.name}`;
}

/** "tcp 3306", "tcp 8700-8800", "all". */
export function describePorts(r: Pick<Reach, "protocol" | "fromPort" | "toPort">): string {
    return r.protocol === "all"
        ? "all"
        : r.fromPort === r.toPort
          ? `${r.protocol} ${r.fromPort}`
          : `${r.protocol} ${r.fromPort}-${r.toPort}`;
}

/** "tier web -> database magento-prod-mysql-db on tcp 3306". */
export function describeRow(r: Reach): string {
    return `${describeParty(r.source)} -> ${describeParty(r.target)} on ${describePorts(r)}`;
}

/** The matrix as a Markdown document: one table, grouped by target, for docs/<stack>/reachability.md. */
export function reachabilityMarkdown<R extends StackResource>(resources: readonly R[], stack: string): string {
    const rows = reachability(resources);
    const byTarget = [...new Set(rows.map((r) => describeParty(r.target)))].sort();
    const lines = byTarget.flatMap((target) =>
        rows
            .filter((r) => describeParty(r.target) === target)
            .map((r) => `| ${target} | ${describeParty(r.source)} | ${describePorts(r)} | ${r.rule} |`),
    );
    return [
        `# Reachability: stack ${stack}`,
        "",
        "Who can open a connection to what, computed from the stack's security groups alone (policies/lib/reachability.ts;",
        "regenerate with `npm run docs`). The `reachability` policy enforces it.",
        "",
        "| Target | Source | Protocol and ports | Permission |",
        "| --- | --- | --- | --- |",
        ...lines,
        "",
    ].join("\n");
}
