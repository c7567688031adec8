// Production's data tier survives losing one AZ, like its network: MySQL with a synchronous Multi-AZ standby, Redis
// with a replica and automatic failover, OpenSearch spread over the estate's AZs with dedicated masters.
// Preproduction runs single-AZ on purpose, to cost less.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isProductionUrn, PRODUCTION_STACKS_SCHEMA } from "../../lib/stack";
import { ELASTICACHE_REPLICATION_GROUP, RDS_INSTANCE, SEARCH_DOMAINS } from "../../lib/types";
import { controls, RuleMetadata } from "../../lib/metadata";

const MIN_AZS = 3;
/** What OpenSearch spreads a zone-aware domain over when zoneAwarenessConfig is left out. */
const DEFAULT_SEARCH_AZS = 2;

interface Config {
    productionStacks?: string[];
    minAvailabilityZones?: number;
}

type Report = (message: string) => void;

function checkDatabase(name: string, props: Record<string, any>, report: Report): void {
    if (props.multiAz !== true) {
        report(
            `Production database ${name} has no standby in another AZ; set multiAz: true (a synchronous standby that RDS fails over to).`,
        );
    }
}

function checkRedis(name: string, props: Record<string, any>, report: Report): void {
    if (props.automaticFailoverEnabled !== true) {
        report(`Production Redis ${name} does not fail over by itself; set automaticFailoverEnabled: true.`);
    }
    if (props.multiAzEnabled !== true) {
        report(`Production Redis ${name} may keep its replica in the primary's AZ; set multiAzEnabled: true.`);
    }
    const nodes = props.numCacheClusters;
    const replicas = props.replicasPerNodeGroup;
    if (!(typeof nodes === "number" && nodes >= 2) && !(typeof replicas === "number" && replicas >= 1)) {
        report(
            `Production Redis ${name} has no replica to fail over to; set numCacheClusters: 2 or more (or replicasPerNodeGroup: 1 or more).`,
        );
    }
}

function checkSearch(name: string, props: Record<string, any>, minAzs: number, report: Report): void {
    const cluster = props.clusterConfig;
    if (cluster?.zoneAwarenessEnabled !== true) {
        report(
            `Production search domain ${name} keeps every node in one AZ; set clusterConfig.zoneAwarenessEnabled: true ` +
                `with zoneAwarenessConfig.availabilityZoneCount: ${minAzs}.`,
        );
    } else {
        const azs = cluster.zoneAwarenessConfig?.availabilityZoneCount ?? DEFAULT_SEARCH_AZS;
        if (azs < minAzs) {
            report(
                `Production search domain ${name} spans ${azs} AZs; production needs ${minAzs} ` +
                    "(clusterConfig.zoneAwarenessConfig.availabilityZoneCount).",
            );
        }
    }
    if (cluster?.dedicatedMasterEnabled !== true) {
        report(
            `Production search domain ${name} has no dedicated master nodes; set clusterConfig.dedicatedMasterEnabled: true ` +
                "so that losing an AZ cannot leave the cluster without a quorum of masters.",
        );
    }
}

export const productionDataHa: ResourceValidationPolicy = {
    name: "production-data-ha",
    description:
        "Production MySQL is Multi-AZ, Redis has a replica with automatic Multi-AZ failover, OpenSearch spans 3 AZs with dedicated masters.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...PRODUCTION_STACKS_SCHEMA,
            minAvailabilityZones: {
                type: "integer",
                default: MIN_AZS,
                minimum: 2,
                maximum: 3,
                description: "Fewest AZs a production search domain spans (OpenSearch allows 2 or 3).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        if (!isProductionUrn(args.urn, config)) {
            return;
        }
        if (args.type === RDS_INSTANCE) {
            checkDatabase(args.name, args.props, reportViolation);
        } else if (args.type === ELASTICACHE_REPLICATION_GROUP) {
            checkRedis(args.name, args.props, reportViolation);
        } else if (SEARCH_DOMAINS.includes(args.type)) {
            checkSearch(args.name, args.props, config.minAvailabilityZones ?? MIN_AZS, reportViolation);
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [RDS_INSTANCE, ELASTICACHE_REPLICATION_GROUP, ...SEARCH_DOMAINS],
    decides:
        "Decides during preview from multiAz, automatic failover and replica counts, and the search cluster config as written, and the stack name.",
    remediation:
        "Set multiAz on MySQL, give Redis a replica with automaticFailoverEnabled and multiAzEnabled, and run OpenSearch over 3 AZs with zone awareness and dedicated masters.",
    controls: controls({
        securityHub: ["RDS.5", "ElastiCache.3", "Opensearch.11"],
        awsConfig: ["rds-multi-az-support"],
        checkov: ["CKV_AWS_157"],
    }),
};
