// The web tiers boot what the release runner released (its record /magento-release/<stack>/current), so an `up`
// never rolls out an unreleased build nor undoes a release or a rollback: plans of a deployed preprod against its
// export as `pulumi up --refresh` reads it after the runner's work. The runner adds a launch template version (its
// image, the instance tags plus the release version), moves the group to it by instance refresh and records it; the
// refresh reads the template's latest version (the provider's resourceLaunchTemplateRead reads LatestVersionNumber,
// https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ec2/ec2_launch_template.go).
import * as assert from "assert";
import { LoadedDeployment } from "../../offline/export";
import { RELEASED_VERSION } from "../../offline/invokes";
import { StateResource } from "../../offline/state";
import { LAUNCH_IMAGE_TAG, RELEASE_VERSION_TAG } from "../../policies/lib/contracts";
import { AUTOSCALING_GROUP, EC2_LAUNCH_TEMPLATE } from "../../policies/lib/types";
import { asExport, plan, Planned } from "../helpers/plan";
import { ofType, prefetch, StackOptions, stackResources, webOfType } from "../helpers/stacks";

const STACK = "preprod";
const RECORD = "/magento-release/preprod/current";
const BUILT = "ami-0fedcba9876543210"; // a new build the runner has not released
const record = (version: string, imageId: string) => JSON.stringify({ version, commit: "9d8e7f6", imageId });

const WORLDS = {
    deployed: { preview: false },
    newBuild: { preview: false, world: { candidateImage: BUILT } },
    released: { preview: false, world: { candidateImage: BUILT, releaseRecord: record("2.4.8-p3+2", BUILT) } },
    unreleased: { preview: false, world: { unreleased: true } },
    notJson: { preview: false, world: { releaseRecord: "ami-0fedcba9876543210" } },
    resolved: { preview: false, world: { releaseRecord: record("2.4.8-p3+2", `resolve:ssm:${RECORD}`) } },
} satisfies Record<string, StackOptions>;
prefetch(...Object.values(WORLDS).map((w) => [STACK, w] as [string, StackOptions]));
const capture = (w: keyof typeof WORLDS) => stackResources(STACK, WORLDS[w]);

const isWebTemplate = (r: StateResource) =>
    r.type === EC2_LAUNCH_TEMPLATE && LAUNCH_IMAGE_TAG in ((r.inputs?.tags as Record<string, string>) ?? {});

type TagSpecification = { resourceType: string; tags: Record<string, string> };

/** The export after the runner rolled `imageId` out as template version `n` of each web template, read back by
 *  `pulumi up --refresh`: the template's latest version (its image and instance tags), the group on it. */
function refreshedAfterRunner(
    exported: LoadedDeployment,
    release: { version: string; imageId: string },
    n: number,
): LoadedDeployment {
    const templates = exported.resources.filter(isWebTemplate);
    const ids = new Set(templates.map((t) => t.id));
    const version = (props: Record<string, unknown>) => ({
        ...props,
        imageId: release.imageId,
        tagSpecifications: (props.tagSpecifications as TagSpecification[]).map((s) =>
            s.resourceType === "instance" ? { ...s, tags: { ...s.tags, [RELEASE_VERSION_TAG]: release.version } } : s,
        ),
    });
    const onVersion = (props: Record<string, unknown>) => ({
        ...props,
        launchTemplate: { ...(props.launchTemplate as Record<string, unknown>), version: String(n) },
    });
    const resources = exported.resources.map((r) => {
        if (templates.includes(r)) {
            return {
                ...r,
                inputs: version(r.inputs!),
                outputs: { ...version(r.outputs!), latestVersion: n, defaultVersion: n },
            };
        }
        const groupOf = (props?: Record<string, unknown>) => (props?.launchTemplate as { id?: string } | undefined)?.id;
        if (r.type === AUTOSCALING_GROUP && ids.has(groupOf(r.outputs))) {
            return { ...r, inputs: onVersion(r.inputs!), outputs: onVersion(r.outputs!) };
        }
        return r;
    });
    return { ...exported, resources };
}

const changes = (p: Planned) => p.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name} ${s.changed}`);
const webSteps = (p: Planned) => changes(p).filter((c) => / magento-preprod-(frontend|backoffice)-(lt|asg) /.test(c));
const imageOf = (r: StateResource[]) => ofType(r, EC2_LAUNCH_TEMPLATE).filter(isWebTemplate)[0].inputs!.imageId;

describe("offline plan: the web tiers follow the release runner's record", function () {
    this.timeout(300_000);
    const before = capture("deployed").then(asExport);

    it("a new build in the candidate parameter changes no launch template and starts no refresh", async () => {
        const [deployed, built] = [await capture("deployed"), await capture("newBuild")];
        assert.strictEqual(imageOf(built), imageOf(deployed));
        assert.notStrictEqual(imageOf(built), BUILT);
        assert.deepStrictEqual(changes(plan(await before, built, STACK)), []);
    });

    it("after the runner's release, the up (refreshed) changes neither template nor group; unrefreshed it would roll the image out again", async () => {
        const released = await capture("released");
        assert.strictEqual(imageOf(released), BUILT);
        const refreshed = refreshedAfterRunner(await before, { version: "2.4.8-p3+2", imageId: BUILT }, 2);
        assert.deepStrictEqual(changes(plan(refreshed, released, STACK)), []);
        // Why the deploy workflow refreshes first: the stale state's templates would get a version of their own.
        assert.deepStrictEqual(webSteps(plan(await before, released, STACK)).sort(), [
            "update magento-preprod-backoffice-lt imageId,tagSpecifications[0].tags.magento:release-version",
            "update magento-preprod-frontend-lt imageId,tagSpecifications[0].tags.magento:release-version",
        ]);
    });

    it("after the runner's rollback (the record back to the previous image), the up changes neither template nor group", async () => {
        const deployed = await capture("deployed");
        const release = refreshedAfterRunner(await before, { version: "2.4.8-p3+2", imageId: BUILT }, 2);
        const previous = { version: RELEASED_VERSION, imageId: String(imageOf(deployed)) };
        const rolledBack = refreshedAfterRunner(release, previous, 3);
        assert.deepStrictEqual(changes(plan(rolledBack, deployed, STACK)), []);
    });

    it("built but never released: the groups keep no server, the templates the stock image tagged none", async () => {
        const r = await capture("unreleased");
        const templates = ofType(r, EC2_LAUNCH_TEMPLATE).filter(isWebTemplate);
        assert.deepStrictEqual(
            templates.map((t) => [
                (t.inputs!.tags as Record<string, string>)[LAUNCH_IMAGE_TAG],
                (t.inputs!.tagSpecifications as TagSpecification[])[0].tags[RELEASE_VERSION_TAG],
            ]),
            [
                ["none", "none"],
                ["none", "none"],
            ],
        );
        assert.ok(templates.every((t) => t.inputs!.imageId !== BUILT));
        assert.deepStrictEqual(
            webOfType(r, AUTOSCALING_GROUP).map((g) => [g.inputs!.minSize, g.inputs!.maxSize]),
            [
                [0, 0],
                [0, 0],
            ],
        );
    });

    it("a record the runner did not write fails the deployment, naming the parameter", async () => {
        await assert.rejects(capture("notJson"), new RegExp(`${RECORD} holds "ami-0fedcba9876543210", not JSON`));
        await assert.rejects(capture("resolved"), new RegExp(`${RECORD} holds .*whose imageId is not an AMI id`));
    });
});
