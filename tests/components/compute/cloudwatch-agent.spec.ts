// What the servers ship and publish, as an operator relies on it: every Linux server's CloudWatch agent configuration
// is one the agent accepts (its own JSON schema, tests/fixtures/cloudwatch-agent), sends each server's logs to its own
// tier's group, which the program created with a year's retention under the telemetry key, starts before anything
// that may fail (a server that fails its boot and is terminated has its story shipped), and publishes memory, disk and
// load in the stack's namespace with the dimensions the dashboard reads.
import * as assert from "assert";
import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CloudConfig, INSTALL_PACKAGES } from "../../../components/compute/cloud-init";
import { AGENT_CONFIG, agentConfig, START_AGENT, SYSTEM_LOGS } from "../../../components/compute/cloudwatch-agent";
import {
    AUTOSCALING_GROUP,
    CLOUDWATCH_LOG_GROUP,
    EC2_INSTANCE,
    IAM_ROLE_POLICY,
    KMS_KEY,
} from "../../../policies/lib/types";
import { PREPROD_NFS } from "../../fixtures/stacks";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";
import { linuxUserData } from "../../helpers/user-data";

const schema = JSON.parse(
    fs.readFileSync(path.join(__dirname, "../../fixtures/cloudwatch-agent/schema.json"), "utf8"),
) as Record<string, unknown>;
// Draft-04, which ajv reads as draft-07 once told nothing of it (tests/fixtures/cloudwatch-agent/README.md).
const { $schema: _draft, ...body } = schema;
const validate = new Ajv({ strict: false, allErrors: true }).compile(body);
const problems = (config: unknown) =>
    validate(config) ? "" : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join("; ");

interface Collected {
    file_path: string;
    log_group_name: string;
    log_stream_name: string;
}
interface AgentFile {
    logs: { logs_collected: { files: { collect_list: Collected[] } } };
    metrics: {
        namespace: string;
        append_dimensions: Record<string, string>;
        aggregation_dimensions: string[][];
        metrics_collected: Record<string, { measurement?: string[]; resources?: string[] }>;
    };
}

/** Each server's tier (from its resource name), cloud-config and agent configuration. */
async function servers(): Promise<{ name: string; stack: string; config: CloudConfig; agent: AgentFile }[]> {
    return (await linuxUserData()).map(({ urn, text }) => {
        const config = YAML.parse(text) as CloudConfig;
        const file = config.write_files?.find((f) => f.path === AGENT_CONFIG);
        assert.ok(file, `${urn} writes no CloudWatch agent configuration`);
        return {
            name: urn.split("::").pop()!,
            stack: urn.split(":")[2].split("::")[0],
            config,
            agent: JSON.parse(file.content) as AgentFile,
        };
    });
}

/** The tier each server's resource name stands for (its launch template's or instance's, by the program's names),
 *  which names its log group and namespace: one per tier, each side application its own though they share a Tier tag. */
const TIERS: Record<string, string> = {
    "frontend-lt": "web",
    "backoffice-lt": "backoffice",
    "pim-lt": "sideapps",
    "orders-lt": "sideapps-orders",
    "cashout-lt": "sideapps-cashout",
    "haproxy-server-instance": "gateway",
    "openvpn-server-instance": "vpn",
    "rundeck-server-instance": "rundeck",
    "shared-server-instance": "nfs",
};
const tierOf = (name: string) => TIERS[name.replace(/^magento-(prod|preprod)-/, "")];

describe("CloudWatch agent on every Linux server", () => {
    prefetch(["preprod", { changes: PREPROD_NFS }], ["prod", { preview: false }]);

    it("the agent's schema refuses a configuration the agent would refuse (the check is real)", () => {
        // Rundeck's first configuration named from_beginning, which the agent's schema does not admit: it never ran.
        const entry = { file_path: "/var/log/rundeck/rundeck.log", log_group_name: "/g", from_beginning: true };
        assert.match(
            problems({ logs: { logs_collected: { files: { collect_list: [entry] } } } }),
            /collect_list\/0 must NOT have additional properties/,
        );
        assert.match(problems({ metrics: { metrics_collected: { disk: { resources: ["/"] } } } }), /measurement/);
    });

    it("every server's configuration passes the agent's own schema", async () => {
        const all = await servers();
        assert.strictEqual(all.length, 17); // the nine of generated-config.spec.ts in preprod, eight in prod (no NFS)
        for (const s of all) {
            assert.strictEqual(problems(s.agent), "", `${s.name}: ${JSON.stringify(s.agent)}`);
        }
    });

    it("each server ships its system logs and its own to its tier's group, which the program keeps a year under the telemetry key", async () => {
        const byStack = {
            prod: await stackResources("prod", { preview: false }),
            preprod: await stackResources("preprod", { changes: PREPROD_NFS }),
        };
        for (const s of await servers()) {
            const tier = tierOf(s.name);
            const own = `/magento/${s.stack}/servers/${tier}`;
            const collected = s.agent.logs.logs_collected.files.collect_list;
            const files = collected.filter((c) => c.log_group_name === own).map((c) => c.file_path);
            assert.ok(
                SYSTEM_LOGS.every((l) => files.includes(l.file)),
                `${s.name} does not ship its system logs to ${own}`,
            );
            // One stream per server and file, each from its first line: the translator's default, which the JSON may not name.
            assert.ok(
                collected.every((c) => !("from_beginning" in c) && c.log_stream_name.startsWith("{instance_id}/")),
            );
            // Only its own tier's groups: Rundeck's record besides (components/operations/rundeck/logs.ts).
            const groups = new Set(collected.map((c) => c.log_group_name));
            assert.deepStrictEqual(
                [...groups].sort(),
                tier === "rundeck" ? [`/magento/${s.stack}/rundeck`, own] : [own],
                s.name,
            );
            if (tier === "web" || tier === "backoffice") {
                for (const f of [
                    "/var/log/nginx/access.log",
                    "/var/log/nginx/error.log",
                    "/var/log/php-fpm/error.log",
                    "/var/log/magento/php-fpm-error.log",
                    "/var/www/magento/var/log/*.log",
                ]) {
                    assert.ok(files.includes(f), `${s.name} does not ship ${f}`);
                }
            }
            const resources = byStack[s.stack as keyof typeof byStack];
            const group = ofType(resources, CLOUDWATCH_LOG_GROUP).find((g) => g.inputs!.name === own);
            assert.ok(group, `no log group ${own}`);
            const key = ofType(resources, KMS_KEY).find((k) => k.urn.endsWith("telemetry-key"))!;
            assert.deepStrictEqual(
                [
                    group.inputs!.retentionInDays,
                    group.inputs!.kmsKeyId,
                    (group.inputs!.tags as Record<string, string>).LogClass,
                ],
                [365, key.outputs!.arn, "security"],
                own,
            );
        }
    });

    it("a server that fails its boot has shipped it: the agent starts before the server's own steps, cloud-init's output among its files", async () => {
        for (const s of await servers()) {
            const commands = s.config.runcmd!.map((c) => c.join(" "));
            const start = commands.indexOf(START_AGENT.join(" "));
            // `set -e` (the side applications' first line: stop at the first failing step) is the shell's, not a step.
            const first = commands.findIndex(
                (c) => !/^set -e$|install-packages|systemctl enable --now rsyslog/.test(c),
            );
            const tier = tierOf(s.name);
            if (tier === "rundeck") {
                // After its volume's mounts: it follows the job output there (docs/rundeck.md).
                assert.ok(start > commands.indexOf("/usr/local/sbin/prepare-volumes"), commands.join("\n"));
            } else {
                assert.strictEqual(start, first, `${s.name}:\n${commands.join("\n")}`);
            }
            // The package is the image's on the web tiers, cloud-init's `packages` on the NFS server, installed first elsewhere.
            const installs = commands.findIndex((c) => c.startsWith(`${INSTALL_PACKAGES} amazon-cloudwatch-agent`));
            if (tier === "web" || tier === "backoffice" || tier === "nfs") {
                assert.strictEqual(installs, -1, s.name);
                assert.strictEqual((s.config.packages ?? []).includes("amazon-cloudwatch-agent"), tier === "nfs");
            } else {
                assert.ok(installs >= 0 && installs < start, `${s.name}: the agent starts before it is installed`);
            }
        }
    });

    it("a server, or a group's first server, is created only once its tier's log group and grants exist", async () => {
        for (const resources of [
            await stackResources("prod", { preview: false }),
            await stackResources("preprod", { changes: PREPROD_NFS }),
        ]) {
            const linux = [
                ...ofType(resources, EC2_INSTANCE)
                    .filter((i) => (i.inputs!.tags as Record<string, string>).Tier !== "windows")
                    .map((i) => ({ server: i, profile: via(resources, i, "iamInstanceProfile")[0] })),
                ...ofType(resources, AUTOSCALING_GROUP).map((g) => ({
                    server: g,
                    profile: via(resources, via(resources, g, "launchTemplate")[0], "iamInstanceProfile")[0],
                })),
            ];
            for (const { server, profile } of linux) {
                // The tier's own: its log group, the agent's grant, the SSM agent's, and the deny on other parameters.
                const own = resources.filter(
                    (r) =>
                        r.parent === profile.parent &&
                        (r.type === CLOUDWATCH_LOG_GROUP ||
                            (r.type === IAM_ROLE_POLICY && /-(telemetry|ssm-agent|parameter-scope)$/.test(r.urn))),
                );
                assert.strictEqual(own.length, 4, `${server.urn}: ${own.map((r) => r.urn).join(", ")}`);
                const missing = own.filter((r) => !(server.dependencies ?? []).includes(r.urn));
                assert.deepStrictEqual(
                    missing.map((r) => r.urn.split("::").pop()),
                    [],
                    server.urn,
                );
            }
        }
    });

    it("every server publishes memory, disk and load into its own tier's namespace, per group or per server as the dashboard reads them", async () => {
        for (const s of await servers()) {
            const { metrics } = s.agent;
            const scaled = ["web", "backoffice", "sideapps", "sideapps-orders", "sideapps-cashout"].includes(
                tierOf(s.name),
            );
            assert.strictEqual(metrics.namespace, `Magento/${s.stack}/Servers/${tierOf(s.name)}`);
            assert.deepStrictEqual(metrics.append_dimensions, {
                InstanceId: "${aws:InstanceId}",
                ...(scaled ? { AutoScalingGroupName: "${aws:AutoScalingGroupName}" } : {}),
            });
            assert.deepStrictEqual(metrics.aggregation_dimensions, [[scaled ? "AutoScalingGroupName" : "InstanceId"]]);
            assert.deepStrictEqual(metrics.metrics_collected.mem.measurement, ["used_percent"]);
            assert.deepStrictEqual(metrics.metrics_collected.disk.measurement, ["used_percent"]);
            assert.ok(metrics.metrics_collected.statsd, "no StatsD listener for the load average");
        }
        // Data volumes are measured beside the root disk: a full share or job store is what stops a server.
        const rundeck = agentConfig({
            telemetry: { logGroupName: "/g", namespace: "N", scaled: false },
            logs: [],
            diskPaths: ["/srv/rundeck"],
        }) as AgentFile;
        assert.deepStrictEqual(rundeck.metrics.metrics_collected.disk.resources, ["/", "/srv/rundeck"]);
    });
});
