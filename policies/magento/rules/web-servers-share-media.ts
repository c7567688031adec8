// Every Magento web server mounts the shared media folder: product images uploaded through one server's admin must be
// visible to all, or catalog images diverge per server and break at random behind the load balancer. The intent is
// read from the SharedMounts tag, known during a preview even when the user data embeds a file system id that is
// not; the user data is checked as well whenever it is known.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { listTag, SHARED_MOUNTS_TAG, TIER_TAG, WEB_TIERS_SCHEMA } from "../../lib/contracts";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../lib/types";
import { mountLines, userDataOf } from "../../lib/user-data";
import { knownTags } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const MEDIA = "pub/media";

interface Config {
    webTiers?: string[];
}

/** True when some line of the user data mounts NFS/EFS (fstab, mount, cloud-init mounts) on a path ending in pub/media. */
function mountsMedia(userData: string): boolean {
    return mountLines(userData).some(({ text: line }) => {
        const tokens = line.split(/[\s,[\]"']+/).filter((t) => t !== "");
        const shared = tokens.some((t) => /^(?:nfs4?|efs)$/.test(t) || /^[\w.-]+:\/(?!\/)/.test(t));
        return shared && tokens.some((t) => t.replace(/\/+$/, "").endsWith(`/${MEDIA}`));
    });
}

export const webServersShareMedia: ResourceValidationPolicy = {
    name: "web-servers-share-media",
    description:
        "Launch templates and instances of the Magento web tiers (Tier tag) mount the shared pub/media folder.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...WEB_TIERS_SCHEMA,
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== EC2_LAUNCH_TEMPLATE && args.type !== EC2_INSTANCE) {
            return;
        }
        const tags = knownTags(args.props);
        const tier = tags.find(([k]) => k === TIER_TAG)?.[1];
        if (
            tier === undefined ||
            !(args.getConfig<Config>().webTiers ?? WEB_TIERS_SCHEMA.webTiers.default).includes(tier)
        ) {
            return;
        }
        const declared = tags.filter(([k]) => k === SHARED_MOUNTS_TAG).flatMap(([, v]) => listTag(v));
        if (!declared.includes(MEDIA)) {
            reportViolation(
                `Web server ${args.name} (Tier=${tier}) does not declare the shared ${MEDIA} mount (${SHARED_MOUNTS_TAG}: ${declared.join(",") || "none"}); ` +
                    `mount ${MEDIA} from EFS/NFS on every web server, or product images diverge per server.`,
            );
            return;
        }
        const userData = userDataOf(args.type, args.props);
        if (userData !== undefined && !mountsMedia(userData)) {
            reportViolation(
                `Web server ${args.name} declares ${SHARED_MOUNTS_TAG}=${declared.join(",")} but its user data mounts nothing on ${MEDIA}.`,
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_LAUNCH_TEMPLATE, EC2_INSTANCE],
    decides: "Decides during preview from the Tier tag, the shared mounts tag and mount lines in literal user data.",
    remediation:
        "Mount the shared storage's pub/media share in the web tiers' user data (or tag the launch template with the mounts it makes).",
    controls: controls({}),
};
