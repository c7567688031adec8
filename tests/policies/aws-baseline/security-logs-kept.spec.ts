// security-logs-kept, asked over the analyzer protocol: which log groups count as security logs, how long they keep
// events, and what must be encrypted.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    CLOUDWATCH_LOG_GROUP,
    EC2_FLOW_LOG,
    SNS_TOPIC,
    SSM_DOCUMENT,
    WAFV2_WEB_ACL_LOGGING_CONFIGURATION,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

type Writer = "waf" | "session" | "tag" | "flow";

function logs(
    writer: Writer,
    group: Record<string, unknown>,
    topic: Record<string, unknown> = { kmsMasterKeyId: UNKNOWN },
): StateResource[] {
    const b = new StackBuilder("prod");
    const g = b.add(CLOUDWATCH_LOG_GROUP, "logs", {
        ...group,
        ...(writer === "tag" ? { tags: { LogClass: "security" } } : {}),
    });
    if (writer === "waf") {
        b.add(
            WAFV2_WEB_ACL_LOGGING_CONFIGURATION,
            "waf-logging",
            { logDestinationConfigs: [UNKNOWN] },
            { logDestinationConfigs: [g] },
        );
    } else if (writer === "session") {
        b.add(SSM_DOCUMENT, "sessions", { documentType: "Session", content: UNKNOWN }, { content: [g] });
    } else if (writer === "flow") {
        b.add(EC2_FLOW_LOG, "flow", { logDestination: UNKNOWN, trafficType: "ALL" }, { logDestination: [g] });
    }
    b.add(SNS_TOPIC, "alarms", topic);
    return b.resources;
}

describe("aws-baseline / security-logs-kept", () => {
    it("keeps: a year (or never expiring), encrypted, decided while the key is unknown; flow logs keep their own retention", async () => {
        for (const writer of ["waf", "session", "tag"] as const) {
            assert.deepStrictEqual(
                await violations("security-logs-kept", logs(writer, { retentionInDays: 365, kmsKeyId: UNKNOWN })),
                [],
                writer,
            );
        }
        assert.deepStrictEqual(await violations("security-logs-kept", logs("session", { kmsKeyId: UNKNOWN })), []);
        assert.deepStrictEqual(
            await violations("security-logs-kept", logs("flow", { retentionInDays: 14, kmsKeyId: UNKNOWN })),
            [],
        );
    });

    it("breaks: session logs kept 90 days, whether or not the group is tagged", async () => {
        assert.deepStrictEqual(
            await violations("security-logs-kept", logs("session", { retentionInDays: 90, kmsKeyId: UNKNOWN })),
            [
                "mandatory: Log group logs holds security logs and keeps them 90 days; keep them at least 365 (PCI DSS 10.5.1: twelve months).",
            ],
        );
    });

    it("breaks: WAF or flow logs in clear, and an unencrypted alarm topic", async () => {
        const clear =
            "mandatory: Log group logs holds security telemetry and is not KMS-encrypted; set kmsKeyId (the key's policy must let logs.<region>.amazonaws.com use it).";
        assert.deepStrictEqual(await violations("security-logs-kept", logs("waf", { retentionInDays: 365 })), [clear]);
        assert.deepStrictEqual(await violations("security-logs-kept", logs("flow", { retentionInDays: 90 })), [clear]);
        assert.deepStrictEqual(
            await violations("security-logs-kept", logs("tag", { retentionInDays: 365, kmsKeyId: UNKNOWN }, {})),
            [
                "mandatory: SNS topic alarms is not encrypted; set kmsMasterKeyId to a customer-managed key whose policy lets its publishers (cloudwatch.amazonaws.com) use it.",
            ],
        );
    });
});
