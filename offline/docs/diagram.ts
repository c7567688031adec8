// The architecture diagram of one stack, drawn from its resources (never by hand): the VPC's AZs as columns, public
// and private subnets as rows, what runs in each, the shopper's path (CDN, load balancer, web tier, data) and the
// operators' ways in (VPN, gateway), and below the VPC what AWS Backup keeps. Plain SVG text, so it diffs in review and renders anywhere.
import { BACKUP_TAG } from "../../policies/lib/contracts";
import { StateResource } from "../state";

interface Node {
    readonly label: string;
    readonly detail?: string;
    readonly kind: "edge" | "compute" | "data" | "network" | "ops";
}

const COLORS: Record<Node["kind"], string> = {
    edge: "#e8f1fb",
    compute: "#e9f7ef",
    data: "#fdf2e3",
    network: "#f0f0f0",
    ops: "#f3eafa",
};
const W = 1280;
const COLUMN_X = 200;

const inputs = (r: StateResource): Record<string, unknown> => r.inputs ?? {};
const tagsOf = (r: StateResource): Record<string, string> => {
    const tags = inputs(r).tags;
    return Array.isArray(tags)
        ? Object.fromEntries(tags.map((t: { key: string; value: string }) => [t.key, t.value]))
        : ((tags as Record<string, string> | undefined) ?? {});
};
const ofType = (rs: readonly StateResource[], type: string) => rs.filter((r) => r.type === type);
/** A resource's logical name without the stack's prefix nor a suffix: what an operator calls it (frontend, pim). */
const shortName = (r: StateResource, suffix = "") =>
    r.urn
        .split("::")
        .pop()!
        .replace(/^magento-\w+-/, "")
        .replace(new RegExp(`${suffix}$`), "");
const escape = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const via = (rs: readonly StateResource[], r: StateResource, property: string) =>
    rs.filter((x) => (r.propertyDependencies?.[property] ?? []).includes(x.urn));

/** What runs in each subnet, by AZ and tier (public, private), read from the resources. */
function placements(rs: readonly StateResource[]): { azs: string[]; cells: Map<string, Node[]> } {
    const subnets = ofType(rs, "aws:ec2/subnet:Subnet");
    const azs = [...new Set(subnets.map((s) => String(inputs(s).availabilityZone)))].sort();
    const tierOf = (s: StateResource) =>
        inputs(s).mapPublicIpOnLaunch === true || /public/.test(s.urn) ? "public" : "private";
    const cells = new Map<string, Node[]>();
    const add = (subnet: StateResource | undefined, node: Node) => {
        if (subnet) {
            const key = `${inputs(subnet).availabilityZone}|${tierOf(subnet)}`;
            cells.set(key, [...(cells.get(key) ?? []), node]);
        }
    };
    const privateIn = (az: string) => subnets.find((s) => inputs(s).availabilityZone === az && tierOf(s) === "private");
    for (const nat of ofType(rs, "aws:ec2/natGateway:NatGateway")) {
        add(via(rs, nat, "subnetId")[0], { label: "NAT gateway", kind: "network" });
    }
    for (const alb of ofType(rs, "aws:lb/loadBalancer:LoadBalancer")) {
        via(rs, alb, "subnets").forEach((s) => add(s, { label: "load balancer", kind: "edge" }));
    }
    for (const instance of ofType(rs, "aws:ec2/instance:Instance")) {
        const tier = tagsOf(instance).Tier ?? "server";
        add(via(rs, instance, "subnetId")[0], {
            label: tier,
            detail: String(inputs(instance).instanceType ?? ""),
            kind: "ops",
        });
    }
    // Named for the group, its Tier tag beside: the three side applications share one.
    for (const group of ofType(rs, "aws:autoscaling/group:Group")) {
        const i = inputs(group);
        const detail = `${tagsOf(group).Tier ?? "servers"} group ${i.minSize}-${i.maxSize}`;
        via(rs, group, "vpcZoneIdentifiers").forEach((s) =>
            add(s, { label: shortName(group, "-asg"), detail, kind: "compute" }),
        );
    }
    for (const db of ofType(rs, "aws:rds/instance:Instance")) {
        const name = shortName(db);
        add(privateIn(azs[0]), { label: `database ${name}`, detail: "primary", kind: "data" });
        if (inputs(db).multiAz === true && azs[1]) {
            add(privateIn(azs[1]), { label: `database ${name}`, detail: "standby", kind: "data" });
        }
    }
    for (const redis of ofType(rs, "aws:elasticache/replicationGroup:ReplicationGroup")) {
        const name = redis.urn
            .split("::")
            .pop()!
            .replace(/^magento-\w+-/, "");
        const nodes = Number(inputs(redis).numCacheClusters ?? 1);
        azs.slice(0, nodes).forEach((az, n) =>
            add(privateIn(az), { label: `redis ${name}`, detail: n === 0 ? "primary" : "replica", kind: "data" }),
        );
    }
    for (const domain of ofType(rs, "aws:opensearch/domain:Domain")) {
        const cluster = (inputs(domain).clusterConfig ?? {}) as { instanceCount?: number };
        azs.slice(0, cluster.instanceCount ?? 1).forEach((az) =>
            add(privateIn(az), { label: "opensearch", detail: "data node", kind: "data" }),
        );
    }
    for (const target of ofType(rs, "aws:efs/mountTarget:MountTarget")) {
        add(via(rs, target, "subnetId")[0], { label: "efs", detail: "mount target", kind: "data" });
    }
    return { azs, cells };
}

/** The backup vaults, their plans' rules and what the selections' tag picks: one line each. */
function backupLines(rs: readonly StateResource[]): string[] {
    const rules = ofType(rs, "aws:backup/plan:Plan").flatMap(
        (p) => (inputs(p).rules as { ruleName: string; lifecycle?: { deleteAfter?: number } }[] | undefined) ?? [],
    );
    const tagged = rs.filter((r) => r.custom !== false && tagsOf(r)[BACKUP_TAG] !== undefined);
    const kinds = [...new Set(tagged.map((r) => r.type.split(":")[1].split("/")[0]))].sort();
    return ofType(rs, "aws:backup/vault:Vault").map(
        (v) =>
            `AWS Backup vault ${String(inputs(v).name)}: ${rules.map((r) => `${r.ruleName} kept ${r.lifecycle?.deleteAfter ?? "?"} d`).join(", ")}; ` +
            `${tagged.length} resources tagged ${BACKUP_TAG} (${kinds.join(", ")})`,
    );
}

function box(x: number, y: number, w: number, h: number, fill: string, stroke = "#8a8a8a", dash = false): string {
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6" fill="${fill}" stroke="${stroke}"${dash ? ' stroke-dasharray="6 4"' : ""}/>`;
}

function text(
    x: number,
    y: number,
    content: string,
    opts: { size?: number; bold?: boolean; anchor?: "start" | "middle" } = {},
): string {
    return `<text x="${x}" y="${y}" font-family="Helvetica, Arial, sans-serif" font-size="${opts.size ?? 12}"${opts.bold ? ' font-weight="bold"' : ""} text-anchor="${opts.anchor ?? "start"}">${escape(content)}</text>`;
}

function arrow(from: { x: number; y: number }, to: { x: number; y: number } | undefined, label: string): string {
    if (!to) {
        return "";
    }
    return (
        `<path d="M${from.x},${from.y} C${from.x + 60},${from.y} ${to.x - 60},${to.y} ${to.x},${to.y}" fill="none" stroke="#3b6ea5" stroke-width="1.5" marker-end="url(#arrow)"/>` +
        text(from.x + 4, from.y - 4, label, { size: 10 })
    );
}

type Anchors = Map<string, { x: number; y: number }>;

/** Node rows in a cell, packed two to a row; the first place of each label is kept as an arrow's end. */
function cell(
    x: number,
    y: number,
    w: number,
    nodes: readonly Node[],
    anchors: Anchors,
): { svg: string; height: number } {
    const width = (w - 30) / 2;
    const parts = nodes.map((node, i) => {
        const nx = x + 10 + (i % 2) * (width + 10);
        const ny = y + 30 + Math.floor(i / 2) * 46;
        if (!anchors.has(node.label)) {
            anchors.set(node.label, { x: nx, y: ny + 19 });
        }
        return (
            box(nx, ny, width, 38, COLORS[node.kind]) +
            text(nx + 8, ny + 16, node.label, { bold: true }) +
            (node.detail ? text(nx + 8, ny + 31, node.detail, { size: 10 }) : "")
        );
    });
    return { svg: parts.join(""), height: 40 + Math.ceil(nodes.length / 2) * 46 };
}

export function architectureSvg(stack: string, rs: readonly StateResource[]): string {
    const { azs, cells } = placements(rs);
    const columnWidth = (W - COLUMN_X - 20) / Math.max(azs.length, 1);
    const cdn = ofType(rs, "aws:cloudfront/distribution:Distribution").flatMap(
        (d) => (inputs(d).aliases as string[] | undefined) ?? [],
    );
    const waf = ofType(rs, "aws:wafv2/webAcl:WebAcl").length > 0;
    const parts: string[] = [];
    const anchors: Anchors = new Map();

    // Internet and edge.
    parts.push(
        box(20, 20, 160, 50, COLORS.edge) +
            text(30, 42, "shoppers", { bold: true }) +
            text(30, 58, "browsers", { size: 10 }),
    );
    parts.push(
        box(20, 90, 160, 50, COLORS.ops) +
            text(30, 112, "operators", { bold: true }) +
            text(30, 128, "allow-listed IPs", { size: 10 }),
    );
    parts.push(
        box(COLUMN_X, 20, W - COLUMN_X - 20, 50, COLORS.edge) +
            text(COLUMN_X + 10, 42, `cloudfront: ${cdn.join(", ") || "none"}`, { bold: true }) +
            text(
                COLUMN_X + 10,
                60,
                `origin: the load balancer over HTTPS, secret origin header${waf ? "; WAF on the load balancer" : ""}`,
                { size: 10 },
            ),
    );

    // The VPC: a column per AZ, public then private subnets.
    const top = 160;
    let rowY = top + 30;
    const rowHeights: number[] = [];
    for (const tier of ["public", "private"] as const) {
        const rendered = azs.map((az, i) =>
            cell(COLUMN_X + i * columnWidth, rowY, columnWidth - 10, cells.get(`${az}|${tier}`) ?? [], anchors),
        );
        const height = Math.max(...rendered.map((r) => r.height), 80);
        azs.forEach((az, i) => {
            const x = COLUMN_X + i * columnWidth;
            parts.push(
                box(
                    x,
                    rowY,
                    columnWidth - 10,
                    height,
                    tier === "public" ? "#fbfbfb" : "#f7f9fc",
                    "#b0b0b0",
                    tier === "private",
                ),
            );
            parts.push(text(x + 10, rowY + 18, `${tier} subnet, ${az}`, { size: 11 }));
            parts.push(rendered[i].svg);
        });
        rowHeights.push(height);
        rowY += height + 20;
    }
    parts.unshift(
        box(COLUMN_X - 10, top, W - COLUMN_X, rowY - top, "#ffffff", "#5a5a5a") +
            text(COLUMN_X, top + 18, `VPC of stack ${stack}`, { bold: true }),
    );

    // Paths: the shopper's request (through the CDN for media and static), the operators' ways in.
    parts.push(arrow({ x: 180, y: 35 }, { x: COLUMN_X, y: 35 }, "media, static"));
    parts.push(arrow({ x: 180, y: 55 }, anchors.get("load balancer"), "pages (HTTPS)"));
    parts.push(arrow({ x: 180, y: 105 }, anchors.get("vpn"), "VPN"));
    parts.push(arrow({ x: 180, y: 125 }, anchors.get("gateway"), "forwarded ports"));
    const legendY = rowY - 150;
    [
        "load balancer -> web,",
        "  backoffice (port 80)",
        "web, backoffice ->",
        "  database, redis,",
        "  opensearch, efs",
        "vpn -> every subnet",
        "gateway -> windows",
    ].forEach((line, i) => parts.push(text(20, legendY + i * 16, line, { size: 11 })));

    // What AWS Backup keeps, below the VPC (the vault is regional, outside it).
    const backups = backupLines(rs);
    backups.forEach((line, i) => {
        const y = rowY + 10 + i * 60;
        parts.push(box(COLUMN_X - 10, y, W - COLUMN_X, 44, COLORS.data) + text(COLUMN_X, y + 27, line, { bold: true }));
    });
    rowY += backups.length * 60;

    const height = rowY + 20;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}">`,
        `<title>Magento on AWS, stack ${escape(stack)}</title>`,
        '<defs><marker id="arrow" markerWidth="10" markerHeight="10" refX="9" refY="3" orient="auto"><path d="M0,0 L9,3 L0,6 z" fill="#3b6ea5"/></marker></defs>',
        `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
        ...parts,
        "</svg>",
        "",
    ].join("\n");
}
