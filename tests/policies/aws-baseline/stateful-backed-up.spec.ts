// stateful-backed-up, asked over the analyzer protocol: volumes, file systems and databases a selection picks by tag
// or by name pass; one nothing selects is refused with the tag that would cover it; a disposable one stays out.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    BACKUP_SELECTION,
    EBS_VOLUME,
    EFS_FILE_SYSTEM,
    ELASTICACHE_REPLICATION_GROUP,
    RDS_INSTANCE,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const TAGGED = { "magento:backup": "daily" };

/** How components/data/backups.ts selects: the resource types by ARN AND the tag as a condition. */
const BY_TYPE_AND_TAG = {
    resources: ["arn:aws:ec2:*:*:volume/*", "arn:aws:elasticfilesystem:*:*:file-system/*", "arn:aws:rds:*:*:db:*"],
    conditions: [{ stringEquals: [{ key: "aws:ResourceTag/magento:backup", value: "daily" }] }],
};

/** Rundeck's volume, EFS and the shop's database, tagged (or not), and a selection by that tag (or none). */
function stack(opts: { tagged: boolean; selection: boolean | Record<string, unknown> }): StateResource[] {
    const b = new StackBuilder("prod");
    const tags = opts.tagged ? TAGGED : { Name: "x" };
    b.add(EBS_VOLUME, "rundeck-data", { encrypted: true, tags });
    b.add(EFS_FILE_SYSTEM, "shared", { encrypted: true, tags });
    b.add(RDS_INSTANCE, "mysql", { tags });
    b.add(ELASTICACHE_REPLICATION_GROUP, "sessions", {}); // AWS Backup does not support it: out
    if (opts.selection) {
        b.add(BACKUP_SELECTION, "tagged", {
            planId: UNKNOWN,
            iamRoleArn: UNKNOWN,
            ...(opts.selection === true
                ? { selectionTags: [{ type: "STRINGEQUALS", key: "magento:backup", value: "daily" }] }
                : opts.selection),
        });
    }
    return b.resources;
}

describe("aws-baseline / stateful-backed-up", () => {
    it("keeps: every volume, file system and database tagged as a selection of the stack matches", async () => {
        assert.deepStrictEqual(await violations("stateful-backed-up", stack({ tagged: true, selection: true })), []);
    });

    it("keeps: a resource a selection names in its resources, and one tagged Disposable", async () => {
        const b = new StackBuilder("prod");
        b.add(EBS_VOLUME, "scratch", { tags: { Disposable: "rebuilt from the release" } });
        const db = b.add(RDS_INSTANCE, "mysql", { tags: {} });
        b.add(BACKUP_SELECTION, "named", { resources: [UNKNOWN] }, { resources: [db] });
        assert.deepStrictEqual(await violations("stateful-backed-up", b.resources), []);
    });

    it("breaks: untagged resources, named with the tag the stack's selection matches", async () => {
        const fix =
            "tag it magento:backup=daily (what the stack's backup selections match), or tag it Disposable with why losing it is fine.";
        assert.deepStrictEqual(await violations("stateful-backed-up", stack({ tagged: false, selection: true })), [
            `mandatory: EBS volume rundeck-data is in no backup selection of the stack: ${fix}`,
            `mandatory: EFS file system shared is in no backup selection of the stack: ${fix}`,
            `mandatory: Database mysql is in no backup selection of the stack: ${fix}`,
        ]);
    });

    it("keeps: tagged resources of the types a selection names by ARN with the tag as a condition (AND)", async () => {
        assert.deepStrictEqual(
            await violations("stateful-backed-up", stack({ tagged: true, selection: BY_TYPE_AND_TAG })),
            [],
        );
    });

    it("breaks: a type the selection's ARNs leave out, or a tag its condition does not match, even as the other half holds", async () => {
        const noFileSystems = {
            ...BY_TYPE_AND_TAG,
            resources: BY_TYPE_AND_TAG.resources.filter((p) => !p.includes("file-system")),
        };
        assert.deepStrictEqual(
            await violations("stateful-backed-up", stack({ tagged: true, selection: noFileSystems })),
            [
                "mandatory: EFS file system shared is in no backup selection of the stack: tag it magento:backup=daily (what the stack's backup selections match), or tag it Disposable with why losing it is fine.",
            ],
        );
        assert.strictEqual(
            (await violations("stateful-backed-up", stack({ tagged: false, selection: BY_TYPE_AND_TAG }))).length,
            3,
        );
        const excluded = {
            ...BY_TYPE_AND_TAG,
            conditions: [
                {
                    ...BY_TYPE_AND_TAG.conditions[0],
                    stringNotLikes: [{ key: "aws:ResourceTag/magento:backup", value: "dai*" }],
                },
            ],
        };
        assert.strictEqual(
            (await violations("stateful-backed-up", stack({ tagged: true, selection: excluded }))).length,
            3,
        );
    });

    it("breaks: tagged resources in a stack with no backup selection at all", async () => {
        const found = await violations("stateful-backed-up", stack({ tagged: true, selection: false }));
        assert.strictEqual(found.length, 3);
        assert.match(
            found[0],
            /EBS volume rundeck-data is in no backup selection of the stack: add an AWS Backup plan/,
        );
    });

    for (const name of ["prod", "preprod"]) {
        it(`the real ${name} stack keeps it during preview`, async () => {
            assert.deepStrictEqual(await violations("stateful-backed-up", await stackResources(name)), []);
        });
    }
});
