// autoscaling-health-and-rollout, asked over the analyzer protocol: a group behind a load balancer with ELB health
// checks and a 100%-healthy instance refresh passes; either missing fails; a group without a load balancer is free.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { AUTOSCALING_GROUP } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const SAFE = {
    minSize: 2,
    maxSize: 8,
    vpcZoneIdentifiers: [UNKNOWN, UNKNOWN, UNKNOWN],
    targetGroupArns: [UNKNOWN],
    healthCheckType: "ELB",
    healthCheckGracePeriod: 300,
    instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } },
};

function group(props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("preprod");
    b.add(AUTOSCALING_GROUP, "frontend", props);
    return b.resources;
}

describe("aws-baseline / autoscaling-health-and-rollout", () => {
    it("keeps: ELB health checks and an instance refresh that launches before it terminates", async () => {
        assert.deepStrictEqual(await violations("autoscaling-health-and-rollout", group(SAFE)), []);
    });

    it("breaks: EC2 health checks only", async () => {
        const found = await violations("autoscaling-health-and-rollout", group({ ...SAFE, healthCheckType: "EC2" }));
        assert.deepStrictEqual(found, [
            "mandatory: Autoscaling group frontend serves a load balancer but replaces only servers EC2 finds broken; " +
                'set healthCheckType: "ELB" with a grace period (AutoScaling.1).',
        ]);
    });

    it("breaks: no instance refresh, or one that lets capacity drop to 90%", async () => {
        const { instanceRefresh: _, ...none } = SAFE;
        assert.match(
            (await violations("autoscaling-health-and-rollout", group(none)))[0],
            /has no instance refresh: a new image or launch template reaches no running server/,
        );
        const found = await violations(
            "autoscaling-health-and-rollout",
            group({ ...SAFE, instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90 } } }),
        );
        assert.match(
            found[0],
            /^mandatory: Autoscaling group frontend may drop to 90% of its servers during a release/,
        );
    });

    it("takes the threshold from the pack config: a stack that accepts 90% during releases", async () => {
        const ninety = { ...SAFE, instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90 } } };
        assert.deepStrictEqual(
            await violations("autoscaling-health-and-rollout", group(ninety), { config: { minHealthyPercentage: 90 } }),
            [],
        );
        assert.match(
            (
                await violations(
                    "autoscaling-health-and-rollout",
                    group({
                        ...SAFE,
                        instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } },
                    }),
                    { config: { minHealthyPercentage: 90 } },
                )
            )[0],
            /may drop to 50% of its servers during a release; set instanceRefresh.preferences.minHealthyPercentage: 90/,
        );
    });

    it("does not apply to a group that serves no load balancer", async () => {
        const { targetGroupArns: _, instanceRefresh: __, ...alone } = SAFE;
        assert.deepStrictEqual(
            await violations("autoscaling-health-and-rollout", group({ ...alone, healthCheckType: "EC2" })),
            [],
        );
    });
});
