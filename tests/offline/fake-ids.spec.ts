// The update the engine simulates gives every resource its own id, as AWS does: reachability and every rule that
// joins resources by id (a rule's securityGroupId, a listener's certificate) would otherwise attribute a rule to the
// wrong group, e.g. the side database's group and the side applications tier's (both logical name "…-sg").
import * as assert from "assert";
import { StateResource } from "../../offline/state";
import { RANDOM_PASSWORD } from "../../policies/lib/types";
import { prefetch, stackResources } from "../helpers/stacks";

// The random provider's id for a RandomPassword is the constant "none" (what the fake returns, as the provider does).
const CONSTANT_ID = new Set([RANDOM_PASSWORD]);

function sharedIds(resources: readonly StateResource[]): string[] {
    const byId = new Map<string, string[]>();
    for (const r of resources.filter((x) => x.custom && x.id && !CONSTANT_ID.has(x.type))) {
        const key = `${r.type} ${r.id}`;
        byId.set(key, [...(byId.get(key) ?? []), r.urn]);
    }
    return [...byId].filter(([, urns]) => urns.length > 1).map(([key, urns]) => `${key}: ${urns.join(", ")}`);
}

describe("fake ids", () => {
    prefetch(["prod", { preview: false }], ["preprod", { preview: false }]);
    for (const stack of ["prod", "preprod"]) {
        it(`gives no two resources of one type the same id in ${stack}`, async () => {
            assert.deepStrictEqual(sharedIds(await stackResources(stack, { preview: false })), []);
        });
    }
});
