// Access logging switched on before the logs bucket admits the log writers fails or drifts: ELB checks that it can
// write when access logs are enabled (Access Denied otherwise), and CloudWatch Logs' delivery adds its own statement
// to a bucket policy that does not yet grant it (docs/edge.md, "Log delivery"). In the whole program of each stack,
// the load balancer and every CloudFront log delivery wait for the logs bucket's policy.
import * as assert from "assert";
import {
    CLOUDWATCH_LOG_DELIVERY,
    CLOUDWATCH_LOG_DELIVERY_DESTINATION,
    LB_LOAD_BALANCER,
    S3_BUCKET_POLICY,
} from "../../../policies/lib/types";
import { ofType, prefetch, stackResources } from "../../helpers/stacks";

describe("edge: logging waits for the logs bucket's policy", () => {
    prefetch(["prod"], ["preprod"]);

    for (const stack of ["prod", "preprod"]) {
        it(`${stack}: the load balancer and each CloudFront log delivery (and its destination) depend on the logs bucket policy`, async () => {
            const r = await stackResources(stack);
            const [policy] = ofType(r, S3_BUCKET_POLICY).filter((p) =>
                p.urn.endsWith(`::magento-${stack}-buckets-logs`),
            );
            assert.ok(policy, "the logs bucket has a policy");
            const writers = [
                ...ofType(r, LB_LOAD_BALANCER),
                ...ofType(r, CLOUDWATCH_LOG_DELIVERY),
                ...ofType(r, CLOUDWATCH_LOG_DELIVERY_DESTINATION),
            ];
            assert.strictEqual(writers.length, 4);
            for (const w of writers) {
                assert.ok(
                    (w.dependencies ?? []).includes(policy.urn),
                    `${w.urn.split("::").pop()} does not wait for ${policy.urn.split("::").pop()}`,
                );
            }
        });
    }
});
