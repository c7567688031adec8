// Who reaches a resource, read from the captured stack the way an operator reads security groups: "source -> port".
import { StateResource } from "../../offline/state";
import { EC2_SECURITY_GROUP, VPC_SECURITY_GROUP_INGRESS_RULE } from "../../policies/lib/types";
import { ofType, via } from "./stacks";

/** The resource of `type` whose URN ends with `suffix`. */
export const named = (resources: StateResource[], type: string, suffix: string): StateResource =>
    ofType(resources, type).find((r) => r.urn.endsWith(suffix))!;

/** A tier's short name from its security group (magento-prod-web-sg -> web). */
const tierOf = (group: StateResource) =>
    group.urn
        .split("::")
        .pop()!
        .replace(/^magento-\w+-/, "")
        .replace(/-sg$/, "");

/**
 * "source -> tcp/port(-port)" for every ingress rule of the groups behind a resource's `property` (its security group
 * ids); the source is the tier of a referenced group, or the CIDR admitted.
 */
export function reachability(resources: StateResource[], target: StateResource, property: string): string[] {
    const groups = via(resources, target, property).filter((g) => g.type === EC2_SECURITY_GROUP);
    return ofType(resources, VPC_SECURITY_GROUP_INGRESS_RULE)
        .filter((rule) => via(resources, rule, "securityGroupId").some((g) => groups.includes(g)))
        .map((rule) => {
            const i = rule.inputs!;
            const source =
                [i.cidrIpv4, i.cidrIpv6].filter(Boolean).join() ||
                via(resources, rule, "referencedSecurityGroupId").map(tierOf).join();
            const ports = i.fromPort === i.toPort ? `${i.fromPort}` : `${i.fromPort}-${i.toPort}`;
            return `${source} -> ${i.ipProtocol}/${ports}`;
        })
        .sort();
}
