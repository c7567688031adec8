// A server mounts EFS through the mount target of its own AZ (the file system's DNS name resolves to it): a server in
// an AZ without one cannot mount the shared folders, so the group that replaces servers there after losing another AZ
// comes up without media. Every EFS file system in a VPC has a mount target in each AZ where that VPC runs compute.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { azOf, compute } from "../../lib/placement";
import { dependsOn, ofType } from "../../lib/stack";
import {
    AUTOSCALING_GROUP,
    EC2_INSTANCE,
    EC2_SUBNET,
    EC2_VPC,
    EFS_FILE_SYSTEM,
    EFS_MOUNT_TARGET,
} from "../../lib/types";

const vpcOf = (subnet: PolicyResource) => dependsOn(subnet, "vpcId", EC2_VPC)[0];

export const efsInEveryComputeAz: StackValidationPolicy = {
    name: "efs-in-every-compute-az",
    description:
        "Every EFS file system has a mount target in each AZ where its VPC runs servers or autoscaling groups.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const servers = compute(args.resources);
        for (const fs of ofType(args.resources, EFS_FILE_SYSTEM)) {
            const targets = ofType(args.resources, EFS_MOUNT_TARGET)
                .filter((t) => dependsOn(t, "fileSystemId", EFS_FILE_SYSTEM).includes(fs))
                .flatMap((t) => dependsOn(t, "subnetId", EC2_SUBNET));
            const vpcs = new Set(targets.map(vpcOf));
            const served = new Set(targets.map(azOf));
            for (const { compute: c, subnets } of servers) {
                const missing = [...new Set(subnets.filter((s) => vpcs.has(vpcOf(s))).map(azOf))]
                    .filter((az) => !served.has(az))
                    .sort();
                if (missing.length > 0) {
                    reportViolation(
                        `EFS file system ${fs.name} has no mount target in ${missing.join(", ")}, where ${c.name} runs: ` +
                            "a server there cannot mount the shared folders. Add a mount target in a subnet of each AZ that has compute.",
                        fs.urn,
                    );
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EFS_FILE_SYSTEM, EFS_MOUNT_TARGET, EC2_SUBNET, AUTOSCALING_GROUP, EC2_INSTANCE],
    decides:
        "Decides during preview from the subnets' AZ names and the property dependencies between mount targets, subnets and compute.",
    remediation: "Create a mount target in every AZ where servers or autoscaling groups of the VPC run.",
    controls: controls({}),
};
