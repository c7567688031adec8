// engine-standard-support, asked over the analyzer protocol with "today" fixed by the pack config: a version inside
// its standard support passes, one past it fails on every engine the table names (Valkey included as a Redis
// successor with no end announced), and an RDS database left enrolled in paid Extended Support fails.
import * as assert from "assert";
import { check, StackBuilder } from "../../helpers/packs";

const POLICY = "engine-standard-support";
const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
const DOMAIN = "aws:opensearch/domain:Domain";
const LEGACY = "aws:elasticsearch/domain:Domain";
const OPTED_OUT = { engineLifecycleSupport: "open-source-rds-extended-support-disabled" };
const MYSQL_84 = { engine: "mysql", engineVersion: "8.4", ...OPTED_OUT };

async function violations(type: string, props: Record<string, unknown>, config: Record<string, unknown> = {}, ignoreChanges: string[] = []): Promise<string[]> {
    const b = new StackBuilder("prod");
    b.add(type, "shop", props).ignoreChanges = ignoreChanges;
    const diagnostics = await check("aws-baseline", b.resources, { packConfig: { [POLICY]: { today: "2026-12-01", ...config } } });
    return diagnostics.filter((d) => d.policy === POLICY).map((d) => `${d.level}: ${d.message.replace(`${d.description}\n`, "")}`);
}

describe("aws-baseline / engine-standard-support", () => {
    it("keeps: MySQL 8.4 opted out of Extended Support, Valkey 8.1, Redis OSS 7.1, OpenSearch 2.19, a version left to AWS", async () => {
        assert.deepStrictEqual(await violations(RDS, MYSQL_84), []);
        assert.deepStrictEqual(await violations(RDS, { ...MYSQL_84, engineVersion: "8.4.7" }), []);
        assert.deepStrictEqual(await violations(REDIS, { engine: "valkey", engineVersion: "8.1" }), []);
        assert.deepStrictEqual(await violations(REDIS, { engineVersion: "7.1" }), []);
        assert.deepStrictEqual(await violations(DOMAIN, { engineVersion: "OpenSearch_2.19" }), []);
        assert.deepStrictEqual(await violations(RDS, { engine: "mysql", ...OPTED_OUT }), []);
    });

    it("breaks: MySQL 8.0 after 31 July 2026, with the supported versions named", async () => {
        assert.deepStrictEqual(await violations(RDS, { ...MYSQL_84, engineVersion: "8.0.42" }), [
            "mandatory: shop runs mysql 8.0.42, whose standard support ended on 2026-07-31: AWS bills Extended Support from then on. " +
            "Move to a supported version such as 8.4 (until 2029-07-31) (docs/engine-versions.md).",
        ]);
    });

    it("decides by the date: MySQL 8.0 passes the day before its end of standard support, and fails on the day", async () => {
        assert.deepStrictEqual(await violations(RDS, { ...MYSQL_84, engineVersion: "8.0" }, { today: "2026-07-30" }), []);
        assert.strictEqual((await violations(RDS, { ...MYSQL_84, engineVersion: "8.0" }, { today: "2026-07-31" })).length, 1);
    });

    it("breaks: Redis OSS 6 and 5 (a replication group defaults to redis), OpenSearch 2.9, Elasticsearch 7.8", async () => {
        assert.match((await violations(REDIS, { engineVersion: "6.2" }, { today: "2027-02-01" }))[0], /runs redis 6.2, whose standard support ended on 2027-01-31/);
        assert.match((await violations(CACHE_CLUSTER, { engine: "redis", engineVersion: "5.0.6" }))[0], /runs redis 5.0.6, whose standard support ended on 2026-01-31/);
        assert.match((await violations(DOMAIN, { engineVersion: "OpenSearch_2.9" }))[0], /runs opensearch 2.9, whose standard support ended on 2025-11-07/);
        assert.match((await violations(LEGACY, { elasticsearchVersion: "7.8" }))[0], /runs elasticsearch 7.8, whose standard support ended/);
    });

    it("matches whole version parts: OpenSearch 2.1 ended does not make 2.11 or 2.19 end", async () => {
        const table = [{ engine: "opensearch", versionPrefix: "2.1", standardSupportEnds: "2020-01-01" }];
        assert.deepStrictEqual(await violations(DOMAIN, { engineVersion: "OpenSearch_2.11" }, { standardSupport: table }), []);
        assert.strictEqual((await violations(DOMAIN, { engineVersion: "OpenSearch_2.1" }, { standardSupport: table })).length, 1);
    });

    it("follows the operators' own table from the pack config, without a release", async () => {
        const table = [{ engine: "valkey", versionPrefix: "7.2", standardSupportEnds: "2026-06-30" }];
        assert.match((await violations(REDIS, { engine: "valkey", engineVersion: "7.2" }, { standardSupport: table }))[0], /runs valkey 7.2, whose standard support ended on 2026-06-30/);
    });

    it("breaks: an RDS MySQL or PostgreSQL instance left enrolled in Extended Support, unless the pack config allows it", async () => {
        assert.deepStrictEqual(await violations(RDS, { engine: "mysql", engineVersion: "8.4" }), [
            "mandatory: Database shop is enrolled in RDS Extended Support (the default), billed once its major version leaves standard support; " +
            "set engineLifecycleSupport: \"open-source-rds-extended-support-disabled\" when creating it.",
        ]);
        assert.strictEqual((await violations(RDS, { engine: "postgres", engineVersion: "17", engineLifecycleSupport: "open-source-rds-extended-support" })).length, 1);
        assert.deepStrictEqual(await violations(RDS, { engine: "mysql", engineVersion: "8.4" }, { allowExtendedSupport: true }), []);
        // Ignoring changes to it does not excuse an explicit enrolment.
        assert.strictEqual((await violations(RDS, { engine: "mysql", engineVersion: "8.4", engineLifecycleSupport: "open-source-rds-extended-support" }, {}, ["engineLifecycleSupport"])).length, 1);
    });

    it("keeps: a deployed instance whose enrolment was fixed at creation (absent, changes ignored) can still be upgraded into standard support", async () => {
        // ignoreChanges puts the deployed value (none, before the opt-out existed) in the inputs the pack sees; the
        // version check is what keeps it from billing.
        assert.deepStrictEqual(await violations(RDS, { engine: "mysql", engineVersion: "8.4" }, {}, ["engineLifecycleSupport"]), []);
        assert.strictEqual((await violations(RDS, { engine: "mysql", engineVersion: "8.0" }, {}, ["engineLifecycleSupport"])).length, 1);
    });
});
