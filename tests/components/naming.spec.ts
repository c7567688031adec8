// Names AWS limits in length: Pulumi's auto-naming adds a dash and seven random characters to the logical name, so a
// name that fits in a test can still fail at deploy time. Checked for both stacks (preprod's name is the longer).
// And names that survive a stack rename: every logical and physical name derives from magento:estate (docs/naming.md).
import * as assert from "assert";
import { StateResource } from "../../offline/state";
import {
    ELASTICACHE_REPLICATION_GROUP,
    ELASTICACHE_SUBNET_GROUP,
    IAM_ROLE,
    LB_LOAD_BALANCER,
    LB_TARGET_GROUP,
    RDS_INSTANCE,
} from "../../policies/lib/types";
import { stackResources } from "../helpers/stacks";

/** AWS's name limit per type, for the types whose physical name Pulumi derives from the logical one. */
const LIMITS: Record<string, number> = {
    [ELASTICACHE_REPLICATION_GROUP]: 40,
    [RDS_INSTANCE]: 63,
    [IAM_ROLE]: 64,
    [ELASTICACHE_SUBNET_GROUP]: 255,
    [LB_LOAD_BALANCER]: 32,
    [LB_TARGET_GROUP]: 32,
};

/** The stack's prod configuration captured as another stack (what `pulumi stack rename prod shop` runs), as an update:
 *  the same capture the plan's rename scenario reads. */
const renamed = (changes: Record<string, unknown>) => stackResources("prod", { as: "shop", preview: false, changes });
/** Each resource by its URN without the stack segment (`pulumi stack rename` rewrites only that), the root left out. */
const byName = (resources: readonly StateResource[]) =>
    new Map(
        resources
            .filter((r) => r.type !== "pulumi:pulumi:Stack")
            .map((r) => [r.urn.split("::").slice(1).join("::"), r]),
    );

describe("resource names", () => {
    it("auto-named resources leave room for Pulumi's 8-character suffix within AWS's name limits", async () => {
        for (const stack of ["prod", "preprod"]) {
            for (const x of (await stackResources(stack)).filter((r) => r.type in LIMITS)) {
                const name = x.urn.split("::").pop()!;
                assert.ok(
                    name.length + 8 <= LIMITS[x.type],
                    `${name} (${x.type}) is too long for ${LIMITS[x.type]} characters`,
                );
            }
        }
    });

    it("prod renamed to shop with magento:estate prod keeps every logical name and every input (the physical names, the Stack tag)", async () => {
        const [before, after] = [
            byName(await stackResources("prod", { preview: false })),
            byName(await renamed({ "magento:estate": "prod" })),
        ];
        assert.deepStrictEqual([...after.keys()].sort(), [...before.keys()].sort());
        const changed = [...before]
            .filter(([urn, r]) => JSON.stringify(r.inputs) !== JSON.stringify(after.get(urn)!.inputs))
            .map(([urn]) => urn);
        assert.deepStrictEqual(changed, []);
    });
});
