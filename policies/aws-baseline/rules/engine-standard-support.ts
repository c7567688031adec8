// A managed engine past its provider's standard support is billed as Extended Support (RDS enrols a database by
// default, ElastiCache and OpenSearch Service do the same) and gets only critical fixes; RDS for MySQL/PostgreSQL
// also enrols a database in Extended Support unless it opts out at creation. The dates are a table in the rule's
// config (docs/engine-versions.md cites each), so operators update them with --policy-pack-config, no release needed.
import { ResourceValidationPolicy } from "@pulumi/policy";
import {
    ELASTICACHE_CLUSTER,
    ELASTICACHE_REPLICATION_GROUP,
    ELASTICSEARCH_DOMAIN,
    RDS_CLUSTER,
    RDS_INSTANCE,
    SEARCH_DOMAINS,
} from "../../lib/types";
import { knownString } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const LIFECYCLE_DISABLED = "open-source-rds-extended-support-disabled";
/** Engines whose instances take engineLifecycleSupport (pulumi-aws rds.Instance docs: RDS for MySQL and PostgreSQL). */
const LIFECYCLE_ENGINES = ["mysql", "postgres"];

export interface SupportWindow {
    /** As the resource names it: RDS `engine`, ElastiCache `engine`, or opensearch/elasticsearch for a domain. */
    readonly engine: string;
    /** A version and every version below it: "8.0" covers 8.0.42, "6" covers 6.2, never "8.0" for "8.04". */
    readonly versionPrefix: string;
    readonly standardSupportEnds: string;
}

const rows = (engine: string, standardSupportEnds: string, ...prefixes: string[]): SupportWindow[] =>
    prefixes.map((versionPrefix) => ({ engine, versionPrefix, standardSupportEnds }));

/** AWS's dates, checked on 2026-12-01 (sources: docs/engine-versions.md and `metadata.sources` below). */
export const STANDARD_SUPPORT: readonly SupportWindow[] = [
    ...rows("mysql", "2024-02-29", "5.7"),
    ...rows("mysql", "2026-07-31", "8.0"),
    ...rows("mysql", "2029-07-31", "8.4"),
    ...rows("redis", "2026-01-31", "4", "5"),
    ...rows("redis", "2027-01-31", "6"),
    ...rows("opensearch", "2025-11-07", "1.0", "1.1", "1.2", "2.3", "2.5", "2.7", "2.9"),
    ...rows(
        "elasticsearch",
        "2025-11-07",
        "1",
        "2",
        "5",
        "6.0",
        "6.2",
        "6.3",
        "6.4",
        "6.5",
        "6.7",
        "7.1",
        "7.4",
        "7.7",
        "7.8",
    ),
];

interface Config {
    standardSupport?: SupportWindow[];
    today?: string;
    allowExtendedSupport?: boolean;
}

/** The engine and version a resource runs, as written (undefined when it leaves the version to AWS's default). */
function engineOf(type: string, props: Record<string, unknown>): { engine: string; version: string } | undefined {
    if (SEARCH_DOMAINS.includes(type)) {
        const written =
            type === ELASTICSEARCH_DOMAIN
                ? `Elasticsearch_${knownString(props, "elasticsearchVersion") ?? ""}`
                : knownString(props, "engineVersion");
        const [engine, version] = (written ?? "").split("_");
        return version ? { engine: engine.toLowerCase(), version } : undefined;
    }
    const version = knownString(props, "engineVersion");
    // ElastiCache's engine defaults to redis (pulumi-aws elasticache.ReplicationGroup docs).
    const engine = knownString(props, "engine") ?? (type === ELASTICACHE_REPLICATION_GROUP ? "redis" : undefined);
    return engine && version ? { engine: engine.toLowerCase(), version } : undefined;
}

const covers = (prefix: string, version: string) => version === prefix || version.startsWith(`${prefix}.`);

/** Today in UTC as YYYY-MM-DD, unless the pack config fixes it (tests, or "what will fail on that date"). */
const todayOf = (config: Config) => config.today || new Date().toISOString().slice(0, 10);

export const engineStandardSupport: ResourceValidationPolicy = {
    name: "engine-standard-support",
    description:
        "Databases, caches and search domains run an engine version inside its provider's standard support, and RDS MySQL/PostgreSQL opt out of paid Extended Support.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            standardSupport: {
                type: "array",
                items: {
                    type: "object",
                    properties: {
                        engine: { type: "string" },
                        versionPrefix: { type: "string" },
                        standardSupportEnds: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
                    },
                    required: ["engine", "versionPrefix", "standardSupportEnds"],
                },
                default: STANDARD_SUPPORT,
                description:
                    "End of standard support per engine and version prefix (YYYY-MM-DD); a version no row covers passes.",
            },
            today: {
                type: "string",
                default: "",
                description: "The date compared with the table (YYYY-MM-DD); empty: today in UTC.",
            },
            allowExtendedSupport: {
                type: "boolean",
                default: false,
                description: "Accept RDS instances that stay enrolled in paid Extended Support.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const running = engineOf(args.type, args.props);
        const today = todayOf(config);
        const table = config.standardSupport ?? STANDARD_SUPPORT;
        const ended =
            running &&
            table.find(
                (w) =>
                    w.engine === running.engine &&
                    covers(w.versionPrefix, running.version) &&
                    w.standardSupportEnds <= today,
            );
        if (running && ended) {
            const current = table
                .filter((w) => w.engine === running.engine && w.standardSupportEnds > today)
                .map((w) => `${w.versionPrefix} (until ${w.standardSupportEnds})`);
            reportViolation(
                `${args.name} runs ${running.engine} ${running.version}, whose standard support ended on ${ended.standardSupportEnds}: ` +
                    `AWS bills Extended Support from then on. Move to a supported version${current.length > 0 ? ` such as ${current.join(", ")}` : ""} (docs/engine-versions.md).`,
            );
        }
        const engine = knownString(args.props, "engine");
        const lifecycle = knownString(args.props, "engineLifecycleSupport");
        // Enrolment is fixed when an instance is created. A program that ignores changes to it says the instance is
        // deployed with what it had (absent: a stack created before the opt-out): refusing would block the very
        // upgrade that keeps it in standard support, where enrolment bills nothing; the version check above guards that.
        const fixedAtCreation =
            lifecycle === undefined && (args.opts.ignoreChanges ?? []).includes("engineLifecycleSupport");
        if (
            args.type === RDS_INSTANCE &&
            engine &&
            LIFECYCLE_ENGINES.includes(engine) &&
            !config.allowExtendedSupport &&
            lifecycle !== LIFECYCLE_DISABLED &&
            !fixedAtCreation
        ) {
            reportViolation(
                `Database ${args.name} is enrolled in RDS Extended Support (the default), billed once its major version leaves ` +
                    `standard support; set engineLifecycleSupport: "${LIFECYCLE_DISABLED}" when creating it.`,
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [RDS_INSTANCE, RDS_CLUSTER, ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_CLUSTER, ...SEARCH_DOMAINS],
    decides:
        "Decides during preview from engine, engineVersion (elasticsearchVersion) and engineLifecycleSupport as written, the pack config's dated table and today's date.",
    remediation:
        "Raise the engine version to one in standard support (the violation names its end date) and, for RDS MySQL/PostgreSQL, set engineLifecycleSupport to open-source-rds-extended-support-disabled.",
    controls: controls({}),
    sources: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version",
    ],
};
