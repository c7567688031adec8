// Which public names the shop answers on, which certificate covers each, which zone holds it, and the AWS limits
// they must fit. Pure data in, data out: the configuration validator calls it (so a limit is an error naming the key
// before anything is deployed) and the edge components build what it plans.

/** One Magento store (a website/store view code) and the public domains that serve it. */
export interface Storefront {
    readonly code: string;
    readonly domains: readonly string[];
}

/** Where the public names are published: at a registrar outside AWS, in existing Route 53 zones, or in zones created here. */
export const PUBLIC_DNS_MODES = ["registrar", "route53", "managed"] as const;
export type PublicDns = (typeof PUBLIC_DNS_MODES)[number];

/** Limits AWS enforces that a storefront list can exceed (ELB, CloudFront and ACM quotas pages). */
export const AWS_LIMITS = {
    /** Certificates on one ALB listener besides its default certificate. */
    listenerCertificates: 25,
    /** Alternate domain names (CNAMEs) on one CloudFront distribution. */
    distributionAliases: 100,
    /** ACM's "domain names per certificate": 10 by default, adjustable up to 100. */
    acmNamesDefault: 10,
    acmNamesMax: 100,
} as const;

/** An ACM certificate this stack requests: the first name is its subject, the others its alternative names. */
export interface PlannedCertificate {
    /** Stable part of the resource name: "shop", "cdn", or the code of the first storefront it serves. */
    readonly key: string;
    readonly names: readonly string[];
    /**
     * Its validation records are still to be created at the registrar: requested and its records published, but
     * nothing waits for it and the listener does not get it. Never shares a certificate with a storefront whose
     * records exist, so a storefront added at a registrar never replaces a certificate the listener serves with one
     * that cannot be issued.
     */
    readonly pending: boolean;
}

/** A record to create at the registrar, where DNS is not in Route 53. */
export interface RegistrarRecord {
    readonly name: string;
    /** ALIAS (also called ANAME or flattening) at a zone's apex, where a CNAME is not allowed; CNAME or NS elsewhere. */
    readonly type: "ALIAS" | "CNAME" | "NS";
    readonly target: string;
}

/** The names of a certificate that need a validation record: `*.x` shares the record of `x` when both are listed. */
export function validationNames(names: readonly string[]): string[] {
    return names.filter((n) => !(n.startsWith("*.") && names.includes(n.slice(2))));
}

/** What answers on a public name: the load balancer, or one of the two CloudFront distributions. */
export type Target = "loadBalancer" | "media" | "static";

export interface PublicName {
    readonly name: string;
    readonly target: Target;
    /** The zone the record belongs to: the shop's domain or a storefront's top domain. */
    readonly zone: string;
}

export interface EdgePlanInput {
    /** The shop's domain. */
    readonly domain: string;
    readonly storefronts: readonly Storefront[];
    /** The account's ACM quota of names per certificate. */
    readonly namesPerCertificate: number;
    /** The shop's own certificates are imported (their names are unknown here): storefronts get certificates of their own. */
    readonly importedShopCertificates: boolean;
    /** Storefront codes whose validation records are still to be created (DNS at a registrar); none in Route 53. */
    readonly pendingStorefronts?: ReadonlySet<string>;
}

export interface EdgePlan {
    /** Default certificate of the load balancer; undefined when imported. */
    readonly shopCertificate: PlannedCertificate | undefined;
    /** The distributions' certificate (us-east-1); undefined when imported. */
    readonly cdnCertificate: PlannedCertificate | undefined;
    /** Listener certificates for storefront domains the shop certificate does not cover, in storefront order: one per storefront up to the listener's 25, packed beyond. */
    readonly storefrontCertificates: readonly PlannedCertificate[];
    /** Every public name with its target and zone. */
    readonly names: readonly PublicName[];
    /** Zone names: the shop's domain, then each storefront domain that is not below another listed name. */
    readonly zones: readonly string[];
    /** Alternate domain names of each distribution. */
    readonly aliases: { readonly media: readonly string[]; readonly static: readonly string[] };
    /** Origins of the pages (https://<name> of every name the load balancer serves to shoppers), which load static content cross-origin. */
    readonly pageOrigins: readonly string[];
    /** Storefront whose own domains exceed one certificate (they are kept together), if any. */
    readonly oversized: readonly { readonly code: string; readonly names: number }[];
    /**
     * Where a deployed stack has each piece under the names used before certificates were keyed (storefronts packed
     * next-fit, listener certificates by position): the aliases that move them in state instead of re-creating them.
     */
    readonly former: {
        /** Key of the certificate each name was on (its validation record was named after it). */
        readonly certificateKeyOf: Readonly<Record<string, string>>;
        /** Position of each served storefront certificate on the listener (`cert-<i>`). */
        readonly listenerIndexOf: Readonly<Record<string, number>>;
    };
}

/** The shop's own names below its domain; `origin.` is the name CloudFront reaches the load balancer by (see cdn.ts). */
export function shopNames(domain: string): PublicName[] {
    return [
        { name: domain, target: "loadBalancer", zone: domain },
        { name: `www.${domain}`, target: "loadBalancer", zone: domain },
        { name: `origin.${domain}`, target: "loadBalancer", zone: domain },
        { name: `media.${domain}`, target: "media", zone: domain },
        { name: `static.${domain}`, target: "static", zone: domain },
    ];
}

/** True when a certificate name (possibly a `*.` wildcard, which covers exactly one label) covers `domain`. */
export function covers(certificateName: string, domain: string): boolean {
    if (!certificateName.startsWith("*.")) {
        return certificateName === domain;
    }
    const base = certificateName.slice(2);
    const dot = domain.indexOf(".");
    return dot > 0 && domain.slice(dot + 1) === base;
}

/** The longest zone `name` equals or lies below. */
export function zoneOf(name: string, zones: readonly string[]): string | undefined {
    return zones.filter((z) => name === z || name.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
}

export function planEdge(input: EdgePlanInput): EdgePlan {
    const { domain, storefronts, namesPerCertificate } = input;
    const storefrontDomains = storefronts.flatMap((s) => s.domains);
    const zones = [
        domain,
        ...storefrontDomains.filter(
            (d) =>
                !storefrontDomains.some((other) => other !== d && d.endsWith(`.${other}`)) &&
                zoneOf(d, [domain]) === undefined,
        ),
    ];

    const shopCertificate = input.importedShopCertificates
        ? undefined
        : { key: "shop", names: [domain, `*.${domain}`], pending: false };
    const cdnCertificate = input.importedShopCertificates
        ? undefined
        : { key: "cdn", names: [`media.${domain}`, `static.${domain}`], pending: false };

    // A certificate per storefront while the listener has room: adding, removing or moving one storefront touches its
    // certificate alone. Beyond the listener's 25, next-fit in storefront order, a storefront's domains kept on one
    // certificate (appending never moves another's domains; a removal or insertion re-issues the certificates after
    // it: docs/edge.md, "Changing storefronts"). Storefronts whose records are pending are packed apart, after the others.
    const pendingSet = input.pendingStorefronts ?? new Set<string>();
    const own = packStorefronts(storefronts, shopCertificate, namesPerCertificate, pendingSet, false);
    const packed = own.certificates.length > AWS_LIMITS.listenerCertificates;
    const { certificates: storefrontCertificates, oversized } = packed
        ? packStorefronts(storefronts, shopCertificate, namesPerCertificate, pendingSet, true)
        : own;
    // The layout before certificates were keyed (always next-fit): what a deployed stack's resources are named after.
    const former = packStorefronts(storefronts, shopCertificate, namesPerCertificate, pendingSet, true).certificates;

    const names = [
        ...shopNames(domain),
        ...storefrontDomains.map((name): PublicName => ({ name, target: "loadBalancer", zone: zoneOf(name, zones)! })),
    ];
    return {
        shopCertificate,
        cdnCertificate,
        storefrontCertificates,
        names,
        zones,
        aliases: { media: [`media.${domain}`], static: [`static.${domain}`] },
        pageOrigins: names
            .filter((n) => n.target === "loadBalancer" && n.name !== `origin.${domain}`)
            .map((n) => `https://${n.name}`),
        oversized,
        former: {
            certificateKeyOf: Object.fromEntries(
                [shopCertificate, cdnCertificate, ...former].flatMap((c) => c?.names.map((n) => [n, c.key]) ?? []),
            ),
            listenerIndexOf: Object.fromEntries(former.filter((c) => !c.pending).map((c, i) => [c.key, i])),
        },
    };
}

/** Storefront certificates, one each (`shared` false) or next-fit up to the quota; storefronts too large for one apart. */
function packStorefronts(
    storefronts: readonly Storefront[],
    shop: PlannedCertificate | undefined,
    namesPerCertificate: number,
    pendingSet: ReadonlySet<string>,
    shared: boolean,
) {
    const certificates: { key: string; names: string[]; pending: boolean }[] = [];
    const oversized: { code: string; names: number }[] = [];
    for (const pending of [false, true]) {
        let last: { key: string; names: string[]; pending: boolean } | undefined;
        for (const storefront of storefronts.filter((s) => pendingSet.has(s.code) === pending)) {
            const uncovered = storefront.domains.filter((d) => !(shop?.names ?? []).some((n) => covers(n, d)));
            if (uncovered.length === 0) {
                continue;
            }
            if (uncovered.length > namesPerCertificate) {
                oversized.push({ code: storefront.code, names: uncovered.length });
                continue;
            }
            if (shared && last && last.names.length + uncovered.length <= namesPerCertificate) {
                last.names.push(...uncovered);
            } else {
                last = { key: storefront.code, names: [...uncovered], pending };
                certificates.push(last);
            }
        }
    }
    return { certificates, oversized };
}

/** A registrar record whose target is still to be known (an endpoint's DNS name during a preview). */
export type RegistrarRecordOf<T> = Omit<RegistrarRecord, "target"> & { readonly target: T };

/** The records a registrar must hold for every public name: ALIAS at a zone's apex (no CNAME there), CNAME below. */
export function registrarRecords<T = string>(
    names: readonly PublicName[],
    targets: Readonly<Record<Target, T>>,
): RegistrarRecordOf<T>[] {
    return names.map((n) => ({ name: n.name, type: n.name === n.zone ? "ALIAS" : "CNAME", target: targets[n.target] }));
}

/** NS records delegating each zone created in Route 53 from its parent (at the registrar or the parent's DNS host). */
export function delegationRecords(nameServers: Readonly<Record<string, readonly string[]>>): RegistrarRecord[] {
    return Object.entries(nameServers).flatMap(([zone, servers]) =>
        servers.map((target) => ({ name: zone, type: "NS" as const, target })),
    );
}

/** A limit the plan exceeds, as the validator reports it: what, the limit, and what to change. */
export function limitProblems(plan: EdgePlan, namesPerCertificate: number): string[] {
    const problems = plan.oversized.map(
        (s) =>
            `storefront '${s.code}' has ${s.names} domains needing a certificate, more than the ${namesPerCertificate} names per ACM certificate ` +
            `(magento:acmNamesPerCertificate; the ACM quota can be raised to ${AWS_LIMITS.acmNamesMax})`,
    );
    if (plan.storefrontCertificates.length > AWS_LIMITS.listenerCertificates) {
        problems.push(
            `the storefronts need ${plan.storefrontCertificates.length} certificates of at most ${namesPerCertificate} names, but an ALB listener ` +
                `takes ${AWS_LIMITS.listenerCertificates} besides its default: raise the ACM quota and magento:acmNamesPerCertificate (up to ${AWS_LIMITS.acmNamesMax})`,
        );
    }
    for (const kind of ["media", "static"] as const) {
        if (plan.aliases[kind].length > AWS_LIMITS.distributionAliases) {
            problems.push(
                `the ${kind} distribution would carry ${plan.aliases[kind].length} alternate domain names; CloudFront allows ${AWS_LIMITS.distributionAliases}`,
            );
        }
    }
    return problems;
}

/** Problems with a storefront list on its own, each with its index path: codes, hostnames, duplicates, clashes. */
export function storefrontProblems(
    domain: string,
    storefronts: readonly Storefront[],
): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    const own = new Set(shopNames(domain).map((n) => n.name));
    const codes = new Map<string, number>();
    const seen = new Map<string, string>();
    storefronts.forEach((s, i) => {
        if (codes.has(s.code)) {
            problems.push({
                path: `[${i}].code`,
                message: `'${s.code}' is also storefront [${codes.get(s.code)}]'s code; Magento store codes are unique`,
            });
        }
        codes.set(s.code, i);
        s.domains.forEach((d, j) => {
            const path = `[${i}].domains[${j}]`;
            if (own.has(d)) {
                problems.push({
                    path,
                    message: `${d} is one of the shop's own names (apex, www., origin., media., static.)`,
                });
            } else if (seen.has(d)) {
                problems.push({
                    path,
                    message: `${d} is already served by ${seen.get(d)}; a domain belongs to one storefront`,
                });
            }
            seen.set(d, `storefront '${s.code}'`);
        });
    });
    return problems;
}
