// no-unrestricted-egress, asked over the analyzer protocol: a web tier's or a data service's group that may connect
// anywhere on every port is rejected; HTTPS out, a named service's group and other tiers are kept.
import * as assert from "assert";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";
import { StateResource } from "../../../offline/state";
import { EC2_SECURITY_GROUP, RDS_INSTANCE, VPC_SECURITY_GROUP_EGRESS_RULE } from "../../../policies/lib/types";

/** A group tagged Tier `tier` (or used by a database when `tier` is undefined) with one egress rule. */
function groupWithEgress(tier: string | undefined, rule: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("prod");
    const group = b.add(EC2_SECURITY_GROUP, "sg", { vpcId: UNKNOWN, tags: tier ? { Tier: tier } : {} });
    b.add(
        VPC_SECURITY_GROUP_EGRESS_RULE,
        "sg-out",
        { securityGroupId: UNKNOWN, ...rule },
        { securityGroupId: [group] },
    );
    if (!tier) {
        b.add(RDS_INSTANCE, "mysql", { vpcSecurityGroupIds: [UNKNOWN] }, { vpcSecurityGroupIds: [group] });
    }
    return b.resources;
}

const ALL_OUT = { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" };

describe("aws-baseline / no-unrestricted-egress", () => {
    it("breaks: the web tier may connect with every protocol to 0.0.0.0/0, or on every TCP port to ::/0", async () => {
        assert.deepStrictEqual(await violations("no-unrestricted-egress", groupWithEgress("web", ALL_OUT)), [
            "mandatory: sg-out of security group sg (the web tier) allows all traffic out to 0.0.0.0/0: a compromised server could reach anything. " +
                "Allow only what it needs: the security groups of the services it uses, the VPC endpoints, and named ports (HTTPS) to the internet.",
        ]);
        assert.strictEqual(
            (
                await violations(
                    "no-unrestricted-egress",
                    groupWithEgress("backoffice", { ipProtocol: "tcp", fromPort: 0, toPort: 65535, cidrIpv6: "::/0" }),
                )
            ).length,
            1,
        );
    });

    it("breaks: a database's security group with all traffic out", async () => {
        const [found] = await violations("no-unrestricted-egress", groupWithEgress(undefined, ALL_OUT));
        assert.match(found, /\(data service mysql\) allows all traffic out/);
    });

    it("keeps: HTTPS out to the internet, all traffic inside the VPC, and tiers it does not guard", async () => {
        assert.deepStrictEqual(
            await violations(
                "no-unrestricted-egress",
                groupWithEgress("web", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "no-unrestricted-egress",
                groupWithEgress("web", { ipProtocol: "-1", cidrIpv4: "10.20.0.0/16" }),
            ),
            [],
        );
        assert.deepStrictEqual(await violations("no-unrestricted-egress", groupWithEgress("rundeck", ALL_OUT)), []);
    });

    it("keeps both stacks: their web tiers and data services have an egress allow-list", async () => {
        assert.deepStrictEqual(await violations("no-unrestricted-egress", await stackResources("prod")), []);
        assert.deepStrictEqual(await violations("no-unrestricted-egress", await stackResources("preprod")), []);
    });
});
