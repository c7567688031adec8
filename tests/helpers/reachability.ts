// Who reaches what, read from security groups alone: each ingress rule of a resource's groups as "source -> port".
import * as assert from "assert";
import { StateResource } from "../../offline/state";
import { ofType, via } from "./stacks";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** The resource of `type` whose URN ends with `suffix`. */
export const named = (resources: StateResource[], type: string, suffix: string): StateResource =>
    ofType(resources, type).find((r) => r.urn.endsWith(suffix))!;

/** The tier a security group stands for, from its name: magento-prod-web-sg -> web. */
export const tierOf = (group: StateResource): string => group.urn.split("::").pop()!.replace(/^magento-\w+-/, "").replace(/-sg$/, "");

/** "source -> protocol/port" for every ingress rule of the groups behind `property` of `target` (a CIDR or a tier). */
export function reachability(resources: StateResource[], target: StateResource, property: string, opts: { cidrs?: boolean } = {}): string[] {
    const groups = via(resources, target, property).filter((g) => g.type === SG);
    return ofType(resources, INGRESS)
        .filter((rule) => via(resources, rule, "securityGroupId").some((g) => groups.includes(g)))
        .map((rule) => {
            const cidr = (rule.inputs!.cidrIpv4 ?? rule.inputs!.cidrIpv6) as string | undefined;
            if (!opts.cidrs) {
                assert.strictEqual(cidr, undefined, `${rule.urn} admits a CIDR`);
            }
            const source = cidr ?? via(resources, rule, "referencedSecurityGroupId").map(tierOf).join();
            const ports = rule.inputs!.fromPort === rule.inputs!.toPort ? `${rule.inputs!.fromPort}` : `${rule.inputs!.fromPort}-${rule.inputs!.toPort}`;
            return `${source} -> ${rule.inputs!.ipProtocol}/${ports}`;
        })
        .sort();
}
