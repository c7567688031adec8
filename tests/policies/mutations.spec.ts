// The packs catch what they claim: each mutation of tests/policies/mutations.ts changes one guarded property of a real
// stack's export (captured as after an update, every value known), both packs run over it as `policy:check` runs
// them (dryRun false), and exactly the intended rule(s) newly fire, with a mandatory violation. The clean exports,
// with and without their secrets' values, pass both packs. A pack answers Analyze from the request alone, so for a
// mutated stack only the resources whose request changed are asked again; AnalyzeStack always sees the whole stack.
import * as assert from "assert";
import { Diagnostic } from "../../offline/analyzer";
import { providerUrn, StateResource } from "../../offline/state";
import { redactSecrets } from "../../offline/wire";
import { PACKS } from "../../offline/docs/rules";
import { check } from "../helpers/packs";
import { stackResources } from "../helpers/stacks";
import { Mutation, MUTATIONS, StackName } from "./mutations";

/** Mutations analysed at once: the pack servers answer while the next stack is being serialised. */
const CONCURRENCY = 4;

async function diagnostics(resources: readonly StateResource[], only?: ReadonlySet<string>): Promise<Diagnostic[]> {
    return (await Promise.all(PACKS.map((pack) => check(pack, resources, { dryRun: false }, only)))).flat();
}

/** The resources whose Analyze request differs from the clean stack's: changed themselves, or their provider changed. */
function changedUrns(clean: readonly StateResource[], mutated: readonly StateResource[]): Set<string> {
    const before = new Map(clean.map((r) => [r.urn, JSON.stringify(r)]));
    const changed = new Set(mutated.filter((r) => before.get(r.urn) !== JSON.stringify(r)).map((r) => r.urn));
    const providerChanged = (r: StateResource) => r.provider !== undefined && changed.has(providerUrn(r.provider));
    return new Set(mutated.filter((r) => changed.has(r.urn) || providerChanged(r)).map((r) => r.urn));
}

const firing = (found: readonly Diagnostic[]) => new Set(found.map((d) => d.policy));

type Result = { fresh: string[]; mandatory: boolean } | Error;

/** Both packs over each clean export, then over every mutation of it. */
async function analyseMutations(): Promise<Map<Mutation, Result>> {
    const results = new Map<Mutation, Result>();
    const exports = new Map<StackName, StateResource[]>();
    const baseline = new Map<StackName, Set<string>>();
    for (const stack of ["prod", "preprod"] as const) {
        exports.set(stack, await stackResources(stack, { preview: false }));
        const found = await diagnostics(exports.get(stack)!);
        assert.deepStrictEqual(
            found.filter((d) => d.level === "mandatory"),
            [],
            `the clean ${stack} export has mandatory violations`,
        );
        baseline.set(stack, firing(found));
        // As `pulumi stack export` writes it (secrets as ciphertext), which is what policy:check usually reads.
        const redacted = await diagnostics(exports.get(stack)!.map((r) => redactSecrets(r) as StateResource));
        assert.deepStrictEqual(
            redacted.filter((d) => d.level === "mandatory"),
            [],
            `the ${stack} export without secrets has mandatory violations`,
        );
    }
    const run = async (m: Mutation) => {
        try {
            const copy = structuredClone(exports.get(m.stack)!);
            m.apply(copy, m.stack);
            const found = await diagnostics(copy, changedUrns(exports.get(m.stack)!, copy));
            const fresh = [...firing(found)].filter((p) => !baseline.get(m.stack)!.has(p)).sort();
            results.set(m, {
                fresh,
                mandatory: found.some((d) => m.rules.includes(d.policy) && d.level === "mandatory"),
            });
        } catch (e) {
            results.set(m, e as Error);
        }
    };
    for (let i = 0; i < MUTATIONS.length; i += CONCURRENCY) {
        await Promise.all(MUTATIONS.slice(i, i + CONCURRENCY).map(run));
    }
    return results;
}

describe("mutations of the real stacks: each caught by its rule, and only by it", function () {
    // Started when the spec loads, as captures are: the packs work through the mutations while earlier specs run.
    const analysed = analyseMutations();
    analysed.catch(() => undefined); // a failure fails the hook below, not the run
    let results = new Map<Mutation, Result>();

    before(async function () {
        this.timeout(300_000);
        results = await analysed;
    });

    for (const m of MUTATIONS) {
        it(`${m.stack}: ${m.change} -> ${m.rules.join(" + ")}`, () => {
            const result = results.get(m);
            if (result instanceof Error) {
                throw result;
            }
            assert.deepStrictEqual(result?.fresh, [...m.rules].sort());
            assert.ok(result.mandatory, "caught, but not as a mandatory violation");
        });
    }

    it("catches every mutation tried: at least 25, over at least 15 rules", () => {
        const caught = MUTATIONS.filter((m) => {
            const r = results.get(m);
            return (
                !(r instanceof Error) &&
                r !== undefined &&
                r.mandatory &&
                JSON.stringify(r.fresh) === JSON.stringify([...m.rules].sort())
            );
        });
        console.log(`      ${MUTATIONS.length} mutations tried, ${caught.length} caught`);
        assert.strictEqual(caught.length, MUTATIONS.length);
        assert.ok(MUTATIONS.length >= 25);
        assert.ok(new Set(MUTATIONS.flatMap((m) => m.rules)).size >= 15);
    });
});
