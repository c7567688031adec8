// What an update may do to protected resources, decided once for the whole program (docs/day-two.md): the resources
// `magento:allowReplace` names lose `protect` for this update, so the migration it describes can replace or delete
// them. Pulumi allows unprotecting and replacing in one update (pulumi/pulumi pkg/resource/deploy/step_generator.go:
// a replacement is refused only when the old and the new state are both protected).
// With `magento:teardown`, the update instead prepares the stack for `pulumi destroy` (docs/teardown.md): `destroy`
// deletes with the options and inputs the last update recorded, so they must be set by an `up` first.
import * as pulumi from "@pulumi/pulumi";
import { SET_AT_CREATION } from "../components/data/database";
import { DISPOSABLE_TAG } from "../policies/lib/contracts";
import { StackConfig } from "../stacks/stack-config";

type Args = pulumi.ResourceTransformationArgs;
type Result = pulumi.ResourceTransformationResult | undefined;

/** Registers, before any resource exists, the transformation that applies the stack's lifecycle settings. */
export function applyLifecycle(config: Pick<StackConfig, "allowReplace" | "teardown" | "production">): void {
    const allowed = new Set(config.allowReplace);
    const teardown = config.teardown ? teardownTransformation(config.production) : undefined;
    pulumi.runtime.registerStackTransformation(
        (args) =>
            teardown?.(args) ??
            (allowed.has(args.name) ? { props: args.props, opts: replaceable(args.opts) } : undefined),
    );
}

/**
 * A resource named to be replaced loses `protect`, and the ignoring of what it is created from: a database read from a
 * snapshot at creation only is restored anew by the replacement the name allows (docs/migration.md).
 */
function replaceable(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return {
        ...opts,
        protect: false,
        ignoreChanges: opts.ignoreChanges?.filter((p) => !SET_AT_CREATION.includes(p)),
    };
}

/** Inputs AWS checks when it deletes, set so that the delete succeeds (docs/teardown.md, with the sources). */
const DELETABLE: Readonly<Record<string, Record<string, unknown>>> = {
    // Deletion protection, and applyImmediately so that turning it off is not left for the maintenance window.
    "aws:rds/instance:Instance": { deletionProtection: false, applyImmediately: true },
    "aws:elasticache/replicationGroup:ReplicationGroup": { applyImmediately: true },
    "aws:lb/loadBalancer:LoadBalancer": { enableDeletionProtection: false },
    // 0: deleted at once, so that a stack created again under the same name can create its named secrets.
    "aws:secretsmanager/secret:Secret": { recoveryWindowInDays: 0 },
};
/**
 * Kept in AWS on a replacement because an instance may still hold them; with the instances gone they can go too: a
 * snapshot does not hold a parameter group (a restore takes the default one unless told), nor an ElastiCache one.
 */
const PARAMETER_GROUPS = ["aws:rds/parameterGroup:ParameterGroup", "aws:elasticache/parameterGroup:ParameterGroup"];
const BUCKET = "aws:s3/bucket:Bucket";

/**
 * Teardown: every resource loses `protect` (production keeps it: `pulumi state unprotect --all` is the procedure's last
 * step), AWS's own safeguards are turned off, a bucket tagged Disposable is emptied by the delete (forceDestroy), any
 * other bucket is kept with its configuration (its siblings share its logical name, components/storage/secure-bucket.ts).
 * What outlives the stack besides: the storage key (DataKey's outlivesStack) and the service-linked roles.
 */
function teardownTransformation(production: boolean): (args: Args) => Result {
    const keptBuckets = new Set<string>();
    return (args) => {
        const props = { ...args.props, ...DELETABLE[args.type] };
        const opts: pulumi.CustomResourceOptions = { ...args.opts, protect: production && args.opts.protect === true };
        if (PARAMETER_GROUPS.includes(args.type)) {
            opts.retainOnDelete = false;
        }
        if (args.type === BUCKET) {
            const disposable = (args.props.tags as Record<string, unknown> | undefined)?.[DISPOSABLE_TAG] !== undefined;
            props.forceDestroy = disposable;
            if (!disposable) {
                keptBuckets.add(args.name);
            }
        }
        if (args.type.startsWith("aws:s3/") && keptBuckets.has(args.name)) {
            opts.retainOnDelete = true;
        }
        return { props, opts };
    };
}
