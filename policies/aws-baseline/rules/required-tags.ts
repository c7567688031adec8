// Every taggable resource carries the stack's ownership tags (environment, owner, cost centre: stack config `tags`),
// so that the bill and the console say whose each resource is. A rule has no provider schema offline, so a type
// counts as taggable when the program gave the resource a `tags` input, and the types below must have one: the
// billed and the stateful ones, where a forgotten `tags` hides the cost. Provider default tags (the provider's
// defaultTags) are invisible to a policy, in a preview as in an export: the program sets tags on every resource itself.
// Autoscaling groups carry their tags as a list of {key, value, propagateAtLaunch}. Decides during preview: tags are
// literal inputs; a tag whose value is not known yet counts as present.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import {
    AUTOSCALING_GROUP,
    CLOUDFRONT_DISTRIBUTION,
    CLOUDWATCH_LOG_GROUP,
    EBS_VOLUME,
    EC2_EIP,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_NAT_GATEWAY,
    EC2_SECURITY_GROUP,
    EC2_SUBNET,
    EC2_VPC,
    EFS_FILE_SYSTEM,
    ELASTICACHE_REPLICATION_GROUP,
    KMS_KEY,
    LOAD_BALANCERS,
    RDS_CLUSTER,
    RDS_INSTANCE,
    ROUTE53_ZONE,
    S3_BUCKET,
    SEARCH_DOMAINS,
    SECRETSMANAGER_SECRET,
} from "../../lib/types";
import { indices, isSet, known, NOT_KNOWN, read } from "../../lib/values";

const DEFAULT_KEYS = ["Environment", "Owner", "CostCentre"];

/** Types that must have tags even when the program gave them none. */
const MUST_BE_TAGGED = [
    EC2_VPC,
    EC2_SUBNET,
    EC2_NAT_GATEWAY,
    EC2_EIP,
    EC2_SECURITY_GROUP,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    AUTOSCALING_GROUP,
    EBS_VOLUME,
    ...LOAD_BALANCERS,
    RDS_INSTANCE,
    RDS_CLUSTER,
    ELASTICACHE_REPLICATION_GROUP,
    ...SEARCH_DOMAINS,
    EFS_FILE_SYSTEM,
    S3_BUCKET,
    KMS_KEY,
    SECRETSMANAGER_SECRET,
    CLOUDFRONT_DISTRIBUTION,
    ROUTE53_ZONE,
    CLOUDWATCH_LOG_GROUP,
];

/** The keys the resource's tags set to a value (an unknown value counts), from a map or an autoscaling group's list. */
function taggedKeys(tags: unknown): string[] {
    if (Array.isArray(tags)) {
        return indices(tags)
            .filter((i) => isSet(tags, i, "value"))
            .map((i) => known(tags, i, "key"))
            .filter((k): k is string => typeof k === "string");
    }
    return typeof tags === "object" && tags !== null ? Object.keys(tags).filter((key) => isSet(tags, key)) : [];
}

export const requiredTags: ResourceValidationPolicy = {
    name: "required-tags",
    description:
        "Every resource with tags (and every billed or stateful type, which must have them) carries the required tags, Environment, Owner and CostCentre by default. Set on each resource by the program: provider default tags are invisible to policies.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_KEYS,
                description: "Tag keys every taggable resource carries.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const tags = read(args.props, "tags");
        if (tags === NOT_KNOWN || (tags === undefined && !MUST_BE_TAGGED.includes(args.type))) {
            return; // a tag map computed from another output is judged at update, when it is known
        }
        const keys = args.getConfig<{ requiredTags?: string[] }>().requiredTags ?? DEFAULT_KEYS;
        const present = taggedKeys(tags);
        const missing = keys.filter((k) => !present.includes(k));
        if (missing.length > 0) {
            reportViolation(
                `${args.name} lacks the tag(s) ${missing.join(", ")}; tag every resource with the stack's tags ` +
                    "(stack config tags), on the resource itself: provider default tags are not visible to policies.",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: MUST_BE_TAGGED,
    decides:
        "Decides during preview from the tags as the program writes them (a tag whose value is not known yet counts as present).",
    remediation:
        "Set the required tags (Environment, Owner, CostCentre by default) on the resource itself in the program, for example through a shared tags object passed to every resource; provider default tags are not seen by policies.",
    controls: controls({ awsConfig: ["required-tags"] }),
};
