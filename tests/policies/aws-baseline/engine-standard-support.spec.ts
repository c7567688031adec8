// engine-standard-support, asked over the analyzer protocol with "today" fixed by the pack config: a version inside
// its standard support passes, one past it fails on every engine the table names (Valkey included as a Redis
// successor with no end announced), and an RDS database left enrolled in paid Extended Support fails.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    ELASTICACHE_CLUSTER,
    ELASTICACHE_REPLICATION_GROUP,
    ELASTICSEARCH_DOMAIN,
    OPENSEARCH_DOMAIN,
    RDS_INSTANCE,
} from "../../../policies/lib/types";
import { StackBuilder, violations } from "../../helpers/packs";

const OPTED_OUT = { engineLifecycleSupport: "open-source-rds-extended-support-disabled" };
const MYSQL_84 = { engine: "mysql", engineVersion: "8.4", ...OPTED_OUT };

/** One data service named shop, in prod. */
function shop(type: string, props: Record<string, unknown>, ignoreChanges: string[] = []): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(type, "shop", props).ignoreChanges = ignoreChanges;
    return b.resources;
}

/** The rule's config with "today" fixed, so that support end dates do not move the tests. */
const asOf = (config: Record<string, unknown> = {}) => ({ config: { today: "2026-12-01", ...config } });

describe("aws-baseline / engine-standard-support", () => {
    it("keeps: MySQL 8.4 opted out of Extended Support, Valkey 8.1, Redis OSS 7.1, OpenSearch 2.19, a version left to AWS", async () => {
        assert.deepStrictEqual(await violations("engine-standard-support", shop(RDS_INSTANCE, MYSQL_84), asOf()), []);
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(RDS_INSTANCE, { ...MYSQL_84, engineVersion: "8.4.7" }),
                asOf(),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(ELASTICACHE_REPLICATION_GROUP, { engine: "valkey", engineVersion: "8.1" }),
                asOf(),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(ELASTICACHE_REPLICATION_GROUP, { engineVersion: "7.1" }),
                asOf(),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(OPENSEARCH_DOMAIN, { engineVersion: "OpenSearch_2.19" }),
                asOf(),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations("engine-standard-support", shop(RDS_INSTANCE, { engine: "mysql", ...OPTED_OUT }), asOf()),
            [],
        );
    });

    it("breaks: MySQL 8.0 after 31 July 2026, with the supported versions named", async () => {
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(RDS_INSTANCE, { ...MYSQL_84, engineVersion: "8.0.42" }),
                asOf(),
            ),
            [
                "mandatory: shop runs mysql 8.0.42, whose standard support ended on 2026-07-31: AWS bills Extended Support from then on. " +
                    "Move to a supported version such as 8.4 (until 2029-07-31) (docs/engine-versions.md).",
            ],
        );
    });

    it("decides by the date: MySQL 8.0 passes the day before its end of standard support, and fails on the day", async () => {
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(RDS_INSTANCE, { ...MYSQL_84, engineVersion: "8.0" }),
                asOf({ today: "2026-07-30" }),
            ),
            [],
        );
        assert.strictEqual(
            (
                await violations(
                    "engine-standard-support",
                    shop(RDS_INSTANCE, { ...MYSQL_84, engineVersion: "8.0" }),
                    asOf({ today: "2026-07-31" }),
                )
            ).length,
            1,
        );
    });

    it("breaks: Redis OSS 6 and 5 (a replication group defaults to redis), OpenSearch 2.9, Elasticsearch 7.8", async () => {
        assert.match(
            (
                await violations(
                    "engine-standard-support",
                    shop(ELASTICACHE_REPLICATION_GROUP, { engineVersion: "6.2" }),
                    asOf({ today: "2027-02-01" }),
                )
            )[0],
            /runs redis 6.2, whose standard support ended on 2027-01-31/,
        );
        assert.match(
            (
                await violations(
                    "engine-standard-support",
                    shop(ELASTICACHE_CLUSTER, { engine: "redis", engineVersion: "5.0.6" }),
                    asOf(),
                )
            )[0],
            /runs redis 5.0.6, whose standard support ended on 2026-01-31/,
        );
        assert.match(
            (
                await violations(
                    "engine-standard-support",
                    shop(OPENSEARCH_DOMAIN, { engineVersion: "OpenSearch_2.9" }),
                    asOf(),
                )
            )[0],
            /runs opensearch 2.9, whose standard support ended on 2025-11-07/,
        );
        assert.match(
            (
                await violations(
                    "engine-standard-support",
                    shop(ELASTICSEARCH_DOMAIN, { elasticsearchVersion: "7.8" }),
                    asOf(),
                )
            )[0],
            /runs elasticsearch 7.8, whose standard support ended/,
        );
    });

    it("matches whole version parts: OpenSearch 2.1 ended does not make 2.11 or 2.19 end", async () => {
        const table = [{ engine: "opensearch", versionPrefix: "2.1", standardSupportEnds: "2020-01-01" }];
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(OPENSEARCH_DOMAIN, { engineVersion: "OpenSearch_2.11" }),
                asOf({ standardSupport: table }),
            ),
            [],
        );
        assert.strictEqual(
            (
                await violations(
                    "engine-standard-support",
                    shop(OPENSEARCH_DOMAIN, { engineVersion: "OpenSearch_2.1" }),
                    asOf({ standardSupport: table }),
                )
            ).length,
            1,
        );
    });

    it("follows the operators' own table from the pack config, without a release", async () => {
        const table = [{ engine: "valkey", versionPrefix: "7.2", standardSupportEnds: "2026-06-30" }];
        assert.match(
            (
                await violations(
                    "engine-standard-support",
                    shop(ELASTICACHE_REPLICATION_GROUP, { engine: "valkey", engineVersion: "7.2" }),
                    asOf({ standardSupport: table }),
                )
            )[0],
            /runs valkey 7.2, whose standard support ended on 2026-06-30/,
        );
    });

    it("breaks: an RDS MySQL or PostgreSQL instance left enrolled in Extended Support, unless the pack config allows it", async () => {
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(RDS_INSTANCE, { engine: "mysql", engineVersion: "8.4" }),
                asOf(),
            ),
            [
                "mandatory: Database shop is enrolled in RDS Extended Support (the default), billed once its major version leaves standard support; " +
                    'set engineLifecycleSupport: "open-source-rds-extended-support-disabled" when creating it.',
            ],
        );
        assert.strictEqual(
            (
                await violations(
                    "engine-standard-support",
                    shop(RDS_INSTANCE, {
                        engine: "postgres",
                        engineVersion: "17",
                        engineLifecycleSupport: "open-source-rds-extended-support",
                    }),
                    asOf(),
                )
            ).length,
            1,
        );
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(RDS_INSTANCE, { engine: "mysql", engineVersion: "8.4" }),
                asOf({ allowExtendedSupport: true }),
            ),
            [],
        );
        // Ignoring changes to it does not excuse an explicit enrolment.
        assert.strictEqual(
            (
                await violations(
                    "engine-standard-support",
                    shop(
                        RDS_INSTANCE,
                        {
                            engine: "mysql",
                            engineVersion: "8.4",
                            engineLifecycleSupport: "open-source-rds-extended-support",
                        },
                        ["engineLifecycleSupport"],
                    ),
                    asOf(),
                )
            ).length,
            1,
        );
    });

    it("keeps: a deployed instance whose enrolment was fixed at creation (absent, changes ignored) can still be upgraded into standard support", async () => {
        // ignoreChanges puts the deployed value (none, before the opt-out existed) in the inputs the pack sees; the
        // version check is what keeps it from billing.
        assert.deepStrictEqual(
            await violations(
                "engine-standard-support",
                shop(RDS_INSTANCE, { engine: "mysql", engineVersion: "8.4" }, ["engineLifecycleSupport"]),
                asOf(),
            ),
            [],
        );
        assert.strictEqual(
            (
                await violations(
                    "engine-standard-support",
                    shop(RDS_INSTANCE, { engine: "mysql", engineVersion: "8.0" }, ["engineLifecycleSupport"]),
                    asOf(),
                )
            ).length,
            1,
        );
    });
});
