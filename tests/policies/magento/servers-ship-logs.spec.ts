// servers-ship-logs, asked over the analyzer protocol: a Linux server keeps its logs past its termination only with an
// agent configuration the agent accepts, shipping into the stack's own groups; the Windows host and unknown user data
// are not judged. The admitted keys are the agent's own schema's.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { agentBoot } from "../../../components/compute/cloudwatch-agent";
import { renderCloudConfig } from "../../../components/compute/cloud-init";
import { COLLECT_LIST_KEYS } from "../../../policies/magento/rules/servers-ship-logs";
import { CLOUDWATCH_LOG_GROUP, EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const GROUP = "/magento/prod/servers/gateway";
const agent = agentBoot({
    telemetry: { logGroupName: GROUP, namespace: "Magento/prod/Servers", scaled: false },
    logs: [],
});
/** A gateway booting `files` (the agent's by default), beside the stack's log group named `group`. */
function stack(files = agent.files, group: string = GROUP) {
    const b = new StackBuilder("prod");
    b.add(CLOUDWATCH_LOG_GROUP, "gateway-server-logs", { name: group });
    b.add(EC2_INSTANCE, "haproxy-server-instance", {
        userData: renderCloudConfig({ write_files: files, runcmd: agent.runcmd }),
    });
    return b.resources;
}
/** The agent's file with its collect_list edited. */
const edited = (edit: (entry: Record<string, unknown>) => Record<string, unknown>) =>
    agent.files.map((f) => {
        if (!f.path.endsWith(".json")) {
            return f;
        }
        const config = JSON.parse(f.content) as { logs: { logs_collected: { files: { collect_list: object[] } } } };
        const list = config.logs.logs_collected.files.collect_list;
        config.logs.logs_collected.files.collect_list = list.map((e) => edit(e as Record<string, unknown>));
        return { ...f, content: JSON.stringify(config) };
    });

describe("magento / servers-ship-logs", () => {
    it("keeps: a server shipping with the generated configuration; the Windows host and unknown user data are not judged", async () => {
        assert.deepStrictEqual(await violations("servers-ship-logs", stack()), []);
        const b = new StackBuilder("prod");
        b.add(EC2_INSTANCE, "windows-server-instance", { userData: "<powershell>\nWrite-Output hi\n</powershell>" });
        b.add(EC2_LAUNCH_TEMPLATE, "frontend-lt", { userData: UNKNOWN });
        assert.deepStrictEqual(await violations("servers-ship-logs", b.resources), []);
    });

    it("breaks: a Linux server that writes no agent configuration: its logs die with it", async () => {
        assert.deepStrictEqual(await violations("servers-ship-logs", stack([])), [
            "mandatory: Server haproxy-server-instance: writes no CloudWatch agent configuration at /opt/aws/amazon-cloudwatch-agent/etc/magento.json: its logs die with it.",
        ]);
    });

    it("breaks: a configuration naming a key the agent's schema refuses (Rundeck's first one: from_beginning)", async () => {
        const found = await violations("servers-ship-logs", stack(edited((e) => ({ ...e, from_beginning: true }))));
        assert.deepStrictEqual(found, [
            "mandatory: Server haproxy-server-instance: its CloudWatch agent configuration names 'from_beginning', which the agent's schema refuses: the agent would not start.",
        ]);
    });

    it("breaks: shipping to a log group the stack does not create", async () => {
        assert.deepStrictEqual(await violations("servers-ship-logs", stack(agent.files, "/magento/prod/servers/vpn")), [
            `mandatory: Server haproxy-server-instance: it ships to log group ${GROUP}, which the stack does not create (with its retention and key).`,
        ]);
    });

    it("admits exactly the collect_list keys of the agent's schema (tests/fixtures/cloudwatch-agent)", () => {
        const schema = JSON.parse(
            fs.readFileSync(path.join(__dirname, "../../fixtures/cloudwatch-agent/schema.json"), "utf8"),
        ) as {
            definitions: {
                logsDefinition: {
                    definitions: {
                        logsFilesDefinition: { properties: { collect_list: { items: { properties: object } } } };
                    };
                };
            };
        };
        const files = schema.definitions.logsDefinition.definitions.logsFilesDefinition;
        assert.deepStrictEqual(
            [...COLLECT_LIST_KEYS].sort(),
            Object.keys(files.properties.collect_list.items.properties).sort(),
        );
    });
});
