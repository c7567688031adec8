// The side applications of the estate (docs/sideapps.md), each one server behind the shop's load balancer on a host
// name of its own, and the listener rules that route them: pure data, which the configuration validator checks (the
// rules must fit ELB's limits) and components/sideapps builds.
import type { PublicName } from "./edge-plan";

export type SideAppName = "pim" | "orders" | "cashout";

export interface SideAppSpec {
    readonly name: SideAppName;
    /** The label of its host name under the shop's domain (`pim` gives pim.<domain>). */
    readonly hostLabel: string;
    readonly purpose: string;
    /**
     * The server tier it runs as, its own (role, instance profile, security group: infra/tiers.ts), so that one
     * application's server reads no other's secret, parameters or release. The PIM's keeps the name and security group
     * description of the tier the three shared before (`sideapps`), so a deployed stack keeps that tier's state: a
     * group's description has no update API, and a replaced group would wait on its attached server.
     */
    readonly tier: { readonly name: string; readonly description: string };
    /**
     * The first of its block of PRIORITY_BLOCK listener-rule priorities, fixed here, never derived from its place in
     * the list: a priority an application kept on removing or reordering another stays, where moved ones would meet
     * rules still holding theirs (ELB refuses a priority in use on the listener). Blocks do not overlap and end before
     * the shop's first rule (sideAppPriorityProblems).
     */
    readonly priorityBase: number;
    /**
     * Paths only the operators' allow-list reaches ("all": the whole application, as the PIM, which only the
     * merchandisers in the offices use); the rest of the host is public (the marketplace's and the payment provider's
     * calls). ELB compares paths case-sensitively and as sent; the WAF refuses their other spellings (/ADMIN,
     * //admin, /%61dmin) to anyone else (components/web/web-acl.ts).
     */
    readonly adminPaths: readonly string[] | "all";
    /** An FTP drop on its server for partners' files (vsftpd behind the gateway's orders-ftp pair: docs/sideapps.md,
     *  "FTP for the order connector"), when the stack's gatewayServices lists that pair. */
    readonly ftp?: boolean;
    /** A job every few minutes (systemd OnCalendar), run by one server at a time (docs/sideapps.md, "Cron"). */
    readonly cron?: { readonly onCalendar: string; readonly command: string };
}

export const SIDE_APPS: readonly SideAppSpec[] = [
    {
        name: "pim",
        hostLabel: "pim",
        purpose: "PIM: product sets edited outside Magento's back office",
        tier: { name: "sideapps", description: "Side applications: PIM, order connector, payments connector" },
        priorityBase: 1,
        adminPaths: "all",
    },
    {
        name: "orders",
        hostLabel: "orders",
        purpose: "Order connector: the bridge to the marketplace and the warehouse",
        tier: { name: "sideapps-orders", description: "Side application: order connector" },
        priorityBase: 7,
        adminPaths: ["/admin", "/admin/*"],
        ftp: true,
    },
    {
        name: "cashout",
        hostLabel: "cashout",
        purpose: "Cash-out connector: payments between the marketplace and the payment provider",
        tier: { name: "sideapps-cashout", description: "Side application: cash-out (payments) connector" },
        priorityBase: 13,
        adminPaths: ["/admin", "/admin/*"],
        cron: { onCalendar: "*:0/5", command: "bin/cron" },
    },
];

/**
 * ELB: at most 3 values in a condition and 5 in a rule
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html, "Condition basics").
 */
const CONDITION_VALUES = 3;
const RULE_VALUES = 5;
/** Each application's rules take a block of priorities from 1, before the shop's (the CDN paths' from 20, which match any
 *  host: components/web/load-balancer.ts): its allow rules, then its refusal, then its forward. */
export const PRIORITY_BLOCK = 6;
export const SHOP_FIRST_PRIORITY = 20;

export interface PlannedRule {
    /** Stable part of the rule's resource name. */
    readonly suffix: string;
    readonly priority: number;
    readonly paths: readonly string[] | undefined;
    readonly sources: readonly string[] | undefined;
    readonly action: "forward" | "refuse";
}

function chunks<T>(items: readonly T[], size: number): T[][] {
    return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** What is wrong with the applications' priority blocks: a base out of 1..(shop's first - block), or two blocks that
 *  overlap. Empty when they are right. */
export function sideAppPriorityProblems(apps: readonly SideAppSpec[]): string[] {
    const last = SHOP_FIRST_PRIORITY - PRIORITY_BLOCK;
    const outside = apps
        .filter((a) => !Number.isInteger(a.priorityBase) || a.priorityBase < 1 || a.priorityBase > last)
        .map(
            (a) =>
                `${a.name}'s priorityBase ${a.priorityBase} is not within 1 to ${last} (its ${PRIORITY_BLOCK} ` +
                `priorities end before the shop's rules at ${SHOP_FIRST_PRIORITY})`,
        );
    const overlapping = apps.flatMap((a, i) =>
        apps
            .slice(i + 1)
            .filter((b) => Math.abs(a.priorityBase - b.priorityBase) < PRIORITY_BLOCK)
            .map(
                (b) =>
                    `${a.name}'s and ${b.name}'s priorities overlap (bases ${a.priorityBase} and ${b.priorityBase}: ` +
                    `${PRIORITY_BLOCK} apart at least)`,
            ),
    );
    return [...outside, ...overlapping];
}

/**
 * The rules of an application, all on its host (one value), in its block of priorities: the admin paths from the
 * allow-list forwarded, a 403 for them from anywhere else, then the rest of the host forwarded (none when the whole
 * host is admin).
 */
export function sideAppRules(spec: SideAppSpec, adminSources: readonly string[]): PlannedRule[] {
    const paths = spec.adminPaths === "all" ? undefined : spec.adminPaths;
    const perRule = Math.min(CONDITION_VALUES, RULE_VALUES - 1 - (paths?.length ?? 0));
    const base = spec.priorityBase;
    const allowed = chunks(adminSources, perRule).map((sources, k): PlannedRule => ({
        suffix: `admin-${k}`,
        priority: base + k,
        paths,
        sources,
        action: "forward",
    }));
    const refused: PlannedRule = {
        suffix: "admin-refused",
        priority: base + PRIORITY_BLOCK - 2,
        paths,
        sources: undefined,
        action: "refuse",
    };
    const rest: PlannedRule[] = paths
        ? [
              {
                  suffix: "host",
                  priority: base + PRIORITY_BLOCK - 1,
                  paths: undefined,
                  sources: undefined,
                  action: "forward",
              },
          ]
        : [];
    return [...allowed, refused, ...rest];
}

/** How many operator ranges the allow rules of every application fit in their blocks. */
export function sideAppSourceCapacity(): number {
    return Math.min(
        ...SIDE_APPS.map((spec) => {
            const paths = spec.adminPaths === "all" ? 0 : spec.adminPaths.length;
            return (PRIORITY_BLOCK - 2) * Math.min(CONDITION_VALUES, RULE_VALUES - 1 - paths);
        }),
    );
}

/** The applications' public names, on the load balancer in the shop's zone: the shop's certificate (`*.<domain>`)
 *  covers them. */
export function sideAppNames(domain: string): PublicName[] {
    return SIDE_APPS.map((app) => ({ name: sideAppHost(app, domain), target: "loadBalancer", zone: domain }));
}

/** The host name an application answers on. */
export const sideAppHost = (app: SideAppSpec, domain: string) => `${app.hostLabel}.${domain}`;

/** An application's parameters, outside Magento's /magento/<stack> (its tiers read that path whole): the only path
 *  the application's tier reads (infra/tiers.ts). */
export const sideAppParameterPath = (stack: string, app: SideAppName) => `/magento-sideapps/${stack}/${app}`;

/** The Tier tag of the side applications' tiers: their kind, which the packs know (reachability, single servers). */
export const SIDE_APP_TIER = "sideapps";
