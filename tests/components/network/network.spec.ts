// What the real program builds for each stack, read from the offline preview's registrations.
import * as assert from "assert";
import { hasFake } from "../../../offline/fakes";
import { StateResource } from "../../../offline/state";
import {
    EC2_DEFAULT_SECURITY_GROUP,
    EC2_FLOW_LOG,
    EC2_INTERNET_GATEWAY,
    EC2_NAT_GATEWAY,
    EC2_ROUTE_TABLE,
    EC2_ROUTE_TABLE_ASSOCIATION,
    EC2_SECURITY_GROUP,
    EC2_SUBNET,
    EC2_VPC,
    EC2_VPC_ENDPOINT,
    EC2_VPC_ENDPOINT_POLICY,
    S3_BUCKET,
    VPC_SECURITY_GROUP_EGRESS_RULE,
} from "../../../policies/lib/types";
import { ofType, stackResources, via } from "../../helpers/stacks";

const nameOf = (r: StateResource | undefined) => r?.urn.split("::").pop() ?? "";

/** For each subnet: its AZ, CIDR and where its default route leads (internet gateway or the AZ of its NAT). */
function routing(resources: StateResource[]) {
    return ofType(resources, EC2_SUBNET)
        .map((subnet) => {
            const association = ofType(resources, EC2_ROUTE_TABLE_ASSOCIATION).find((a) =>
                via(resources, a, "subnetId").includes(subnet),
            )!;
            const table = via(resources, association, "routeTableId")[0];
            const targets = via(resources, table, "routes");
            const nat = targets.find((t) => t.type === EC2_NAT_GATEWAY);
            return {
                az: subnet.inputs!.availabilityZone as string,
                cidr: subnet.inputs!.cidrBlock as string,
                tier: (subnet.inputs!.tags as Record<string, string>).Tier,
                publicIpOnLaunch: subnet.inputs!.mapPublicIpOnLaunch,
                exit: nat
                    ? `nat@${via(resources, nat, "subnetId")[0].inputs!.availabilityZone}`
                    : targets.map((t) => t.type).join(","),
            };
        })
        .sort((a, b) => a.cidr.localeCompare(b.cidr, "en", { numeric: true }));
}

describe("network", () => {
    it("prod: a private subnet in each AZ leaves through the NAT of its own AZ; public ones through the IGW", async () => {
        assert.deepStrictEqual(routing(await stackResources("prod")), [
            {
                az: "eu-west-3a",
                cidr: "10.20.1.0/24",
                tier: "public",
                publicIpOnLaunch: false,
                exit: EC2_INTERNET_GATEWAY,
            },
            {
                az: "eu-west-3b",
                cidr: "10.20.2.0/24",
                tier: "public",
                publicIpOnLaunch: false,
                exit: EC2_INTERNET_GATEWAY,
            },
            {
                az: "eu-west-3c",
                cidr: "10.20.3.0/24",
                tier: "public",
                publicIpOnLaunch: false,
                exit: EC2_INTERNET_GATEWAY,
            },
            {
                az: "eu-west-3a",
                cidr: "10.20.101.0/24",
                tier: "private",
                publicIpOnLaunch: false,
                exit: "nat@eu-west-3a",
            },
            {
                az: "eu-west-3b",
                cidr: "10.20.102.0/24",
                tier: "private",
                publicIpOnLaunch: false,
                exit: "nat@eu-west-3b",
            },
            {
                az: "eu-west-3c",
                cidr: "10.20.103.0/24",
                tier: "private",
                publicIpOnLaunch: false,
                exit: "nat@eu-west-3c",
            },
        ]);
    });

    it("preprod: one NAT gateway, in the first AZ, serves every private subnet", async () => {
        const resources = await stackResources("preprod");
        assert.strictEqual(ofType(resources, EC2_NAT_GATEWAY).length, 1);
        assert.deepStrictEqual(
            routing(resources)
                .filter((s) => s.tier === "private")
                .map((s) => s.exit),
            ["nat@eu-west-3a", "nat@eu-west-3a", "nat@eu-west-3a"],
        );
    });

    it("NAT gateways sit in public subnets, so their own way out is the internet gateway", async () => {
        const resources = await stackResources("prod");
        for (const nat of ofType(resources, EC2_NAT_GATEWAY)) {
            assert.strictEqual(
                (via(resources, nat, "subnetId")[0].inputs!.tags as Record<string, string>).Tier,
                "public",
            );
        }
    });

    it("S3 traffic from private subnets bypasses the NAT gateways through a gateway endpoint", async () => {
        const resources = await stackResources("prod");
        const [endpoint] = ofType(resources, EC2_VPC_ENDPOINT).filter((e) => e.inputs!.vpcEndpointType === "Gateway");
        assert.strictEqual(endpoint.inputs!.serviceName, "com.amazonaws.eu-west-3.s3");
        assert.strictEqual(endpoint.inputs!.vpcEndpointType, "Gateway");
        const privateTables = ofType(resources, EC2_ROUTE_TABLE).filter((t) =>
            via(resources, t, "routes").some((r) => r.type === EC2_NAT_GATEWAY),
        );
        assert.deepStrictEqual(via(resources, endpoint, "routeTableIds"), privateTables);
    });

    it("SSM, Secrets Manager, KMS, CloudWatch Logs and CloudWatch answer inside the VPC: every AZ in prod, the first AZ in preprod; Image Builder where images are built", async () => {
        for (const [stack, azs, builds] of [
            ["prod", 3, []],
            ["preprod", 1, ["imagebuilder"]],
        ] as const) {
            const resources = await stackResources(stack);
            const endpoints = ofType(resources, EC2_VPC_ENDPOINT).filter(
                (e) => e.inputs!.vpcEndpointType === "Interface",
            );
            assert.deepStrictEqual(endpoints.map((e) => (e.inputs!.serviceName as string).split(".").pop()).sort(), [
                "ec2messages",
                ...builds,
                "kms",
                "logs",
                "monitoring",
                "secretsmanager",
                "ssm",
                "ssmmessages",
            ]);
            for (const e of endpoints) {
                assert.strictEqual(
                    e.inputs!.privateDnsEnabled,
                    true,
                    "the SDKs' usual names must resolve to the endpoint",
                );
                const subnets = via(resources, e, "subnetIds");
                assert.strictEqual(subnets.length, azs);
                assert.ok(subnets.every((s) => (s.inputs!.tags as Record<string, string>).Tier === "private"));
            }
        }
    });

    it("S3 through the endpoint reaches only the stack's config and temp buckets and AWS's package and agent buckets", async () => {
        const resources = await stackResources("prod", { preview: false });
        const [policy] = ofType(resources, EC2_VPC_ENDPOINT_POLICY);
        const statements = JSON.parse(policy.inputs!.policy as string).Statement as {
            Action: string;
            Resource: string[];
        }[];
        const buckets = new Set(
            statements.flatMap((s) => s.Resource.map((r) => r.replace(/^arn:aws:s3:::([^/]+).*$/, "$1"))),
        );
        const own = ofType(resources, S3_BUCKET)
            .filter((b) => /buckets-(config|temp)$/.test(b.urn))
            .map((b) => b.outputs!.bucket as string);
        assert.strictEqual(own.length, 2);
        assert.deepStrictEqual(
            [...buckets].filter((b) => !own.includes(b)).every((b) => b.includes("eu-west-3")),
            true,
            "only regional AWS buckets besides the stack's",
        );
        assert.ok(buckets.has("al2023-repos-eu-west-3-de612dc2"), "dnf's repositories on AL2023");
        assert.strictEqual(
            statements.find((s) => s.Resource.some((r) => r.includes("al2023")))!.Action,
            "s3:GetObject",
            "AWS's buckets are read-only",
        );
    });

    it("egress is an allow-list: web servers reach the data services on their ports, the endpoints, S3 and HTTPS out; data services nothing", async () => {
        const resources = await stackResources("prod");
        const egress = ofType(resources, VPC_SECURITY_GROUP_EGRESS_RULE);
        const from = (group: StateResource) =>
            egress
                .filter((r) => via(resources, r, "securityGroupId").includes(group))
                .map((r) => {
                    const to = via(resources, r, "referencedSecurityGroupId")[0];
                    const where =
                        r.inputs!.cidrIpv4 ??
                        (via(resources, r, "prefixListId").length > 0
                            ? "s3"
                            : nameOf(to).replace(/^magento-prod-/, ""));
                    return `${r.inputs!.ipProtocol} ${r.inputs!.fromPort ?? "all"} ${where}`;
                })
                .sort();
        const groups = ofType(resources, EC2_SECURITY_GROUP);
        const group = (name: string) => groups.find((g) => nameOf(g) === `magento-prod-${name}`)!;
        const web = group("web-sg");
        assert.deepStrictEqual(from(web), [
            "tcp 2049 shared-sg",
            "tcp 3306 mysql-sg",
            "tcp 443 0.0.0.0/0",
            "tcp 443 endpoints-sg",
            "tcp 443 s3",
            "tcp 443 search-sg",
            "tcp 6379 cache-sg",
            "tcp 6379 sessions-sg",
        ]);
        for (const data of [
            "mysql-sg",
            "sideapps-sg",
            "cache-sg",
            "sessions-sg",
            "search-sg",
            "shared-sg",
            "endpoints-sg",
        ]) {
            assert.deepStrictEqual(from(group(data)), [], `${data} opens no connection`);
        }
        // The VPN forwards its clients into the VPC only (the order connector's FTP among it); the gateway reaches
        // nothing on the internet.
        assert.deepStrictEqual(
            from(group("vpn-sg")).filter((r) => !r.includes("windows") && !r.includes("rundeck")),
            [
                "-1 all 10.20.0.0/16",
                "tcp 443 endpoints-sg",
                "tcp 443 s3",
                "tcp 5021 sideapps-orders-sg",
                "tcp 5100 sideapps-orders-sg",
            ],
        );
        assert.ok(!from(group("gateway-sg")).some((r) => r.includes("0.0.0.0/0")));
    });

    it("the default security group admits nothing", async () => {
        const [group] = ofType(await stackResources("prod"), EC2_DEFAULT_SECURITY_GROUP);
        assert.strictEqual(group.inputs!.ingress, undefined);
        assert.strictEqual(group.inputs!.egress, undefined);
    });

    it("flow logs capture all traffic into a log group kept for the stack's retention", async () => {
        for (const [stack, days] of [
            ["prod", 90],
            ["preprod", 14],
        ] as const) {
            const resources = await stackResources(stack);
            const [flowLog] = ofType(resources, EC2_FLOW_LOG);
            assert.strictEqual(flowLog.inputs!.trafficType, "ALL");
            const [group] = via(resources, flowLog, "logDestination");
            assert.strictEqual(group.inputs!.retentionInDays, days);
        }
    });

    it("every resource carries the stack's tags", async () => {
        const resources = await stackResources("preprod");
        const taggable = resources.filter((r) => r.custom && r.inputs && "tags" in r.inputs);
        assert.ok(taggable.length >= 15);
        for (const r of taggable) {
            // Autoscaling groups take a list of {key, value, propagateAtLaunch}; everything else a map.
            const raw = r.inputs!.tags as Record<string, string> | { key: string; value: string }[];
            const tags = Array.isArray(raw) ? Object.fromEntries(raw.map((t) => [t.key, t.value])) : raw;
            assert.deepStrictEqual(
                [tags.Stack, tags.Environment, tags.Owner, tags.CostCentre],
                ["preprod", "preproduction", "ecommerce-platform", "CC-4200"],
                r.urn,
            );
        }
    });

    it("an update gives every resource a realistic id (the engine knows each type the program uses)", async () => {
        const resources = await stackResources("prod", { preview: false });
        for (const r of resources.filter((x) => x.custom && !x.type.startsWith("pulumi:"))) {
            assert.ok(hasFake(r.type), `offline/fakes.ts has no entry for ${r.type}`);
        }
        const [vpc] = ofType(resources, EC2_VPC);
        assert.match(vpc.id!, /^vpc-0[0-9a-f]{16}$/);
        assert.match(vpc.outputs!.arn as string, /^arn:aws:ec2:eu-west-3:\d{12}:vpc\/vpc-/);
    });
});
