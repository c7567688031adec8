import { PolicyResource } from "@pulumi/policy";
import { groupTag, ofType } from "./stack";
import { AUTOSCALING_GROUP } from "./types";
// Tags through which components tell the policies what a server does with shared storage. Components MUST set them:
// they carry the intent during preview, when user data that embeds a file system's DNS name is still unknown.

/** On every launch template and instance that mounts NFS/EFS: its Magento-relative mount points, comma-separated,
 *  e.g. "pub/media,pub/sitemap,var/export". Absent (or empty) means the server mounts no shared storage. */
export const SHARED_MOUNTS_TAG = "SharedMounts";

/** Where every Linux server's cloud-config writes its CloudWatch agent's configuration
 *  (components/compute/cloudwatch-agent.ts); rule servers-ship-logs reads it there. */
export const AGENT_CONFIG_PATH = "/opt/aws/amazon-cloudwatch-agent/etc/magento.json";

/** On every NFS server: the directories it exports, comma-separated, e.g. "/exports/media,/exports/sitemap". */
export const NFS_EXPORTS_TAG = "NfsExports";

/** The entries of a comma-separated list tag, trimmed, empty ones dropped. */
export function listTag(value: string): string[] {
    return value
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");
}

/** On every single-instance server: its tier (rundeck, nfs, windows, gateway, vpn...), as the web groups carry web and
 *  backoffice, and each tier's identity security group (ServerTier). Rules that treat tiers differently
 *  (private-servers) recognise servers by it; the reachability matrix names sources and targets by it. */
export const TIER_TAG = "Tier";
/** On a security group that admits CIDRs chosen by the operators (the gateway's): those CIDRs, comma-separated, e.g.
 *  "203.0.113.0/24,2001:db8::/48". Every CIDR the group admits must lie inside one of them. */
export const ALLOWED_SOURCES_TAG = "AllowedSources";
/** On a resource that holds data the stack may lose on purpose (the temp bucket: scratch space whose objects expire):
 *  why, e.g. "scratch: objects expire". production-stateful-protected does not ask it to be protected. */
export const DISPOSABLE_TAG = "Disposable";

/** On every resource AWS Backup must copy (EBS data volumes, EFS, RDS instances): the schedule, BACKUP_DAILY. The stack's
 *  backup selection picks resources by it (components/data/backups.ts); `stateful-backed-up` refuses a stateful
 *  resource no selection of the stack covers. A tag rather than a list of ARNs: a volume the program adds is covered by
 *  the component that creates it, and a restored copy tagged the same is backed up too. */
export const BACKUP_TAG = "magento:backup";
/** On a secret whose value the program writes (GeneratedSecret), so Pulumi's state holds it too: the read-only CI
 *  roles may read exactly these, which a refresh of their SecretVersion needs (docs/ci-trust.md). */
export const VALUE_IN_STATE_TAG = "magento:value-in-state";
export const BACKUP_DAILY = "daily";

/** On every release image (the pipeline's and a promotion's copies; docs/release-image.md): its value is the stack. */
export const RELEASE_IMAGE_TAG = "magento:release-image";
/** Tags the release workflow sets on an image once built: the release's version and the shop's commit. */
export const RELEASE_VERSION_TAG = "magento:release-version";
export const RELEASE_COMMIT_TAG = "magento:release-commit";
/** On a promoted copy and its snapshots (the release runner's): the image it was copied from. The runner prunes only
 *  images carrying it; the pipeline's own are the lifecycle policy's. */
export const RELEASE_SOURCE_TAG = "magento:release-source";
/** The launch template's tag saying which image it boots: the release parameter's name, `pinned`, or `none` (no
 *  release yet: the group keeps no server). */
export const LAUNCH_IMAGE_TAG = "magento:image-source";

/** Pack config key naming the Tier tag values of Magento web servers (front end and back office), and its default. */
export const WEB_TIERS_SCHEMA = {
    webTiers: {
        type: "array" as const,
        items: { type: "string" as const },
        default: ["web", "backoffice"],
        description: "Values of the Tier tag that mark Magento web servers.",
    },
};

/** True when the stack holds Magento web servers: an autoscaling group whose Tier tag is one of `webTiers`. Rules about
 *  the shop's architecture apply only there; on another stack (a plain ECS or EKS one) they would speak of servers,
 *  paths and a CDN that stack does not have. */
export function hasMagentoWebTier(resources: readonly PolicyResource[], webTiers: readonly string[]): boolean {
    return ofType(resources, AUTOSCALING_GROUP).some((g) => webTiers.includes(groupTag(g, TIER_TAG) ?? ""));
}

/** On a CloudWatch log group of security telemetry (WAF requests, Session Manager sessions): "security". Such groups
 *  keep their events for a year and are KMS-encrypted (security-logs-kept, PCI DSS 10.5.1: docs/telemetry.md). */
export const LOG_CLASS_TAG = "LogClass";
