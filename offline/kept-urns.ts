// The recorded URNs a program no longer answers to (tests/fixtures/urns/, tests/infra/urns-kept.spec.ts): a URN is the
// resource's identity in the state, and a rename or a new parent without an alias makes the engine delete the old
// resource and create a new, empty one (or stop at a protected one). Each lost URN comes with how to keep it.
import { StateResource } from "./state";

/** The recorded URNs nothing in the program answers to: no resource has it, and none has it as an alias. */
export function lostUrns(recorded: readonly string[], resources: readonly StateResource[]): string[] {
    const answered = new Set(resources.flatMap((r) => [r.urn, ...(r.aliases ?? [])]));
    return recorded.filter((urn) => !answered.has(urn));
}

/** How to keep a lost URN: its old name (and parent) as an alias on the resource (Pulumi's `aliases` option). */
export function howToKeep(urn: string): string {
    const name = urn.split("::").pop();
    return (
        `${urn}: gone, renamed or moved. Renamed: give the resource the option \`aliases: [{ name: "${name}" }]\`; ` +
        `moved to another parent: \`aliases: [{ name: "${name}", parent: <its old parent> }]\` (or \`noParent: true\` ` +
        "from the stack's root; https://www.pulumi.com/docs/iac/concepts/options/aliases/), so the engine moves its " +
        "state. Removed on purpose: delete its line from tests/fixtures/urns/ in the same change (docs/naming.md)."
    );
}
