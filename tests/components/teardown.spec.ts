// Teardown as the procedure runs it (docs/teardown.md): the `up` with magento:teardown leaves a state that `pulumi
// destroy` can delete, keeping exactly what the procedure says it keeps; production keeps `protect` for the last step.
import * as assert from "assert";
import { DISPOSABLE_TAG } from "../../policies/lib/contracts";
import { StateResource } from "../../offline/state";
import {
    ELASTICACHE_PARAMETER_GROUP,
    LB_LOAD_BALANCER,
    RDS_INSTANCE,
    RDS_PARAMETER_GROUP,
    S3_BUCKET,
    SECRETSMANAGER_SECRET,
} from "../../policies/lib/types";
import { ofType, prefetch, stackResources } from "../helpers/stacks";

const PREPROD_TEARDOWN = { "magento:teardown": true };
const PROD_TEARDOWN = { "magento:teardown": true, "magento:teardownConfirm": "prod" };
// As updates: the captures the teardown plan (tests/offline/plan-teardown.spec.ts) reads too.
const AS_UPDATE = { preview: false };
const nameOf = (x: StateResource) => x.urn.split("::").pop()!;

describe("teardown", () => {
    prefetch(
        ["preprod", { ...AS_UPDATE, changes: PREPROD_TEARDOWN }],
        ["prod", { ...AS_UPDATE, changes: PROD_TEARDOWN }],
    );

    it("preprod: nothing protected, no deletion protection, named secrets deleted at once", async () => {
        const r = await stackResources("preprod", { ...AS_UPDATE, changes: PREPROD_TEARDOWN });
        assert.deepStrictEqual(
            r.filter((x) => x.protect).map((x) => x.urn),
            [],
        );
        for (const db of ofType(r, RDS_INSTANCE)) {
            assert.deepStrictEqual(
                [db.inputs!.deletionProtection, db.inputs!.applyImmediately, db.inputs!.skipFinalSnapshot],
                [false, true, false],
                db.urn,
            );
        }
        for (const lb of ofType(r, LB_LOAD_BALANCER)) {
            assert.strictEqual(lb.inputs!.enableDeletionProtection, false, lb.urn);
        }
        for (const secret of ofType(r, SECRETSMANAGER_SECRET)) {
            assert.strictEqual(secret.inputs!.recoveryWindowInDays, 0, secret.urn); // a new stack of that name can create them
        }
    });

    it("preprod: only buckets of disposable data are emptied; the destroy keeps exactly the storage key, the other buckets and the account's roles", async () => {
        const r = await stackResources("preprod", { ...AS_UPDATE, changes: PREPROD_TEARDOWN });
        const buckets = ofType(r, S3_BUCKET);
        const disposable = (x: StateResource) =>
            (x.inputs!.tags as Record<string, string>)[DISPOSABLE_TAG] !== undefined;
        assert.deepStrictEqual(
            buckets
                .filter((b) => b.inputs!.forceDestroy)
                .map(nameOf)
                .sort(),
            ["magento-preprod-buckets-logs", "magento-preprod-buckets-temp"],
        );
        assert.ok(buckets.every((b) => b.inputs!.forceDestroy === disposable(b)));
        const kept = r.filter((x) => x.retainOnDelete);
        const keptBuckets = [
            "magento-preprod-buckets-artifacts",
            "magento-preprod-buckets-billing",
            "magento-preprod-buckets-config",
        ];
        assert.deepStrictEqual(
            [...new Set(kept.filter((x) => x.type.startsWith("aws:s3/")).map(nameOf))].sort(),
            keptBuckets,
        );
        // A kept bucket keeps its policy, encryption, public access block and versioning with it.
        for (const name of keptBuckets) {
            assert.ok(
                r.filter((x) => x.custom && nameOf(x) === name).every((x) => x.retainOnDelete),
                name,
            );
        }
        assert.deepStrictEqual(
            kept
                .filter((x) => !x.type.startsWith("aws:s3/"))
                .map((x) => `${x.type} ${nameOf(x)}`)
                .sort(),
            [
                "aws:backup/vault:Vault magento-preprod-backups-vault", // AWS Backup refuses to delete it while it holds recovery points
                "aws:backup/vaultPolicy:VaultPolicy magento-preprod-backups-vault-policy", // it denies its own deletion to the deployer
                "aws:iam/serviceLinkedRole:ServiceLinkedRole magento-preprod-linked-roles-autoscaling",
                "aws:iam/serviceLinkedRole:ServiceLinkedRole magento-preprod-linked-roles-opensearchservice",
                "aws:kms/key:Key magento-preprod-data-key", // the final snapshots' and kept backups' key
                // The final snapshots and retained backups hold their option group: RDS refuses to delete it while they exist.
                "aws:rds/optionGroup:OptionGroup magento-preprod-mysql-audit-mysql8-4",
                "aws:rds/optionGroup:OptionGroup magento-preprod-sideapps-audit-mysql8-4",
            ],
        );
        // The parameter groups go with the instances that held them: a snapshot does not hold one.
        for (const type of [RDS_PARAMETER_GROUP, ELASTICACHE_PARAMETER_GROUP]) {
            assert.ok(
                ofType(r, type).every((x) => !x.retainOnDelete),
                type,
            );
        }
    });

    it("prod with its confirmation: deletion protection off, but every protected resource stays protected until `pulumi state unprotect --all`", async () => {
        const [before, r] = [
            await stackResources("prod", AS_UPDATE),
            await stackResources("prod", { ...AS_UPDATE, changes: PROD_TEARDOWN }),
        ];
        assert.deepStrictEqual(
            r
                .filter((x) => x.protect)
                .map((x) => x.urn)
                .sort(),
            before
                .filter((x) => x.protect)
                .map((x) => x.urn)
                .sort(),
        );
        assert.ok(ofType(r, RDS_INSTANCE).every((db) => db.inputs!.deletionProtection === false));
        // Production's access logs are kept (a year): only scratch space is emptied.
        assert.deepStrictEqual(
            ofType(r, S3_BUCKET)
                .filter((b) => b.inputs!.forceDestroy)
                .map(nameOf),
            ["magento-prod-buckets-temp"],
        );
    });
});
