// production-network-ha, asked over the analyzer protocol: synthetic stacks that keep and break it, and the real
// stacks' offline previews, where every subnet and NAT id is still unknown.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    AUTOSCALING_GROUP,
    EC2_NAT_GATEWAY,
    EC2_ROUTE_TABLE,
    EC2_ROUTE_TABLE_ASSOCIATION,
    EC2_SUBNET,
    EC2_VPC,
} from "../../../policies/lib/types";
import { PROD_SINGLE_NAT } from "../../fixtures/stacks";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { prefetch, stackResources } from "../../helpers/stacks";

/** A VPC with a public and a private subnet per AZ; `natAzs` get a NAT, `routeVia(az)` picks each private subnet's NAT. */
function network(
    stack: string,
    azs: string[],
    natAzs: string[],
    routeVia: (az: string) => string = (az) => az,
): StateResource[] {
    const b = new StackBuilder(stack);
    const vpc = b.add(EC2_VPC, "vpc", { cidrBlock: "10.20.0.0/16" });
    const subnet = (tier: string, az: string) =>
        b.add(EC2_SUBNET, `${tier}-${az}`, { availabilityZone: az, vpcId: UNKNOWN }, { vpcId: [vpc] });
    const publics = new Map(azs.map((az) => [az, subnet("public", az)]));
    const nats = new Map(
        natAzs.map((az) => [
            az,
            b.add(EC2_NAT_GATEWAY, `nat-${az}`, { subnetId: UNKNOWN }, { subnetId: [publics.get(az)!] }),
        ]),
    );
    for (const az of azs) {
        const s = subnet("private", az);
        const nat = nats.get(routeVia(az));
        const table = b.add(
            EC2_ROUTE_TABLE,
            `rt-${az}`,
            { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: UNKNOWN }] },
            { routes: nat ? [nat] : [] },
        );
        b.add(
            EC2_ROUTE_TABLE_ASSOCIATION,
            `private-${az}`,
            { subnetId: UNKNOWN, routeTableId: UNKNOWN },
            { subnetId: [s], routeTableId: [table] },
        );
    }
    return b.resources;
}

const THREE = ["eu-west-3a", "eu-west-3b", "eu-west-3c"];

describe("magento / production-network-ha", () => {
    prefetch(["prod"], ["prod", { changes: PROD_SINGLE_NAT }]);

    it("keeps: production over three AZs, each private subnet through its own AZ's NAT", async () => {
        assert.deepStrictEqual(await violations("production-network-ha", network("prod", THREE, THREE)), []);
    });

    it("breaks: production over two AZs", async () => {
        const found = await violations("production-network-ha", network("prod", THREE.slice(0, 2), THREE.slice(0, 2)));
        assert.strictEqual(found.length, 1);
        assert.match(
            found[0],
            /^mandatory: .*VPC vpc has subnets in 2 availability zone\(s\) \(eu-west-3a, eu-west-3b\); it needs at least 3/s,
        );
    });

    it("breaks: an AZ without a NAT gateway (the preproduction shape in production)", async () => {
        const found = await violations(
            "production-network-ha",
            network("prod", THREE, ["eu-west-3a"], () => "eu-west-3a"),
        );
        assert.ok(
            found.some((m) => /no NAT gateway in eu-west-3b, eu-west-3c/.test(m)),
            found.join("\n"),
        );
        assert.ok(
            found.some((m) =>
                /Subnet private-eu-west-3b in eu-west-3b routes through the NAT gateway in eu-west-3a/.test(m),
            ),
            found.join("\n"),
        );
    });

    it("breaks: a NAT in every AZ, but one private subnet routed across AZs", async () => {
        const found = await violations(
            "production-network-ha",
            network("prod", THREE, THREE, (az) => (az === "eu-west-3c" ? "eu-west-3a" : az)),
        );
        assert.deepStrictEqual(found, [
            "mandatory: Subnet private-eu-west-3c in eu-west-3c routes through the NAT gateway in eu-west-3a; route each private subnet through the NAT gateway of its own AZ.",
        ]);
    });

    it("breaks: a server group in a subnet left on the VPC's main route table; keeps it once the subnet is associated", async () => {
        const resources = network("prod", THREE, THREE);
        const b = new StackBuilder("prod");
        const vpc = resources.find((r) => r.type === EC2_VPC)!;
        const loose = b.add(
            EC2_SUBNET,
            "app-eu-west-3b",
            { availabilityZone: "eu-west-3b", vpcId: UNKNOWN },
            { vpcId: [vpc] },
        );
        const privateA = resources.find((r) => r.urn.endsWith("::private-eu-west-3a"))!;
        b.add(
            AUTOSCALING_GROUP,
            "web",
            { vpcZoneIdentifiers: [UNKNOWN, UNKNOWN] },
            { vpcZoneIdentifiers: [privateA, loose] },
        );
        assert.deepStrictEqual(await violations("production-network-ha", [...resources, ...b.resources]), [
            "mandatory: web runs in subnet app-eu-west-3b (eu-west-3b), which has no route table association: it uses the VPC's main route table, " +
                "one default route for every AZ. Associate it with a route table through its own AZ's NAT gateway (or the internet gateway).",
        ]);
        const table = resources.find((r) => r.urn.endsWith("::rt-eu-west-3b"))!;
        b.add(
            EC2_ROUTE_TABLE_ASSOCIATION,
            "app-b",
            { subnetId: UNKNOWN, routeTableId: UNKNOWN },
            { subnetId: [loose], routeTableId: [table] },
        );
        assert.deepStrictEqual(await violations("production-network-ha", [...resources, ...b.resources]), []);
    });

    it("does not apply to preproduction, which has one NAT on purpose", async () => {
        assert.deepStrictEqual(
            await violations(
                "production-network-ha",
                network("preprod", THREE, ["eu-west-3a"], () => "eu-west-3a"),
            ),
            [],
        );
    });

    it("follows the pack config: a stack named in productionStacks is held to the rule", async () => {
        const found = await violations(
            "production-network-ha",
            network("preprod", THREE, ["eu-west-3a"], () => "eu-west-3a"),
            { config: { productionStacks: ["preprod"] } },
        );
        assert.ok(found.length > 0);
    });

    it("decides during preview on the real stacks, where every id is still unknown", async () => {
        assert.deepStrictEqual(await violations("production-network-ha", await stackResources("prod")), []);
        const singleNat = await violations(
            "production-network-ha",
            await stackResources("prod", { changes: PROD_SINGLE_NAT }),
        );
        assert.strictEqual(singleNat.filter((m) => m.startsWith("mandatory")).length, 3, singleNat.join("\n"));
    });
});
