// security-group-descriptions, asked over the analyzer protocol: EC2's character set for descriptions.
import * as assert from "assert";
import { EC2_SECURITY_GROUP, VPC_SECURITY_GROUP_EGRESS_RULE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

describe("aws-baseline / security-group-descriptions", () => {
    it("keeps: plain descriptions, and an unknown one left to the update", async () => {
        const b = new StackBuilder("prod");
        b.add(EC2_SECURITY_GROUP, "web-sg", {
            description: "Magento front-end servers (web tier): HTTP from the ALB",
            egress: [{ description: UNKNOWN }],
        });
        b.add(VPC_SECURITY_GROUP_EGRESS_RULE, "web-to-s3", { description: "S3: packages, agents, the stack buckets" });
        assert.deepStrictEqual(await violations("security-group-descriptions", b.resources), []);
    });

    it("breaks: an apostrophe in a group's description, in an inline rule's and in a rule's, and one too long", async () => {
        const b = new StackBuilder("prod");
        b.add(EC2_SECURITY_GROUP, "vpn-sg", {
            description: "OpenVPN server: operators' access",
            ingress: [{ description: "x".repeat(256) }],
        });
        b.add(VPC_SECURITY_GROUP_EGRESS_RULE, "web-to-s3", { description: "S3: the stack's buckets & agents" });
        assert.deepStrictEqual(await violations("security-group-descriptions", b.resources), [
            "mandatory: Security group vpn-sg's description holds \"'\", which EC2 refuses: use only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (CreateSecurityGroup / AuthorizeSecurityGroup* fail with InvalidParameterValue).",
            "mandatory: Security group vpn-sg's ingress[0] description is 256 characters long; EC2 takes up to 255 (CreateSecurityGroup / AuthorizeSecurityGroup* fail with InvalidParameterValue).",
            'mandatory: Security group rule web-to-s3\'s description holds "\'", "&", which EC2 refuses: use only letters, digits, spaces and ._-:/()#,@[]+=;{}!$* (CreateSecurityGroup / AuthorizeSecurityGroup* fail with InvalidParameterValue).',
        ]);
    });

    for (const name of ["prod", "preprod"]) {
        it(`passes on the real ${name} stack during preview`, async () => {
            assert.deepStrictEqual(await violations("security-group-descriptions", await stackResources(name)), []);
        });
    }
});
