// docs/burst.md's timings are the program's: the table is what the code writes (npm run sync:docs), and each value it
// is computed from is the one the production stack configures on its front end.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { BURST_TABLE_PREFIX, burstRows } from "../../offline/docs/burst-timeline";
import { tableRows } from "../../offline/docs/readme-tables";
import { CAMPAIGN_LEAD_SECONDS } from "../../model/campaigns";
import {
    DEFAULT_INSTANCE_WARMUP_SECONDS,
    HEALTH_CHECK_GRACE_SECONDS,
    LAUNCH_HOOK_TIMEOUT_SECONDS,
    SCALE_OUT_DETECTION_SECONDS,
    TARGET_HEALTH,
    TARGET_HEALTHY_SECONDS,
} from "../../model/web-timing";
import { AUTOSCALING_GROUP, AUTOSCALING_POLICY, EC2_LAUNCH_TEMPLATE, LB_TARGET_GROUP } from "../../policies/lib/types";
import { named } from "../helpers/reachability";
import { ofType, prefetch, ROOT, stackResources, via } from "../helpers/stacks";

const UPDATE = { preview: false };

describe("the time from a burst to new capacity (docs/burst.md)", () => {
    prefetch(["prod", UPDATE]);

    it("the table is the one the code writes: run `npm run sync:docs` after changing a timing", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs/burst.md"), "utf8");
        const start = doc.indexOf(`\n${BURST_TABLE_PREFIX}`);
        assert.ok(start > 0, "docs/burst.md has no timings table");
        assert.deepStrictEqual(tableRows(doc.slice(start + 1), "| ").slice(0, burstRows().length), burstRows());
        assert.match(
            burstRows().join("\n"),
            new RegExp(`\\*\\*${SCALE_OUT_DETECTION_SECONDS + TARGET_HEALTHY_SECONDS} s \\+ B<sub>warm</sub>\\*\\*`),
        );
    });

    it("its values are production's front end: grace, warm-up, health checks, the hook's timeout, 1-minute metrics, target tracking only", async () => {
        const r = await stackResources("prod", UPDATE);
        const group = named(r, AUTOSCALING_GROUP, "frontend-asg");
        assert.strictEqual(group.inputs!.healthCheckGracePeriod, HEALTH_CHECK_GRACE_SECONDS);
        assert.strictEqual(group.inputs!.defaultInstanceWarmup, DEFAULT_INSTANCE_WARMUP_SECONDS);
        const [targetGroup] = via(r, group, "targetGroupArns").filter((t) => t.type === LB_TARGET_GROUP);
        const check = targetGroup.inputs!.healthCheck as Record<string, unknown>;
        assert.deepStrictEqual(
            [check.interval, check.timeout, check.healthyThreshold, check.unhealthyThreshold],
            [
                TARGET_HEALTH.intervalSeconds,
                TARGET_HEALTH.timeoutSeconds,
                TARGET_HEALTH.healthyThreshold,
                TARGET_HEALTH.unhealthyThreshold,
            ],
        );
        const hook = ofType(r, "aws:autoscaling/lifecycleHook:LifecycleHook")[0];
        assert.strictEqual(hook.inputs!.heartbeatTimeout, LAUNCH_HOOK_TIMEOUT_SECONDS);
        // Detailed monitoring: the 1-minute metrics the detection step counts in.
        assert.deepStrictEqual(named(r, EC2_LAUNCH_TEMPLATE, "frontend-lt").inputs!.monitoring, { enabled: true });
        // No simple scaling policy, whose cooldown would add to the detection.
        const policies = ofType(r, AUTOSCALING_POLICY).filter((p) => via(r, p, "autoscalingGroupName").includes(group));
        assert.deepStrictEqual(
            policies.map((p) => p.inputs!.policyType),
            ["TargetTrackingScaling", "TargetTrackingScaling"],
        );
        // The campaign lead is the worst launch the configuration admits.
        assert.strictEqual(
            CAMPAIGN_LEAD_SECONDS,
            LAUNCH_HOOK_TIMEOUT_SECONDS + HEALTH_CHECK_GRACE_SECONDS + DEFAULT_INSTANCE_WARMUP_SECONDS,
        );
    });
});
