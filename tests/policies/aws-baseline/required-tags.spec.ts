// required-tags, asked over the analyzer protocol: tag maps and autoscaling tag lists with and without the stack's
// ownership tags, a billed type with no tags at all, the pack config's own key list, and the real stacks.
import * as assert from "assert";
import { AUTOSCALING_GROUP, EC2_VPC, IAM_ROLE_POLICY, S3_BUCKET, SSM_PARAMETER } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const OWNED = { Environment: "production", Owner: "platform-team", CostCentre: "CC-1234" };

const lacks = (name: string, keys: string) =>
    `mandatory: ${name} lacks the tag(s) ${keys}; tag every resource with the stack's tags ` +
    "(stack config tags), on the resource itself: provider default tags are not visible to policies.";

describe("aws-baseline / required-tags", () => {
    it("keeps: a tag map and an autoscaling group's tag list with the three keys (a value not known yet counts)", async () => {
        const b = new StackBuilder("prod");
        b.add(EC2_VPC, "vpc", { tags: { ...OWNED, Name: "vpc" } });
        b.add(AUTOSCALING_GROUP, "web", {
            tags: Object.entries({ ...OWNED, Owner: UNKNOWN }).map(([key, value]) => ({
                key,
                value,
                propagateAtLaunch: true,
            })),
        });
        b.add(IAM_ROLE_POLICY, "no-tags-here", { policy: "{}" });
        assert.deepStrictEqual(await violations("required-tags", b.resources), []);
    });

    it("breaks: a tag map without CostCentre, a tag list with an empty Owner, a bucket with no tags at all", async () => {
        const b = new StackBuilder("preprod");
        b.add(SSM_PARAMETER, "db-host", { tags: { Environment: "preproduction", Owner: "platform-team" } });
        b.add(AUTOSCALING_GROUP, "web", {
            tags: Object.entries({ ...OWNED, Owner: "" }).map(([key, value]) => ({
                key,
                value,
                propagateAtLaunch: true,
            })),
        });
        b.add(S3_BUCKET, "config", {});
        assert.deepStrictEqual(await violations("required-tags", b.resources), [
            lacks("db-host", "CostCentre"),
            lacks("web", "Owner"),
            lacks("config", "Environment, Owner, CostCentre"),
        ]);
    });

    it("follows the pack config's key list", async () => {
        const b = new StackBuilder("prod");
        b.add(EC2_VPC, "vpc", { tags: OWNED });
        assert.deepStrictEqual(
            await violations("required-tags", b.resources, {
                config: { requiredTags: ["Owner", "DataClassification"] },
            }),
            [lacks("vpc", "DataClassification")],
        );
    });

    it("waits for the update when the whole tag map is computed", async () => {
        const b = new StackBuilder("prod");
        b.add(EC2_VPC, "vpc", { tags: UNKNOWN });
        assert.deepStrictEqual(await violations("required-tags", b.resources), []);
    });

    it("the real stacks keep it: the program tags every resource itself", async () => {
        assert.deepStrictEqual(await violations("required-tags", await stackResources("prod")), []);
        assert.deepStrictEqual(await violations("required-tags", await stackResources("preprod")), []);
    });
});
