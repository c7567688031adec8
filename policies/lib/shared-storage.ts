// Where a server or an image build mounts shared storage (NFS, EFS), read from the words that mount it, and whether a
// mount point puts Magento's pub/static on it. no-shared-pub-static reads servers' user data with it,
// release-static-content the image's build steps.
import { basename } from "./shell";

export const STATIC = "pub/static";

/** Why pub/static is never shared, for the rules' messages. */
export const STATIC_STAYS_LOCAL =
    "pub/static must stay on each instance: Magento flushes it on every static-content deploy, so sharing it lets " +
    "one deploy wipe every other instance's CSS/JS. Bake it into the release's image and serve it through the static " +
    "CloudFront distribution; share only pub/media, the sitemap folder and exported orders.";

const SHARE_TYPE = /^(?:nfs4?|efs)$/;
/** mount(8) and the helpers it runs per type (mount.nfs4; mount.efs from amazon-efs-utils). */
const MOUNT = /^mount(?:\.(nfs4?|efs))?$/;
/** A share's source: `host:/export` or EFS's `fs-0abc:/` (not a URL such as s3://). */
const SHARE_SOURCE = /^[\w.-]+:\/(?!\/)/;

const isShareType = (type: string | undefined) => type !== undefined && type.split(",").some((t) => SHARE_TYPE.test(t));

/** The mount point of a mount command (`mount [-t type] [-o options] source target`) when it mounts a share. */
function mountCommandTarget(words: readonly string[]): string | undefined {
    const verb = words.findIndex((w) => MOUNT.test(basename(w)));
    if (verb < 0) {
        return undefined;
    }
    let type = MOUNT.exec(basename(words[verb]))?.[1];
    const positional: string[] = [];
    for (let i = verb + 1; i < words.length; i++) {
        const w = words[i];
        if (w === "-t" || w === "--types") {
            type = words[++i];
        } else if (/^-t./.test(w)) {
            type = w.slice(2);
        } else if (w === "-o" || w === "--options") {
            i++;
        } else if (!w.startsWith("-")) {
            positional.push(w);
        }
    }
    const shared = isShareType(type) || positional.some((p) => SHARE_SOURCE.test(p));
    return shared ? positional[positional.length - 1] : undefined;
}

/**
 * The mount points of the NFS/EFS mounts these words make: a mount command (`mount -t nfs4|efs`, `mount.efs`, or a
 * `host:/` source), or an fstab line or cloud-init `mounts:` entry (a `host:/` source, the mount point, the type).
 * Words are a shell command's (policies/lib/shell.ts) or a line of user data split at spaces, commas and brackets.
 */
export function shareMountPoints(words: readonly string[]): string[] {
    const entries = words.flatMap((w, i) =>
        SHARE_SOURCE.test(w) && i + 2 < words.length && isShareType(words[i + 2]) ? [words[i + 1]] : [],
    );
    const command = mountCommandTarget(words);
    return [...new Set([...entries, ...(command === undefined ? [] : [command])])];
}

/** A path without its trailing slashes, and a leading `./`. */
export function normalPath(path: string): string {
    return path.replace(/^\.\/+/, "").replace(/(.)\/+$/, "$1");
}

/** A Magento-relative mount point that puts pub/static on shared storage: pub/static, inside it, or above it (pub, the root). */
export function sharesStatic(mountPoint: string): boolean {
    const m = mountPoint.toLowerCase().replace(/^\.?\/+|\/+$/g, "");
    return m === "" || m === "." || `${STATIC}/`.startsWith(`${m}/`) || `${m}/`.includes(`${STATIC}/`);
}

/** A path that is pub/static or inside it (`/var/www/magento/pub/static`, `pub/static/frontend`). */
export function isStaticPath(path: string): boolean {
    const p = `/${normalPath(path)}/`;
    return p.includes(`/${STATIC}/`);
}
