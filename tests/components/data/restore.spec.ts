// Databases created from the estate's snapshots (docs/migration.md): the snapshot reaches each instance, which then
// keeps the snapshot's master user and schema; the key is read at creation only, so editing or removing it on a
// deployed stack replaces nothing, and a restore over a deployed (empty) database is the replacement allowReplace names.
import * as assert from "assert";
import { RDS_INSTANCE } from "../../../policies/lib/types";
import { PROD_RESTORED } from "../../fixtures/stacks";
import { asExport, plan, refusedNames, stepsOf } from "../../helpers/plan";
import { ofType, prefetch, stackResources } from "../../helpers/stacks";

const SHOP = "magento-prod-mysql-db";
const SIDE = "magento-prod-sideapps-db";
const RESTORED = { preview: false, changes: PROD_RESTORED };
const EDITED = {
    preview: false,
    changes: { ...PROD_RESTORED, "magento:dbSnapshotIdentifier": "magento-estate-final-84-b" },
};
const REMOVED = {
    preview: false,
    changes: { "magento:sideDbSnapshotIdentifier": PROD_RESTORED["magento:sideDbSnapshotIdentifier"] },
};
const OVER_DEPLOYED = { preview: false, changes: { ...PROD_RESTORED, "magento:allowReplace": [SHOP, SIDE] } };
const named = (name: string) => (x: { urn: string }) => x.urn.endsWith(`::${name}`);

describe("databases restored from snapshots", function () {
    this.timeout(300_000);
    prefetch(
        ["prod", RESTORED],
        ["prod", EDITED],
        ["prod", REMOVED],
        ["prod", OVER_DEPLOYED],
        ["prod", { preview: false }],
    );

    it("each snapshot reaches its database, which keeps the snapshot's master user and schema and the stack's key", async () => {
        const r = await stackResources("prod", RESTORED);
        const db = (name: string) => ofType(r, RDS_INSTANCE).find(named(name))!;
        assert.strictEqual(db(SHOP).inputs!.snapshotIdentifier, PROD_RESTORED["magento:dbSnapshotIdentifier"]);
        assert.strictEqual(db(SIDE).inputs!.snapshotIdentifier, PROD_RESTORED["magento:sideDbSnapshotIdentifier"]);
        for (const name of [SHOP, SIDE]) {
            const { inputs, ignoreChanges } = db(name);
            assert.deepStrictEqual([inputs!.username, inputs!.dbName], [undefined, undefined], name);
            assert.strictEqual(inputs!.storageEncrypted, true);
            assert.ok(typeof inputs!.kmsKeyId === "string" && inputs!.kmsKeyId.includes(":key/"), name);
            assert.ok(
                ["snapshotIdentifier", "username", "dbName"].every((p) => ignoreChanges?.includes(p)),
                name,
            );
        }
        // Without the keys, empty databases as before: the estate's own user and schema names.
        const empty = ofType(await stackResources("prod", { preview: false }), RDS_INSTANCE).find(named(SHOP))!;
        assert.deepStrictEqual(
            [empty.inputs!.snapshotIdentifier, empty.inputs!.username, empty.inputs!.dbName],
            [undefined, "admin", "magento"],
        );
    });

    it("on a restored stack, a changed or removed snapshot key replaces no database", async () => {
        const before = asExport(await stackResources("prod", RESTORED));
        for (const after of [EDITED, REMOVED]) {
            const p = plan(before, await stackResources("prod", after), "prod");
            assert.deepStrictEqual(
                stepsOf(p, "replace", RDS_INSTANCE).map((s) => s.name),
                [],
            );
            assert.deepStrictEqual(p.check().refusals, []);
        }
    });

    it("over a deployed stack, the restore is the replacement allowReplace names, and only then", async () => {
        const deployed = asExport(await stackResources("prod", { preview: false }));
        const p = plan(deployed, await stackResources("prod", OVER_DEPLOYED), "prod");
        const replaced = stepsOf(p, "replace", RDS_INSTANCE);
        assert.deepStrictEqual(replaced.map((s) => s.name).sort(), [SHOP, SIDE]);
        assert.ok(replaced.every((s) => s.forcing.includes("snapshotIdentifier")));
        assert.deepStrictEqual(
            p.check([SHOP, SIDE]).refusals.filter((x) => x.step.type === RDS_INSTANCE),
            [],
        );
        // Without the names, setting the key on a deployed stack is ignored: nothing is restored, nothing replaced.
        const ignored = plan(deployed, await stackResources("prod", RESTORED), "prod");
        assert.deepStrictEqual(refusedNames(ignored.check()), []);
        assert.deepStrictEqual(stepsOf(ignored, "replace", RDS_INSTANCE), []);
    });
});
