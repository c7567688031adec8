// The recorded URNs a program no longer answers to (tests/fixtures/urns/, tests/infra/urns-kept.spec.ts): a URN is the
// resource's identity in the state, and a rename or a new parent without an alias makes the engine delete the old
// resource and create a new, empty one (or stop at a protected one). Each lost URN comes with how to keep it.
import { StateResource, urnName } from "./state";

/** The recorded URNs nothing in the program answers to: no resource has it, and none has it as an alias. */
export function lostUrns(recorded: readonly string[], resources: readonly StateResource[]): string[] {
    const answered = new Set(resources.flatMap((r) => [r.urn, ...(r.aliases ?? [])]));
    return recorded.filter((urn) => !answered.has(urn));
}

/** A URN's type chain (the parents' types, then its own) and name: urn:pulumi:<stack>::<project>::<chain>::<name>. */
function partsOf(urn: string): { chain: string[]; name: string } {
    return { chain: urn.split("::")[2].split("$"), name: urnName(urn) };
}

const ALIASES = "https://www.pulumi.com/docs/iac/concepts/options/aliases/";

/**
 * How to keep the lost URN `urn` (docs/naming.md, "Keeping a URN"), given the other URNs lost with it and what the
 * program declares now: a child whose parent component is lost too moves with the parent's alias; a resource declared
 * under its old name and parent with another type takes its old type; anything else was renamed or moved.
 */
export function howToKeep(urn: string, lost: readonly string[] = [], resources: readonly StateResource[] = []): string {
    const { chain, name } = partsOf(urn);
    const parentChain = chain.slice(0, -1).join("$");
    const removed =
        "Removed on purpose: delete its line from tests/fixtures/urns/ in the same change (docs/naming.md).";
    const parent = lost.map(partsOf).find((p) => parentChain !== "" && p.chain.join("$") === parentChain);
    if (parent) {
        return `${urn}: its parent ${parent.name} is lost too: give the parent its alias; its children move with it (${ALIASES}). ${removed}`;
    }
    const retyped = resources
        .map((r) => partsOf(r.urn))
        .find(
            (r) => r.name === name && r.chain.slice(0, -1).join("$") === parentChain && r.chain.at(-1) !== chain.at(-1),
        );
    if (retyped) {
        return `${urn}: its type changed to ${retyped.chain.at(-1)}: give the resource the option \`aliases: [{ type: "${chain.at(-1)}" }]\` (${ALIASES}). ${removed}`;
    }
    return (
        `${urn}: gone, renamed or moved. Renamed: give the resource the option \`aliases: [{ name: "${name}" }]\`; ` +
        `moved to another parent: \`aliases: [{ name: "${name}", parent: <its old parent resource> }]\` (from the ` +
        `stack's root: \`parent: pulumi.rootStackResource\`; ${ALIASES}), so the engine moves its state. ${removed}`
    );
}
