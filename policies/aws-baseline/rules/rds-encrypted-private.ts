// Databases hold customers' orders and addresses: encrypted at rest, and reachable only from inside the VPC.
// RDS encrypts only at creation, so a database created unencrypted needs a snapshot copy and a restore to fix.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/types";
import { controls, RuleMetadata } from "../../lib/metadata";

/** Aurora's instances carry the public-access switch; the cluster carries the encryption. */

export const rdsEncryptedPrivate: ResourceValidationPolicy = {
    name: "rds-encrypted-private",
    description: "RDS instances and clusters encrypt their storage and are not publicly accessible.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if ((args.type === RDS_INSTANCE || args.type === RDS_CLUSTER) && args.props.storageEncrypted !== true) {
            reportViolation(
                `Database ${args.name} stores its data unencrypted; set storageEncrypted: true ` +
                    "(RDS encrypts only at creation: an existing database needs an encrypted snapshot copy and a restore).",
            );
        }
        if (
            (args.type === RDS_INSTANCE || args.type === RDS_CLUSTER_INSTANCE) &&
            args.props.publiclyAccessible === true
        ) {
            reportViolation(
                `Database ${args.name} is publicly accessible; databases are reached only from inside the VPC: ` +
                    "set publiclyAccessible: false and admit the application's security groups.",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE],
    decides: "Decides during preview from storageEncrypted and publiclyAccessible as written.",
    remediation:
        "Set storageEncrypted true (with a KMS key) and publiclyAccessible false; an unencrypted instance is encrypted by restoring an encrypted copy of its snapshot.",
    controls: controls({
        securityHub: ["RDS.2", "RDS.3", "RDS.27"],
        awsConfig: ["rds-storage-encrypted", "rds-instance-public-access-check"],
        checkov: ["CKV_AWS_16", "CKV_AWS_17"],
        trivy: ["AVD-AWS-0080", "AVD-AWS-0180"],
    }),
};
