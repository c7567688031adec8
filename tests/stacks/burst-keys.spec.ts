// The burst keys (stacks/campaigns.ts, stacks/checks/burst.ts) as a stack file writes them: each profile's warm pool,
// and campaign windows refused with the key, the window and what is allowed.
import * as assert from "assert";
import { parse, problems } from "../helpers/stack-config";

const window = (over: Record<string, unknown> = {}) => ({
    name: "black-friday",
    start: "2026-11-27T07:00:00Z",
    end: "2026-11-28T23:00:00Z",
    minSize: 6,
    ...over,
});

describe("burst keys", () => {
    it("production keeps 2 warm servers, preproduction none; neither has campaign windows until the stack file lists them", () => {
        assert.deepStrictEqual(parse({}).burst, { warmPool: 2, campaigns: [] });
        assert.deepStrictEqual(parse({ profile: "preproduction", internalDomain: "preprod.example.internal" }).burst, {
            warmPool: 0,
            campaigns: [],
        });
        assert.deepStrictEqual(parse({ webCampaigns: [window()] }).burst.campaigns, [window()]);
    });

    it("a warm pool larger than the group's headroom is refused: its servers could never all enter service", () => {
        assert.deepStrictEqual(problems({ webMinSize: 2, webMaxSize: 4, webWarmPool: 3 }), [
            "magento:webWarmPool: must be at most webMaxSize - webMinSize (2): 3 warm servers could not all enter service",
        ]);
    });

    it("a window ending before it starts, outside the group's bounds, or named twice is refused, naming the window", () => {
        assert.deepStrictEqual(
            problems({
                webCampaigns: [
                    window({ end: "2026-11-27T06:00:00Z" }),
                    window({ name: "launch", start: "2027-03-01T08:00:00Z", end: "2027-03-01T20:00:00Z", minSize: 9 }),
                    window({ start: "2027-06-01T08:00:00Z", end: "2027-06-02T08:00:00Z" }),
                ],
            }),
            [
                "magento:webCampaigns[0].end: must be after start (2026-11-27T07:00:00Z), got 2026-11-27T06:00:00Z",
                "magento:webCampaigns[1].minSize: must be between webMinSize (2) and webMaxSize (8): the window raises the group's minimum within its bounds, got 9",
                "magento:webCampaigns[2].name: black-friday is already the name of window 0",
            ],
        );
    });

    it("windows that overlap, counting the lead time, are refused: the first one's end would lower the second's minimum", () => {
        assert.deepStrictEqual(
            problems({
                webCampaigns: [
                    window(),
                    window({ name: "cyber-monday", start: "2026-11-28T23:10:00Z", end: "2026-11-30T23:00:00Z" }),
                ],
            }),
            [
                "magento:webCampaigns[1].start: window cyber-monday overlaps black-friday (ending 2026-11-28T23:00:00Z), counting the 17 minutes its minimum is raised before it starts: merge them into one window",
            ],
        );
    });

    it("times must be UTC in ISO 8601, and a window an object of exactly its four fields", () => {
        assert.deepStrictEqual(
            problems({
                webCampaigns: [
                    window({ start: "2026-11-27 07:00" }),
                    window({ name: "Black Friday" }),
                    { ...window(), max: 9 },
                ],
            }),
            [
                "magento:webCampaigns[0].start: must be a date and time in UTC such as 2026-11-27T07:00:00Z (ISO 8601, ending in Z)",
                "magento:webCampaigns[1].name: must be lower-case letters, digits and hyphens (at most 40), such as black-friday-2026: it names the window's scheduled actions",
                "magento:webCampaigns[2]: must be an object {name, start, end, minSize}",
            ],
        );
        assert.match(
            problems({ webCampaigns: [window({ end: "2026-02-30T07:00:00Z" })] }).join("\n"),
            /is not a date that exists/,
        );
    });
});
