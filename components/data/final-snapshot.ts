// Names the data tier's engine-dependent groups and final snapshots so that later updates and teardowns do not collide
// with what an earlier one left in AWS (docs/engine-versions.md, docs/teardown.md).
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** `<base>-<family>` with the family's dots as hyphens (mysql8.4 -> mysql8-4): a new family is a new resource beside the old. */
export function familyLogicalName(base: string, family: string): string {
    return `${base}-${family.replace(/[^A-Za-z0-9-]/g, "-")}`;
}

/**
 * `<name>-final-<8 hex digits>`: the suffix lives as long as the resource does. Its keepers are the inputs of the
 * resource whose change replaces it (offline/plan/forces-new.data.json): a replacement gets a new suffix, so the final
 * snapshot of the next life does not collide with the one the replaced resource left ("already exists"); any other
 * update sends the same name. A changed keeper replaces the RandomId (terraform-provider-random `keepers`:
 * https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/id), and a stack created again after
 * a destroy gets a new one too. The identifier is read only at deletion: changing it is an update in place (the
 * provider marks it "forces new" for neither resource:
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/website/docs/r/db_instance.html.markdown,
 * .../r/elasticache_replication_group.html.markdown).
 */
export function finalSnapshotName(
    parent: pulumi.Resource,
    name: string,
    replacedBy: Readonly<Record<string, pulumi.Input<string | boolean | number>>>,
): pulumi.Output<string> {
    const keepers = Object.fromEntries(
        Object.entries(replacedBy).map(([key, value]) => [key, pulumi.output(value).apply(String)]),
    );
    const suffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4, keepers }, { parent });
    return pulumi.interpolate`${name}-final-${suffix.hex}`;
}
