// EBS volumes in this estate hold data that outlives servers (Rundeck's jobs, the NFS shares, the Windows host's
// disks): encrypted, and protected so that neither a destroy nor a refactored component deletes them.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { EBS_VOLUME } from "../../lib/types";

export const ebsVolumesProtected: ResourceValidationPolicy = {
    name: "ebs-volumes-protected",
    description: "EBS data volumes are encrypted and carry the protect resource option.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== EBS_VOLUME) {
            return;
        }
        if (args.props.encrypted !== true) {
            reportViolation(
                `EBS volume ${args.name} is not encrypted; set encrypted: true (EBS encrypts only at creation: later it takes a snapshot copy).`,
            );
        }
        if (args.opts.protect !== true) {
            reportViolation(
                `EBS volume ${args.name} is not protected; create it with the protect option so no destroy or replaced component deletes its data.`,
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EBS_VOLUME],
    decides: "Decides during preview from the volume's encrypted flag and its protect resource option.",
    remediation:
        "Encrypt the volume (encrypted: true, with the stack's KMS key) and create it with the protect resource option.",
    controls: controls({
        securityHub: ["EC2.3"],
        awsConfig: ["encrypted-volumes"],
        checkov: ["CKV_AWS_3"],
        trivy: ["AVD-AWS-0026"],
    }),
};
