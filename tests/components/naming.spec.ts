// Names AWS limits in length: Pulumi's auto-naming adds a dash and seven random characters to the logical name, so a
// name that fits in a test can still fail at deploy time. Checked for both stacks (preprod's name is the longer).
import * as assert from "assert";
import { stackResources } from "../helpers/stacks";

/** AWS's name limit per type, for the types whose physical name Pulumi derives from the logical one. */
const LIMITS: Record<string, number> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": 40,
    "aws:rds/instance:Instance": 63,
    "aws:iam/role:Role": 64,
    "aws:elasticache/subnetGroup:SubnetGroup": 255,
    "aws:lb/loadBalancer:LoadBalancer": 32,
    "aws:lb/targetGroup:TargetGroup": 32,
};

describe("resource names", () => {
    it("auto-named resources leave room for Pulumi's 8-character suffix within AWS's name limits", async () => {
        for (const stack of ["prod", "preprod"]) {
            for (const x of (await stackResources(stack)).filter((r) => r.type in LIMITS)) {
                const name = x.urn.split("::").pop()!;
                assert.ok(name.length + 8 <= LIMITS[x.type], `${name} (${x.type}) is too long for ${LIMITS[x.type]} characters`);
            }
        }
    });
});
