// What an update may do to protected resources, decided once for the whole program (docs/day-two.md): the resources
// `magento:allowReplace` names lose `protect` for this update, so the migration it describes can replace or delete
// them. Pulumi allows unprotecting and replacing in one update (pulumi/pulumi pkg/resource/deploy/step_generator.go:
// a replacement is refused only when the old and the new state are both protected).
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../stacks/stack-config";

/** Registers, before any resource exists, the transformation that applies the stack's lifecycle settings. */
export function applyLifecycle(config: Pick<StackConfig, "allowReplace">): void {
    const allowed = new Set(config.allowReplace);
    pulumi.runtime.registerStackTransformation((args) => (allowed.has(args.name) ? { props: args.props, opts: { ...args.opts, protect: false } } : undefined));
}
