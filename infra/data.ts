// The data tier: everything here is encrypted with the stack's keys and reachable only from the tiers named. Then what
// the servers read at boot: Magento's own users' secrets and the parameters naming every endpoint; and the backups of
// everything stateful.
import * as pulumi from "@pulumi/pulumi";
import { AppCredentials, MAGENTO_INDEX_PREFIX } from "../components/data/app-credentials";
import { AppParameters } from "../components/data/app-parameters";
import { Backups } from "../components/data/backups";
import { BreakGlassRole } from "../components/security/break-glass";
import { Cache, CacheUsage } from "../components/data/cache";
import { Database } from "../components/data/database";
import { Search } from "../components/data/search";
import { rdsCaBundle } from "../components/web/web-boot";
import { SIDE_APPS } from "../model/side-apps";
import { StackContext } from "./context";
import { NetworkLayer } from "./network";
import { Keys } from "./security";
import { StorageLayer } from "./storage";
import { ServerTiers } from "./tiers";

export interface DataLayer {
    /** The shop's MySQL, and the side applications'. */
    readonly database: Database;
    readonly sideDatabase: Database;
    /** Redis by use: sessions and cache, or one shared. */
    readonly caches: Readonly<Record<string, Cache>>;
    /** The one role besides the setup job which may act as the data services' masters (operators, with MFA). */
    readonly breakGlass: BreakGlassRole;
    readonly search: Search;
    /** The keys the masters are on: the secrets key, and the storage key for an RDS master created before the split,
     *  which RDS does not move (docs/access.md, "Moving the secrets"). */
    readonly masterSecretKeys: pulumi.Output<string>[];
}

export function dataServices(
    { config, prefix, accountId }: StackContext,
    { network: vpc }: NetworkLayer,
    tiers: ServerTiers,
    keys: Keys,
): DataLayer {
    const { tags } = config;
    const vpcId = vpc.vpcId;
    const subnetIds = vpc.privateSubnetIds;
    const encryption = { kmsKeyArn: keys.storage, secretsKmsKeyArn: keys.secrets };
    const database = new Database(`${prefix}-mysql`, {
        vpcId,
        subnetIds,
        clients: [...tiers.magento, tiers.rundeck.asClient("rundeck")],
        databaseName: "magento",
        instanceClass: config.database.instanceClass,
        allocatedStorageGb: config.database.allocatedStorageGb,
        maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
        backupRetentionDays: config.database.backupRetentionDays,
        multiAz: config.production,
        applyImmediately: config.applyImmediately,
        ...encryption,
        tags,
        snapshotIdentifier: config.database.snapshotIdentifier,
    });
    const sideDatabase = new Database(`${prefix}-sideapps`, {
        vpcId,
        subnetIds,
        // Each side application's tier, its user's grants keeping it to its own schema (docs/sideapps.md).
        clients: SIDE_APPS.map((app) => tiers.sideApps[app.name].asClient(app.tier.name)),
        databaseName: "sideapps",
        instanceClass: config.database.sideInstanceClass,
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 100,
        backupRetentionDays: config.database.backupRetentionDays,
        multiAz: config.production,
        applyImmediately: config.applyImmediately,
        ...encryption,
        tags,
        snapshotIdentifier: config.database.sideSnapshotIdentifier,
    });

    const cacheUsages: CacheUsage[] = config.cache.separateSessions ? ["sessions", "cache"] : ["shared"];
    const caches = Object.fromEntries(
        cacheUsages.map((usage) => [
            usage,
            new Cache(`${prefix}-${usage}`, {
                vpcId,
                subnetIds,
                clients: tiers.magento,
                usage,
                nodeType: config.cache.nodeType,
                highlyAvailable: config.production,
                snapshotRetentionDays: config.production ? 7 : 1,
                applyImmediately: config.applyImmediately,
                ...encryption,
                tags,
            }),
        ]),
    );

    // Operators with MFA (docs/data-access.md): the databases' masters by their secrets, the search domain's through its admin role.
    const masterSecretKeys = [keys.secrets, keys.storage];
    const breakGlass = new BreakGlassRole(`${prefix}-break-glass`, {
        accountId,
        secretArns: [database.masterSecretArn, sideDatabase.masterSecretArn],
        kmsKeyArns: masterSecretKeys,
        region: config.region,
        tags,
    });
    const search = new Search(`${prefix}-search`, {
        vpcId,
        subnetIds,
        clients: [...tiers.magento, tiers.rundeck.asClient("rundeck")], // Rundeck: the setup job's users
        adminPrincipalArns: [tiers.rundeck.roleArn, breakGlass.roleArn],
        domainName: prefix,
        instanceType: config.search.instanceType,
        masterInstanceType: config.search.masterInstanceType,
        volumeGb: config.search.volumeGb,
        region: config.region,
        accountId,
        ...encryption,
        auditLogKeyArn: keys.auditLog,
        tags,
        // An order, not data: a value computed from the role would be unknown in the preview that creates it, and the key
        // forces a new domain when it changes.
        requires: [keys.linkedRoles.roles["opensearchservice.amazonaws.com"]],
    });
    return { database, sideDatabase, caches, breakGlass, search, masterSecretKeys };
}

export interface AppSettings {
    /** The users Magento connects as (created and rotated by the setup job on Rundeck). */
    readonly credentials: AppCredentials;
    /** What servers read at boot, under /magento/<stack>/: endpoints and the ARNs of secrets, never secret values. */
    readonly parameters: AppParameters;
}

export function appSettings(
    { config, prefix, accountId }: StackContext,
    data: DataLayer,
    storage: StorageLayer,
    keys: Keys,
): AppSettings {
    const { tags } = config;
    const { database, caches, search } = data;
    const credentials = new AppCredentials(`${prefix}-app-credentials`, {
        stack: config.stack,
        kmsKeyArn: keys.secrets,
        tags,
    });
    const parameters = new AppParameters(`${prefix}-parameters`, {
        stack: config.stack,
        region: config.region,
        accountId,
        tags,
        values: {
            "db/host": database.address,
            "db/name": "magento",
            "db/secret-arn": credentials.databaseSecretArn,
            "db/ssl-ca": rdsCaBundle(config.region).path, // the CA the release points Magento's connection at (TLS required)
            ...Object.fromEntries(
                Object.entries(caches).flatMap(([usage, cache]) => [
                    [`redis/${usage}/host`, cache.primaryEndpoint],
                    [`redis/${usage}/auth-secret-arn`, cache.authTokenSecretArn],
                ]),
            ),
            "search/host": search.endpoint,
            "search/credentials-secret-arn": credentials.searchSecretArn,
            "search/index-prefix": MAGENTO_INDEX_PREFIX, // Magento's search user may use <prefix>_* only
            ...storage.shared.parameters,
            "buckets/config": storage.buckets.configBucketName,
            "buckets/temp": storage.buckets.tempBucketName,
            "admin/path": config.web.adminPath, // env.php's backend.frontName, the path the load balancer routes
            "crypt/key-secret-arn": credentials.cryptKeySecretArn, // env.php's crypt.key
        },
    });
    return { credentials, parameters };
}

export interface BackupLayer {
    readonly backups: Backups;
}

/** AWS Backup of every resource tagged for it (components/data/backups.ts), in a vault under the storage key. */
export function backups({ config, prefix }: StackContext, keys: Keys, data: DataLayer): BackupLayer {
    const backups = new Backups(`${prefix}-backups`, {
        kmsKeyArn: keys.storage,
        dailyRetentionDays: config.backups.dailyRetentionDays,
        weeklyRetentionDays: config.backups.weeklyRetentionDays,
        breakGlassRoleArn: data.breakGlass.roleArn,
        tags: config.tags,
    });
    return { backups };
}
