// waf-logged, asked over the analyzer protocol, on a web ACL shaped like components/web/web-acl.ts's.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { CLOUDWATCH_LOG_GROUP, WAFV2_WEB_ACL, WAFV2_WEB_ACL_LOGGING_CONFIGURATION } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const REDACTED = ["cookie", "authorization", "x-origin-verify"].map((name) => ({ singleHeader: { name } }));

function webAcl(opts: { logging?: boolean; groupName?: string; redactedFields?: unknown[] } = {}): StateResource[] {
    const b = new StackBuilder("prod");
    const acl = b.add(WAFV2_WEB_ACL, "shop-acl", { scope: "REGIONAL", defaultAction: { allow: {} } });
    if (opts.logging ?? true) {
        const group = b.add(CLOUDWATCH_LOG_GROUP, "shop-requests", {
            name: opts.groupName ?? "aws-waf-logs-shop",
            retentionInDays: 365,
            kmsKeyId: UNKNOWN,
        });
        b.add(
            WAFV2_WEB_ACL_LOGGING_CONFIGURATION,
            "shop-requests",
            { resourceArn: UNKNOWN, logDestinationConfigs: [UNKNOWN], redactedFields: opts.redactedFields ?? REDACTED },
            { resourceArn: [acl], logDestinationConfigs: [group] },
        );
    }
    return b.resources;
}

describe("aws-baseline / waf-logged", () => {
    it("keeps: requests logged to aws-waf-logs-*, secrets redacted (any case), decided while every ARN is unknown", async () => {
        assert.deepStrictEqual(await violations("waf-logged", webAcl()), []);
        assert.deepStrictEqual(
            await violations(
                "waf-logged",
                webAcl({ redactedFields: [...REDACTED.slice(0, 2), { singleHeader: { name: "X-Origin-Verify" } }] }),
            ),
            [],
        );
    });

    it("breaks: a web ACL that logs nothing", async () => {
        assert.deepStrictEqual(await violations("waf-logged", webAcl({ logging: false })), [
            "mandatory: Web ACL shop-acl has no logging configuration: add a WebAclLoggingConfiguration to an aws-waf-logs- log group.",
        ]);
    });

    it("breaks: the origin-verify secret left in the logs, or a group WAF refuses", async () => {
        assert.deepStrictEqual(await violations("waf-logged", webAcl({ redactedFields: REDACTED.slice(0, 2) })), [
            "mandatory: Web ACL shop-acl's logging: redactedFields must include singleHeader x-origin-verify.",
        ]);
        assert.deepStrictEqual(await violations("waf-logged", webAcl({ groupName: "/waf/shop" })), [
            "mandatory: Web ACL shop-acl's logging: its destination must be a log group of the stack named aws-waf-logs-*.",
        ]);
    });
});
