// The burst keys (stacks/campaigns.ts, stacks/checks/burst.ts) as a stack file writes them: each profile's warm pool,
// and campaign windows refused with the key, the window and what is allowed.
import * as assert from "assert";
import { ConfigError, parseStackConfig } from "../../stacks";

const BASE: Record<string, unknown> = {
    profile: "production",
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["eu-west-3a", "eu-west-3b", "eu-west-3c"],
    domain: "example.com",
    internalDomain: "prod.example.internal",
    operatorCidrs: ["203.0.113.0/24"],
    alarmEmail: "ops@example.com",
    adminPath: "ops_7f3k",
    loadBalancerCertificateArn: "arn:aws:acm:eu-west-3:123456789012:certificate/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    cdnCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    owner: "ecommerce-platform",
    costCentre: "CC-4200",
};
const parse = (overrides: Record<string, unknown>) =>
    parseStackConfig({ ...BASE, ...overrides }, { stack: "prod", region: "eu-west-3" });

function problems(overrides: Record<string, unknown>): string[] {
    try {
        parse(overrides);
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
}

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
