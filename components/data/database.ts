// A MySQL 8.4 database on RDS, tuned for Magento 2, reachable only from its clients' security groups, with a master
// password that RDS generates and keeps in Secrets Manager (never in code, config, state or user data).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_DAILY, BACKUP_TAG } from "../../policies/lib/contracts";
import { familyLogicalName, finalSnapshotName } from "./final-snapshot";
import { Client, serviceSecurityGroup } from "../network/clients";
import { serviceTrustPolicy } from "../security/trust-policy";

export interface DatabaseArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ: the standby of a Multi-AZ database lands in another AZ than the primary. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Tiers allowed to connect on 3306. */
    readonly clients: readonly Client[];
    /** Schema created at launch. */
    readonly databaseName: string;
    readonly instanceClass: string;
    readonly allocatedStorageGb: number;
    /** Storage autoscaling ceiling. */
    readonly maxAllocatedStorageGb: number;
    readonly backupRetentionDays: number;
    /** A synchronous standby in another AZ (production). */
    readonly multiAz: boolean;
    /** Modifications apply in this update (with the restart they need), not in the maintenance window. */
    readonly applyImmediately: boolean;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The key of the managed master secret, for an instance created from now on: RDS keeps a deployed instance's
     *  (docs/access.md, "Moving the secrets"). */
    readonly secretsKmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
    /** A manual DB snapshot (identifier or ARN) to create the instance from, read at creation only (docs/migration.md). */
    readonly snapshotIdentifier?: string;
}

export const MYSQL_PORT = 3306;
/**
 * What a snapshot decides at creation, each forcing a new instance (offline/plan/forces-new.data.json): the snapshot,
 * and the master user and schema, which the snapshot brings (the provider reads them back: optional and computed).
 * Ignored after creation, so that editing or removing the snapshot key never replaces the database (an ignored input
 * the old state lacks is left out); a restore over a deployed database is a replacement magento:allowReplace names,
 * which lifts them (infra/lifecycle.ts).
 */
export const SET_AT_CREATION = ["snapshotIdentifier", "username", "dbName"];
/** MySQL 8.4 LTS: Magento 2.4.8 supports it, RDS standard support to 2029-07-31 (docs/engine-versions.md). */
const MYSQL_VERSION = "8.4";

/** Magento 2.4 on MySQL 8.4: utf8mb4 throughout, and triggers (its indexers' change logs) allowed with binary logging. */
export const MAGENTO_MYSQL_PARAMETERS: Readonly<Record<string, string>> = {
    character_set_server: "utf8mb4",
    collation_server: "utf8mb4_general_ci",
    log_bin_trust_function_creators: "1",
    // RDS's default grows with memory (about 2,700 on 32 GiB); PHP-FPM pools never need more than this.
    max_connections: "LEAST({DBInstanceClassMemory/12582880},1000)",
    slow_query_log: "1",
    long_query_time: "2",
    // Published logs are read from files: RDS for MySQL defaults log_output to TABLE, where the slow query log never
    // reaches CloudWatch (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html).
    log_output: "FILE",
    // TLS or no connection: RDS for MySQL 8.4 defaults it to OFF (docs/data-access.md). Applied at the next reboot
    // (below), which the operators schedule once the release connects with the CA bundle (db/ssl-ca).
    require_secure_transport: "1",
};

export class Database extends pulumi.ComponentResource {
    public readonly address: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** Secrets Manager secret RDS keeps the master credentials in; servers get this ARN, never the password. */
    public readonly masterSecretArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly instanceIdentifier: pulumi.Output<string>;
    /** The DbiResourceId, which IAM database authentication's rds-db:connect names. */
    public readonly resourceId: pulumi.Output<string>;
    /** The instance's Name tag, by which the setup job finds it. */
    public readonly nameTag: string;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:data:Database", name, {}, opts);
        const child = { parent: this };
        const tags = { ...args.tags, Name: name };
        const group = serviceSecurityGroup(this, name, {
            vpcId: args.vpcId,
            port: MYSQL_PORT,
            clients: args.clients,
            description: `MySQL ${name}`,
            tags: args.tags,
        });
        const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds, tags }, child);
        // Named by family, so that an engine upgrade creates the new group beside the old one; the old one stays in AWS
        // (retainOnDelete) because the instance holds it until the upgrade is applied (docs/engine-versions.md).
        const parameters = new aws.rds.ParameterGroup(
            familyLogicalName(`${name}-params`, `mysql${MYSQL_VERSION}`),
            {
                family: `mysql${MYSQL_VERSION}`,
                description: "Magento 2 on MySQL 8",
                parameters: Object.entries(MAGENTO_MYSQL_PARAMETERS).map(([key, value]) => ({
                    name: key,
                    value,
                    applyMethod: "pending-reboot",
                })),
                tags,
            },
            { ...child, retainOnDelete: true, aliases: [{ name: `${name}-params` }] },
        );
        // Who logged in (and failed to), user and privilege changes, schema changes: the MariaDB Audit Plugin, which RDS
        // offers for every MySQL 8.4 version (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.MySQL.Options.html),
        // exported to CloudWatch Logs. Not every query: the shop runs thousands a second and holds no card data.
        const audit = new aws.rds.OptionGroup(
            familyLogicalName(`${name}-audit`, `mysql${MYSQL_VERSION}`),
            {
                engineName: "mysql",
                majorEngineVersion: MYSQL_VERSION,
                optionGroupDescription: "Magento: MariaDB Audit Plugin (connections, DDL, DCL)",
                options: [
                    {
                        optionName: "MARIADB_AUDIT_PLUGIN",
                        optionSettings: [{ name: "SERVER_AUDIT_EVENTS", value: "CONNECT,QUERY_DDL,QUERY_DCL" }],
                    },
                ],
                tags,
            },
            { ...child, retainOnDelete: true, aliases: [{ name: `${name}-audit` }] },
        ); // like the parameter group: the engine's major version forces a new one
        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            {
                assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com"),
                tags,
            },
            child,
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            {
                role: monitoringRole.name,
                policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
            },
            child,
        );

        // The inputs set here whose change replaces the instance: they name its final snapshot's life (final-snapshot.ts).
        // From a snapshot, its master user and schema are the snapshot's: RDS's restore takes neither, and the provider
        // reads both back (username and dbName are optional and computed), so the program leaves them to it rather
        // than plan a replacement on the next update. The key and encryption it keeps: the snapshot must be under the
        // stack's storage key (docs/migration.md, "Restoring the databases").
        const replacedBy = {
            engine: "mysql",
            kmsKeyId: args.kmsKeyArn,
            ...(args.snapshotIdentifier === undefined
                ? { dbName: args.databaseName, username: "admin" }
                : { snapshotIdentifier: args.snapshotIdentifier }),
            storageEncrypted: true,
        };
        const instance = new aws.rds.Instance(
            `${name}-db`,
            {
                ...replacedBy,
                engineVersion: MYSQL_VERSION, // the major version; minor versions come with autoMinorVersionUpgrade in the window
                // Never billed Extended Support: at the end of standard support RDS upgrades the major version instead. RDS
                // reads it at creation only, so a deployed instance keeps its enrolment rather than being re-planned
                // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-creating-db-instance.html).
                engineLifecycleSupport: "open-source-rds-extended-support-disabled",
                instanceClass: args.instanceClass,
                allocatedStorage: args.allocatedStorageGb,
                maxAllocatedStorage: args.maxAllocatedStorageGb,
                storageType: "gp3",
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.secretsKmsKeyArn,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [group.id],
                parameterGroupName: parameters.name,
                optionGroupName: audit.name,
                multiAz: args.multiAz,
                publiclyAccessible: false,
                // Operators sign in read-only with IAM, through a forwarded port (docs/database-access.md); in place
                // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Enabling.html).
                iamDatabaseAuthenticationEnabled: true,
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: "01:00-02:00",
                maintenanceWindow: "sun:03:00-sun:04:00",
                autoMinorVersionUpgrade: true,
                // Required for a major engineVersion change (8.0 -> 8.4 on a deployed stack); it never upgrades by itself.
                allowMajorVersionUpgrade: true,
                applyImmediately: args.applyImmediately,
                deletionProtection: true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: finalSnapshotName(this, name, replacedBy),
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.kmsKeyArn,
                performanceInsightsRetentionPeriod: 7,
                monitoringInterval: 60,
                monitoringRoleArn: monitoringRole.arn,
                enabledCloudwatchLogsExports: ["error", "slowquery", "audit"],
                caCertIdentifier: "rds-ca-rsa2048-g1",
                tags: { ...tags, [BACKUP_TAG]: BACKUP_DAILY }, // the stack's backup plan (components/data/backups.ts)
            },
            {
                ...child,
                protect: true,
                ignoreChanges: ["engineLifecycleSupport", "masterUserSecretKmsKeyId", ...SET_AT_CREATION],
            },
        );

        // The audit log goes to /aws/rds/instance/<id>/audit, which RDS creates itself when the instance first publishes
        // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html):
        // never expiring (PCI DSS 10.5.1's year and more), encrypted by CloudWatch Logs. A group of ours could only be
        // created after the autonamed instance, and would then fail as existing (docs/data-access.md).

        this.address = instance.address;
        this.port = instance.port;
        this.masterSecretArn = instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");
        this.securityGroupId = group.id;
        this.instanceIdentifier = instance.identifier;
        this.resourceId = instance.resourceId;
        this.nameTag = name;
        this.registerOutputs({
            address: this.address,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroupId,
        });
    }
}
