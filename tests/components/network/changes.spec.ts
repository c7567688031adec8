// Day two on the network: an update that reorders or inserts an AZ leaves every existing per-AZ resource as it is
// (a new subnet CIDR or mount-target subnet is a replacement in AWS), and the servers and load balancer wait for what
// they need at boot. Compared by URN between two captures of the real program.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    AUTOSCALING_GROUP,
    EBS_VOLUME,
    EC2_EIP,
    EC2_INSTANCE,
    EC2_NAT_GATEWAY,
    EC2_ROUTE_TABLE,
    EC2_ROUTE_TABLE_ASSOCIATION,
    EC2_SUBNET,
    EC2_VOLUME_ATTACHMENT,
    EC2_VPC_ENDPOINT,
    EFS_MOUNT_TARGET,
    LB_LOAD_BALANCER,
    ROUTE53_RECORD,
    S3_BUCKET_POLICY,
    SSM_PARAMETER,
} from "../../../policies/lib/types";
import { PREPROD_NFS } from "../../fixtures/stacks";
import { ofType, prefetch, stackResources, webOfType } from "../../helpers/stacks";

// The per-AZ resources, and the data volumes, which cannot leave their AZ.
const PER_AZ = [
    EC2_SUBNET,
    EC2_ROUTE_TABLE,
    EC2_ROUTE_TABLE_ASSOCIATION,
    EC2_NAT_GATEWAY,
    EC2_EIP,
    EFS_MOUNT_TARGET,
    EBS_VOLUME,
];
// A reorder changes nothing else either: the endpoints' subnets and the servers (a new AZ adds its subnet and route
// table to the endpoints, and its CIDRs to the routes the VPN server pushes, in place).
const REORDER_ALSO = [EC2_VPC_ENDPOINT, EC2_INSTANCE];
const AZ = (letter: string) => `eu-west-3${letter}`;
// With the operations AZ named, the list's order is free (unnamed, it is the first entry's: docs/network.md).
// As an update: the capture the plan's swapped-AZ scenario reads too.
const REORDERED = {
    preview: false,
    changes: { "magento:availabilityZones": [AZ("c"), AZ("a"), AZ("b")], "magento:operationsAz": AZ("a") },
};
const WITHOUT_B = { changes: { "magento:availabilityZones": [AZ("a"), AZ("c")] } };
const NFS = { changes: PREPROD_NFS };
prefetch(
    ["prod"],
    ["prod", { preview: false }],
    ["prod", REORDERED],
    ["preprod"],
    ["preprod", WITHOUT_B],
    ["preprod", NFS],
);

const nameOf = (urn: string) => urn.split("::").pop()!;

/** Each per-AZ resource of `before` that `after` lacks or builds from other inputs or other resources. */
function changedPerAz(before: readonly StateResource[], after: readonly StateResource[], types = PER_AZ): string[] {
    const byUrn = new Map(after.map((r) => [r.urn, r]));
    return before
        .filter((r) => types.includes(r.type))
        .flatMap((r) => {
            const next = byUrn.get(r.urn);
            if (!next) {
                return [`${nameOf(r.urn)}: gone`];
            }
            const same =
                JSON.stringify(r.inputs) === JSON.stringify(next.inputs) &&
                JSON.stringify(r.propertyDependencies) === JSON.stringify(next.propertyDependencies);
            const keys = Object.keys({ ...r.inputs, ...next.inputs }).filter(
                (k) =>
                    JSON.stringify(r.inputs?.[k]) !== JSON.stringify(next.inputs?.[k]) ||
                    JSON.stringify(r.propertyDependencies?.[k]) !== JSON.stringify(next.propertyDependencies?.[k]),
            );
            return same ? [] : [`${nameOf(r.urn)}: ${keys.join(", ")}`];
        });
}

describe("network changes on a deployed stack", function () {
    this.timeout(300_000); // two captures each, queued behind those every spec started at load
    it("prod with its AZs listed in another order changes no subnet, route table, NAT, Elastic IP, endpoint, mount target, server or volume", async () => {
        assert.deepStrictEqual(
            changedPerAz(await stackResources("prod", { preview: false }), await stackResources("prod", REORDERED), [
                ...PER_AZ,
                ...REORDER_ALSO,
            ]),
            [],
        );
    });

    it("preprod built with AZs a and c keeps every one of them when b is inserted between", async () => {
        const before = await stackResources("preprod", WITHOUT_B);
        const after = await stackResources("preprod");
        assert.deepStrictEqual(changedPerAz(before, after), []);
        const added = ofType(after, EC2_SUBNET).filter((s) => !before.some((b) => b.urn === s.urn));
        assert.deepStrictEqual(added.map((s) => [s.inputs!.availabilityZone, s.inputs!.cidrBlock]).sort(), [
            [AZ("b"), "10.30.102.0/24"],
            [AZ("b"), "10.30.2.0/24"],
        ]);
    });
});

describe("what waits for what", function () {
    this.timeout(300_000);
    const dependsOn = (r: StateResource, others: readonly StateResource[]) =>
        others.filter((o) => !(r.dependencies ?? []).includes(o.urn)).map((o) => nameOf(o.urn));

    it("the load balancer is created after its log bucket's policy (ELB checks its write access when logging is enabled)", async () => {
        const resources = await stackResources("prod");
        const [balancer] = ofType(resources, LB_LOAD_BALANCER);
        const logsPolicy = ofType(resources, S3_BUCKET_POLICY).filter((p) => nameOf(p.urn).endsWith("-buckets-logs"));
        assert.strictEqual(logsPolicy.length, 1);
        assert.deepStrictEqual(dependsOn(balancer, logsPolicy), []);
    });

    it("web groups launch servers only after every EFS mount target and application parameter exists", async () => {
        const resources = await stackResources("prod");
        const needed = [
            ...ofType(resources, EFS_MOUNT_TARGET),
            ...ofType(resources, SSM_PARAMETER).filter((p) => p.urn.includes("AppParameters")),
        ];
        assert.ok(needed.length > 3);
        for (const group of webOfType(resources, AUTOSCALING_GROUP)) {
            assert.deepStrictEqual(dependsOn(group, needed), [], nameOf(group.urn));
        }
    });

    it("with NFS, web groups launch servers only after the NFS server and its volumes", async () => {
        const resources = await stackResources("preprod", NFS);
        // The NFS server's own resources (a URN names only its parent's type, here the Server inside NfsStorage).
        const needed = resources.filter(
            (r) => nameOf(r.urn).startsWith("magento-preprod-shared-server") && r.type !== "magento:compute:Server",
        );
        assert.deepStrictEqual([...new Set(needed.map((r) => r.type))].sort(), [
            EBS_VOLUME,
            EC2_INSTANCE,
            EC2_VOLUME_ATTACHMENT,
            ROUTE53_RECORD,
        ]);
        for (const group of webOfType(resources, AUTOSCALING_GROUP)) {
            assert.deepStrictEqual(dependsOn(group, needed), [], nameOf(group.urn));
        }
    });
});
