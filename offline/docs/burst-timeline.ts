// docs/burst.md's table: the time from a burst to new capacity, with and without the warm pool, from the values the
// program configures (model/web-timing.ts, model/campaigns.ts); written by `npm run sync:docs`, checked by
// tests/offline/burst-timeline.spec.ts.
import { CAMPAIGN_LEAD_SECONDS } from "../../model/campaigns";
import {
    DEFAULT_INSTANCE_WARMUP_SECONDS,
    LAUNCH_HOOK_TIMEOUT_SECONDS,
    SCALE_OUT_DETECTION_SECONDS,
    TARGET_HEALTH,
    TARGET_HEALTHY_SECONDS,
} from "../../model/web-timing";

/** The first cell of the table's first row: where sync-docs finds the table. */
export const BURST_TABLE_PREFIX = "| 1. ";

export function burstRows(): string[] {
    const known = SCALE_OUT_DETECTION_SECONDS + TARGET_HEALTHY_SECONDS;
    const worst = known + LAUNCH_HOOK_TIMEOUT_SECONDS;
    const rows: [string, string, string][] = [
        [
            "1. Target tracking sees the load above target",
            `${SCALE_OUT_DETECTION_SECONDS} s`,
            `${SCALE_OUT_DETECTION_SECONDS} s`,
        ],
        [
            "2. The server boots and reports to the launch hook",
            `B<sub>cold</sub>: launch, first boot (cloud-init, EFS, parameters, secrets, RDS's CA); at most ${LAUNCH_HOOK_TIMEOUT_SECONDS} s, then abandoned`,
            `B<sub>warm</sub>: start of a stopped server, magento-refresh, PHP-FPM; at most ${LAUNCH_HOOK_TIMEOUT_SECONDS} s, then abandoned`,
        ],
        [
            "3. In service, registered, healthy in the target group",
            `${TARGET_HEALTHY_SECONDS} s (${TARGET_HEALTH.healthyThreshold} checks ${TARGET_HEALTH.intervalSeconds} s apart)`,
            `${TARGET_HEALTHY_SECONDS} s`,
        ],
        [
            "**From the burst to serving**",
            `**${known} s + B<sub>cold</sub>** (at most ${worst} s)`,
            `**${known} s + B<sub>warm</sub>** (at most ${worst} s)`,
        ],
        [
            "4. Counted in the group's metrics (default instance warm-up)",
            `+${DEFAULT_INSTANCE_WARMUP_SECONDS} s`,
            `+${DEFAULT_INSTANCE_WARMUP_SECONDS} s`,
        ],
        [
            "A campaign window: the minimum is raised before it starts",
            `${CAMPAIGN_LEAD_SECONDS} s ahead: serving at the start`,
            `${CAMPAIGN_LEAD_SECONDS} s ahead: serving at the start`,
        ],
    ];
    return rows.map((cells) => `| ${cells.join(" | ")} |`);
}
