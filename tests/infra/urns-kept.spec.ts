// A deployed resource keeps its URN: every URN the stacks had when this list was recorded is still declared, or is an
// alias of a resource that is (Pulumi then moves it in state instead of deleting it and creating a new one). A
// refactor that renames a component, moves a child to another parent or changes a type token fails here unless it
// carries the alias (docs/naming.md); a resource removed on purpose has its line deleted in the same change, and a
// resource added has its line added (RECORD_URNS=1 adds them; it never removes one).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { howToKeep, lostUrns } from "../../offline/kept-urns";
import { StateResource } from "../../offline/state";
import { toEngineUrns } from "../../offline/urns";
import { EC2_EIP } from "../../policies/lib/types";
import { PREPROD_NFS } from "../fixtures/stacks";
import { prefetch, ROOT, StackOptions, stackResources } from "../helpers/stacks";

/** Each recorded file and the stack it was recorded from: both stack files, and a stack on the NFS server (its data
 *  volumes are protected: a renamed NFS component would fail that stack's up at them). */
const RECORDS: [file: string, stack: string, opts?: StackOptions][] = [
    ["prod", "prod"],
    ["preprod", "preprod"],
    ["preprod-nfs", "preprod", { changes: PREPROD_NFS }],
];
prefetch(...RECORDS.map(([, stack, opts]): [string, StackOptions?] => [stack, opts]));

/** Set to record: the specs then add every URN the stacks declare that the record lacks (never remove one). */
const RECORD = process.env.RECORD_URNS === "1";

const recordFile = (file: string) => path.join(ROOT, "tests/fixtures/urns", `${file}.txt`);
const recordOf = (file: string) => fs.readFileSync(recordFile(file), "utf8").split("\n").filter(Boolean);

describe("URNs of deployed resources", () => {
    for (const [file, stack, opts] of RECORDS) {
        it(`${file}: every recorded URN is still declared or aliased`, async () => {
            const resources = await stackResources(stack, opts);
            const lost = lostUrns(recordOf(file), resources);
            assert.deepStrictEqual(
                lost.map((urn) => howToKeep(urn, lost, resources)),
                [],
            );
        });

        // A resource left out of the record is one whose later rename nothing catches (review M3,
        // docs/reviews/2026-12-session-11.md): a new resource adds its line in the change that adds it.
        it(`${file}: the record holds every URN the stack declares (RECORD_URNS=1 adds the new ones)`, async () => {
            const recorded = recordOf(file);
            const known = new Set(recorded);
            const added = (await stackResources(stack, opts))
                .map((r) => r.urn)
                .filter((urn) => !known.has(urn))
                .sort();
            if (RECORD && added.length > 0) {
                fs.writeFileSync(recordFile(file), [...recorded, ...added, ""].join("\n"));
                return;
            }
            assert.deepStrictEqual(
                added,
                [],
                `not in tests/fixtures/urns/${file}.txt: run RECORD_URNS=1 npx mocha ${path.relative(ROOT, __filename)}`,
            );
        });
    }

    it("is live: a protected resource renamed without an alias is lost, with the alias to add named; with the alias, the engine's derived URN answers", () => {
        const root: StateResource = {
            urn: "urn:pulumi:prod::magento::pulumi:pulumi:Stack::magento-prod",
            custom: false,
            type: "pulumi:pulumi:Stack",
        };
        const eip = (name: string): StateResource => ({
            urn: `urn:pulumi:prod::magento::${EC2_EIP}::${name}`,
            custom: true,
            type: EC2_EIP,
            parent: root.urn,
            protect: true,
        });
        const recorded = [`urn:pulumi:prod::magento::${EC2_EIP}::magento-prod-gateway-eip`];
        const renamed = eip("magento-prod-haproxy-eip");
        const without = toEngineUrns([root, renamed], new Map(), "magento", "prod");
        assert.deepStrictEqual(lostUrns(recorded, without), recorded);
        assert.match(howToKeep(recorded[0]), /aliases: \[\{ name: "magento-prod-gateway-eip" \}\]/);
        const aliased = toEngineUrns(
            [root, renamed],
            new Map([[renamed.urn, [{ name: "magento-prod-gateway-eip", parentUrn: "" }]]]),
            "magento",
            "prod",
        );
        assert.deepStrictEqual(lostUrns(recorded, aliased), []);
    });

    it("names the alias that keeps a URN: a retyped resource its old type, a child of a renamed component nothing of its own", () => {
        const stack = "urn:pulumi:prod::magento::";
        const declared = (urn: string): StateResource => ({ urn, custom: true, type: "t" });
        const retyped = howToKeep(
            `${stack}magento:web:Edge$aws:ec2/eip:Eip::magento-prod-edge-eip`,
            [],
            [declared(`${stack}magento:web:Edge$aws:ec2/eip:Eip2::magento-prod-edge-eip`)],
        );
        assert.match(retyped, /aliases: \[\{ type: "aws:ec2\/eip:Eip" \}\]/);
        const component = `${stack}magento:web:Edge::magento-prod-edge`;
        const child = `${stack}magento:web:Edge$aws:ec2/eip:Eip::magento-prod-edge-eip`;
        assert.match(
            howToKeep(child, [component, child]),
            /its parent magento-prod-edge is lost too: give the parent its alias/,
        );
        assert.match(howToKeep(component, [component, child]), /parent: pulumi\.rootStackResource/);
    });
});
