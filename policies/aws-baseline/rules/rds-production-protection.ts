// A production database must survive a mistaken delete or replacement: deletion protection, a final snapshot on
// delete, and point-in-time backups kept long enough to notice a bad import (AWS keeps 1 day unless told otherwise).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isProductionUrn, PRODUCTION_STACKS_SCHEMA } from "../../lib/stack";
import { RDS_CLUSTER, RDS_INSTANCE } from "../../lib/types";
import { controls, RuleMetadata } from "../../lib/metadata";

const MIN_BACKUP_DAYS = 7;

interface Config {
    productionStacks?: string[];
    minBackupDays?: number;
}

export const rdsProductionProtection: ResourceValidationPolicy = {
    name: "rds-production-protection",
    description:
        "Production RDS instances and clusters have deletion protection, backups kept for a week, and a final snapshot.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...PRODUCTION_STACKS_SCHEMA,
            minBackupDays: {
                type: "integer",
                default: MIN_BACKUP_DAYS,
                minimum: 1,
                maximum: 35,
                description: "Fewest days a production database keeps automated backups.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        if ((args.type !== RDS_INSTANCE && args.type !== RDS_CLUSTER) || !isProductionUrn(args.urn, config)) {
            return;
        }
        const minDays = config.minBackupDays ?? MIN_BACKUP_DAYS;
        if (args.props.deletionProtection !== true) {
            reportViolation(
                `Production database ${args.name} has no deletion protection; set deletionProtection: true ` +
                    "so that a destroy or a replacement cannot drop its data.",
            );
        }
        const days = args.props.backupRetentionPeriod;
        if (typeof days !== "number" || days < minDays) {
            const kept = typeof days !== "number" ? "the default 1 day" : days === 1 ? "1 day" : `${days} days`;
            reportViolation(
                `Database ${args.name} keeps backups ${kept}; production needs at least ${minDays} (backupRetentionPeriod).`,
            );
        }
        if (args.props.skipFinalSnapshot === true) {
            reportViolation(
                `Production database ${args.name} skips the final snapshot on delete; ` +
                    "set skipFinalSnapshot: false and a finalSnapshotIdentifier so that deleting it leaves a snapshot to restore.",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [RDS_INSTANCE, RDS_CLUSTER],
    decides:
        "Decides during preview from deletionProtection, backupRetentionPeriod and skipFinalSnapshot as written, and the stack name.",
    remediation:
        "Set deletionProtection true, backupRetentionPeriod 7 or more, skipFinalSnapshot false with a finalSnapshotIdentifier.",
    controls: controls({
        securityHub: ["RDS.7", "RDS.8", "RDS.11"],
        awsConfig: ["rds-instance-deletion-protection-enabled", "db-instance-backup-enabled"],
        checkov: ["CKV_AWS_133", "CKV_AWS_293"],
        trivy: ["AVD-AWS-0077"],
    }),
};
