// The front end's burst keys together (docs/burst.md): a warm pool the group can use, campaign windows inside the
// group's bounds, each named once and apart from the others; and StackConfig's part the web tier reads.
import { CAMPAIGN_LEAD_SECONDS, CampaignWindow } from "../../model/campaigns";
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import type { Concern } from "./concern";

export interface BurstSettings {
    readonly burst: {
        /** Servers kept booted and stopped beside the front end; 0: no warm pool. */
        readonly warmPool: number;
        readonly campaigns: readonly CampaignWindow[];
    };
}

export function burst(v: Settings): Concern<BurstSettings> {
    return {
        problems: [...checkWarmPool(v), ...checkCampaigns(v)],
        config: () => ({ burst: { warmPool: v.webWarmPool, campaigns: v.webCampaigns } }),
    };
}

/** A warm server beyond the group's headroom could never enter service: the group stops at its maximum. */
function checkWarmPool(v: Settings): ConfigProblem[] {
    const headroom = v.webMaxSize - v.webMinSize;
    return v.webWarmPool > headroom
        ? [
              {
                  path: qualified("webWarmPool"),
                  message: `must be at most webMaxSize - webMinSize (${headroom}): ${v.webWarmPool} warm servers could not all enter service`,
              },
          ]
        : [];
}

function checkCampaigns(v: Settings): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const at = (i: number) => `${qualified("webCampaigns")}[${i}]`;
    v.webCampaigns.forEach((w, i) => {
        if (Date.parse(w.start) >= Date.parse(w.end)) {
            problems.push({ path: `${at(i)}.end`, message: `must be after start (${w.start}), got ${w.end}` });
        }
        if (w.minSize > v.webMaxSize || w.minSize < v.webMinSize) {
            problems.push({
                path: `${at(i)}.minSize`,
                message: `must be between webMinSize (${v.webMinSize}) and webMaxSize (${v.webMaxSize}): the window raises the group's minimum within its bounds, got ${w.minSize}`,
            });
        }
        const first = v.webCampaigns.findIndex((o) => o.name === w.name);
        if (first !== i) {
            problems.push({ path: `${at(i)}.name`, message: `${w.name} is already the name of window ${first}` });
        }
    });
    // The end of one window restores the base minimum: another window under way then would lose its own.
    const byStart = v.webCampaigns
        .map((w, i) => ({ w, i, from: Date.parse(w.start) - CAMPAIGN_LEAD_SECONDS * 1000, to: Date.parse(w.end) }))
        .sort((a, b) => a.from - b.from);
    byStart.slice(1).forEach((next, k) => {
        const prev = byStart[k];
        if (next.from < prev.to) {
            problems.push({
                path: `${at(next.i)}.start`,
                message: `window ${next.w.name} overlaps ${prev.w.name} (ending ${prev.w.end}), counting the ${CAMPAIGN_LEAD_SECONDS / 60} minutes its minimum is raised before it starts: merge them into one window`,
            });
        }
    });
    return problems;
}
