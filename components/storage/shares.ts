// The folders Magento's servers share (docs/estate.md): product images, sitemaps, exported orders. Never
// pub/static: a static-content deploy on one server flushes it, and on shared storage that wiped every other
// server's CSS/JS and left new instances without assets. Static content ships in each server's image instead.

export interface Share {
    /** Short name: the access point's or export's name. */
    readonly name: string;
    /** Mount point relative to the Magento root on the web servers. */
    readonly mountPath: string;
    /** POSIX owner of the share's files (Magento's file-system owner, or the connector that writes exports). */
    readonly uid: number;
    readonly gid: number;
    /** The tiers (Client names) that mount it; absent: every tier the storage serves. A tier not listed neither mounts
     *  it at boot nor may mount it (the EFS file system policy names each share's tiers). */
    readonly tiers?: readonly string[];
}

/** Mode of every share's root: group-writable, setgid so new files keep the share's group (as the EFS access points). */
export const SHARE_MODE = "2775";

/** Magento's file-system owner: the user PHP-FPM runs as on the web image. */
const MAGENTO_UID = 1001;
const MAGENTO_GID = 1001;

export const MAGENTO_SHARES: readonly Share[] = [
    { name: "media", mountPath: "pub/media", uid: MAGENTO_UID, gid: MAGENTO_GID },
    { name: "sitemap", mountPath: "pub/sitemap", uid: MAGENTO_UID, gid: MAGENTO_GID },
    // Written by Magento's back office (exports run from the admin and cron), collected by the order connector: its own
    // owner, Magento's group. Orders hold customers' data: the internet-facing front end never mounts them.
    { name: "exports", mountPath: "var/export", uid: 1002, gid: MAGENTO_GID, tiers: ["backoffice"] },
];

/** True when `tier` mounts the share. */
export function mountedBy(share: Share, tier: string): boolean {
    return share.tiers === undefined || share.tiers.includes(tier);
}

/** The shares a tier mounts. */
export function sharesOf(tier: string, shares: readonly Share[]): Share[] {
    return shares.filter((s) => mountedBy(s, tier));
}

/** True for a name or path that designates Magento's static content ("static" as a segment, or pub/static). */
export function designatesStatic(text: string): boolean {
    return /(^|[/_.-])static($|[/_.-])/i.test(text);
}

/** Checks a list of shares before anything is created; a share of pub/static is refused with the reason. */
export function planShares(shares: readonly Share[]): readonly Share[] {
    const problems: string[] = [];
    const names = new Set<string>();
    for (const share of shares) {
        if (designatesStatic(share.name) || designatesStatic(share.mountPath)) {
            problems.push(
                `share '${share.name}' (${share.mountPath}) would put pub/static on shared storage: ` +
                    "a static-content deploy on one server would wipe every other server's assets; ship pub/static in the image and serve it through the CDN",
            );
        }
        if (!/^[a-z][a-z0-9-]*$/.test(share.name)) {
            problems.push(`share name '${share.name}' must be lower-case letters, digits and hyphens`);
        }
        if (names.has(share.name)) {
            problems.push(`share '${share.name}' is listed twice`);
        }
        if (share.mountPath.startsWith("/") || share.mountPath.split("/").includes("..")) {
            problems.push(`share '${share.name}': mountPath '${share.mountPath}' must be relative to the Magento root`);
        }
        names.add(share.name);
    }
    if (problems.length > 0) {
        throw new Error(`Shared storage refused:\n  - ${problems.join("\n  - ")}`);
    }
    return shares;
}

/** The mount points as the policy packs read them from a launch template's or server's `SharedMounts` tag. */
export function sharedMountsTag(shares: readonly Share[]): string {
    return shares.map((s) => s.mountPath).join(",");
}
