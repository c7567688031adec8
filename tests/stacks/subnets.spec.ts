import * as assert from "assert";
import { contains, overlaps, parseCidr } from "../../stacks/cidr";
import { deriveSubnetPlan } from "../../stacks/subnets";

/** A deterministic stream of /16s over the whole IPv4 space. */
function* someSlash16s(count: number): Generator<string> {
    let seed = 42;
    for (let i = 0; i < count; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        yield `${seed % 256}.${(seed >> 8) % 256}.0.0/16`;
    }
}

describe("subnet plan", () => {
    it("follows the operators' convention: public .1-.3, private .101-.103", () => {
        const plan = deriveSubnetPlan(parseCidr("10.20.0.0/16")!, 3);
        assert.deepStrictEqual(plan.publicSubnetCidrs, ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"]);
        assert.deepStrictEqual(plan.privateSubnetCidrs, ["10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"]);
    });

    it("for any /16 and 1 to 6 AZs, every subnet is inside the VPC and no two overlap", () => {
        for (const text of someSlash16s(500)) {
            const vpc = parseCidr(text)!;
            for (let azs = 1; azs <= 6; azs++) {
                const plan = deriveSubnetPlan(vpc, azs);
                const all = [...plan.publicSubnetCidrs, ...plan.privateSubnetCidrs].map((c) => parseCidr(c)!);
                assert.strictEqual(all.length, 2 * azs);
                all.forEach((s, i) => {
                    assert.ok(contains(vpc, s), `${text}: ${i} outside`);
                    all.slice(i + 1).forEach((t) => assert.ok(!overlaps(s, t), `${text}: overlap`));
                });
            }
        }
    });
});
