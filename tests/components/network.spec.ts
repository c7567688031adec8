// What the real program builds for each stack, read from the offline preview's registrations.
import * as assert from "assert";
import { hasFake } from "../../offline/fakes";
import { StateResource } from "../../offline/state";
import { ofType, stackResources, via } from "../helpers/stacks";

const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";

/** For each subnet: its AZ, CIDR and where its default route leads (internet gateway or the AZ of its NAT). */
function routing(resources: StateResource[]) {
    return ofType(resources, SUBNET).map((subnet) => {
        const association = ofType(resources, ASSOCIATION).find((a) => via(resources, a, "subnetId").includes(subnet))!;
        const table = via(resources, association, "routeTableId")[0];
        const targets = via(resources, table, "routes");
        const nat = targets.find((t) => t.type === NAT);
        return {
            az: subnet.inputs!.availabilityZone as string,
            cidr: subnet.inputs!.cidrBlock as string,
            tier: (subnet.inputs!.tags as Record<string, string>).Tier,
            publicIpOnLaunch: subnet.inputs!.mapPublicIpOnLaunch,
            exit: nat ? `nat@${via(resources, nat, "subnetId")[0].inputs!.availabilityZone}` : targets.map((t) => t.type).join(","),
        };
    }).sort((a, b) => a.cidr.localeCompare(b.cidr, "en", { numeric: true }));
}

describe("network", () => {
    it("prod: a private subnet in each AZ leaves through the NAT of its own AZ; public ones through the IGW", async () => {
        assert.deepStrictEqual(routing(await stackResources("prod")), [
            { az: "eu-west-3a", cidr: "10.20.1.0/24", tier: "public", publicIpOnLaunch: false, exit: "aws:ec2/internetGateway:InternetGateway" },
            { az: "eu-west-3b", cidr: "10.20.2.0/24", tier: "public", publicIpOnLaunch: false, exit: "aws:ec2/internetGateway:InternetGateway" },
            { az: "eu-west-3c", cidr: "10.20.3.0/24", tier: "public", publicIpOnLaunch: false, exit: "aws:ec2/internetGateway:InternetGateway" },
            { az: "eu-west-3a", cidr: "10.20.101.0/24", tier: "private", publicIpOnLaunch: false, exit: "nat@eu-west-3a" },
            { az: "eu-west-3b", cidr: "10.20.102.0/24", tier: "private", publicIpOnLaunch: false, exit: "nat@eu-west-3b" },
            { az: "eu-west-3c", cidr: "10.20.103.0/24", tier: "private", publicIpOnLaunch: false, exit: "nat@eu-west-3c" },
        ]);
    });

    it("preprod: one NAT gateway, in the first AZ, serves every private subnet", async () => {
        const resources = await stackResources("preprod");
        assert.strictEqual(ofType(resources, NAT).length, 1);
        assert.deepStrictEqual(routing(resources).filter((s) => s.tier === "private").map((s) => s.exit),
            ["nat@eu-west-3a", "nat@eu-west-3a", "nat@eu-west-3a"]);
    });

    it("NAT gateways sit in public subnets, so their own way out is the internet gateway", async () => {
        const resources = await stackResources("prod");
        for (const nat of ofType(resources, NAT)) {
            assert.strictEqual((via(resources, nat, "subnetId")[0].inputs!.tags as Record<string, string>).Tier, "public");
        }
    });

    it("S3 traffic from private subnets bypasses the NAT gateways through a gateway endpoint", async () => {
        const resources = await stackResources("prod");
        const [endpoint] = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.strictEqual(endpoint.inputs!.serviceName, "com.amazonaws.eu-west-3.s3");
        assert.strictEqual(endpoint.inputs!.vpcEndpointType, "Gateway");
        const privateTables = ofType(resources, ROUTE_TABLE).filter((t) => via(resources, t, "routes").some((r) => r.type === NAT));
        assert.deepStrictEqual(via(resources, endpoint, "routeTableIds"), privateTables);
    });

    it("the default security group admits nothing", async () => {
        const [group] = ofType(await stackResources("prod"), "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.strictEqual(group.inputs!.ingress, undefined);
        assert.strictEqual(group.inputs!.egress, undefined);
    });

    it("flow logs capture all traffic into a log group kept for the stack's retention", async () => {
        for (const [stack, days] of [["prod", 90], ["preprod", 14]] as const) {
            const resources = await stackResources(stack);
            const [flowLog] = ofType(resources, "aws:ec2/flowLog:FlowLog");
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
            assert.deepStrictEqual([tags.Stack, tags.Environment, tags.Owner, tags.CostCentre], ["preprod", "preproduction", "ecommerce-platform", "CC-4200"], r.urn);
        }
    });

    it("an update gives every resource a realistic id (the engine knows each type the program uses)", async () => {
        const resources = await stackResources("prod", { preview: false });
        for (const r of resources.filter((x) => x.custom && !x.type.startsWith("pulumi:"))) {
            assert.ok(hasFake(r.type), `offline/fakes.ts has no entry for ${r.type}`);
        }
        const [vpc] = ofType(resources, "aws:ec2/vpc:Vpc");
        assert.match(vpc.id!, /^vpc-0[0-9a-f]{16}$/);
        assert.match(vpc.outputs!.arn as string, /^arn:aws:ec2:eu-west-3:\d{12}:vpc\/vpc-/);
    });
});
