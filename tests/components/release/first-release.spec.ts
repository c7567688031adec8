// A fresh stack's first `pulumi up`, before any release (no candidate image, no runner record: offline/invokes.ts's
// fresh stack), and the `up` after the first release: until then the web groups keep no server (no bounds, no
// schedule, so neither load nor a scheduled action launches a bare OS image), their launch templates take the stock
// Amazon Linux image and say so (LAUNCH_IMAGE_TAG none), the stack output releaseImage too; the preview passes both
// packs. With the image, the same templates boot it and the groups get their sizes back.
import * as assert from "assert";
import { releaseRecordParameter } from "../../../model/release";
import { RELEASED_VERSION } from "../../../offline/invokes";
import { StateResource } from "../../../offline/state";
import { LAUNCH_IMAGE_TAG, RELEASE_VERSION_TAG } from "../../../policies/lib/contracts";
import {
    AUTOSCALING_GROUP,
    AUTOSCALING_SCHEDULE,
    EC2_LAUNCH_TEMPLATE,
    IMAGEBUILDER_IMAGE_PIPELINE,
} from "../../../policies/lib/types";
import { check } from "../../helpers/packs";
import { asExport, plan } from "../../helpers/plan";
import { ofType, prefetch, stackResources, webOfType } from "../../helpers/stacks";

const FRESH = { freshStack: true };
const PINNED = { changes: { "magento:webImage": "ami-0fedcba9876543210" } };
const DEPLOYED = { preview: false };
const DEPLOYED_FRESH = { preview: false, freshStack: true };
prefetch(["preprod", FRESH], ["preprod", {}], ["preprod", PINNED], ["preprod", DEPLOYED], ["preprod", DEPLOYED_FRESH]);

/** AWS's public AL2023 parameter, as the offline engine answers it (offline/invokes.ts). */
const STOCK_AL2023 = "ami-0a1b2c3d4e5f60718";

const bounds = (r: StateResource[]) =>
    Object.fromEntries(
        webOfType(r, AUTOSCALING_GROUP).map((g) => [g.urn.split("::").pop(), [g.inputs!.minSize, g.inputs!.maxSize]]),
    );
const templates = (r: StateResource[]) =>
    Object.fromEntries(
        webOfType(r, EC2_LAUNCH_TEMPLATE).map((t) => [
            t.urn.split("::").pop(),
            [
                t.inputs!.imageId,
                (t.inputs!.tags as Record<string, string>)[LAUNCH_IMAGE_TAG],
                instanceTags(t)[RELEASE_VERSION_TAG],
            ],
        ]),
    );
/** The tags the template gives its instances. */
const instanceTags = (t: StateResource) =>
    (t.inputs!.tagSpecifications as { resourceType: string; tags: Record<string, string> }[]).find(
        (s) => s.resourceType === "instance",
    )!.tags;
const output = (r: StateResource[], name: string) =>
    (r.find((x) => x.type === "pulumi:pulumi:Stack")!.outputs as Record<string, unknown>)[name];

describe("the first release image of a fresh stack", () => {
    it("before it: the web groups keep no server and have no schedule", async () => {
        const r = await stackResources("preprod", FRESH);
        assert.deepStrictEqual(bounds(r), {
            "magento-preprod-frontend-asg": [0, 0],
            "magento-preprod-backoffice-asg": [0, 0],
        });
        assert.deepStrictEqual(ofType(r, AUTOSCALING_SCHEDULE), []);
    });

    it("before it: the launch templates take the stock Amazon Linux image, tagged none, their servers release none, and the stack says so", async () => {
        const r = await stackResources("preprod", FRESH);
        assert.deepStrictEqual(templates(r), {
            "magento-preprod-frontend-lt": [STOCK_AL2023, "none", "none"],
            "magento-preprod-backoffice-lt": [STOCK_AL2023, "none", "none"],
        });
        assert.strictEqual(output(r, "releaseImage"), "none");
        // The pipeline that will build it is there from the first up.
        assert.ok(ofType(r, IMAGEBUILDER_IMAGE_PIPELINE).length === 1);
    });

    it("before it: the preview passes both packs with no mandatory violation", async function () {
        this.timeout(120_000);
        const r = await stackResources("preprod", FRESH);
        for (const pack of ["magento", "aws-baseline"]) {
            const mandatory = (await check(pack, r)).filter((d) => d.level === "mandatory");
            assert.deepStrictEqual(
                mandatory.map((d) => `${d.policy}: ${d.message}`),
                [],
                pack,
            );
        }
    });

    it("after it: the templates boot the image the runner recorded, their servers tagged with its version, and the groups have their sizes and schedules", async () => {
        const [fresh, released] = [await stackResources("preprod", FRESH), await stackResources("preprod")];
        const image = templates(released)["magento-preprod-frontend-lt"][0];
        assert.match(String(image), /^ami-[0-9a-f]{17}$/);
        assert.notStrictEqual(image, STOCK_AL2023);
        assert.deepStrictEqual(templates(released), {
            "magento-preprod-frontend-lt": [image, releaseRecordParameter("preprod", "current"), RELEASED_VERSION],
            "magento-preprod-backoffice-lt": [image, releaseRecordParameter("preprod", "current"), RELEASED_VERSION],
        });
        assert.deepStrictEqual(bounds(released), {
            "magento-preprod-frontend-asg": [1, 2],
            "magento-preprod-backoffice-asg": [1, 1],
        });
        assert.strictEqual(ofType(released, AUTOSCALING_SCHEDULE).length, 2);
        assert.strictEqual(output(released, "releaseImage"), releaseRecordParameter("preprod", "current"));
        // The same templates, a new version each: an instance refresh rolls the image out, nothing is replaced.
        assert.deepStrictEqual(
            webOfType(released, EC2_LAUNCH_TEMPLATE).map((t) => t.urn),
            webOfType(fresh, EC2_LAUNCH_TEMPLATE).map((t) => t.urn),
        );
    });

    it("a pinned image is booted as given, tagged pinned (no recorded version), whatever the record holds", async () => {
        const r = await stackResources("preprod", PINNED);
        assert.deepStrictEqual(templates(r), {
            "magento-preprod-frontend-lt": ["ami-0fedcba9876543210", "pinned", "unrecorded"],
            "magento-preprod-backoffice-lt": ["ami-0fedcba9876543210", "pinned", "unrecorded"],
        });
        assert.deepStrictEqual(bounds(r)["magento-preprod-frontend-asg"], [1, 2]);
    });

    it("the plan check passes the first release's up, and refuses a deployed stack's fall back to none (its record gone)", async () => {
        const [fresh, released] = [
            await stackResources("preprod", DEPLOYED_FRESH),
            await stackResources("preprod", DEPLOYED),
        ];
        const first = plan(asExport(fresh), released, "preprod").check();
        assert.deepStrictEqual(
            first.refusals.map((r) => r.kind),
            [],
        );
        const lost = plan(asExport(released), fresh, "preprod").check();
        assert.deepStrictEqual(lost.refusals.map((r) => [r.kind, r.step.name]).sort(), [
            ["release", "magento-preprod-backoffice-lt"],
            ["release", "magento-preprod-frontend-lt"],
        ]);
        assert.match(
            lost.refusals[0].reason,
            /\/magento-release\/preprod\/current -> none: the program found no release image.*restore the release record/,
        );
        const meant = plan(asExport(released), fresh, "preprod").check([
            "magento-preprod-frontend-lt",
            "magento-preprod-backoffice-lt",
        ]);
        assert.deepStrictEqual(meant.refusals, []);
    });
});
