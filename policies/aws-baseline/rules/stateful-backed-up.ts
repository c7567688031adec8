// Every resource whose data the program cannot re-create, and which AWS Backup can copy, is in a backup selection of
// the stack: EBS volumes (Rundeck's, the NFS server's and the Windows host's data), EFS file systems, RDS instances and
// clusters (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetSupportedResourceTypes.html lists EBS, EFS,
// RDS and Aurora). A selection picks a resource as AWS evaluates it
// (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html): by one of its ListOfTags
// (selectionTags, OR'ed with the rest), or by its `resources` (an ARN pattern matching the resource, or the resource
// itself as a property dependency) AND every tag condition of `conditions` (components/data/backups.ts selects so).
// Out: ElastiCache and OpenSearch, which AWS Backup does not support (their own snapshots cover them:
// docs/backups.md), buckets, secrets and keys (production-stateful-protected keeps them), and a resource tagged
// Disposable. Decides during preview: the components' tags and the selection's conditions are literals; a tag map, a
// pattern or a condition not known yet counts as covering, and the update decides.
import { StackValidationPolicy } from "@pulumi/policy";
import { BACKUP_DAILY, BACKUP_TAG, DISPOSABLE_TAG } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType, StackResource } from "../../lib/stack";
import { BACKUP_SELECTION, EBS_VOLUME, EFS_FILE_SYSTEM, RDS_CLUSTER, RDS_INSTANCE } from "../../lib/types";
import { indices, isSet, known, knownString, NOT_KNOWN, read } from "../../lib/values";
import { wildcardMatches } from "../../lib/wildcards";

/** What each kind is called in messages, and the shape of its ARN (where the preview does not know it yet) that a
 *  selection's resource pattern must match. */
const BACKED_UP: Readonly<Record<string, { called: string; arn: string }>> = {
    [EBS_VOLUME]: { called: "EBS volume", arn: "arn:aws:ec2:region:account:volume/vol-0" },
    [EFS_FILE_SYSTEM]: { called: "EFS file system", arn: "arn:aws:elasticfilesystem:region:account:file-system/fs-0" },
    [RDS_INSTANCE]: { called: "Database", arn: "arn:aws:rds:region:account:db:db" },
    [RDS_CLUSTER]: { called: "Database cluster", arn: "arn:aws:rds:region:account:cluster:cluster" },
};

/** Tag conditions in `conditions` name the tag as a condition key. */
const RESOURCE_TAG = "aws:ResourceTag/";

/** One tag test; key or value NOT_KNOWN: not known yet. */
interface TagTest {
    readonly key: unknown;
    readonly value: unknown;
    /** StringEquals/StringLike hold when the tag matches; StringNotEquals/StringNotLike when it does not. */
    readonly negated: boolean;
    readonly like: boolean;
}

function listOfTags(selection: StackResource): TagTest[] {
    const tags = read(selection.props, "selectionTags");
    return indices(tags)
        .filter((i) => [undefined, "STRINGEQUALS"].includes(known(tags, i, "type") as string | undefined))
        .map((i) => ({ key: read(tags, i, "key"), value: read(tags, i, "value"), negated: false, like: false }));
}

const OPERATORS: readonly [string, boolean, boolean][] = [
    ["stringEquals", false, false],
    ["stringNotEquals", true, false],
    ["stringLikes", false, true],
    ["stringNotLikes", true, true],
];

function conditions(selection: StackResource): TagTest[] {
    const blocks = read(selection.props, "conditions");
    return indices(blocks).flatMap((b) =>
        OPERATORS.flatMap(([operator, negated, like]) => {
            const tests = read(blocks, b, operator);
            return indices(tests).map((i) => {
                const key = read(tests, i, "key");
                return {
                    key: typeof key === "string" && key.startsWith(RESOURCE_TAG) ? key.slice(RESOURCE_TAG.length) : key,
                    value: read(tests, i, "value"),
                    negated,
                    like,
                };
            });
        }),
    );
}

function holds(test: TagTest, tags: unknown): boolean {
    if (test.key === NOT_KNOWN || test.value === NOT_KNOWN || tags === NOT_KNOWN) {
        return true; // the update decides
    }
    const value = read(tags, String(test.key));
    if (value === NOT_KNOWN) {
        return true;
    }
    const matched =
        typeof value === "string" && (test.like ? wildcardMatches(String(test.value), value) : value === test.value);
    return matched !== test.negated;
}

/** The resource is in the selection's `resources`: by a pattern its ARN matches, or by name. */
function named(selection: StackResource, r: StackResource): boolean {
    const patterns = read(selection.props, "resources");
    if (patterns === NOT_KNOWN) {
        return true;
    }
    const arn = knownString(r.props, "arn") ?? BACKED_UP[r.type].arn;
    return (
        indices(patterns).some((i) => {
            const pattern = read(patterns, i);
            return typeof pattern === "string" && wildcardMatches(pattern, arn);
        }) || dependsOn(selection, "resources").includes(r)
    );
}

function selects(selection: StackResource, r: StackResource): boolean {
    const tags = read(r.props, "tags");
    if (listOfTags(selection).some((t) => holds(t, tags))) {
        return true;
    }
    const tests = conditions(selection);
    const hasResources = isSet(selection.props, "resources");
    if (!hasResources && tests.length === 0) {
        return false;
    }
    return (!hasResources || named(selection, r)) && tests.every((t) => holds(t, tags));
}

/** What the stack's selections ask of a resource's tags, for the message. */
function asked(selections: StackResource[]): string[] {
    return selections
        .flatMap((s) => [...listOfTags(s), ...conditions(s)])
        .filter((t) => !t.negated && typeof t.key === "string" && typeof t.value === "string")
        .map((t) => `${String(t.key)}=${String(t.value)}`);
}

export const statefulBackedUp: StackValidationPolicy = {
    name: "stateful-backed-up",
    description:
        "Every EBS volume, EFS file system and RDS database is in an AWS Backup selection of the stack (by its tags, its resource type, or by name, as AWS combines them), unless tagged Disposable.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const selections = ofType(args.resources, BACKUP_SELECTION);
        const tags = [...new Set(asked(selections))];
        const fix =
            tags.length > 0
                ? `tag it ${tags.join(" or ")} (what the stack's backup selections match)`
                : `add an AWS Backup plan and a selection covering it (components/data/backups.ts selects ${BACKUP_TAG}=${BACKUP_DAILY})`;
        for (const r of ofType(args.resources, ...Object.keys(BACKED_UP))) {
            if (isSet(r.props, "tags", DISPOSABLE_TAG)) {
                continue;
            }
            if (!selections.some((s) => selects(s, r))) {
                reportViolation(
                    `${BACKED_UP[r.type].called} ${r.name} is in no backup selection of the stack: ${fix}, or tag it ${DISPOSABLE_TAG} with why losing it is fine.`,
                    r.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...Object.keys(BACKED_UP), BACKUP_SELECTION],
    decides:
        "Decides during preview from each resource's tags and the stack's backup selections' ListOfTags, Conditions and resources (ARN patterns and property dependencies).",
    remediation:
        "Tag the resource for the stack's backup selection (magento:backup=daily here) or add it to a selection, or tag it Disposable when its data can be rebuilt.",
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
