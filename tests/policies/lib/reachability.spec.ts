// The reachability matrix as a pure function of a stack's resources: the three ways AWS writes ingress, sources named
// by what they are (internet, allow-list, VPC, other CIDR, tier, service), targets by who uses the group.
import * as assert from "assert";
import { stackView } from "../../../offline/stack-view";
import { describeRow, reachability } from "../../../policies/lib/reachability";
import {
    EC2_INSTANCE,
    EC2_SECURITY_GROUP,
    EC2_SECURITY_GROUP_RULE,
    EC2_VPC,
    RDS_INSTANCE,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../../policies/lib/types";
import { PREPROD_NFS } from "../../fixtures/stacks";
import { StackBuilder, UNKNOWN } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

describe("policies/lib/reachability", () => {
    it("reads inline, legacy and VPC ingress rules, and names each source and target", () => {
        const b = new StackBuilder("prod");
        const vpc = b.add(EC2_VPC, "vpc", { cidrBlock: "10.20.0.0/16" });
        const web = b.add(EC2_SECURITY_GROUP, "web-sg", { vpcId: UNKNOWN, tags: { Tier: "web" } }, { vpcId: [vpc] });
        const gateway = b.add(EC2_SECURITY_GROUP, "gateway-sg", {
            tags: { AllowedSources: "203.0.113.0/24" },
            ingress: [{ protocol: "tcp", fromPort: 445, toPort: 445, cidrBlocks: ["203.0.113.0/24", "192.0.2.0/24"] }],
        });
        const database = b.add(
            EC2_SECURITY_GROUP,
            "db-sg",
            { ingress: [{ protocol: "tcp", fromPort: 3306, toPort: 3306, securityGroups: [UNKNOWN] }] },
            { ingress: [web] },
        );
        b.add(RDS_INSTANCE, "mysql", { vpcSecurityGroupIds: [UNKNOWN] }, { vpcSecurityGroupIds: [database] });
        b.add(
            EC2_SECURITY_GROUP_RULE,
            "web-from-vpc",
            {
                type: "ingress",
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: ["10.20.0.0/16"],
                securityGroupId: UNKNOWN,
            },
            { securityGroupId: [web] },
        );
        b.add(
            VPC_SECURITY_GROUP_INGRESS_RULE,
            "web-https",
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0", securityGroupId: UNKNOWN },
            { securityGroupId: [web] },
        );
        b.add(
            EC2_INSTANCE,
            "haproxy",
            { vpcSecurityGroupIds: [UNKNOWN], tags: { Tier: "gateway" } },
            { vpcSecurityGroupIds: [gateway] },
        );
        assert.deepStrictEqual(reachability(stackView(b.resources)).map(describeRow), [
            "tier web -> database mysql on tcp 3306",
            "allow-list 203.0.113.0/24 -> tier gateway on tcp 445",
            "cidr 192.0.2.0/24 -> tier gateway on tcp 445",
            "internet (::/0) -> tier web on tcp 443",
            "vpc 10.20.0.0/16 -> tier web on all",
        ]);
    });

    it("NFS mode: the NFS server is reached on 2049 by the web and back-office tiers only", async () => {
        const rows = reachability(stackView(await stackResources("preprod", { changes: PREPROD_NFS }))).map(
            describeRow,
        );
        assert.deepStrictEqual(
            rows.filter((r) => r.includes("-> tier nfs")),
            ["tier backoffice -> tier nfs on tcp 2049", "tier web -> tier nfs on tcp 2049"],
        );
    });
});
