// An estate moved in keeps the public addresses its partners allow-list (docs/migration.md): the gateway, the VPN
// server and each AZ's NAT gateway are attached to the estate's Elastic IPs, which are no resource of the stack, so
// neither a destroy nor a teardown can release them; switching a deployed stack to them is refused by the plan check.
import * as assert from "assert";
import { engineStops } from "../../offline/plan/check";
import { planChange } from "../../offline/plan/plan";
import { answerInvoke } from "../../offline/invokes";
import { EC2_EIP, EC2_EIP_ASSOCIATION, EC2_NAT_GATEWAY } from "../../policies/lib/types";
import { PROD_KEPT_ADDRESSES } from "../fixtures/stacks";
import { asExport, plan, refusedNames } from "../helpers/plan";
import { ofType, prefetch, stackResources } from "../helpers/stacks";

const KEPT = { preview: false, changes: PROD_KEPT_ADDRESSES };
const TEARDOWN = {
    preview: false,
    changes: { ...PROD_KEPT_ADDRESSES, "magento:teardown": true, "magento:teardownConfirm": "prod" },
};
const NAT = PROD_KEPT_ADDRESSES["magento:natAllocationIds"] as Record<string, string>;

describe("kept public addresses", function () {
    this.timeout(300_000);
    prefetch(["prod", KEPT], ["prod", TEARDOWN], ["prod", { preview: false }]);

    it("the gateway, the VPN server and each AZ's NAT gateway are attached to the estate's allocations; the stack allocates none", async () => {
        const r = await stackResources("prod", KEPT);
        assert.deepStrictEqual(ofType(r, EC2_EIP), []);
        const association = (component: string) => {
            const [a] = ofType(r, EC2_EIP_ASSOCIATION).filter((x) => x.urn.includes(`::magento-prod-${component}-`));
            return a.inputs!.allocationId;
        };
        assert.strictEqual(association("haproxy"), PROD_KEPT_ADDRESSES["magento:gatewayAllocationId"]);
        assert.strictEqual(association("openvpn"), PROD_KEPT_ADDRESSES["magento:vpnAllocationId"]);
        const byAz = Object.fromEntries(
            ofType(r, EC2_NAT_GATEWAY).map((n) => [`eu-west-3${n.urn.slice(-1)}`, n.inputs!.allocationId]),
        );
        assert.deepStrictEqual(byAz, NAT);
        // The outputs partners are given are the kept addresses, read from EC2.
        const outputs = r.find((x) => x.type === "pulumi:pulumi:Stack")!.outputs!;
        const address = (id: unknown) =>
            answerInvoke("aws:ec2/getElasticIp:getElasticIp", { id }, "eu-west-3").publicIp;
        assert.strictEqual(outputs.gatewayPublicIp, address(PROD_KEPT_ADDRESSES["magento:gatewayAllocationId"]));
        assert.strictEqual(outputs.vpnPublicIp, address(PROD_KEPT_ADDRESSES["magento:vpnAllocationId"]));
    });

    it("a destroy, even after the teardown up, releases none of them: it only disassociates them", async () => {
        for (const opts of [KEPT, TEARDOWN]) {
            const destroy = planChange(asExport(await stackResources("prod", opts)), [], "prod");
            assert.ok(destroy.length > 400 && destroy.every((s) => s.op === "delete"));
            assert.deepStrictEqual(
                destroy.filter((s) => s.type === EC2_EIP),
                [],
            );
            // What names a kept allocation is an association or a NAT gateway, whose deletes leave the address in the account.
            const kept = [
                PROD_KEPT_ADDRESSES["magento:gatewayAllocationId"],
                PROD_KEPT_ADDRESSES["magento:vpnAllocationId"],
                ...Object.values(NAT),
            ];
            assert.deepStrictEqual(
                [
                    ...new Set(
                        destroy.filter((s) => kept.includes(s.oldInputs!.allocationId as string)).map((s) => s.type),
                    ),
                ].sort(),
                [EC2_EIP_ASSOCIATION, EC2_NAT_GATEWAY],
            );
        }
        // Without kept addresses, prod's own are protected: the destroy stops at them.
        const own = planChange(asExport(await stackResources("prod", { preview: false })), [], "prod");
        assert.ok(own.filter(engineStops).some((s) => s.type === EC2_EIP));
    });

    it("a deployed stack switched to kept addresses is refused: its own Elastic IPs would be released", async () => {
        const p = plan(
            asExport(await stackResources("prod", { preview: false })),
            await stackResources("prod", KEPT),
            "prod",
        );
        assert.deepStrictEqual(
            refusedNames(p.check()).filter((n) => /-(eip|nat-[abc])$/.test(n)),
            [
                "magento-prod-haproxy-server-eip",
                "magento-prod-nat-a",
                "magento-prod-nat-b",
                "magento-prod-nat-c",
                "magento-prod-openvpn-server-eip",
            ],
        );
    });
});
