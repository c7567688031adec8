// no-internet-ingress, asked over the analyzer protocol with each of the three ways AWS lets a program open a port.
import * as assert from "assert";
import {
    EC2_INSTANCE,
    EC2_SECURITY_GROUP,
    EC2_SECURITY_GROUP_RULE,
    LB_LOAD_BALANCER,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

/** A security group with one ingress rule from `cidr`, optionally attached to a load balancer. */
function groupWithRule(rule: Record<string, unknown>, lb?: { internal: boolean; type?: string }): StackBuilder {
    const b = new StackBuilder("prod");
    const group = b.add(EC2_SECURITY_GROUP, "web-sg", { vpcId: UNKNOWN });
    b.add(
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "web-in",
        { securityGroupId: UNKNOWN, ...rule },
        { securityGroupId: [group] },
    );
    if (lb) {
        b.add(
            lb.type ?? LB_LOAD_BALANCER,
            "alb",
            { internal: lb.internal, loadBalancerType: "application", securityGroups: [UNKNOWN] },
            { securityGroups: [group] },
        );
    }
    return b;
}

/** A group with one ingress rule, attached to one instance per tier named (its Tier tag). */
function onServers(rule: Record<string, unknown>, tiers: string[]): StackBuilder {
    const b = groupWithRule(rule);
    tiers.forEach((tier, i) =>
        b.add(
            EC2_INSTANCE,
            `server-${i}`,
            { tags: { Tier: tier }, vpcSecurityGroupIds: [UNKNOWN] },
            { vpcSecurityGroupIds: [b.resources[0]] },
        ),
    );
    return b;
}

describe("aws-baseline / no-internet-ingress", () => {
    it("keeps: HTTPS and HTTP from anywhere on an internet-facing load balancer, IPv4 and IPv6", async () => {
        for (const rule of [
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
            { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" },
        ]) {
            assert.deepStrictEqual(
                await violations("no-internet-ingress", groupWithRule(rule, { internal: false }).resources),
                [],
            );
        }
    });

    it("keeps: HTTPS from anywhere on a load balancer of a stack deployed before @pulumi/aws 6 (old type token)", async () => {
        const lb = { internal: false, type: "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer" };
        assert.deepStrictEqual(
            await violations(
                "no-internet-ingress",
                groupWithRule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, lb).resources,
            ),
            [],
        );
    });

    it("keeps: the VPN's UDP port from anywhere on the VPN server's group, and any port from the operators' allow-list", async () => {
        assert.deepStrictEqual(
            await violations(
                "no-internet-ingress",
                onServers({ ipProtocol: "udp", fromPort: 1194, toPort: 1194, cidrIpv4: "0.0.0.0/0" }, ["vpn"])
                    .resources,
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "no-internet-ingress",
                groupWithRule({ ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "203.0.113.0/24" })
                    .resources,
            ),
            [],
        );
    });

    it("breaks: the VPN's UDP port open to the internet on a group that is not only the VPN server's", async () => {
        for (const tiers of [[], ["gateway"], ["vpn", "gateway"]]) {
            const found = await violations(
                "no-internet-ingress",
                onServers({ ipProtocol: "udp", fromPort: 1194, toPort: 1194, cidrIpv4: "0.0.0.0/0" }, tiers).resources,
            );
            assert.strictEqual(found.length, 1, `${tiers}: ${found.join("\n")}`);
            assert.match(
                found[0],
                /^mandatory: .*web-in of security group web-sg admits udp port 1194 from 0\.0\.0\.0\/0; .*UDP 1194 on the VPN server's security group/s,
            );
        }
    });

    it("breaks: HTTPS from anywhere on a group no internet-facing load balancer uses", async () => {
        for (const lb of [undefined, { internal: true }]) {
            const found = await violations(
                "no-internet-ingress",
                groupWithRule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, lb).resources,
            );
            assert.deepStrictEqual(found.length, 1);
            assert.match(
                found[0],
                /^mandatory: .*web-in of security group web-sg admits tcp port 443 from 0\.0\.0\.0\/0/s,
            );
        }
    });

    it("breaks: SSH from ::/0 and RDP from 0.0.0.0/0", async () => {
        const found = await violations(
            "no-internet-ingress",
            groupWithRule({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: "::/0" }).resources,
        );
        assert.match(found[0], /admits tcp port 22 from ::\/0/);
        const rdp = await violations(
            "no-internet-ingress",
            groupWithRule({ ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/0" }).resources,
        );
        assert.match(rdp[0], /admits tcp port 3389 from 0\.0\.0\.0\/0/);
    });

    it("breaks: all traffic from anywhere written inline in the security group", async () => {
        const b = new StackBuilder("prod");
        b.add(EC2_SECURITY_GROUP, "open-sg", {
            ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        });
        const found = await violations("no-internet-ingress", b.resources);
        assert.match(found[0], /open-sg admits all all ports from 0\.0\.0\.0\/0/);
    });

    it("breaks: MySQL from anywhere through a legacy security group rule", async () => {
        const b = new StackBuilder("preprod");
        const group = b.add(EC2_SECURITY_GROUP, "db-sg");
        b.add(
            EC2_SECURITY_GROUP_RULE,
            "db-in",
            {
                type: "ingress",
                protocol: "tcp",
                fromPort: 3306,
                toPort: 3306,
                cidrBlocks: ["0.0.0.0/0"],
                securityGroupId: UNKNOWN,
            },
            { securityGroupId: [group] },
        );
        const found = await violations("no-internet-ingress", b.resources);
        assert.match(found[0], /db-in of security group db-sg admits tcp port 3306 from 0\.0\.0\.0\/0/);
    });

    it("breaks: a port range that merely includes 443", async () => {
        const found = await violations(
            "no-internet-ingress",
            groupWithRule({ ipProtocol: "tcp", fromPort: 0, toPort: 65535, cidrIpv4: "0.0.0.0/0" }, { internal: false })
                .resources,
        );
        assert.match(found[0], /admits tcp ports 0-65535/);
    });

    it("breaks: the whole internet split into halves over two rules of one group, or written as every public block", async () => {
        const b = groupWithRule({ ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/1" });
        b.add(
            VPC_SECURITY_GROUP_INGRESS_RULE,
            "web-in-2",
            { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 3380, toPort: 3390, cidrIpv4: "128.0.0.0/1" },
            { securityGroupId: [b.resources[0]] },
        );
        const halves = await violations("no-internet-ingress", b.resources);
        assert.strictEqual(halves.length, 2, halves.join("\n"));
        assert.match(
            halves[0],
            /admits tcp port 3389 from 0\.0\.0\.0\/1 and 128\.0\.0\.0\/1 \(together the whole internet\)/,
        );
        // Everything but 10.0.0.0/8, which no internet host comes from: still every internet address.
        const blocks = new StackBuilder("prod");
        blocks.add(EC2_SECURITY_GROUP, "open-sg", {
            ingress: [
                {
                    protocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                    cidrBlocks: [
                        "0.0.0.0/5",
                        "8.0.0.0/7",
                        "11.0.0.0/8",
                        "12.0.0.0/6",
                        "16.0.0.0/4",
                        "32.0.0.0/3",
                        "64.0.0.0/2",
                        "128.0.0.0/1",
                    ],
                },
            ],
        });
        assert.match(
            (await violations("no-internet-ingress", blocks.resources))[0],
            /open-sg admits tcp port 22 from 0\.0\.0\.0\/5 and [^]*\(together the whole internet\)/,
        );
    });

    it("keeps: halves of the internet on different ports, which admit no port to every address", async () => {
        const b = groupWithRule({ ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/1" });
        b.add(
            VPC_SECURITY_GROUP_INGRESS_RULE,
            "web-in-2",
            { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1" },
            { securityGroupId: [b.resources[0]] },
        );
        assert.deepStrictEqual(await violations("no-internet-ingress", b.resources), []);
    });
});
