// Databases hold customers' orders and addresses: encrypted at rest, and reachable only from inside the VPC.
// RDS encrypts only at creation, so a database created unencrypted needs a snapshot copy and a restore to fix.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { RDS_CLUSTER, RDS_INSTANCE } from "../../lib/types";

/** Aurora's instances carry the public-access switch; the cluster carries the encryption. */
const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

export const rdsEncryptedPrivate: ResourceValidationPolicy = {
    name: "rds-encrypted-private",
    description: "RDS instances and clusters encrypt their storage and are not publicly accessible.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if ((args.type === RDS_INSTANCE || args.type === RDS_CLUSTER) && args.props.storageEncrypted !== true) {
            reportViolation(`Database ${args.name} stores its data unencrypted; set storageEncrypted: true ` +
                "(RDS encrypts only at creation: an existing database needs an encrypted snapshot copy and a restore).");
        }
        if ((args.type === RDS_INSTANCE || args.type === RDS_CLUSTER_INSTANCE) && args.props.publiclyAccessible === true) {
            reportViolation(`Database ${args.name} is publicly accessible; databases are reached only from inside the VPC: ` +
                "set publiclyAccessible: false and admit the application's security groups.");
        }
    },
};
