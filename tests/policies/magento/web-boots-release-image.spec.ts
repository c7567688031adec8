// web-boots-release-image, asked over the analyzer protocol about a stack's web launch templates beside the servers
// that boot the stock OS: what the image-source tag allows (the release parameter, pinned, none), the groups and
// schedules that may launch before the first release, and the images a release never is.
import * as assert from "assert";
import { LAUNCH_IMAGE_TAG, TIER_TAG } from "../../../policies/lib/contracts";
import {
    AUTOSCALING_GROUP,
    AUTOSCALING_SCHEDULE,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    IMAGEBUILDER_IMAGE_RECIPE,
} from "../../../policies/lib/types";
import { releaseRecordParameter } from "../../../model/release";
import { StateResource } from "../../../offline/state";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const RULE = "web-boots-release-image";
const STOCK = "ami-0a1b2c3d4e5f60718"; // what the operators' servers boot: the latest Amazon Linux 2023
const RELEASE = "ami-0123456789abcdef0";
const PARAMETER = releaseRecordParameter("preprod", "current");

interface Web {
    readonly source?: string;
    readonly imageId?: unknown;
    readonly maxSize?: number;
    readonly schedules?: Record<string, unknown>[];
    readonly tier?: string;
}

/** A stack of Rundeck on the stock image, an image recipe on it, and one web tier's launch template and group. */
function stack(web: Web): StateResource[] {
    const b = new StackBuilder("preprod");
    b.add(EC2_INSTANCE, "rundeck", { ami: STOCK, instanceType: "t3.large", tags: { [TIER_TAG]: "rundeck" } });
    b.add(IMAGEBUILDER_IMAGE_RECIPE, "release-recipe", { parentImage: "ami-0fedcba9876543210", version: "1.0.0" });
    const tags: Record<string, string> = { [TIER_TAG]: web.tier ?? "web" };
    if (web.source !== undefined) {
        tags[LAUNCH_IMAGE_TAG] = web.source;
    }
    const template = b.add(EC2_LAUNCH_TEMPLATE, "frontend-lt", {
        imageId: "imageId" in web ? web.imageId : RELEASE,
        instanceType: "c6i.xlarge",
        tags,
    });
    const group = b.add(
        AUTOSCALING_GROUP,
        "frontend-asg",
        {
            minSize: 0,
            maxSize: web.maxSize ?? 2,
            launchTemplate: { id: UNKNOWN, version: "1" },
            tags: [{ key: TIER_TAG, value: web.tier ?? "web", propagateAtLaunch: true }],
        },
        { launchTemplate: [template] },
    );
    (web.schedules ?? []).forEach((props, i) =>
        b.add(AUTOSCALING_SCHEDULE, `frontend-schedule-${i}`, props, { autoscalingGroupName: [group] }),
    );
    return b.resources;
}

/** The violations, each without the sentence pointing to docs/release-image.md. */
const found = async (web: Web, config?: Record<string, unknown>) =>
    (await violations(RULE, stack(web), { config })).map((v) =>
        v.replace(" Web servers boot the release image the pipeline bakes (docs/release-image.md).", ""),
    );

const PREFIX = "mandatory: Launch template frontend-lt (Tier=web)";

describe("magento / web-boots-release-image", () => {
    it("keeps: a release image read from the release record, another parameter, or pinned; one not known yet decides at the update", async () => {
        assert.deepStrictEqual(await found({ source: PARAMETER }), []);
        assert.deepStrictEqual(await found({ source: "pinned" }), []);
        assert.deepStrictEqual(await found({ source: PARAMETER, imageId: UNKNOWN }), []);
        const shared = "arn:aws:ssm:eu-west-3:123456789012:parameter/imagebuilder/magento/preprod/web-ami";
        assert.deepStrictEqual(await found({ source: shared }), []);
    });

    it("keeps: no release yet (none) on the stock image while its groups keep no server and no schedule raises them", async () => {
        assert.deepStrictEqual(await found({ source: "none", imageId: STOCK, maxSize: 0 }), []);
        assert.deepStrictEqual(
            await found({ source: "none", imageId: STOCK, maxSize: 0, schedules: [{ minSize: 0, maxSize: 0 }] }),
            [],
        );
    });

    it("breaks: a web template that does not say which image it boots, or says something else", async () => {
        assert.deepStrictEqual(await found({}), [
            `${PREFIX} does not say which image it boots: tag it ${LAUNCH_IMAGE_TAG} with the release record's name (e.g. /magento-release/<stack>/current), another parameter's, "pinned" or "none".`,
        ]);
        assert.deepStrictEqual(await found({ source: "latest" }), [
            `${PREFIX} has ${LAUNCH_IMAGE_TAG}=latest; allowed: the release record's name (e.g. /magento-release/<stack>/current), another parameter's, "pinned" or "none".`,
        ]);
        const al2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        assert.deepStrictEqual(await found({ source: al2023 }), [
            `${PREFIX} boots from AWS's public parameter ${al2023} (${LAUNCH_IMAGE_TAG}): the stock OS, without the release.`,
        ]);
    });

    it("breaks: none while a group may launch servers, or a schedule raises it", async () => {
        assert.deepStrictEqual(await found({ source: "none", imageId: STOCK, maxSize: 2 }), [
            `${PREFIX} boots no release yet (${LAUNCH_IMAGE_TAG}=none) but group frontend-asg has maxSize 2: keep its groups at maxSize 0, without schedules, until the first release image exists.`,
        ]);
        const night = { recurrence: "30 8 * * *", minSize: 1, maxSize: 2 };
        assert.deepStrictEqual(await found({ source: "none", imageId: STOCK, maxSize: 0, schedules: [night] }), [
            `${PREFIX} boots no release yet (${LAUNCH_IMAGE_TAG}=none) but scheduled action frontend-schedule-0 raises group frontend-asg (maxSize 2): keep its groups at maxSize 0, without schedules, until the first release image exists.`,
        ]);
    });

    it("breaks: the image another server or the recipe's parent boots, pinned or from the parameter alike", async () => {
        for (const source of [PARAMETER, "pinned"]) {
            assert.deepStrictEqual(await found({ source, imageId: STOCK }), [
                `${PREFIX} boots ${STOCK}, the image of rundeck: the stock OS, without Magento or its static content.`,
            ]);
        }
        assert.deepStrictEqual(await found({ source: "pinned", imageId: "ami-0fedcba9876543210" }), [
            `${PREFIX} boots ami-0fedcba9876543210, the image of image recipe release-recipe's parent: the stock OS, without Magento or its static content.`,
        ]);
        assert.deepStrictEqual(await found({ source: "pinned", imageId: "ami-123" }), [
            `${PREFIX} boots ami-123, which is not an AMI id (ami- and 8 or 17 hexadecimal digits).`,
        ]);
        assert.deepStrictEqual(await found({ source: "pinned", imageId: "" }), [`${PREFIX} sets no imageId.`]);
    });

    it("breaks: an image resolved at launch, from AWS's public parameters or from the release record", async () => {
        const al2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
        assert.deepStrictEqual(await found({ source: PARAMETER, imageId: `resolve:ssm:${al2023}` }), [
            `${PREFIX} resolves AWS's public parameter ${al2023} at launch: the stock OS, without the release.`,
        ]);
        const [rollback] = await found({ source: PARAMETER, imageId: `resolve:ssm:${PARAMETER}` });
        assert.match(
            rollback,
            /resolves its image from \/magento-release\/preprod\/current at launch: AWS cannot roll back/,
        );
        assert.match(rollback, /instance-refresh-rollback\.html/);
    });

    it("holds the tiers webTiers names, and no other", async () => {
        assert.deepStrictEqual(await found({ tier: "api" }), []);
        assert.deepStrictEqual(await found({ tier: "api" }, { webTiers: ["web", "backoffice", "api"] }), [
            `mandatory: Launch template frontend-lt (Tier=api) does not say which image it boots: tag it ${LAUNCH_IMAGE_TAG} with the release record's name (e.g. /magento-release/<stack>/current), another parameter's, "pinned" or "none".`,
        ]);
    });

    // The real stacks' web launch templates (both tiers) beside their real servers. Until the image pipeline lands
    // (branch s8-pipeline sets the tag), a template without the tag gets the one the contract gives it, the stack's
    // release parameter; once it lands, the program's own tag is what is checked.
    it("keeps the real stacks' web launch templates", async function () {
        this.timeout(120_000);
        for (const name of ["prod", "preprod"]) {
            const resources = structuredClone(await stackResources(name));
            const tagsOf = (props: Record<string, unknown> | undefined) => props?.tags as Record<string, string>;
            const web = resources.filter(
                (r) => r.type === EC2_LAUNCH_TEMPLATE && ["web", "backoffice"].includes(tagsOf(r.inputs)[TIER_TAG]),
            );
            assert.strictEqual(web.length, 2, name);
            for (const tags of web.flatMap((t) => [tagsOf(t.inputs), tagsOf(t.outputs)])) {
                tags[LAUNCH_IMAGE_TAG] ??= releaseRecordParameter(name, "current");
            }
            assert.deepStrictEqual(await violations(RULE, resources), [], name);
        }
    });
});
