// Production's data survives a mistaken destroy, a refactor that renames a component, and a console click: every
// resource that holds state nobody can re-create from the program carries the protect option, and AWS's own
// safeguard where AWS offers one. In, and why:
//   RDS instances and clusters: the shop's data (deletion protection and the final snapshot: rds-production-protection).
//   ElastiCache replication groups: sessions (logged-in customers, carts); a final snapshot on delete.
//   OpenSearch domains: the catalogue index, hours to rebuild (AWS offers no deletion protection).
//   EFS file systems: media and exports (AWS offers neither; backups come from the backup policy).
//   S3 buckets: configuration, logs, billing; never forceDestroy (S3 then refuses to delete a non-empty bucket).
//     A bucket tagged Disposable (the temp bucket: objects expire) is out.
//   Secrets Manager secrets: generated credentials the running services hold (Redis AUTH, OpenSearch, the CDN's
//     origin secret) and the VPN's PKI; a recovery window, never 0 (immediate deletion).
//   KMS keys: without the key every encrypted volume, snapshot and secret is unreadable.
//   Public Route 53 zones: their name servers are what registrars delegate to; never forceDestroy.
//   AWS Backup vaults: every recovery point is in one (a new vault starts empty).
// Out: EBS volumes (ebs-volumes-protected holds every stack to it); private hosted zones (every record is the
// program's, nothing outside refers to the zone); Elastic IPs (the gateway's and the VPN's are protected by the
// Server component; NAT addresses are not on any allow-list); log groups, parameters and random passwords (re-created
// from the program). Decides during preview: protect is a resource option, the rest are plain inputs.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { DISPOSABLE_TAG } from "../../lib/contracts";
import { isProductionUrn, PRODUCTION_STACKS_SCHEMA } from "../../lib/stack";
import {
    BACKUP_VAULT,
    EFS_FILE_SYSTEM,
    ELASTICACHE_REPLICATION_GROUP,
    KMS_KEY,
    RDS_CLUSTER,
    RDS_INSTANCE,
    ROUTE53_ZONE,
    S3_BUCKET,
    SEARCH_DOMAINS,
    SECRETSMANAGER_SECRET,
} from "../../lib/types";
import { isSet, known } from "../../lib/values";

type Props = Record<string, unknown>;
/** What a kind of stateful resource is called in messages, and what else it needs besides protect. */
interface Stateful {
    readonly what: string;
    /** AWS's own safeguard missing from these inputs, as an instruction; undefined when it is there (or AWS has none). */
    readonly safeguard?: (props: Props) => string | undefined;
}

const forceDestroyed = (props: Props) =>
    known(props, "forceDestroy") === true
        ? "drop forceDestroy, so that AWS refuses to delete it while it holds anything"
        : undefined;

const STATEFUL: Record<string, Stateful> = {
    [RDS_INSTANCE]: { what: "database" },
    [RDS_CLUSTER]: { what: "database cluster" },
    [ELASTICACHE_REPLICATION_GROUP]: {
        what: "Redis",
        safeguard: (props) =>
            isSet(props, "finalSnapshotIdentifier")
                ? undefined
                : "set finalSnapshotIdentifier, so that deleting it leaves a snapshot",
    },
    ...Object.fromEntries(SEARCH_DOMAINS.map((type) => [type, { what: "search domain" }])),
    [EFS_FILE_SYSTEM]: { what: "EFS file system" },
    [S3_BUCKET]: { what: "bucket", safeguard: forceDestroyed },
    [SECRETSMANAGER_SECRET]: {
        what: "secret",
        safeguard: (props) =>
            known(props, "recoveryWindowInDays") === 0
                ? "set recoveryWindowInDays to 7-30 days (0 deletes it at once)"
                : undefined,
    },
    [KMS_KEY]: { what: "KMS key" },
    [ROUTE53_ZONE]: { what: "public zone", safeguard: forceDestroyed },
    [BACKUP_VAULT]: { what: "backup vault", safeguard: forceDestroyed },
};

/** Stateful resources that are out on purpose: a private zone (its records are all the program's), a disposable
 *  resource. A zone's `vpcs` or a tag map not known yet counts as out: the update decides. */
function exempt(type: string, props: Props): boolean {
    return (type === ROUTE53_ZONE && isSet(props, "vpcs")) || isSet(props, "tags", DISPOSABLE_TAG);
}

export const productionStatefulProtected: ResourceValidationPolicy = {
    name: "production-stateful-protected",
    description:
        "Production databases, Redis, search domains, EFS, buckets, secrets, KMS keys, public zones and backup vaults carry the protect option, and AWS's own safeguard where AWS offers one (final snapshot, recovery window, no forceDestroy).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...PRODUCTION_STACKS_SCHEMA } },
    validateResource: (args, reportViolation) => {
        const stateful = STATEFUL[args.type];
        if (stateful === undefined || !isProductionUrn(args.urn, args.getConfig()) || exempt(args.type, args.props)) {
            return;
        }
        if (args.opts.protect !== true) {
            reportViolation(
                `Production ${stateful.what} ${args.name} is not protected; create it with the protect option, so that no destroy, ` +
                    `rename or replaced component deletes what it holds (tag it ${DISPOSABLE_TAG} with the reason if losing it is fine).`,
            );
        }
        const missing = stateful.safeguard?.(args.props);
        if (missing !== undefined) {
            reportViolation(`Production ${stateful.what} ${args.name}: ${missing}.`);
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: Object.keys(STATEFUL),
    decides:
        "Decides during preview from the protect resource option and the safeguards' inputs (final snapshot, recovery window, forceDestroy).",
    remediation:
        "Create the resource with the protect option and AWS's own safeguard: a final snapshot for databases, a recovery window for secrets, a deletion window for keys, forceDestroy false for buckets.",
    controls: controls({
        securityHub: ["RDS.8", "KMS.3"],
        awsConfig: ["rds-instance-deletion-protection-enabled"],
        checkov: ["CKV_AWS_293"],
    }),
};
