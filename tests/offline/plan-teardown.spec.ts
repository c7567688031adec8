// The teardown procedure's plan, offline (docs/teardown.md): the `up` with magento:teardown only updates (nothing
// replaced or deleted, the plan check passes), and the `pulumi destroy` after it deletes everything with no step the
// engine refuses, keeping what the procedure keeps; production's destroy stops at protected resources until the
// procedure's last, explicit step.
import * as assert from "assert";
import { engineStops } from "../../offline/plan/check";
import { planChange } from "../../offline/plan/plan";
import { RDS_INSTANCE } from "../../policies/lib/types";
import { asExport, plan } from "../helpers/plan";
import { prefetch, stackResources } from "../helpers/stacks";

const TEARDOWN = {
    preprod: { "magento:teardown": true },
    prod: { "magento:teardown": true, "magento:teardownConfirm": "prod" },
};

describe("offline plan: the teardown procedure", function () {
    this.timeout(300_000);
    prefetch(
        ["preprod", { preview: false }],
        ["preprod", { preview: false, changes: TEARDOWN.preprod }],
        ["prod", { preview: false, changes: TEARDOWN.prod }],
    );

    it("preprod: the teardown up only updates, and passes the check", async () => {
        const p = plan(
            asExport(await stackResources("preprod", { preview: false })),
            await stackResources("preprod", { preview: false, changes: TEARDOWN.preprod }),
            "preprod",
        );
        assert.deepStrictEqual(
            p.steps.filter((s) => s.op === "replace" || s.op === "delete").map((s) => `${s.op} ${s.name}`),
            [],
        );
        assert.ok(
            p.steps.some(
                (s) => s.op === "update" && s.type === RDS_INSTANCE && s.changed.includes("deletionProtection"),
            ),
        );
        assert.deepStrictEqual(p.check().refusals, []);
    });

    it("preprod: the destroy after it deletes every resource, none refused by the engine, the kept ones retained", async () => {
        const destroy = planChange(
            asExport(await stackResources("preprod", { preview: false, changes: TEARDOWN.preprod })),
            [],
            "preprod",
        );
        assert.ok(destroy.length > 400 && destroy.every((s) => s.op === "delete"));
        assert.deepStrictEqual(
            destroy.filter(engineStops).map((s) => s.name),
            [],
        );
        const kept = destroy.filter((s) => s.retained).map((s) => s.name);
        assert.ok(
            kept.includes("magento-preprod-data-key") && kept.includes("magento-preprod-buckets-config"),
            kept.join(", "),
        );
    });

    it("prod: even after the teardown up, the destroy stops at every protected resource", async () => {
        const destroy = planChange(
            asExport(await stackResources("prod", { preview: false, changes: TEARDOWN.prod })),
            [],
            "prod",
        );
        const stopped = destroy.filter(engineStops).map((s) => s.name);
        for (const name of ["magento-prod-mysql-db", "magento-prod-shared-fs", "magento-prod-data-key"]) {
            assert.ok(stopped.includes(name), name);
        }
    });
});
