// A server's logs outlive it only if they are shipped: every Linux server (an instance or launch template booting a
// cloud-config) writes the CloudWatch agent's configuration (policies/lib/contracts.ts, AGENT_CONFIG_PATH), which
// the agent accepts (it refuses a file its schema does not admit, and then ships nothing), into log groups the stack
// creates (a missing one the agent would create itself, never expiring and unencrypted, if its role let it). Sources:
// docs/servers.md, "Seeing into the servers".
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parse } from "yaml";
import { AGENT_CONFIG_PATH } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { ofType } from "../../lib/stack";
import { CLOUDWATCH_LOG_GROUP, EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../lib/types";
import { userDataOf } from "../../lib/user-data";
import { known } from "../../lib/values";

/** The keys the agent's schema admits in a logs.logs_collected.files.collect_list entry (translator/config/schema.json
 *  of aws/amazon-cloudwatch-agent; tests/fixtures/cloudwatch-agent holds the schema, and the spec keeps this in step). */
export const COLLECT_LIST_KEYS = [
    "file_path",
    "log_group_name",
    "log_stream_name",
    "log_group_class",
    "multi_line_start_pattern",
    "timestamp_format",
    "timezone",
    "trim_timestamp",
    "encoding",
    "auto_removal",
    "backpressure_mode",
    "blacklist",
    "publish_multi_logs",
    "retention_in_days",
    "filters",
    "service.name",
    "deployment.environment",
];

/** What is wrong with a server's agent configuration, given the stack's log groups' names; empty when nothing. */
function problems(userData: string, groups: ReadonlySet<string>): string[] {
    let files: { path?: unknown; content?: unknown }[];
    try {
        files = ((parse(userData) as { write_files?: unknown } | null)?.write_files ?? []) as typeof files;
    } catch {
        return []; // not YAML: cloud-init schema checks catch that, not this rule
    }
    const file = Array.isArray(files) ? files.find((f) => f?.path === AGENT_CONFIG_PATH) : undefined;
    if (typeof file?.content !== "string") {
        return [`writes no CloudWatch agent configuration at ${AGENT_CONFIG_PATH}: its logs die with it`];
    }
    let entries: Record<string, unknown>[];
    try {
        const config = JSON.parse(file.content) as {
            logs?: { logs_collected?: { files?: { collect_list?: unknown } } };
        };
        entries = (config.logs?.logs_collected?.files?.collect_list ?? []) as Record<string, unknown>[];
    } catch {
        return [`its CloudWatch agent configuration is not JSON`];
    }
    if (!Array.isArray(entries) || entries.length === 0) {
        return ["its CloudWatch agent configuration ships no log file"];
    }
    const found: string[] = [];
    for (const key of new Set(entries.flatMap((e) => Object.keys(e)).filter((k) => !COLLECT_LIST_KEYS.includes(k)))) {
        found.push(
            `its CloudWatch agent configuration names '${key}', which the agent's schema refuses: the agent would not start`,
        );
    }
    for (const group of new Set(entries.map((e) => e.log_group_name))) {
        if (typeof group !== "string" || !groups.has(group)) {
            found.push(
                `it ships to log group ${String(group)}, which the stack does not create (with its retention and key)`,
            );
        }
    }
    return found;
}

export const serversShipLogs: StackValidationPolicy = {
    name: "servers-ship-logs",
    description:
        "Every Linux server's cloud-config writes a CloudWatch agent configuration the agent's schema admits, shipping its logs to log groups the stack creates.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const names = ofType(args.resources, CLOUDWATCH_LOG_GROUP).map((g) => known(g.props, "name"));
        if (names.some((n) => typeof n !== "string")) {
            return; // a group's name unknown in this preview: the groups cannot be told apart yet
        }
        const groups = new Set(names as string[]);
        const servers: PolicyResource[] = ofType(args.resources, EC2_INSTANCE, EC2_LAUNCH_TEMPLATE);
        for (const server of servers) {
            const userData = userDataOf(server.type, server.props);
            if (userData === undefined || !userData.startsWith("#cloud-config")) {
                continue; // unknown in this preview, or not Linux (the Windows host's PowerShell)
            }
            for (const problem of problems(userData, groups)) {
                reportViolation(`Server ${server.name}: ${problem}.`, server.urn);
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, CLOUDWATCH_LOG_GROUP],
    decides:
        "Decides during preview from the servers' cloud-config user data (the agent's file in write_files) and the log groups' names; unknown user data passes.",
    remediation:
        "Write the agent's configuration with components/compute/cloudwatch-agent.ts (agentBoot) and give the server's ServerTier its telemetry, which creates the tier's log group.",
    controls: controls({}),
};
