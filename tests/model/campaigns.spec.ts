// Campaign windows against a fixed clock: a window to come raises the front end's minimum a lead time before it
// starts and restores it at its end; one under way holds the minimum itself (AWS refuses an action in the past, and an
// `up` during a campaign must not put the minimum back down); one that has ended is dropped with a note, never an
// error that would stop a routine `up`.
import * as assert from "assert";
import { CAMPAIGN_LEAD_SECONDS, campaignPlan, CampaignWindow, SCHEDULE_MARGIN_SECONDS } from "../../model/campaigns";

const NOW = new Date("2026-11-20T12:00:00Z");
const window = (name: string, start: string, end: string, minSize = 6): CampaignWindow => ({
    name,
    start,
    end,
    minSize,
});
const BLACK_FRIDAY = window("black-friday", "2026-11-27T07:00:00Z", "2026-11-28T23:00:00Z");

describe("campaign windows", () => {
    it("a window to come: the minimum rises 17 minutes before it starts and comes back to the base at its end", () => {
        assert.strictEqual(CAMPAIGN_LEAD_SECONDS, 17 * 60);
        assert.deepStrictEqual(campaignPlan([BLACK_FRIDAY], 2, NOW), {
            changes: [
                { name: "black-friday-start", startTime: "2026-11-27T06:43:00Z", minSize: 6 },
                { name: "black-friday-end", startTime: "2026-11-28T23:00:00Z", minSize: 2 },
            ],
            minSize: 2,
            notes: [],
        });
    });

    it("a window under way: the group holds its minimum now, and only its end is scheduled", () => {
        const during = new Date("2026-11-27T10:00:00Z");
        const plan = campaignPlan([BLACK_FRIDAY], 2, during);
        assert.deepStrictEqual(plan.changes, [
            { name: "black-friday-end", startTime: "2026-11-28T23:00:00Z", minSize: 2 },
        ]);
        assert.strictEqual(plan.minSize, 6);
        assert.deepStrictEqual(plan.notes, [
            "campaign window black-friday is under way until 2026-11-28T23:00:00Z: the group's minimum is 6 now",
        ]);
        // Inside the lead time, or too close to it for AWS to see the time before it passes, counts as under way.
        const justBefore = new Date(Date.parse("2026-11-27T06:43:00Z") - (SCHEDULE_MARGIN_SECONDS - 1) * 1000);
        assert.strictEqual(campaignPlan([BLACK_FRIDAY], 2, justBefore).minSize, 6);
    });

    it("a window that has ended is dropped with a note; the others are planned as usual", () => {
        const old = window("summer-sale", "2026-07-01T06:00:00Z", "2026-07-03T22:00:00Z", 4);
        const plan = campaignPlan([old, BLACK_FRIDAY], 2, NOW);
        assert.deepStrictEqual(
            plan.changes.map((c) => c.name),
            ["black-friday-start", "black-friday-end"],
        );
        assert.strictEqual(plan.minSize, 2);
        assert.deepStrictEqual(plan.notes, [
            "campaign window summer-sale ended at 2026-07-03T22:00:00Z: no scheduled action (it may be deleted from magento:webCampaigns)",
        ]);
        // Nor is an end closer than the margin scheduled: the window is over by the time AWS would see it.
        const almostOver = new Date(Date.parse(BLACK_FRIDAY.end) - 60_000);
        assert.deepStrictEqual(campaignPlan([BLACK_FRIDAY], 2, almostOver).changes, []);
    });

    it("times are in the provider's format (YYYY-MM-DDThh:mm:ssZ), whatever the stack file wrote", () => {
        const plan = campaignPlan([window("launch", "2026-12-01T08:00Z", "2026-12-01T20:30Z")], 2, NOW);
        for (const change of plan.changes) {
            assert.match(change.startTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        }
        assert.deepStrictEqual(
            plan.changes.map((c) => c.startTime),
            ["2026-12-01T07:43:00Z", "2026-12-01T20:30:00Z"],
        );
    });
});
