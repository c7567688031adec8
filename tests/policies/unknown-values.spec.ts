// Every rule of both packs on the worst preview: the real prod stack with every property of every resource not known
// yet (only types, URNs, options and property dependencies survive). No rule may crash or report a violation it cannot
// know; the SDK's own "can't run ... during preview" advisory is the only thing a rule may leave behind.
import * as assert from "assert";
import { StateResource } from "../../offline/state";
import { check, UNKNOWN } from "../helpers/packs";
import { stackResources } from "../helpers/stacks";

const allUnknown = (props: Record<string, unknown> | undefined) =>
    Object.fromEntries(Object.keys(props ?? {}).map((k) => [k, UNKNOWN]));

describe("every rule on a preview where nothing is known yet", () => {
    for (const pack of ["magento", "aws-baseline"]) {
        it(`${pack}: no crash, no violation, at most the SDK's can't-run-during-preview advisories`, async () => {
            const unknown: StateResource[] = (await stackResources("prod")).map((r) => ({
                ...r,
                inputs: allUnknown(r.inputs),
                outputs: allUnknown(r.outputs),
            }));
            const found = (await check(pack, unknown)).filter(
                (d) => !(d.level === "advisory" && /^can't run .* during preview/.test(d.message.split("\n").pop()!)),
            );
            assert.deepStrictEqual(
                found.map((d) => `${d.policy} ${d.level}: ${d.message}`),
                [],
            );
        });
    }
});
