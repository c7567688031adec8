// A server mounts EFS through the mount target of its own AZ (the file system's DNS name resolves to it): a server in
// an AZ without one cannot mount the shared folders, so the group that replaces servers there after losing another AZ
// comes up without media. Every EFS file system in a VPC has a mount target in each AZ where that VPC runs compute.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { azOf, compute } from "../../lib/placement";
import { dependsOn, ofType } from "../../lib/stack";
import { EC2_SUBNET } from "../../lib/types";

const FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
const MOUNT_TARGET = "aws:efs/mountTarget:MountTarget";
const VPC = "aws:ec2/vpc:Vpc";

const vpcOf = (subnet: PolicyResource) => dependsOn(subnet, "vpcId", VPC)[0];

export const efsInEveryComputeAz: StackValidationPolicy = {
    name: "efs-in-every-compute-az",
    description: "Every EFS file system has a mount target in each AZ where its VPC runs servers or autoscaling groups.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const servers = compute(args.resources);
        for (const fs of ofType(args.resources, FILE_SYSTEM)) {
            const targets = ofType(args.resources, MOUNT_TARGET)
                .filter((t) => dependsOn(t, "fileSystemId", FILE_SYSTEM).includes(fs))
                .flatMap((t) => dependsOn(t, "subnetId", EC2_SUBNET));
            const vpcs = new Set(targets.map(vpcOf));
            const served = new Set(targets.map(azOf));
            for (const { compute: c, subnets } of servers) {
                const missing = [...new Set(subnets.filter((s) => vpcs.has(vpcOf(s))).map(azOf))].filter((az) => !served.has(az)).sort();
                if (missing.length > 0) {
                    reportViolation(`EFS file system ${fs.name} has no mount target in ${missing.join(", ")}, where ${c.name} runs: ` +
                        "a server there cannot mount the shared folders. Add a mount target in a subnet of each AZ that has compute.", fs.urn);
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [FILE_SYSTEM, MOUNT_TARGET, EC2_SUBNET, "aws:autoscaling/group:Group", "aws:ec2/instance:Instance"],
    decides: "Decides during preview from the subnets' AZ names and the property dependencies between mount targets, subnets and compute.",
    controls: controls({}),
};
