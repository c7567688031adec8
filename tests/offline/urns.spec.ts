// Offline exports carry the URNs a real `pulumi up` writes, so a plan against a real export matches resources by
// URN: a grandchild's type is its parents' whole chain, and aliases (which reach the mock monitor as specs) are
// recorded as the URNs the engine derives from them.
import * as assert from "assert";
import { StateResource } from "../../offline/state";
import { AliasSpec, inEngineForm, toEngineUrns } from "../../offline/urns";
import { EC2_EIP } from "../../policies/lib/types";
import { stackResources } from "../helpers/stacks";

const mock = (type: string, name: string, parent?: string): StateResource => ({
    urn: `urn:pulumi:prod::magento::${parent ? `${parent.split("::")[2].split("$").pop()}$` : ""}${type}::${name}`,
    custom: !type.startsWith("magento:"),
    type,
    ...(parent ? { parent } : {}),
    dependencies: parent ? [parent] : [],
});
const stack = mock("pulumi:pulumi:Stack", "magento-prod");
const gateway = mock("magento:operations:Gateway", "magento-prod-haproxy", stack.urn);
const server = mock("magento:compute:Server", "magento-prod-haproxy-server", gateway.urn);
const eip = mock(EC2_EIP, "magento-prod-haproxy-server-eip", server.urn);
const rewrite = (specs: [StateResource, AliasSpec[]][] = []) =>
    toEngineUrns([stack, gateway, server, eip], new Map(specs.map(([r, s]) => [r.urn, s])), "magento", "prod");

describe("engine URNs of a capture", () => {
    it("qualify a grandchild with its parents' whole type chain, and references follow", () => {
        const [, , engineServer, engineEip] = rewrite();
        assert.strictEqual(
            engineEip.urn,
            "urn:pulumi:prod::magento::magento:operations:Gateway$magento:compute:Server$aws:ec2/eip:Eip::magento-prod-haproxy-server-eip",
        );
        assert.strictEqual(engineEip.parent, engineServer.urn);
        assert.deepStrictEqual(engineEip.dependencies, [engineServer.urn]);
        assert.strictEqual(
            rewrite()[1].urn,
            "urn:pulumi:prod::magento::magento:operations:Gateway::magento-prod-haproxy",
            "a child of the stack is not qualified by it",
        );
    });

    it("turn an alias spec into the old URN, the resource's own fields filling what the spec leaves empty", () => {
        const eipAliases = rewrite([[eip, [{ name: "magento-prod-haproxy-eip", parentUrn: "" }]]])[3].aliases;
        assert.deepStrictEqual(eipAliases, [
            "urn:pulumi:prod::magento::magento:operations:Gateway$magento:compute:Server$aws:ec2/eip:Eip::magento-prod-haproxy-eip",
        ]);
    });

    it("move a renamed component's children with it (the parent's alias, its name swapped into theirs)", () => {
        const resources = rewrite([[gateway, [{ name: "magento-prod-gw" }]]]);
        assert.ok(
            resources[3].aliases!.includes(
                "urn:pulumi:prod::magento::magento:operations:Gateway$magento:compute:Server$aws:ec2/eip:Eip::magento-prod-gw-server-eip",
            ),
            String(resources[3].aliases),
        );
    });
});

describe("an export read for a plan", () => {
    it("is rewritten to the engine's URNs when an older offline capture wrote the mock's (the grandchild), and a real one is left as it is", () => {
        const old = inEngineForm([stack, gateway, server, eip], "magento", "prod");
        assert.ok(
            old.rewritten > 0 && old.resources[3].urn.includes("Gateway$magento:compute:Server$aws:ec2/eip:Eip::"),
            old.resources[3].urn,
        );
        assert.strictEqual(inEngineForm(old.resources, "magento", "prod").rewritten, 0);
    });
});

describe("engine URNs of the prod update capture", () => {
    it("name the gateway's Elastic IP by its full chain and carry the aliases the program declares", async () => {
        const resources = await stackResources("prod", { preview: false });
        const eip = resources.find((r) => r.type === EC2_EIP && r.urn.endsWith("::magento-prod-haproxy-server-eip"))!;
        assert.ok(eip.urn.includes("::magento:operations:Gateway$magento:compute:Server$aws:ec2/eip:Eip::"), eip.urn);
        const bucket = resources.find((r) => r.urn.endsWith("$aws:s3/bucket:Bucket::magento-prod-buckets-config"))!;
        assert.ok(
            bucket.aliases!.some((a) => a.includes("$aws:s3/bucketV2:BucketV2::magento-prod-buckets-config")),
            String(bucket.aliases),
        );
    });
});
