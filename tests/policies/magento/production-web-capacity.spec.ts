// production-web-capacity, asked over the analyzer protocol: synthetic stacks of subnets, groups and scheduled
// actions (ids unknown, as in a preview), and the real prod stack.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { LAUNCH_IMAGE_TAG } from "../../../policies/lib/contracts";
import { AUTOSCALING_GROUP, AUTOSCALING_SCHEDULE, EC2_LAUNCH_TEMPLATE, EC2_SUBNET } from "../../../policies/lib/types";
import { diagnostics, StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const THREE = ["eu-west-3a", "eu-west-3b", "eu-west-3c"];

interface Shape {
    azs?: string[];
    minSize?: number;
    tier?: string;
    scheduledMins?: number[];
    /** The image source tag of the group's launch template (none: no release image yet). */
    imageSource?: string;
}

function stack(name: string, shape: Shape): StateResource[] {
    const b = new StackBuilder(name);
    const subnets = (shape.azs ?? THREE).map((az) =>
        b.add(EC2_SUBNET, `private-${az}`, { availabilityZone: az, vpcId: UNKNOWN }),
    );
    const template = b.add(EC2_LAUNCH_TEMPLATE, "frontend-lt", {
        imageId: "ami-0123456789abcdef0",
        tags: {
            Tier: shape.tier ?? "web",
            [LAUNCH_IMAGE_TAG]: shape.imageSource ?? "/imagebuilder/magento/prod/web-ami",
        },
    });
    const group = b.add(
        AUTOSCALING_GROUP,
        "frontend",
        {
            minSize: shape.minSize ?? 2,
            maxSize: shape.imageSource === "none" ? 0 : 8,
            vpcZoneIdentifiers: subnets.map(() => UNKNOWN),
            launchTemplate: { id: UNKNOWN, version: UNKNOWN },
            tags: [{ key: "Tier", value: shape.tier ?? "web", propagateAtLaunch: false }],
        },
        { vpcZoneIdentifiers: subnets, launchTemplate: [template] },
    );
    (shape.scheduledMins ?? []).forEach((min, i) =>
        b.add(
            AUTOSCALING_SCHEDULE,
            `night-${i}`,
            { autoscalingGroupName: UNKNOWN, recurrence: "0 19 * * *", minSize: min, maxSize: 4 },
            { autoscalingGroupName: [group] },
        ),
    );
    return b.resources;
}

describe("magento / production-web-capacity", () => {
    it("keeps: two servers or more over three AZs, night schedule included; the back office as one server over three AZs", async () => {
        assert.deepStrictEqual(await violations("production-web-capacity", stack("prod", { scheduledMins: [2] })), []);
        assert.deepStrictEqual(
            await violations("production-web-capacity", stack("prod", { tier: "backoffice", minSize: 1 })),
            [],
        );
    });

    it("breaks: a production front end of one server", async () => {
        assert.deepStrictEqual(await violations("production-web-capacity", stack("prod", { minSize: 1 })), [
            "mandatory: Production autoscaling group frontend may run 1 server(s); set minSize to at least 2 so that losing a server or an AZ leaves the group serving.",
        ]);
    });

    it("breaks: the estate's night schedule down to one server, in production", async () => {
        assert.deepStrictEqual(await violations("production-web-capacity", stack("prod", { scheduledMins: [1] })), [
            "mandatory: Scheduled action night-0 takes production group frontend down to 1 server(s) (0 19 * * *); production keeps at least 2.",
        ]);
    });

    it("breaks: a group in one AZ, even the single-instance back office", async () => {
        const found = await violations(
            "production-web-capacity",
            stack("prod", { tier: "backoffice", minSize: 1, azs: ["eu-west-3a"] }),
        );
        assert.deepStrictEqual(found, [
            "mandatory: Production autoscaling group frontend can place servers in 1 AZ(s) (eu-west-3a); give it subnets in at least 2 AZs so that losing one AZ leaves servers in another.",
        ]);
    });

    it("does not apply to preproduction, which scales to one server at night", async () => {
        assert.deepStrictEqual(
            await violations(
                "production-web-capacity",
                stack("preprod", { minSize: 1, azs: ["eu-west-3a"], scheduledMins: [1] }),
            ),
            [],
        );
    });

    it("keeps: a fresh production stack's groups at zero while no release image exists (image source none)", async () => {
        assert.deepStrictEqual(
            await violations("production-web-capacity", stack("prod", { minSize: 0, imageSource: "none" })),
            [],
        );
        const fresh = await diagnostics("production-web-capacity", await stackResources("prod", { freshStack: true }));
        assert.deepStrictEqual(fresh, []);
    });

    it("breaks: zero servers behind a template that boots a release image, and a fresh stack's group in one AZ", async () => {
        assert.deepStrictEqual(await violations("production-web-capacity", stack("prod", { minSize: 0 })), [
            "mandatory: Production autoscaling group frontend may run 0 server(s); set minSize to at least 2 so that losing a server or an AZ leaves the group serving.",
        ]);
        assert.strictEqual(
            (
                await violations(
                    "production-web-capacity",
                    stack("prod", { minSize: 0, imageSource: "none", azs: ["eu-west-3a"] }),
                )
            ).length,
            1,
        );
    });

    it("decides on the real prod stack during preview, where every subnet id is still unknown", async () => {
        const found = await diagnostics("production-web-capacity", await stackResources("prod"));
        assert.deepStrictEqual(found, []);
    });
});
