// production-stateful-protected, asked over the analyzer protocol: each kind of stateful resource, protected and
// with AWS's safeguard, passes; without them it is rejected with the reason; what is out on purpose stays out.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    EFS_FILE_SYSTEM,
    ELASTICACHE_REPLICATION_GROUP,
    KMS_KEY,
    OPENSEARCH_DOMAIN,
    RDS_INSTANCE,
    ROUTE53_ZONE,
    S3_BUCKET,
    SECRETSMANAGER_SECRET,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

/** One of each stateful kind, each protected (or not) with AWS's safeguard (or with it undone). */
function stack(name: string, safe: boolean): StateResource[] {
    const b = new StackBuilder(name);
    const add = (type: string, resource: string, props: Record<string, unknown>) => {
        const r = b.add(type, resource, props);
        r.protect = safe;
        return r;
    };
    add(RDS_INSTANCE, "mysql", {
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "mysql-final",
    });
    add(ELASTICACHE_REPLICATION_GROUP, "sessions", safe ? { finalSnapshotIdentifier: UNKNOWN } : {});
    add(OPENSEARCH_DOMAIN, "search", {});
    add(EFS_FILE_SYSTEM, "shared", { encrypted: true });
    add(S3_BUCKET, "config", { forceDestroy: !safe });
    add(SECRETSMANAGER_SECRET, "redis-auth", { recoveryWindowInDays: safe ? 7 : 0 });
    add(KMS_KEY, "data", { deletionWindowInDays: 30 });
    add(ROUTE53_ZONE, "example.com", { name: "example.com", forceDestroy: !safe });
    add(ROUTE53_ZONE, "internal", { name: "magento.internal", vpcs: [{ vpcId: UNKNOWN }] });
    add(S3_BUCKET, "temp", { tags: { Disposable: "scratch: objects expire" } });
    return b.resources;
}

describe("aws-baseline / production-stateful-protected", () => {
    it("keeps: every stateful kind protected, with a final snapshot, a recovery window and no forceDestroy", async () => {
        assert.deepStrictEqual(await violations("production-stateful-protected", stack("prod", true)), []);
    });

    it("breaks: each one unprotected, and AWS's safeguard undone where it has one; the private zone and the disposable bucket stay out", async () => {
        const found = await violations("production-stateful-protected", stack("prod", false));
        const unprotected = (what: string) =>
            `mandatory: Production ${what} is not protected; create it with the protect option, so that no destroy, ` +
            "rename or replaced component deletes what it holds (tag it Disposable with the reason if losing it is fine).";
        assert.deepStrictEqual(found, [
            unprotected("database mysql"),
            unprotected("Redis sessions"),
            "mandatory: Production Redis sessions: set finalSnapshotIdentifier, so that deleting it leaves a snapshot.",
            unprotected("search domain search"),
            unprotected("EFS file system shared"),
            unprotected("bucket config"),
            "mandatory: Production bucket config: drop forceDestroy, so that AWS refuses to delete it while it holds anything.",
            unprotected("secret redis-auth"),
            "mandatory: Production secret redis-auth: set recoveryWindowInDays to 7-30 days (0 deletes it at once).",
            unprotected("KMS key data"),
            unprotected("public zone example.com"),
            "mandatory: Production public zone example.com: drop forceDestroy, so that AWS refuses to delete it while it holds anything.",
        ]);
    });

    it("does not apply to preproduction", async () => {
        assert.deepStrictEqual(await violations("production-stateful-protected", stack("preprod", false)), []);
    });

    it("the real production stack keeps it during preview", async () => {
        assert.deepStrictEqual(await violations("production-stateful-protected", await stackResources("prod")), []);
    });
});
