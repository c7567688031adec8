// private-servers, asked over the analyzer protocol: the Tier-tagged servers and the databases, wired as a preview
// sees them (ids unknown, property dependencies known).
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    EC2_EIP,
    EC2_INSTANCE,
    EC2_SECURITY_GROUP,
    RDS_INSTANCE,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

/** A server of `tier` behind a group with one ingress rule. */
function server(
    tier: string,
    rule: Record<string, unknown>,
    instance: Record<string, unknown> = {},
): { b: StackBuilder; vm: StateResource } {
    const b = new StackBuilder("prod");
    const group = b.add(EC2_SECURITY_GROUP, "ops-sg", { vpcId: UNKNOWN });
    b.add(
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "ops-in",
        { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 4440, toPort: 4440, ...rule },
        { securityGroupId: [group] },
    );
    const props = {
        ami: "ami-0123456789abcdef0",
        subnetId: UNKNOWN,
        vpcSecurityGroupIds: [UNKNOWN],
        associatePublicIpAddress: false,
        tags: { Tier: tier },
        ...instance,
    };
    // The wire has no undefined: a property set to undefined here is one the program left out.
    const vm = b.add(
        EC2_INSTANCE,
        `${tier}-instance`,
        Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)),
        { vpcSecurityGroupIds: [group] },
    );
    return { b, vm };
}

describe("aws-baseline / private-servers", () => {
    it("keeps: Rundeck's UI from the VPC's CIDR, a database admitting a tier's group, and a public gateway that is no private tier", async () => {
        assert.deepStrictEqual(
            await violations("private-servers", server("rundeck", { cidrIpv4: "10.20.0.0/16" }).b.resources),
            [],
        );
        const b = new StackBuilder("prod");
        const group = b.add(EC2_SECURITY_GROUP, "db-sg");
        b.add(
            VPC_SECURITY_GROUP_INGRESS_RULE,
            "db-in",
            {
                securityGroupId: UNKNOWN,
                ipProtocol: "tcp",
                fromPort: 3306,
                toPort: 3306,
                referencedSecurityGroupId: UNKNOWN,
            },
            { securityGroupId: [group] },
        );
        b.add(
            RDS_INSTANCE,
            "magento-db",
            { vpcSecurityGroupIds: [UNKNOWN], storageEncrypted: true },
            { vpcSecurityGroupIds: [group] },
        );
        assert.deepStrictEqual(await violations("private-servers", b.resources), []);
        assert.deepStrictEqual(
            await violations(
                "private-servers",
                server("gateway", { cidrIpv4: "0.0.0.0/0" }, { associatePublicIpAddress: true }).b.resources,
            ),
            [],
        );
    });

    it("breaks: the Windows host admitting RDP from the internet, even on a port no-internet-ingress would allow", async () => {
        assert.deepStrictEqual(
            await violations(
                "private-servers",
                server("windows", { fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/0" }).b.resources,
            ),
            [
                "mandatory: windows server windows-instance is reachable from the internet: ops-in of security group ops-sg admits tcp port 3389 " +
                    "from 0.0.0.0/0. Admit the VPC's CIDR, the VPN's or the gateway's security group instead.",
            ],
        );
        const udp = await violations(
            "private-servers",
            server("nfs", { ipProtocol: "udp", fromPort: 1194, toPort: 1194, cidrIpv6: "::/0" }).b.resources,
        );
        assert.match(
            udp[0],
            /nfs server nfs-instance is reachable from the internet: .* admits udp port 1194 from ::\/0/,
        );
    });

    it("breaks: a database whose security group is open to the internet", async () => {
        const b = new StackBuilder("preprod");
        const group = b.add(EC2_SECURITY_GROUP, "db-sg", {
            ingress: [{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] }],
        });
        b.add(RDS_INSTANCE, "magento-db", { vpcSecurityGroupIds: [UNKNOWN] }, { vpcSecurityGroupIds: [group] });
        assert.match(
            (await violations("private-servers", b.resources))[0],
            /^mandatory: database magento-db is reachable from the internet: db-sg admits tcp port 3306 from 0\.0\.0\.0\/0/,
        );
    });

    it("breaks: a public IP left to the subnet's default, and an Elastic IP on Rundeck", async () => {
        const { b } = server("rundeck", { cidrIpv4: "10.20.0.0/16" }, { associatePublicIpAddress: undefined });
        assert.deepStrictEqual(await violations("private-servers", b.resources), [
            "mandatory: rundeck server rundeck-instance may get a public IP: set " +
                "associatePublicIpAddress: false (left out, the subnet's mapPublicIpOnLaunch decides).",
        ]);
        const withEip = server("rundeck", { cidrIpv4: "10.20.0.0/16" });
        withEip.b.add(EC2_EIP, "rundeck-eip", { instance: UNKNOWN, domain: "vpc" }, { instance: [withEip.vm] });
        assert.deepStrictEqual(await violations("private-servers", withEip.b.resources), [
            "mandatory: rundeck server rundeck-instance has the Elastic IP rundeck-eip; " +
                "it is reached through the VPN or the gateway only.",
        ]);
    });

    it("breaks: a private tier reachable from the whole internet split over two rules", async () => {
        const { b } = server("rundeck", { cidrIpv4: "0.0.0.0/1" });
        b.add(
            VPC_SECURITY_GROUP_INGRESS_RULE,
            "ops-in-2",
            { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 4440, toPort: 4440, cidrIpv4: "128.0.0.0/1" },
            { securityGroupId: [b.resources[0]] },
        );
        const found = await violations("private-servers", b.resources);
        assert.strictEqual(found.length, 2, found.join("\n"));
        assert.match(
            found[0],
            /is reachable from the internet: .* from 0\.0\.0\.0\/1 and 128\.0\.0\.0\/1 \(together the whole internet\)/,
        );
    });

    it("keeps: a private tier admitting one public half of the internet is left to the other rules, not called the internet", async () => {
        assert.deepStrictEqual(
            await violations("private-servers", server("rundeck", { cidrIpv4: "0.0.0.0/1" }).b.resources),
            [],
        );
    });
});
