// The stack's backups as an operator relies on them: production keeps 35 daily and 90-day weekly recovery points,
// preproduction a week of dailies; the vault is under the storage key, protected and kept by a destroy, and a change
// that would replace it is refused by the plan check; the selection takes what carries the tag and nothing else; EFS's
// own automatic backups are off.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { BACKUP_PLAN, BACKUP_SELECTION, BACKUP_VAULT, KMS_KEY } from "../../../policies/lib/types";
import { asExport, plan } from "../../helpers/plan";
import { prefetch, stackResources } from "../../helpers/stacks";

const DEPLOYED = { preview: false };
prefetch(["prod", DEPLOYED], ["preprod", DEPLOYED]);

const one = (r: StateResource[], type: string) => {
    const found = r.filter((x) => x.type === type);
    assert.strictEqual(found.length, 1, type);
    return found[0];
};
const rules = (r: StateResource[]) =>
    (one(r, BACKUP_PLAN).inputs!.rules as { ruleName: string; schedule: string; lifecycle: { deleteAfter: number } }[])
        .map((x) => [x.ruleName, x.schedule, x.lifecycle.deleteAfter])
        .sort();

describe("backups", () => {
    it("production: a daily copy kept 35 days and a Sunday copy kept 90; preproduction: a daily copy kept 7", async () => {
        assert.deepStrictEqual(rules(await stackResources("prod", DEPLOYED)), [
            ["daily", "cron(0 5 ? * * *)", 35],
            ["weekly", "cron(0 5 ? * SUN *)", 90],
        ]);
        assert.deepStrictEqual(rules(await stackResources("preprod", DEPLOYED)), [["daily", "cron(0 5 ? * * *)", 7]]);
    });

    it("the vault is under the storage key, protected, and kept by a destroy", async () => {
        const r = await stackResources("prod", DEPLOYED);
        const vault = one(r, BACKUP_VAULT);
        const storageKey = r.find((x) => x.type === KMS_KEY && x.urn.endsWith("::magento-prod-data-key"));
        assert.strictEqual(vault.inputs!.kmsKeyArn, storageKey?.outputs?.arn);
        assert.strictEqual(vault.protect, true);
        assert.strictEqual(vault.retainOnDelete, true);
    });

    it("a change that would replace the vault (another key) is refused by the plan check", async () => {
        const deployed = await stackResources("prod", DEPLOYED);
        const before = deployed.map((x) =>
            x.type === BACKUP_VAULT
                ? { ...x, inputs: { ...x.inputs, kmsKeyArn: "arn:aws:kms:eu-west-3:1:key/old" } }
                : x,
        );
        const refused = plan(asExport(before), deployed, "prod")
            .check()
            .refusals.map((x) => [x.step.op, x.step.name]);
        assert.deepStrictEqual(refused, [["replace", "magento-prod-backups-vault"]]);
    });

    it("the selection takes the tagged volumes, file systems and databases by type AND tag, whatever the region's opt-in", async () => {
        const selection = one(await stackResources("prod", DEPLOYED), BACKUP_SELECTION);
        // By resource type: backed up regardless of the service opt-in (a tag-only selection depends on it).
        assert.deepStrictEqual(selection.inputs!.resources, [
            "arn:aws:ec2:*:*:volume/*",
            "arn:aws:elasticfilesystem:*:*:file-system/*",
            "arn:aws:rds:*:*:db:*",
        ]);
        // The tag as a Condition, which AWS ANDs with the resources; as ListOfTags it would be OR'ed: every volume.
        assert.deepStrictEqual(selection.inputs!.conditions, [
            { stringEquals: [{ key: "aws:ResourceTag/magento:backup", value: "daily" }] },
        ]);
        assert.strictEqual(selection.inputs!.selectionTags, undefined);
        // Replaced under the same name, the old selection goes first.
        assert.strictEqual(selection.deleteBeforeReplace, true);
    });

    it("EFS's own automatic backups are off: the stack's plan copies it", async () => {
        const policies = (await stackResources("prod", DEPLOYED)).filter(
            (x) => x.type === "aws:efs/backupPolicy:BackupPolicy",
        );
        assert.ok(policies.length > 0);
        assert.ok(policies.every((p) => (p.inputs!.backupPolicy as { status: string }).status === "DISABLED"));
    });
});
