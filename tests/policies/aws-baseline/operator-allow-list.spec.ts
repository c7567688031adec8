// operator-allow-list, asked over the analyzer protocol: the gateway's group admits its declared allow-list only, and
// SSH/RDP reach nothing from internet addresses except through such a list.
import * as assert from "assert";
import { EC2_SECURITY_GROUP, VPC_SECURITY_GROUP_INGRESS_RULE } from "../../../policies/lib/types";
import { check, diagnostics, StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const OPERATORS = "203.0.113.0/24,198.51.100.17/32,2001:db8:1234::/48";

/** A group (with the gateway's AllowedSources contract when `allowList` is given) and one ingress rule. */
function group(rule: Record<string, unknown>, allowList?: string): StackBuilder {
    const b = new StackBuilder("prod");
    const sg = b.add(EC2_SECURITY_GROUP, "gateway-sg", {
        vpcId: UNKNOWN,
        tags: { Name: "gateway-sg", ...(allowList ? { AllowedSources: allowList } : {}) },
    });
    b.add(
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "gateway-rdp-0",
        { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 3389, toPort: 3389, ...rule },
        { securityGroupId: [sg] },
    );
    return b;
}

describe("aws-baseline / operator-allow-list", () => {
    it("keeps: the gateway admitting RDP, FTP and a range from single addresses inside the operators' ranges, IPv4 and IPv6", async () => {
        for (const rule of [
            { cidrIpv4: "203.0.113.10/32" },
            { cidrIpv4: "198.51.100.17/32", fromPort: 21, toPort: 21 },
            { cidrIpv6: "2001:db8:1234::10/128", fromPort: 2048, toPort: 4096 },
        ]) {
            assert.deepStrictEqual(
                await violations("operator-allow-list", group(rule, OPERATORS).resources),
                [],
                JSON.stringify(rule),
            );
        }
    });

    it("breaks: a gateway rule wider than one address, though inside the allow-list (the rule's own CIDR, not the tag, decides)", async () => {
        const found = await violations(
            "operator-allow-list",
            group({ cidrIpv4: "203.0.113.0/24" }, OPERATORS).resources,
        );
        assert.deepStrictEqual(found, [
            "mandatory: gateway-rdp-0 of security group gateway-sg admits tcp port 3389 from 203.0.113.0/24, a /24: " +
                "a group with an AllowedSources list admits internet addresses one at a time (at least a /32, the rule's minPrefix). Open the service to the operators' or partners' own addresses (the stack's gatewayInternet).",
        ]);
        assert.strictEqual(
            (await violations("operator-allow-list", group({ cidrIpv6: "2001:db8:1234::/64" }, OPERATORS).resources))
                .length,
            1,
            "an IPv6 /64 is wider than a /128",
        );
    });

    it("keeps: a wider gateway source where the pack config lowers minPrefix, and private sources whatever their prefix", async () => {
        const b = group({ cidrIpv4: "203.0.113.0/28" }, OPERATORS);
        const found = await diagnostics("operator-allow-list", b.resources, { config: { minPrefix: 28 } });
        assert.deepStrictEqual(found, []);
        assert.deepStrictEqual(
            await violations("operator-allow-list", group({ cidrIpv4: "10.20.1.0/24" }, "10.20.0.0/16").resources),
            [],
        );
    });

    it("breaks: SMB (445, 139) from any internet address, through an allow-list or not; keeps it from inside the VPC", async () => {
        const smb = await violations(
            "operator-allow-list",
            group({ cidrIpv4: "198.51.100.17/32", fromPort: 445, toPort: 445 }, OPERATORS).resources,
        );
        assert.deepStrictEqual(smb, [
            "mandatory: gateway-rdp-0 of security group gateway-sg admits SMB (tcp port 445) from the internet address range 198.51.100.17/32; " +
                "Microsoft asks perimeter firewalls to block SMB from the internet and Security Hub (EC2.19) counts it a high-risk port. Reach it through the VPN.",
        ]);
        assert.strictEqual(
            (
                await violations(
                    "operator-allow-list",
                    group({ cidrIpv4: "192.0.2.10/32", fromPort: 100, toPort: 200 }).resources,
                )
            ).length,
            1,
            "139 inside a range",
        );
        assert.deepStrictEqual(
            await violations(
                "operator-allow-list",
                group({ cidrIpv4: "10.20.0.0/16", fromPort: 445, toPort: 445 }).resources,
            ),
            [],
        );
    });

    it("keeps: SSH and RDP from inside the VPC, and other ports from public ranges on groups without a list", async () => {
        assert.deepStrictEqual(
            await violations("operator-allow-list", group({ cidrIpv4: "10.20.0.0/16" }).resources),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "operator-allow-list",
                group({ cidrIpv4: "10.20.250.0/24", fromPort: 22, toPort: 22 }).resources,
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "operator-allow-list",
                group({ cidrIpv4: "192.0.2.0/24", fromPort: 443, toPort: 443 }).resources,
            ),
            [],
        );
    });

    it("breaks: the gateway admitting a source outside its allow-list", async () => {
        const found = await violations(
            "operator-allow-list",
            group({ cidrIpv4: "192.0.2.0/24", fromPort: 21, toPort: 21 }, OPERATORS).resources,
        );
        assert.deepStrictEqual(found, [
            "mandatory: gateway-rdp-0 of security group gateway-sg admits tcp port 21 from 192.0.2.0/24, outside its AllowedSources " +
                "allow-list (203.0.113.0/24, 198.51.100.17/32, 2001:db8:1234::/48). Add the range to the stack's operatorCidrs (a partner's address to partnerCidrs), or admit it elsewhere.",
        ]);
        // Wider than an allowed range is outside it too.
        assert.strictEqual(
            (await violations("operator-allow-list", group({ cidrIpv4: "203.0.112.0/23" }, OPERATORS).resources))
                .length,
            1,
        );
    });

    it("breaks: an allow-list that is the whole internet", async () => {
        const found = await violations(
            "operator-allow-list",
            group({ cidrIpv4: "203.0.113.0/24" }, "203.0.113.0/24,0.0.0.0/0").resources,
        );
        assert.match(
            found[0],
            /^mandatory: gateway-sg's AllowedSources allow-list \(203\.0\.113\.0\/24, 0\.0\.0\.0\/0\) covers every internet IPv4 address/,
        );
    });

    it("breaks: RDP or SSH from an internet range on a group without an allow-list, even short of 0.0.0.0/0", async () => {
        const rdp = await violations("operator-allow-list", group({ cidrIpv4: "0.0.0.0/1" }).resources);
        assert.match(
            rdp[0],
            /^mandatory: gateway-rdp-0 of security group gateway-sg admits RDP \(tcp port 3389\) from the internet address range 0\.0\.0\.0\/1; SSH and RDP reach servers from the internet only through an operators' allow-list/,
        );
        const ssh = await violations(
            "operator-allow-list",
            group({ cidrIpv6: "2001:db8::/32", fromPort: 0, toPort: 65535 }).resources,
        );
        assert.match(
            ssh.find((v) => v.includes("SSH"))!,
            /admits SSH and RDP \(tcp ports 0-65535\) from the internet address range 2001:db8::\/32/,
        );
    });

    it("leaves 0.0.0.0/0 to no-internet-ingress: one violation for SSH open to all", async () => {
        const all = (
            await check("aws-baseline", group({ cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 }).resources)
        ).map((d) => d.policy);
        assert.deepStrictEqual(
            all.filter((p) => p === "operator-allow-list" || p === "no-internet-ingress"),
            ["no-internet-ingress"],
        );
    });

    it("breaks: an allow-list that covers every internet address without saying 0.0.0.0/0", async () => {
        const found = await violations(
            "operator-allow-list",
            group({ cidrIpv4: "198.51.100.17/32" }, "0.0.0.0/1,128.0.0.0/1").resources,
        );
        assert.deepStrictEqual(found, [
            "mandatory: gateway-sg's AllowedSources allow-list (0.0.0.0/1, 128.0.0.0/1) covers every internet IPv4 address: " +
                "an allow-list of the whole internet allows nothing less. List the operators' ranges.",
        ]);
    });

    it("keeps an allow-list of wide ranges that still leaves internet addresses out, but not a rule as wide as it", async () => {
        assert.deepStrictEqual(
            await violations(
                "operator-allow-list",
                group({ cidrIpv4: "93.184.216.34/32" }, "0.0.0.0/1,2001:db8::/32").resources,
            ),
            [],
        );
        assert.match(
            (
                await violations(
                    "operator-allow-list",
                    group({ cidrIpv4: "0.0.0.0/1" }, "0.0.0.0/1,2001:db8::/32").resources,
                )
            ).join(),
            /from 0\.0\.0\.0\/1, a \/1: /,
        );
    });
});
