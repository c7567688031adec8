// Shared media (product images, exported orders) lives on EFS. EFS encrypts only at creation: an unencrypted file
// system can only be replaced by a new one and a copy, so it is caught before it exists.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { EFS_FILE_SYSTEM } from "../../lib/types";

export const efsEncrypted: ResourceValidationPolicy = {
    name: "efs-encrypted",
    description: "EFS file systems are encrypted at rest.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === EFS_FILE_SYSTEM && args.props.encrypted !== true) {
            reportViolation(
                `EFS file system ${args.name} is not encrypted at rest; set encrypted: true ` +
                    "(EFS encrypts only at creation: later it takes a new file system and a copy).",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EFS_FILE_SYSTEM],
    decides: "Decides during preview from the file system's encrypted flag.",
    remediation:
        "Create the file system with encrypted: true (and a KMS key); encryption at rest cannot be added later, so a new file system and a copy of the data are needed for an existing one.",
    controls: controls({
        securityHub: ["EFS.1"],
        awsConfig: ["efs-encrypted-check"],
        checkov: ["CKV_AWS_42"],
        trivy: ["AVD-AWS-0037"],
    }),
};
