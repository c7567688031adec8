// Helpers shared by the packs' stack policies. They read only inputs a preview knows (property values set by the
// program, and property dependencies) so that a rule decides during preview, offline and on an exported stack alike.
import { PolicyResource } from "@pulumi/policy";
import { LOAD_BALANCERS } from "./types";
import { indices, known } from "./values";

/** Pack config key that names the production stacks, and its default: the same test in every context (URN). */
export const PRODUCTION_STACKS_SCHEMA = {
    productionStacks: {
        type: "array" as const,
        items: { type: "string" as const },
        default: ["prod", "production"],
        description: "Stack names treated as production (matched against each resource URN's stack).",
    },
};

export function stackOf(urn: string): string {
    return urn.slice("urn:pulumi:".length).split("::")[0];
}

/** True when the resource with this URN belongs to a stack listed in the policy's `productionStacks` config. */
export function isProductionUrn(urn: string, config: { productionStacks?: string[] }): boolean {
    return (config.productionStacks ?? PRODUCTION_STACKS_SCHEMA.productionStacks.default).includes(stackOf(urn));
}

/** True when the resources belong to a stack listed in the policy's `productionStacks` config. */
export function isProduction(resources: readonly PolicyResource[], config: { productionStacks?: string[] }): boolean {
    return resources.length > 0 && isProductionUrn(resources[0].urn, config);
}

/** What these helpers read of a resource: a policy's PolicyResource, or a resource of an exported stack (the docs). */
export interface StackResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, any>;
    readonly propertyDependencies: Record<string, StackResource[]>;
}

export function ofType<R extends StackResource>(resources: readonly R[], ...types: string[]): R[] {
    return resources.filter((r) => types.includes(r.type));
}

/** The resources a property of `r` was computed from (e.g. the VPC behind a subnet's `vpcId`), of the given types. */
export function dependsOn<R extends StackResource>(r: R, property: string, ...types: string[]): R[] {
    return (r.propertyDependencies[property] ?? []).filter((d) => types.length === 0 || types.includes(d.type)) as R[];
}

/** The value of an autoscaling group's tag (its tags are a list of {key, value, propagateAtLaunch}). */
export function groupTag(group: PolicyResource, key: string): string | undefined {
    const tags = known(group.props, "tags");
    const index = indices(tags).find((i) => known(tags, i, "key") === key);
    const value = index === undefined ? undefined : known(tags, index, "value");
    return typeof value === "string" ? value : undefined;
}

/** Application load balancers that face the internet (`internal` not set true): the shop's front door. */
export function internetFacingBalancers(resources: readonly PolicyResource[]): PolicyResource[] {
    return ofType(resources, ...LOAD_BALANCERS).filter(
        (lb) =>
            known(lb.props, "internal") !== true &&
            [undefined, "application"].includes(known(lb.props, "loadBalancerType") as string | undefined),
    );
}
