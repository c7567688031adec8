// Campaign windows as the program declares them (model/campaigns.ts plans them; tests/model/campaigns.spec.ts runs
// the plan at fixed dates): a window to come becomes two one-time actions on the front end's minimum, leaving its
// maximum and desired count alone; one that has ended leaves nothing behind and fails nothing.
import * as assert from "assert";
import { CAMPAIGN_LEAD_SECONDS } from "../../../model/campaigns";
import { AUTOSCALING_GROUP, AUTOSCALING_SCHEDULE } from "../../../policies/lib/types";
import { named } from "../../helpers/reachability";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";

const WINDOWS = {
    "magento:webCampaigns": [
        { name: "summer-sale-2020", start: "2020-07-01T06:00:00Z", end: "2020-07-03T22:00:00Z", minSize: 4 },
        { name: "launch-2099", start: "2099-03-01T08:00:00Z", end: "2099-03-01T20:00:00Z", minSize: 6 },
    ],
};
const CAMPAIGNS = { preview: false, changes: WINDOWS };

describe("campaign windows on the front end", () => {
    prefetch(["prod", CAMPAIGNS]);

    it("a window to come raises the minimum before its start and restores it at its end; one that ended is left out", async () => {
        const r = await stackResources("prod", CAMPAIGNS);
        const actions = ofType(r, AUTOSCALING_SCHEDULE).filter((s) => s.urn.includes("-campaign-"));
        const raise = new Date(Date.parse("2099-03-01T08:00:00Z") - CAMPAIGN_LEAD_SECONDS * 1000)
            .toISOString()
            .replace(".000Z", "Z");
        assert.deepStrictEqual(
            actions.map((a) => [a.urn.split("::").pop(), a.inputs!.startTime, a.inputs!.minSize]),
            [
                ["magento-prod-frontend-campaign-launch-2099-start", raise, 6],
                ["magento-prod-frontend-campaign-launch-2099-end", "2099-03-01T20:00:00Z", 2],
            ],
        );
        for (const a of actions) {
            // One time, on the front end's group; the maximum and the desired count are left as they are (-1).
            assert.strictEqual(a.inputs!.recurrence, undefined);
            assert.deepStrictEqual([a.inputs!.maxSize, a.inputs!.desiredCapacity], [-1, -1]);
            assert.deepStrictEqual(
                via(r, a, "autoscalingGroupName").map((g) => g.urn.split("::").pop()),
                ["magento-prod-frontend-asg"],
            );
        }
        // Outside its windows the group keeps the stack's minimum.
        assert.strictEqual(named(r, AUTOSCALING_GROUP, "frontend-asg").inputs!.minSize, 2);
    });
});
