import * as assert from "assert";
import { ALARM_THRESHOLD_DEFAULTS } from "../../model/alarm-thresholds";
import { ConfigError, parseStackConfig } from "../../stacks";
import { UNDECRYPTED_SECRET } from "../../stacks/errors";
import { brands } from "../helpers/storefronts";

const VALID: Record<string, unknown> = {
    profile: "production",
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["eu-west-3a", "eu-west-3b", "eu-west-3c"],
    domain: "example.com",
    internalDomain: "prod.example.internal",
    operatorCidrs: ["203.0.113.0/24", "198.51.100.17/32"],
    alarmEmail: "ops@example.com",
    webImage: "ami-0a1b2c3d4e5f60789",
    adminPath: "ops_7f3k",
    loadBalancerCertificateArn: "arn:aws:acm:eu-west-3:123456789012:certificate/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    cdnCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    owner: "ecommerce-platform",
    costCentre: "CC-4200",
};

function parse(overrides: Record<string, unknown>, region: string | undefined = "eu-west-3") {
    const raw = { ...VALID, ...overrides };
    for (const [k, v] of Object.entries(raw)) {
        if (v === undefined) {
            delete raw[k];
        }
    }
    return parseStackConfig(raw, { stack: "prod", region });
}

/** The problems reported for a configuration, as "key: message" lines. */
function problems(overrides: Record<string, unknown>, region?: string): string[] {
    try {
        parse(overrides, region);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
}

function rejects(overrides: Record<string, unknown>, path: string, message: RegExp): void {
    const found = problems(overrides);
    assert.ok(
        found.some((p) => p.startsWith(`${path}: `) && message.test(p)),
        `expected ${path} ~ ${message}, got:\n${found.join("\n")}`,
    );
}

/** The CIDRs that together hold every IPv4 address except `hole` (a CIDR): the complement, block by block. */
function everyIpv4Except(hole: string): string[] {
    const [base, bits] = hole.split("/");
    const value = base.split(".").reduce((v, o) => v * 256 + Number(o), 0);
    const out: string[] = [];
    for (let len = 1; len <= Number(bits); len++) {
        // The sibling at this length of the block holding the hole: flip bit `len` of the hole's prefix.
        const size = 2 ** (32 - len);
        const prefix = Math.floor(value / size) * size;
        const start = Math.floor(value / size) % 2 === 0 ? prefix + size : prefix - size;
        out.push(`${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join(".")}/${len}`);
    }
    return out;
}

describe("stack configuration", () => {
    it("derives the operators' subnet plan from the /16 and applies the profile's defaults", () => {
        const config = parse({});
        assert.deepStrictEqual(config.network.publicSubnetCidrs, {
            "eu-west-3a": "10.20.1.0/24",
            "eu-west-3b": "10.20.2.0/24",
            "eu-west-3c": "10.20.3.0/24",
        });
        assert.deepStrictEqual(config.network.privateSubnetCidrs, {
            "eu-west-3a": "10.20.101.0/24",
            "eu-west-3b": "10.20.102.0/24",
            "eu-west-3c": "10.20.103.0/24",
        });
        assert.strictEqual(config.network.operationsAz, "eu-west-3a");
        assert.strictEqual(config.network.natGatewayPerAz, true);
        assert.strictEqual(config.production, true);
        assert.strictEqual(config.tags.Environment, "production");
    });

    it("lets a stack override one profile default and keeps an explicit false", () => {
        const config = parse({ profile: "preproduction", natGateways: "perAz", flowLogRetentionDays: 30 });
        assert.strictEqual(config.network.natGatewayPerAz, true);
        assert.strictEqual(config.network.flowLogRetentionDays, 30);
        assert.strictEqual(parse({ natGateways: "single" }).network.natGatewayPerAz, false);
    });

    it('reads an optional key left at its Pulumi.yaml default ("", 0, []) as the profile\'s choice', () => {
        const config = parse({
            profile: "preproduction",
            natGateways: "",
            flowLogRetentionDays: 0,
            webInstanceType: "",
            publicSubnetCidrs: [],
        });
        assert.strictEqual(config.network.natGatewayPerAz, false);
        assert.strictEqual(config.network.flowLogRetentionDays, 14);
        assert.strictEqual(config.instanceTypes.web, "t3.large");
        assert.deepStrictEqual(config.network.publicSubnetCidrs, {
            "eu-west-3a": "10.20.1.0/24",
            "eu-west-3b": "10.20.2.0/24",
            "eu-west-3c": "10.20.3.0/24",
        });
    });

    it("names every missing required key", () => {
        const found = problems({ domain: undefined, alarmEmail: undefined });
        assert.deepStrictEqual(
            found.map((p) => p.split(":").slice(0, 2).join(":")),
            ["magento:domain", "magento:alarmEmail"],
        );
    });

    it("rejects a value of the wrong type with what it expects", () => {
        rejects({ natGateways: "two" }, "magento:natGateways", /perAz or single/);
        rejects({ flowLogRetentionDays: "90" }, "magento:flowLogRetentionDays", /number of days/);
        rejects({ operatorCidrs: "203.0.113.0/24" }, "magento:operatorCidrs", /expected array/i);
    });

    it("rejects a VPC CIDR that is not a /16", () => {
        rejects({ vpcCidr: "10.20.0.0/20" }, "magento:vpcCidr", /must be a \/16/);
        rejects({ vpcCidr: "10.20.0.1/16" }, "magento:vpcCidr", /host bits zero/);
        rejects({ vpcCidr: "10.20/16" }, "magento:vpcCidr", /IPv4 CIDR/);
    });

    it("rejects a subnet outside the VPC", () => {
        rejects(
            { privateSubnetCidrs: { "eu-west-3c": "10.21.103.0/24" } },
            "magento:privateSubnetCidrs.eu-west-3c",
            /outside the VPC 10.20.0.0\/16/,
        );
    });

    it("rejects overlapping subnets, across tiers too", () => {
        rejects(
            { publicSubnetCidrs: { "eu-west-3a": "10.20.0.0/22" } },
            "magento:publicSubnetCidrs.eu-west-3b",
            /overlaps 10.20.0.0\/22/,
        );
        rejects(
            { privateSubnetCidrs: { "eu-west-3a": "10.20.1.0/24" } },
            "magento:privateSubnetCidrs.eu-west-3a",
            /overlaps 10.20.1.0\/24 \(magento:publicSubnetCidrs.eu-west-3a\)/,
        );
    });

    it("takes subnet overrides by AZ name only, and only for the stack's AZs", () => {
        rejects(
            { publicSubnetCidrs: ["10.20.1.0/24"] },
            "magento:publicSubnetCidrs",
            /must be a mapping of availability zone to CIDR/,
        );
        rejects(
            { publicSubnetCidrs: { "eu-west-3d": "10.20.4.0/24" } },
            "magento:publicSubnetCidrs.eu-west-3d",
            /not one of magento:availabilityZones \(eu-west-3a, eu-west-3b, eu-west-3c\)/,
        );
        rejects(
            { privateSubnetCidrs: { "subnet-a": "10.20.104.0/24" } },
            "magento:privateSubnetCidrs.subnet-a",
            /must be an availability zone name/,
        );
        const config = parse({ publicSubnetCidrs: { "eu-west-3b": "10.20.12.0/24" } });
        assert.deepStrictEqual(config.network.publicSubnetCidrs, {
            "eu-west-3a": "10.20.1.0/24",
            "eu-west-3b": "10.20.12.0/24",
            "eu-west-3c": "10.20.3.0/24",
        });
    });

    it("keeps each AZ's subnets whatever the order of the AZs, and the operations AZ explicit or the first listed", () => {
        const reordered = parse({
            availabilityZones: ["eu-west-3c", "eu-west-3a", "eu-west-3b"],
            operationsAz: "eu-west-3a",
        });
        assert.deepStrictEqual(reordered.network.privateSubnetCidrs, parse({}).network.privateSubnetCidrs);
        assert.strictEqual(reordered.network.operationsAz, "eu-west-3a");
        assert.strictEqual(
            parse({ availabilityZones: ["eu-west-3c", "eu-west-3a", "eu-west-3b"] }).network.operationsAz,
            "eu-west-3c",
        );
        rejects(
            { operationsAz: "eu-west-3d" },
            "magento:operationsAz",
            /eu-west-3d is not one of magento:availabilityZones/,
        );
    });

    it("rejects the whole internet in the operators' allow-list, IPv4 and IPv6", () => {
        rejects({ operatorCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }, "magento:operatorCidrs[1]", /whole internet/);
        rejects({ operatorCidrs: ["::/0"] }, "magento:operatorCidrs[0]", /whole internet/);
    });

    it("rejects an allow-list longer than the side applications' admin rules can hold, naming the limit", () => {
        const ranges = (n: number) => Array.from({ length: n }, (_, i) => `192.0.2.${i * 8}/29`);
        assert.deepStrictEqual(problems({ operatorCidrs: ranges(8) }), []);
        rejects({ operatorCidrs: ranges(9) }, "magento:operatorCidrs", /lists 9 ranges; .* at most 8 .*merge ranges/);
    });

    it("rejects operator ranges that together cover the whole internet, however they are split", () => {
        rejects(
            { operatorCidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
            "magento:operatorCidrs",
            /together cover every internet IPv4 address/,
        );
        // Every block but the private 10.0.0.0/8 still holds every internet address.
        rejects(
            {
                operatorCidrs: [
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
            "magento:operatorCidrs",
            /together cover every internet IPv4 address/,
        );
        // Every address but the benchmarking block 198.18.0.0/15, which no internet host sends from (review finding).
        rejects(
            { operatorCidrs: everyIpv4Except("198.18.0.0/15") },
            "magento:operatorCidrs",
            /together cover every internet IPv4 address/,
        );
        rejects({ operatorCidrs: ["203.0.113.0/33"] }, "magento:operatorCidrs[0]", /IPv4 or IPv6 CIDR/);
    });

    it("refuses an IPv6 operator range: nothing in the VPC has IPv6, so those operators could never connect", () => {
        assert.deepStrictEqual(problems({ operatorCidrs: ["203.0.113.0/24", "2001:db8:1234::/48"] }), [
            "magento:operatorCidrs[1]: 2001:db8:1234::/48 is an IPv6 range, but the VPC and the gateway have IPv4 addresses only, " +
                "so operators could never connect from it; list the IPv4 ranges they connect from, such as 203.0.113.0/24",
        ]);
    });

    it("leaves encrypted values it cannot decrypt unvalidated, and validates everything else", () => {
        const secret = UNDECRYPTED_SECRET;
        assert.deepStrictEqual(problems({ alarmEmail: secret, operatorCidrs: ["203.0.113.0/24", secret] }), []);
        assert.deepStrictEqual(parse({ operatorCidrs: ["203.0.113.0/24", secret] }).operatorCidrs, ["203.0.113.0/24"]);
        assert.deepStrictEqual(
            problems({ alarmEmail: secret, vpcCidr: "10.20.0.0/20" }).map((p) => p.split(":").slice(0, 2).join(":")),
            ["magento:vpcCidr"],
        );
        // A whole secret the program plans from cannot stand in offline: a clear problem, not a TypeError later.
        assert.deepStrictEqual(
            problems({ vpcCidr: secret, operatorCidrs: secret }).map((p) => p.split(": ")[0]),
            ["magento:vpcCidr", "magento:operatorCidrs"],
        );
        assert.match(
            problems({ vpcCidr: secret })[0],
            /is encrypted \(secure:\) and cannot be decrypted offline, but the program plans resources from it/,
        );
    });

    it("gateway: the estate's five services to windows.<internal domain> and the order connector's FTP pair to orders-ftp.<internal domain> when unset; a stack's own list replaces them", () => {
        assert.deepStrictEqual(
            parse({}).gatewayServices.map((s) => `${s.name} ${s.fromPort}-${s.toPort} ${s.target}`),
            [
                "smb 445-445 windows.prod.example.internal",
                "app 8700-8800 windows.prod.example.internal",
                "rdp 3389-3389 windows.prod.example.internal",
                "ftp 21-21 windows.prod.example.internal",
                "ftp-passive 2048-4096 windows.prod.example.internal",
                "orders-ftp 5021-5021 orders-ftp.prod.example.internal",
                "orders-ftp-passive 5100-5199 orders-ftp.prod.example.internal",
            ],
        );
        assert.deepStrictEqual(
            [parse({}).ordersFtp].map(
                (o) => o && [o.control.fromPort, o.passive.fromPort, o.passive.toPort, o.onInternet],
            ),
            [[5021, 5100, 5199, false]],
        );
        const own = parse({
            gatewayServices: [{ name: "sftp", port: 22, target: "files.prod.example.internal" }],
        }).gatewayServices;
        assert.deepStrictEqual(own, [
            { name: "sftp", protocol: "tcp", fromPort: 22, toPort: 22, target: "files.prod.example.internal" },
        ]);
    });

    it("gateway: rejects bad ports, reversed ranges, unknown fields, duplicate names and overlapping ports", () => {
        const service = (port: unknown, extra: Record<string, unknown> = {}) => ({
            gatewayServices: [{ name: "smb", port, ...extra }],
        });
        rejects(service(70000), "magento:gatewayServices[0].port", /port from 1 to 65535/);
        rejects(service("445-"), "magento:gatewayServices[0].port", /port \(445\) or a range/);
        rejects(service("4096-2048"), "magento:gatewayServices[0].port", /low end first/);
        rejects(
            service(445, { host: "x" }),
            "magento:gatewayServices[0]",
            /unknown field\(s\) host; allowed: name, port, target/,
        );
        rejects(
            {
                gatewayServices: [
                    { name: "a", port: "2000-3000" },
                    { name: "a", port: 2500 },
                ],
            },
            "magento:gatewayServices[1].name",
            /listed twice/,
        );
        rejects(
            {
                gatewayServices: [
                    { name: "a", port: "2000-3000" },
                    { name: "b", port: 2500, target: "files.prod.example.internal" },
                ],
            },
            "magento:gatewayServices[1].port",
            /overlaps the ports of a, which go to windows.prod.example.internal; a port can lead to one host only/,
        );
    });

    it("gateway: opens nothing to the internet unless a stack says so; then each service from single addresses, inside operatorCidrs", () => {
        assert.deepStrictEqual(parse({}).gatewayInternet, []);
        const open = parse({ gatewayInternet: { rdp: ["203.0.113.10/32"] } }).gatewayInternet;
        assert.deepStrictEqual(
            open.map((e) => [e.service.name, e.sources, e.ports]),
            [["rdp", ["203.0.113.10/32"], [[3389, 3389]]]],
        );
        rejects(
            { gatewayInternet: { rdp: ["203.0.113.0/24"] } },
            "magento:gatewayInternet.rdp[0]",
            /203\.0\.113\.0\/24 is wider than a \/32: open a service to operators' or partners' own addresses/,
        );
        assert.strictEqual(
            parse({ gatewayMinPrefix: 28, gatewayInternet: { rdp: ["203.0.113.0/28"] } }).gatewayInternet.length,
            1,
        );
        rejects({ gatewayMinPrefix: 16 }, "magento:gatewayMinPrefix", /must be at least 24/);
        rejects(
            { gatewayInternet: { rdp: ["192.0.2.10/32"] } },
            "magento:gatewayInternet.rdp[0]",
            /is not inside magento:operatorCidrs \(203\.0\.113\.0\/24, 198\.51\.100\.17\/32\)/,
        );
        rejects(
            { gatewayInternet: { telnet: ["203.0.113.10/32"] } },
            "magento:gatewayInternet.telnet",
            /is not a service of magento:gatewayServices \(smb, app, rdp, ftp, ftp-passive, orders-ftp, orders-ftp-passive\)/,
        );
        rejects(
            { gatewayInternet: { rdp: "203.0.113.10/32" } },
            "magento:gatewayInternet.rdp",
            /list of source addresses/,
        );
    });

    it("gateway: a partner's address in partnerCidrs opens a service to it without putting it in operatorCidrs, which alone the admin paths read", () => {
        // 192.0.2.10 lies in no operator range: before partnerCidrs it had to join operatorCidrs (review of 4 Dec, I-F11).
        const partner = ["192.0.2.10/32"];
        const opened = parse({ partnerCidrs: partner, gatewayInternet: { ftp: partner, "ftp-passive": partner } });
        assert.deepStrictEqual(
            opened.gatewayInternet.map((e) => [e.service.name, e.sources]),
            [
                ["ftp", partner],
                ["ftp-passive", partner],
            ],
        );
        // The admin's allow-list stays the operators'; the gateway's own list (its AllowedSources tag) adds the partner.
        assert.deepStrictEqual(opened.operatorCidrs, ["203.0.113.0/24", "198.51.100.17/32"]);
        assert.deepStrictEqual(opened.gatewaySources, ["203.0.113.0/24", "198.51.100.17/32", "192.0.2.10/32"]);
        // An operator's office that is also a partner: allowed, and it adds nothing to the gateway's list.
        assert.deepStrictEqual(parse({ partnerCidrs: ["203.0.113.10/32"] }).gatewaySources, [
            "203.0.113.0/24",
            "198.51.100.17/32",
        ]);
        assert.deepStrictEqual(parse({}).gatewaySources, ["203.0.113.0/24", "198.51.100.17/32"]);
        // In neither list: the message names both keys and what each is for.
        rejects(
            { partnerCidrs: ["192.0.2.20/32"], gatewayInternet: { rdp: ["192.0.2.10/32"] } },
            "magento:gatewayInternet.rdp[0]",
            /^magento:gatewayInternet\.rdp\[0\]: 192\.0\.2\.10\/32 is not inside magento:operatorCidrs \(203\.0\.113\.0\/24, 198\.51\.100\.17\/32\) nor magento:partnerCidrs \(192\.0\.2\.20\/32\): the gateway admits operators' and partners' addresses only; add a partner's address to partnerCidrs \(it gains no admin reach\), an operator's range to operatorCidrs$/,
        );
        rejects(
            { gatewayInternet: { rdp: ["192.0.2.10/32"] } },
            "magento:gatewayInternet.rdp[0]",
            /nor magento:partnerCidrs \(none\)/,
        );
        // A partner drops files: RDP or the application opened to a partner's address is refused (review L-1);
        // the same address inside an operator's range may (the operators reach everything anyway).
        rejects(
            { partnerCidrs: partner, gatewayInternet: { rdp: partner } },
            "magento:gatewayInternet.rdp[0]",
            /^magento:gatewayInternet\.rdp\[0\]: 192\.0\.2\.10\/32 is a partner's address \(magento:partnerCidrs, outside operatorCidrs\): a partner may reach the FTP services only \(ftp, ftp-passive, orders-ftp, orders-ftp-passive\), not rdp$/,
        );
        assert.deepStrictEqual(
            problems({ partnerCidrs: ["203.0.113.10/32"], gatewayInternet: { rdp: ["203.0.113.10/32"] } }),
            [],
        );
        // The same shortest prefix as a gatewayInternet source, and IPv4 only (the gateway has no IPv6).
        rejects(
            { partnerCidrs: ["192.0.2.0/24"] },
            "magento:partnerCidrs[0]",
            /192\.0\.2\.0\/24 is wider than a \/32: list partners' own addresses \(magento:gatewayMinPrefix/,
        );
        assert.deepStrictEqual(problems({ gatewayMinPrefix: 24, partnerCidrs: ["192.0.2.0/24"] }), []);
        rejects({ partnerCidrs: ["2001:db8::1/128"] }, "magento:partnerCidrs[0]", /must be an IPv4 CIDR/);
        rejects({ partnerCidrs: "192.0.2.10/32" }, "magento:partnerCidrs", /expected array/i);
    });

    it("gateway: never SMB on the internet, and FTP only with its passive range, to the same addresses", () => {
        rejects(
            { gatewayInternet: { smb: ["203.0.113.10/32"] } },
            "magento:gatewayInternet.smb",
            /opens SMB \(port 445\) to the internet, which Microsoft and AWS's Security Hub \(EC2\.19\) advise against; reach it through the VPN/,
        );
        rejects(
            { gatewayInternet: { ftp: ["203.0.113.10/32"] } },
            "magento:gatewayInternet",
            /FTP's transfers use the passive ports: open both to the same addresses, or neither/,
        );
        rejects(
            { gatewayInternet: { ftp: ["203.0.113.10/32"], "ftp-passive": ["203.0.113.11/32"] } },
            "magento:gatewayInternet",
            /different sources/,
        );
        rejects(
            {
                gatewayServices: [
                    { name: "a", port: "2000-3000" },
                    { name: "b", port: 2500 },
                ],
                gatewayInternet: { a: ["203.0.113.10/32"], b: ["203.0.113.10/32"] },
            },
            "magento:gatewayInternet.b",
            /every port of b belongs to another service/,
        );
    });

    it("gateway: the order connector's FTP pair opens together to the same addresses, on ports of its own, leading to its server's name", () => {
        const estate = parse({}).gatewayServices.map((s) => ({
            name: s.name,
            port: s.fromPort === s.toPort ? s.fromPort : `${s.fromPort}-${s.toPort}`,
        }));
        const only = (names: string[]) => estate.filter((s) => names.includes(s.name));
        const partner = ["203.0.113.10/32"];
        const opened = parse({ gatewayInternet: { "orders-ftp": partner, "orders-ftp-passive": partner } });
        assert.deepStrictEqual(
            opened.gatewayInternet.map((e) => [e.service.name, e.service.target, e.ports]),
            [
                ["orders-ftp", "orders-ftp.prod.example.internal", [[5021, 5021]]],
                ["orders-ftp-passive", "orders-ftp.prod.example.internal", [[5100, 5199]]],
            ],
        );
        assert.strictEqual(opened.ordersFtp?.onInternet, true);
        rejects(
            { gatewayInternet: { "orders-ftp": partner } },
            "magento:gatewayInternet",
            /opens orders-ftp and orders-ftp-passive with different sources; FTP's transfers use the passive ports/,
        );
        rejects(
            { gatewayInternet: { "orders-ftp": partner, "orders-ftp-passive": ["203.0.113.11/32"] } },
            "magento:gatewayInternet",
            /opens orders-ftp and orders-ftp-passive with different sources/,
        );
        // Inside the Windows host's passive range (4021 was the first choice): a port leads to one host only.
        const withOrders = (control: unknown, passive: unknown, target?: string) => ({
            gatewayServices: [
                ...only(["smb", "app", "rdp", "ftp", "ftp-passive"]),
                { name: "orders-ftp", port: control, ...(target ? { target } : {}) },
                { name: "orders-ftp-passive", port: passive },
            ],
        });
        rejects(
            withOrders(4021, "5100-5199"),
            "magento:gatewayServices[5].port",
            /4021-4021 overlaps the ports of ftp-passive, which go to windows.prod.example.internal/,
        );
        rejects(
            withOrders(5150, "5100-5199"),
            "magento:gatewayServices",
            /port 5150 lies inside orders-ftp-passive's range/,
        );
        rejects(withOrders("5020-5021", "5100-5199"), "magento:gatewayServices", /orders-ftp must be one port/);
        rejects(
            withOrders(5021, "5100-5199", "files.prod.example.internal"),
            "magento:gatewayServices",
            /must lead to orders-ftp.prod.example.internal, the name the order connector's server claims at boot/,
        );
        rejects(
            { gatewayServices: only(["rdp", "orders-ftp"]) },
            "magento:gatewayServices",
            /lists one of orders-ftp and orders-ftp-passive: the order connector's FTP needs both/,
        );
        // A stack's own list without the pair: no FTP drop.
        assert.strictEqual(parse({ gatewayServices: only(["rdp"]) }).ordersFtp, undefined);
    });

    it("gateway: refuses what the security group cannot hold (60 rules per group, 256-character tag)", () => {
        const hosts = Array.from({ length: 31 }, (_, i) => `203.0.113.${i + 1}/32`);
        rejects(
            { gatewayInternet: { ftp: hosts, "ftp-passive": hosts } },
            "magento:gatewayInternet",
            /needs 93 security group rules \(a rule per port range and source\); AWS allows 60/,
        );
        const long = Array.from({ length: 15 }, (_, i) => `198.51.100.${100 + i}/32`);
        rejects(
            { operatorCidrs: long, gatewayServices: [{ name: "rdp", port: 3389 }] },
            "magento:operatorCidrs",
            /joined with commas must fit AWS's 256-character tag value/,
        );
        // The partners' addresses outside the operators' ranges share the tag: theirs is the key to shorten.
        const partners = Array.from({ length: 16 }, (_, i) => `192.0.2.${100 + i}/32`);
        rejects(
            { partnerCidrs: partners },
            "magento:partnerCidrs",
            /must fit AWS's 256-character tag value.*fewer partners/,
        );
        // Inside an operator range they add nothing to the tag.
        const inside = Array.from({ length: 16 }, (_, i) => `203.0.113.${100 + i}/32`);
        assert.deepStrictEqual(problems({ partnerCidrs: inside }), []);
    });

    it("VPN clients get x.y.250.0/24 of the VPC, which no subnet may overlap", () => {
        assert.strictEqual(parse({}).vpnClientCidr, "10.20.250.0/24");
        rejects(
            { publicSubnetCidrs: { "eu-west-3c": "10.20.250.0/24" } },
            "magento:publicSubnetCidrs.eu-west-3c",
            /overlaps 10.20.250.0\/24 \(the VPN clients' pool\)/,
        );
    });

    it("rejects an instance type AWS does not have", () => {
        rejects({ webInstanceType: "m6i.huge" }, "magento:webInstanceType", /EC2 instance type name/);
        assert.strictEqual(parse({ webInstanceType: "m7g.2xlarge" }).instanceTypes.web, "m7g.2xlarge");
    });

    it("requires three AZs in production but not in preproduction", () => {
        const two = ["eu-west-3a", "eu-west-3b"];
        rejects(
            { availabilityZones: two, publicSubnetCidrs: undefined },
            "magento:availabilityZones",
            /production profile needs at least 3 availability zones \(got 2\)/,
        );
        assert.deepStrictEqual(
            Object.keys(parse({ profile: "preproduction", availabilityZones: two }).network.privateSubnetCidrs),
            two,
        );
    });

    it("rejects AZs of another region and AZs listed twice", () => {
        rejects(
            { availabilityZones: ["eu-west-3a", "eu-west-1b", "eu-west-3c"] },
            "magento:availabilityZones[1]",
            /not an availability zone of eu-west-3/,
        );
        rejects(
            { availabilityZones: ["eu-west-3a", "eu-west-3a", "eu-west-3c"] },
            "magento:availabilityZones[1]",
            /listed twice/,
        );
    });

    it("rejects an alarm address that is not an email", () => {
        rejects({ alarmEmail: "ops-at-example.com" }, "magento:alarmEmail", /email address/);
    });

    it("alarm thresholds: the defaults unless set, unknown names and impossible values rejected with the key path", () => {
        assert.deepStrictEqual(parse({}).alarmThresholds, ALARM_THRESHOLD_DEFAULTS);
        assert.strictEqual(
            parse({ alarmThresholds: { databaseCpuPercent: 85 } }).alarmThresholds.databaseCpuPercent,
            85,
        );
        rejects(
            { alarmThresholds: { databaseCPU: 85 } },
            "magento:alarmThresholds",
            /unknown threshold\(s\) databaseCPU; allowed: databaseCpuPercent, /,
        );
        rejects(
            { alarmThresholds: { redisMemoryPercent: 120 } },
            "magento:alarmThresholds.redisMemoryPercent",
            /percentage, at most 100/,
        );
        rejects(
            { alarmThresholds: { databaseConnections: 0 } },
            "magento:alarmThresholds.databaseConnections",
            /above 0/,
        );
    });

    it("an existing alarm topic must be an SNS topic of the stack's region", () => {
        assert.strictEqual(
            parse({ alarmTopicArn: "arn:aws:sns:eu-west-3:123456789012:ops-alarms" }).alarmTopicArn,
            "arn:aws:sns:eu-west-3:123456789012:ops-alarms",
        );
        assert.strictEqual(parse({}).alarmTopicArn, undefined);
        rejects(
            { alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:ops-alarms" },
            "magento:alarmTopicArn",
            /topic in us-east-1; CloudWatch alarms in eu-west-3 notify topics in eu-west-3 only/,
        );
        rejects({ alarmTopicArn: "ops-alarms" }, "magento:alarmTopicArn", /must be an SNS topic ARN/);
    });

    it("the account's CloudTrail log group: a log group name, or unset for no CloudTrail alarms", () => {
        assert.strictEqual(
            parse({ cloudTrailLogGroup: "aws-cloudtrail-logs-123456789012" }).cloudTrailLogGroup,
            "aws-cloudtrail-logs-123456789012",
        );
        assert.strictEqual(parse({}).cloudTrailLogGroup, undefined);
        rejects(
            { cloudTrailLogGroup: "arn:aws:logs:eu-west-3:123456789012:log-group:trail" },
            "magento:cloudTrailLogGroup",
            /must be a log group name such as aws-cloudtrail-logs-123456789012/,
        );
    });

    it("rejects unknown keys, a missing region and an unknown profile", () => {
        rejects({ vpcCdir: "10.20.0.0/16" }, "magento:vpcCdir", /not a configuration key/);
        rejects({ profile: "staging" }, "magento:profile", /production, preproduction/);
        assert.ok(problems({}, "").some((p) => p.startsWith("aws:region: is required")));
    });

    it("reads the release image as a pinned AMI or the image pipeline's parameter, and nothing else", () => {
        assert.deepStrictEqual(parse({ webImage: "/imagebuilder/magento/prod/web-ami" }).web.image, {
            parameterName: "/imagebuilder/magento/prod/web-ami",
        });
        assert.deepStrictEqual(parse({}).web.image, { amiId: "ami-0a1b2c3d4e5f60789" });
        rejects(
            { webImage: "latest" },
            "magento:webImage",
            /AMI id such as ami-0123456789abcdef0 or an SSM parameter name/,
        );
    });

    it("keeps production's front end at 2 servers or more, scheduled actions included", () => {
        rejects({ webMinSize: 1 }, "magento:webMinSize", /at least 2 in production/);
        rejects(
            { webScaleSchedule: ["0 19 * * * min=1 max=1"] },
            "magento:webScaleSchedule[0]",
            /min=1 would take production below 2 front-end servers/,
        );
        rejects({ webMinSize: 4, webMaxSize: 3 }, "magento:webMaxSize", /at least webMinSize \(4\), got 3/);
        const preprod = parse({ profile: "preproduction", webScaleSchedule: ["0 19 * * * min=1 max=1"] });
        assert.deepStrictEqual(preprod.web.schedule, [{ recurrence: "0 19 * * *", minSize: 1, maxSize: 1 }]);
    });

    it("rejects a scaling schedule that is not cron plus bounds", () => {
        rejects(
            { webScaleSchedule: ["at 19:00 min=2 max=4"] },
            "magento:webScaleSchedule[0]",
            /'<minute> <hour> <day> <month> <weekday> min=<n> max=<n>'/,
        );
        rejects({ webScaleSchedule: ["0 19 * * * min=5 max=4"] }, "magento:webScaleSchedule[0]", /min=5 exceeds max=4/);
    });

    it("refuses production without the WAF, and an admin path Magento would not accept", () => {
        rejects({ waf: "off" }, "magento:waf", /cannot be off in production/);
        assert.strictEqual(parse({ profile: "preproduction", waf: "on" }).web.waf, true);
        rejects({ adminPath: "admin/panel" }, "magento:adminPath", /letters, digits and underscores/);
    });

    it("requires an admin path of the stack's own, never a default a scanner tries or a storefront route", () => {
        rejects({ adminPath: undefined }, "magento:adminPath", /^magento:adminPath: is required/);
        rejects(
            { adminPath: "backend" },
            "magento:adminPath",
            /must not be backend: admin and backend are the paths scanners try first/,
        );
        rejects({ adminPath: "Ops_7f3k" }, "magento:adminPath", /lowercase letters.*path rules are case-sensitive/);
        rejects({ adminPath: "checkout" }, "magento:adminPath", /must not be checkout: .*storefront route/);
        assert.strictEqual(parse({}).web.adminPath, "ops_7f3k");
    });

    it("reports every problem in one error, each with its key", () => {
        try {
            parse({
                vpcCidr: "10.0.0.0/8",
                alarmEmail: "nope",
                operatorCidrs: ["0.0.0.0/0"],
                webInstanceType: "x1.nano",
            });
            assert.fail("expected a ConfigError");
        } catch (e) {
            const message = (e as Error).message;
            assert.match(message, /^Invalid configuration for stack 'prod' \(4 problems\):/);
            for (const key of ["vpcCidr", "alarmEmail", "operatorCidrs[0]", "webInstanceType"]) {
                assert.ok(message.includes(`  - magento:${key}: `), `${key} missing from:\n${message}`);
            }
        }
    });

    describe("site-to-site links", () => {
        const link = (extra: Record<string, unknown>) => ({
            name: "warehouse",
            customerGatewayIp: "198.51.100.10",
            ...extra,
        });

        it("reads a BGP link and a static link, and no link by default", () => {
            const links = [
                link({ bgpAsn: 65010 }),
                link({ name: "office", customerGatewayIp: "203.0.113.20", staticRoutes: ["192.168.10.0/24"] }),
            ];
            assert.deepStrictEqual(parse({ siteLinks: links }).siteLinks, links);
            assert.deepStrictEqual(parse({}).siteLinks, []);
            assert.deepStrictEqual(
                parse({ siteLinks: [link({ bgpAsn: 4200000001 })] }).siteLinks[0].bgpAsn,
                4200000001,
            );
        });

        it("rejects a customer gateway address AWS cannot reach over the internet", () => {
            for (const ip of ["10.1.2.3", "0.0.0.0", "192.168.1.1", "127.0.0.1", "169.254.0.1"]) {
                rejects(
                    { siteLinks: [link({ customerGatewayIp: ip, bgpAsn: 65010 })] },
                    "magento:siteLinks[0].customerGatewayIp",
                    /must be a public address/,
                );
            }
            rejects(
                { siteLinks: [link({ customerGatewayIp: "warehouse.example.com", bgpAsn: 65010 })] },
                "magento:siteLinks[0].customerGatewayIp",
                /public IPv4 address/,
            );
        });

        it("rejects a public ASN, and a link with both or neither of bgpAsn and staticRoutes", () => {
            rejects(
                { siteLinks: [link({ bgpAsn: 3215 })] },
                "magento:siteLinks[0].bgpAsn",
                /private ASN: 64512-65534 or 4200000000-4294967294/,
            );
            rejects({ siteLinks: [link({})] }, "magento:siteLinks[0]", /exactly one of bgpAsn .* or staticRoutes/);
            rejects(
                { siteLinks: [link({ bgpAsn: 65010, staticRoutes: ["192.168.1.0/24"] })] },
                "magento:siteLinks[0]",
                /exactly one of/,
            );
            rejects(
                { siteLinks: [link({ bgpAsn: 65010, psk: "x" })] },
                "magento:siteLinks[0]",
                /has unknown field\(s\) psk; must be \{name, customerGatewayIp, bgpAsn\}/,
            );
        });

        it("rejects static routes that are not CIDRs, overlap the VPC or overlap another site's", () => {
            rejects(
                { siteLinks: [link({ staticRoutes: ["192.168.1.1/24"] })] },
                "magento:siteLinks[0].staticRoutes[0]",
                /IPv4 CIDR/,
            );
            rejects(
                { siteLinks: [link({ staticRoutes: ["10.20.200.0/24"] })] },
                "magento:siteLinks[0].staticRoutes[0]",
                /overlaps the VPC 10\.20\.0\.0\/16/,
            );
            rejects(
                {
                    siteLinks: [
                        link({ staticRoutes: ["192.168.0.0/16"] }),
                        link({ name: "office", staticRoutes: ["192.168.4.0/24"] }),
                    ],
                },
                "magento:siteLinks[1].staticRoutes[0]",
                /overlaps 192\.168\.0\.0\/16 \(magento:siteLinks\[0\]\.staticRoutes\[0\]\)/,
            );
        });

        it("rejects two links of the same name", () => {
            rejects(
                { siteLinks: [link({ bgpAsn: 65010 }), link({ bgpAsn: 65011, customerGatewayIp: "203.0.113.9" })] },
                "magento:siteLinks[1].name",
                /used by another link/,
            );
        });
    });

    it("gives the Windows host an x86_64 type by default and refuses a Graviton one", () => {
        assert.deepStrictEqual(parse({}).windows, { instanceType: "m6i.large", amiId: undefined });
        assert.deepStrictEqual(parse({ profile: "preproduction", windowsAmiId: "ami-0abcdef0123456789" }).windows, {
            instanceType: "t3.large",
            amiId: "ami-0abcdef0123456789",
        });
        rejects(
            { windowsInstanceType: "m7g.large" },
            "magento:windowsInstanceType",
            /Graviton .* Windows Server runs on x86_64/,
        );
    });

    it("storefronts: Magento store codes and host names, each domain once", () => {
        rejects(
            { storefronts: [{ code: "Brand-A", domains: ["brand-a.example"] }] },
            "magento:storefronts[0].code",
            /Magento store code/,
        );
        rejects(
            { storefronts: [{ code: "brand_a", domains: ["Brand A.example"] }] },
            "magento:storefronts[0].domains[0]",
            /lower-case DNS name/,
        );
        rejects(
            { storefronts: [{ code: "brand_a", domains: [] }] },
            "magento:storefronts[0].domains",
            /at least one domain/,
        );
        rejects({ storefronts: [{ code: "brand_a", domain: "brand-a.example" }] }, "magento:storefronts[0]", /domain/);
        rejects(
            {
                storefronts: [
                    { code: "a", domains: ["a.example"] },
                    { code: "b", domains: ["a.example"] },
                ],
            },
            "magento:storefronts[1].domains[0]",
            /already served by storefront 'a'/,
        );
        assert.deepStrictEqual(
            parse({ storefronts: brands(3) }).edge.storefronts.map((s) => s.code),
            ["brand_1", "brand_2", "brand_3"],
        );
    });

    it("imported certificates: ACM ARNs, the load balancer's in the stack's region, CloudFront's in us-east-1, both or neither", () => {
        const arn = (region: string) =>
            `arn:aws:acm:${region}:123456789012:certificate/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`;
        rejects(
            { loadBalancerCertificateArn: arn("us-east-1") },
            "magento:loadBalancerCertificateArn",
            /is a certificate in us-east-1; the load balancer only uses ACM certificates in eu-west-3/,
        );
        rejects(
            { cdnCertificateArn: arn("eu-west-3") },
            "magento:cdnCertificateArn",
            /is a certificate in eu-west-3; CloudFront only uses ACM certificates in us-east-1/,
        );
        rejects(
            { cdnCertificateArn: "arn:aws:iam::123456789012:server-certificate/shop" },
            "magento:cdnCertificateArn",
            /ACM certificate ARN/,
        );
        rejects(
            { publicDns: "managed", cdnCertificateArn: undefined },
            "magento:cdnCertificateArn",
            /required with its pair/,
        );
        rejects(
            { publicDns: "registrar", loadBalancerCertificateArn: undefined, cdnCertificateArn: undefined },
            "magento:loadBalancerCertificateArn",
            /required when magento:publicDns is registrar/,
        );
        const issued = parse({ loadBalancerCertificateArn: undefined, cdnCertificateArn: undefined }).edge;
        assert.strictEqual(issued.publicDns, "route53", "the default needs no other key");
        assert.strictEqual(issued.importedCertificates, undefined);
        assert.deepStrictEqual(issued.plan.shopCertificate?.names, ["example.com", "*.example.com"]);
    });

    it("AWS's limits are configuration errors naming the key and the limit, before anything is deployed", () => {
        rejects(
            { storefronts: brands(200) },
            "magento:storefronts",
            /need 50 certificates of at most 10 names, but an ALB listener takes 25/,
        );
        assert.strictEqual(
            parse({ storefronts: brands(200), acmNamesPerCertificate: 100 }).edge.plan.storefrontCertificates.length,
            5,
        );
        rejects({ acmNamesPerCertificate: 101 }, "magento:acmNamesPerCertificate", /at most 100/);
        rejects({ cdnMediaOriginPath: "/pub/media/" }, "magento:cdnMediaOriginPath", /without a trailing/);
        rejects({ publicDns: "godaddy" }, "magento:publicDns", /registrar, route53, managed/);
    });
});

describe("data-tier and teardown keys", () => {
    it("production's search domain spans every AZ: 2 or 3 (OpenSearch's limit), so 4 AZs are refused naming the key", () => {
        rejects(
            { availabilityZones: ["eu-west-3a", "eu-west-3b", "eu-west-3c", "eu-west-3d"] },
            "magento:availabilityZones",
            /OpenSearch allows 2 or 3/,
        );
        rejects({ availabilityZones: ["eu-west-3a"] }, "magento:availabilityZones", /OpenSearch allows 2 or 3/);
        assert.deepStrictEqual(problems({}), []);
    });

    it("applyImmediately defaults to the maintenance window and is a boolean", () => {
        assert.strictEqual(parse({}).applyImmediately, false);
        assert.strictEqual(parse({ applyImmediately: true }).applyImmediately, true);
        rejects({ applyImmediately: "yes" }, "magento:applyImmediately", /true or false/);
    });

    it("a production stack is prepared for teardown only with its own name in teardownConfirm", () => {
        rejects({ teardown: true }, "magento:teardownConfirm", /must be prod .*magento:teardown true/);
        rejects(
            { teardown: true, teardownConfirm: "preprod" },
            "magento:teardownConfirm",
            /must be prod .*got preprod/,
        );
        assert.strictEqual(parse({ teardown: true, teardownConfirm: "prod" }).teardown, true);
        rejects({ teardownConfirm: "prod" }, "magento:teardownConfirm", /only with magento:teardown true/);
    });

    it("sharedStorageTarget names the other storage, never the current one", () => {
        assert.strictEqual(parse({ sharedStorageTarget: "nfs" }).sharedStorageTarget, "nfs");
        assert.strictEqual(parse({}).sharedStorageTarget, undefined);
        rejects(
            { sharedStorageTarget: "efs" },
            "magento:sharedStorageTarget",
            /is the current magento:sharedStorage \(efs\)/,
        );
        rejects({ sharedStorageTarget: "s3" }, "magento:sharedStorageTarget", /must be efs or nfs/);
    });

    it("a preproduction stack needs teardown alone", () => {
        assert.strictEqual(parse({ profile: "preproduction", teardown: true }).teardown, true);
        assert.strictEqual(parse({}).teardown, false);
    });
    it("backups: production keeps 35 days and a weekly copy for 90; preproduction a week and no weekly copy", () => {
        assert.deepStrictEqual(parse({}).backups, { dailyRetentionDays: 35, weeklyRetentionDays: 90 });
        assert.deepStrictEqual(parse({ profile: "preproduction" }).backups, {
            dailyRetentionDays: 7,
            weeklyRetentionDays: undefined,
        });
        assert.deepStrictEqual(parse({ profile: "preproduction", backupWeeklyRetentionDays: 30 }).backups, {
            dailyRetentionDays: 7,
            weeklyRetentionDays: 30,
        });
    });

    it("backups: refuses fewer than 35 daily days in production, and a weekly copy that does not outlive the daily ones", () => {
        rejects(
            { backupDailyRetentionDays: 14 },
            "magento:backupDailyRetentionDays",
            /must be at least 35 days in production \(got 14\)/,
        );
        rejects(
            { backupDailyRetentionDays: 90 },
            "magento:backupWeeklyRetentionDays",
            /must exceed magento:backupDailyRetentionDays \(90\) for the weekly copy to outlive the daily ones \(got 90\)/,
        );
        rejects({ backupDailyRetentionDays: 0.5 }, "magento:backupDailyRetentionDays", /./);
        assert.strictEqual(
            parse({ profile: "preproduction", backupDailyRetentionDays: 3 }).backups.dailyRetentionDays,
            3,
        );
    });

    it("kept Elastic IPs: allocation ids of EC2's form, one per NAT gateway by AZ, each address used once", () => {
        const nat = { "eu-west-3a": "eipalloc-0a1b2c3d4e5f60718", "eu-west-3b": "eipalloc-1a2b3c4d" };
        const kept = parse({
            gatewayAllocationId: "eipalloc-0123456789abcdef0",
            natAllocationIds: { ...nat, "eu-west-3c": "eipalloc-0c1d2e3f4a5b60718" },
        }).keptAddresses;
        assert.deepStrictEqual(
            [kept.gateway, kept.vpn, kept.nat["eu-west-3b"]],
            ["eipalloc-0123456789abcdef0", undefined, "eipalloc-1a2b3c4d"],
        );
        assert.deepStrictEqual(parse({}).keptAddresses, { gateway: undefined, vpn: undefined, nat: {} });
        for (const bad of ["eipalloc-0123", "eipalloc-0123456789ABCDEF0", "eni-0123456789abcdef0", "203.0.113.7"]) {
            rejects(
                { vpnAllocationId: bad },
                "magento:vpnAllocationId",
                /must be an Elastic IP allocation id: eipalloc- and 8 or 17 hexadecimal/,
            );
        }
        rejects(
            { natAllocationIds: ["eipalloc-1a2b3c4d"] },
            "magento:natAllocationIds",
            /must be a mapping of availability zone to allocation id/,
        );
        rejects(
            { natAllocationIds: { "eu-west-3a": "eipalloc-zz" } },
            "magento:natAllocationIds.eu-west-3a",
            /must be an Elastic IP allocation id/,
        );
        // Production's three NAT gateways need three addresses; a fourth AZ or preproduction's other AZs have no NAT gateway.
        rejects(
            { natAllocationIds: nat },
            "magento:natAllocationIds",
            /gives 2 allocation\(s\) for 3 NAT gateway\(s\): add eu-west-3c/,
        );
        rejects(
            {
                natAllocationIds: {
                    ...nat,
                    "eu-west-3c": "eipalloc-0c1d2e3f4a5b60718",
                    "eu-west-3d": "eipalloc-2a2b3c4d",
                },
            },
            "magento:natAllocationIds.eu-west-3d",
            /eu-west-3d is not one of magento:availabilityZones/,
        );
        rejects(
            { profile: "preproduction", natAllocationIds: nat },
            "magento:natAllocationIds.eu-west-3b",
            /eu-west-3b has no NAT gateway with natGateways single \(only eu-west-3a\); remove it/,
        );
        assert.deepStrictEqual(
            parse({ profile: "preproduction", natAllocationIds: { "eu-west-3a": "eipalloc-1a2b3c4d" } }).keptAddresses
                .nat,
            { "eu-west-3a": "eipalloc-1a2b3c4d" },
        );
        rejects(
            {
                gatewayAllocationId: "eipalloc-1a2b3c4d",
                natAllocationIds: { ...nat, "eu-west-3c": "eipalloc-0c1d2e3f4a5b60718" },
            },
            "magento:natAllocationIds.eu-west-3b",
            /eipalloc-1a2b3c4d is already magento:gatewayAllocationId's; an Elastic IP is associated with one instance or NAT gateway at a time/,
        );
    });

    it("nfsSource: the estate's NFS server, its export and an agent of the stack's region, copying into EFS only", () => {
        const source = {
            server: "10.0.4.20",
            exportPath: "/export/magento",
            agentArn: "arn:aws:datasync:eu-west-3:123456789012:agent/agent-0a1b2c3d4e5f60718",
        };
        assert.deepStrictEqual(parse({ nfsSource: source }).nfsSource, source);
        assert.strictEqual(parse({}).nfsSource, undefined);
        rejects({ nfsSource: { ...source, server: "nfs_1" } }, "magento:nfsSource.server", /host name or IPv4 address/);
        rejects({ nfsSource: { ...source, exportPath: "export" } }, "magento:nfsSource.exportPath", /absolute path/);
        rejects(
            { nfsSource: { ...source, agentArn: "agent-0a1b" } },
            "magento:nfsSource.agentArn",
            /activated DataSync agent's ARN/,
        );
        rejects({ nfsSource: { ...source, port: 2049 } }, "magento:nfsSource", /./);
        rejects(
            { nfsSource: { ...source, agentArn: source.agentArn.replace("eu-west-3", "eu-west-1") } },
            "magento:nfsSource.agentArn",
            /is an agent of eu-west-1; activate it in the stack's region eu-west-3/,
        );
        rejects(
            { nfsSource: source, sharedStorage: "nfs" },
            "magento:nfsSource",
            /copies the estate's shares into EFS, but magento:sharedStorage is nfs/,
        );
        assert.deepStrictEqual(
            parse({ nfsSource: source, sharedStorage: "nfs", sharedStorageTarget: "efs" }).nfsSource,
            source,
        );
    });
});
