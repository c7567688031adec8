// Where compute runs: the subnets (and so the AZs) of autoscaling groups and instances, read from property
// dependencies on this stack's subnets, which a preview knows even while every subnet id is still unknown.
import { PolicyResource } from "@pulumi/policy";
import { dependsOn, ofType } from "./stack";
import { AUTOSCALING_GROUP, EC2_INSTANCE, EC2_SUBNET } from "./types";

/** A subnet's AZ, by name or by id, as the program set it. */
export function azOf(subnet: PolicyResource): string {
    return String(subnet.props.availabilityZone ?? subnet.props.availabilityZoneId);
}

/** The subnets of this stack a server or an autoscaling group may run in. */
export function computeSubnets(compute: PolicyResource): PolicyResource[] {
    return dependsOn(compute, compute.type === AUTOSCALING_GROUP ? "vpcZoneIdentifiers" : "subnetId", EC2_SUBNET);
}

/** Every autoscaling group and instance of the stack, with the subnets it may run in. */
export function compute(
    resources: readonly PolicyResource[],
): { compute: PolicyResource; subnets: PolicyResource[] }[] {
    return ofType(resources, AUTOSCALING_GROUP, EC2_INSTANCE).map((c) => ({ compute: c, subnets: computeSubnets(c) }));
}
