// Magento's pub/static is never on shared storage: Magento flushes it on every static-content deploy, and when it was
// shared one instance's deploy wiped the assets of all the others and of every store (docs/estate.md).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { listTag, NFS_EXPORTS_TAG, SHARED_MOUNTS_TAG } from "../../lib/contracts";
import { normalPath, shareMountPoints, sharesStatic, STATIC, STATIC_STAYS_LOCAL } from "../../lib/shared-storage";
import { mountLines, userDataOf } from "../../lib/user-data";
import { knownString, knownTags } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, EFS_ACCESS_POINT } from "../../lib/types";

/** A path or name that designates static content: "pub/static" anywhere, or a segment "static" (/magento/static). */
function designatesStatic(value: string): boolean {
    const lower = value.toLowerCase();
    return lower.includes(STATIC) || lower.split(/[^a-z0-9]+/).includes("static");
}

/** Lines of user data that mount NFS/EFS (fstab line, mount -t, cloud-init mounts: entry) onto a path ending in pub/static. */
function staticMounts(userData: string): string[] {
    return mountLines(userData).flatMap(({ line: number, text: line }) => {
        const words = line.split(/[\s,[\]"']+/).filter((t) => t !== "");
        const target = shareMountPoints(words)
            .map(normalPath)
            .find((t) => t === STATIC || t.endsWith(`/${STATIC}`));
        return target ? [`line ${number}: ${target}`] : [];
    });
}

function problems(type: string, name: string, props: Record<string, unknown>): string[] {
    const tags = knownTags(props);
    const found = new Set<string>();
    if (type === EFS_ACCESS_POINT) {
        const path = knownString(props, "rootDirectory", "path");
        const because = [
            ...(path !== undefined && designatesStatic(path) ? [`rootDirectory.path ${path}`] : []),
            ...(designatesStatic(name) ? ["its name"] : []),
            ...tags.filter(([, v]) => designatesStatic(v)).map(([k, v]) => `tag ${k}=${v}`),
        ];
        if (because.length > 0) {
            found.add(`EFS access point ${name} shares static content (${because.join(", ")}).`);
        }
    }
    for (const [, value] of tags.filter(([k]) => k === NFS_EXPORTS_TAG)) {
        const exports = listTag(value).filter(designatesStatic);
        if (exports.length > 0) {
            found.add(`${name} exports static content over NFS (${NFS_EXPORTS_TAG}: ${exports.join(", ")}).`);
        }
    }
    for (const [, value] of tags.filter(([k]) => k === SHARED_MOUNTS_TAG)) {
        const mounts = listTag(value).filter(sharesStatic);
        if (mounts.length > 0) {
            found.add(
                `${name} mounts shared storage on ${mounts.join(", ")} (${SHARED_MOUNTS_TAG} tag), which puts ${STATIC} on it.`,
            );
        }
    }
    const userData = userDataOf(type, props);
    const mounted = userData === undefined ? [] : staticMounts(userData);
    if (mounted.length > 0) {
        found.add(`${name} mounts NFS/EFS on ${STATIC} in its user data (${mounted.join("; ")}).`);
    }
    return [...found];
}

export const noSharedPubStatic: ResourceValidationPolicy = {
    name: "no-shared-pub-static",
    description: "Magento's pub/static is never on shared storage: no EFS access point, NFS export or mount for it.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const problem of problems(args.type, args.name, args.props)) {
            reportViolation(`${problem} ${STATIC_STAYS_LOCAL}`);
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EFS_ACCESS_POINT, EC2_INSTANCE, EC2_LAUNCH_TEMPLATE],
    decides:
        "Decides during preview from access point paths, names, the NFS exports and shared mounts tags, and mount lines in literal user data.",
    remediation:
        "Keep pub/static on each server's own disk (deployed with the release) and remove the access point, export or mount that puts it on shared storage.",
    controls: controls({}),
};
