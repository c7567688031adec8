import * as assert from "assert";
import { contains, overlaps, parseCidr } from "../../model/cidr";
import { deriveSubnetPlan, vpnClientCidr } from "../../stacks/subnets";

/** A deterministic stream of /16s over the whole IPv4 space. */
function* someSlash16s(count: number): Generator<string> {
    let seed = 42;
    for (let i = 0; i < count; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        yield `${seed % 256}.${(seed >> 8) % 256}.0.0/16`;
    }
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz".split("");

describe("subnet plan", () => {
    it("follows the operators' convention: public .1-.3, private .101-.103 for AZs a, b and c", () => {
        const plan = deriveSubnetPlan(parseCidr("10.20.0.0/16")!, ["eu-west-3a", "eu-west-3b", "eu-west-3c"]);
        assert.deepStrictEqual(plan.publicSubnetCidrs, {
            "eu-west-3a": "10.20.1.0/24",
            "eu-west-3b": "10.20.2.0/24",
            "eu-west-3c": "10.20.3.0/24",
        });
        assert.deepStrictEqual(plan.privateSubnetCidrs, {
            "eu-west-3a": "10.20.101.0/24",
            "eu-west-3b": "10.20.102.0/24",
            "eu-west-3c": "10.20.103.0/24",
        });
    });

    it("gives an AZ the same CIDRs wherever it stands in the list and whichever AZs are beside it", () => {
        const vpc = parseCidr("10.20.0.0/16")!;
        const built = deriveSubnetPlan(vpc, ["eu-west-3a", "eu-west-3c"]);
        for (const azs of [
            ["eu-west-3c", "eu-west-3a"],
            ["eu-west-3a", "eu-west-3b", "eu-west-3c"],
            ["eu-west-3b", "eu-west-3c", "eu-west-3a"],
        ]) {
            const plan = deriveSubnetPlan(vpc, azs);
            for (const az of ["eu-west-3a", "eu-west-3c"]) {
                assert.strictEqual(plan.publicSubnetCidrs[az], built.publicSubnetCidrs[az], `${azs}: ${az}`);
                assert.strictEqual(plan.privateSubnetCidrs[az], built.privateSubnetCidrs[az], `${azs}: ${az}`);
            }
        }
    });

    it("for any /16 and any AZ letters, every subnet is inside the VPC and none overlaps another or the VPN pool", () => {
        for (const text of someSlash16s(200)) {
            const vpc = parseCidr(text)!;
            const plan = deriveSubnetPlan(
                vpc,
                LETTERS.map((l) => `us-east-1${l}`),
            );
            const all = [
                ...Object.values(plan.publicSubnetCidrs),
                ...Object.values(plan.privateSubnetCidrs),
                vpnClientCidr(vpc),
            ].map((c) => parseCidr(c)!);
            assert.strictEqual(all.length, 2 * LETTERS.length + 1);
            all.forEach((s, i) => {
                assert.ok(contains(vpc, s), `${text}: ${i} outside`);
                all.slice(i + 1).forEach((t) => assert.ok(!overlaps(s, t), `${text}: overlap`));
            });
        }
    });
});
