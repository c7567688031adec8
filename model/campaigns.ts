// Campaign windows (magento:webCampaigns) as one-time changes of the front end's minimum: raised a lead time before a
// window starts, restored when it ends. Pure, and given the clock, so a test can run it at any date: a window that has
// passed is dropped with a note (an operator leaves old windows in the stack file), never an error that would stop a
// routine `up`, and one in progress holds the group's minimum itself, since AWS refuses a scheduled action in the past
// (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html) and an `up`
// during a campaign must not put the minimum back down.
import { DEFAULT_INSTANCE_WARMUP_SECONDS, HEALTH_CHECK_GRACE_SECONDS, LAUNCH_HOOK_TIMEOUT_SECONDS } from "./web-timing";

export interface CampaignWindow {
    /** Lower-case letters, digits and hyphens: it names the window's scheduled actions. */
    readonly name: string;
    /** ISO 8601 in UTC, such as 2026-11-27T07:00:00Z. */
    readonly start: string;
    readonly end: string;
    /** Fewest front-end servers during the window. */
    readonly minSize: number;
}

/**
 * How long before a window starts its minimum is raised: a server launched cold may take the launch hook's whole
 * timeout to be abandoned and a second one the health-check grace to serve, then its warm-up before target tracking
 * counts it; a warm one is far quicker (docs/burst.md). Their sum, 17 minutes, covers the worst of these.
 */
export const CAMPAIGN_LEAD_SECONDS =
    LAUNCH_HOOK_TIMEOUT_SECONDS + HEALTH_CHECK_GRACE_SECONDS + DEFAULT_INSTANCE_WARMUP_SECONDS;

/** An action closer than this to the `up` is not scheduled: AWS would see its time pass before the call reaches it. */
export const SCHEDULE_MARGIN_SECONDS = 300;

/** A one-time scheduled action on the group's minimum. */
export interface MinimumChange {
    /** `<window>-start` or `<window>-end`. */
    readonly name: string;
    /** YYYY-MM-DDThh:mm:ssZ, the provider's format for startTime. */
    readonly startTime: string;
    readonly minSize: number;
}

export interface CampaignPlan {
    readonly changes: readonly MinimumChange[];
    /** The group's minimum now: the base, or the window in progress's. */
    readonly minSize: number;
    /** What was left out, and why, for the `up`'s log. */
    readonly notes: readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function campaignPlan(windows: readonly CampaignWindow[], baseMinSize: number, now: Date): CampaignPlan {
    const soon = now.getTime() + SCHEDULE_MARGIN_SECONDS * 1000;
    const changes: MinimumChange[] = [];
    const notes: string[] = [];
    let minSize = baseMinSize;
    for (const w of windows) {
        const raise = Date.parse(w.start) - CAMPAIGN_LEAD_SECONDS * 1000;
        const end = Date.parse(w.end);
        if (end <= soon) {
            notes.push(
                `campaign window ${w.name} ended at ${w.end}: no scheduled action (it may be deleted from magento:webCampaigns)`,
            );
            continue;
        }
        if (raise <= soon) {
            minSize = Math.max(minSize, w.minSize);
            notes.push(
                `campaign window ${w.name} is under way until ${w.end}: the group's minimum is ${w.minSize} now`,
            );
        } else {
            changes.push({ name: `${w.name}-start`, startTime: iso(raise), minSize: w.minSize });
        }
        changes.push({ name: `${w.name}-end`, startTime: iso(end), minSize: baseMinSize });
    }
    return { changes, minSize, notes };
}
