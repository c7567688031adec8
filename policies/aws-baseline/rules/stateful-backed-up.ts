// Every resource whose data the program cannot re-create, and which AWS Backup can copy, is in a backup selection of
// the stack: EBS volumes (Rundeck's, the NFS server's and the Windows host's data), EFS file systems, RDS instances and
// clusters (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetSupportedResourceTypes.html lists EBS, EFS,
// RDS and Aurora). A selection covers a resource by one of its tag conditions (selectionTags: STRINGEQUALS on the
// resource's own tag, as components/data/backups.ts selects) or by naming it in `resources` (a property dependency).
// Out: ElastiCache and OpenSearch, which AWS Backup does not support (their own snapshots cover them:
// docs/backups.md), buckets, secrets and keys (production-stateful-protected keeps them), and a resource tagged
// Disposable. Decides during preview: the components' tags and the selection's conditions are literals; a tag map or a
// condition not known yet counts as covering, and the update decides.
import { StackValidationPolicy } from "@pulumi/policy";
import { BACKUP_DAILY, BACKUP_TAG, DISPOSABLE_TAG } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType } from "../../lib/stack";
import { BACKUP_SELECTION, EBS_VOLUME, EFS_FILE_SYSTEM, RDS_CLUSTER, RDS_INSTANCE } from "../../lib/types";
import { indices, isSet, known, NOT_KNOWN, read } from "../../lib/values";

/** What each kind is called in messages. */
const BACKED_UP: Readonly<Record<string, string>> = {
    [EBS_VOLUME]: "EBS volume",
    [EFS_FILE_SYSTEM]: "EFS file system",
    [RDS_INSTANCE]: "Database",
    [RDS_CLUSTER]: "Database cluster",
};

/** A tag condition of a selection; undefined key or value: not known yet. */
interface TagCondition {
    readonly key: unknown;
    readonly value: unknown;
}

function tagConditions(selection: { props: Record<string, unknown> }): TagCondition[] {
    const tags = read(selection.props, "selectionTags");
    return indices(tags)
        .filter((i) => [undefined, "STRINGEQUALS"].includes(known(tags, i, "type") as string | undefined))
        .map((i) => ({ key: read(tags, i, "key"), value: read(tags, i, "value") }));
}

function matches(condition: TagCondition, tags: unknown): boolean {
    if (condition.key === NOT_KNOWN || condition.value === NOT_KNOWN || tags === NOT_KNOWN) {
        return true; // the update decides
    }
    const value = read(tags, String(condition.key));
    return value === NOT_KNOWN || value === condition.value;
}

export const statefulBackedUp: StackValidationPolicy = {
    name: "stateful-backed-up",
    description:
        "Every EBS volume, EFS file system and RDS database is in an AWS Backup selection of the stack (by a tag it carries, or by name), unless tagged Disposable.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const selections = ofType(args.resources, BACKUP_SELECTION);
        const conditions = selections.flatMap(tagConditions);
        const asked = conditions
            .filter((c) => typeof c.key === "string" && typeof c.value === "string")
            .map((c) => `${String(c.key)}=${String(c.value)}`);
        const fix =
            asked.length > 0
                ? `tag it ${asked.join(" or ")} (what the stack's backup selections match)`
                : `add an AWS Backup plan and a selection covering it (components/data/backups.ts selects ${BACKUP_TAG}=${BACKUP_DAILY})`;
        for (const r of ofType(args.resources, ...Object.keys(BACKED_UP))) {
            if (isSet(r.props, "tags", DISPOSABLE_TAG)) {
                continue;
            }
            const tags = read(r.props, "tags");
            const covered =
                conditions.some((c) => matches(c, tags)) ||
                selections.some((s) => dependsOn(s, "resources").includes(r));
            if (!covered) {
                reportViolation(
                    `${BACKED_UP[r.type]} ${r.name} is in no backup selection of the stack: ${fix}, or tag it ${DISPOSABLE_TAG} with why losing it is fine.`,
                    r.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...Object.keys(BACKED_UP), BACKUP_SELECTION],
    decides:
        "Decides during preview from each resource's tags and the stack's backup selections' tag conditions and resources (property dependencies).",
    controls: controls({
        securityHub: ["EFS.2"],
        awsConfig: [
            "ebs-resources-protected-by-backup-plan",
            "efs-resources-protected-by-backup-plan",
            "rds-resources-protected-by-backup-plan",
        ],
    }),
    sources: ["https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetSupportedResourceTypes.html"],
};
