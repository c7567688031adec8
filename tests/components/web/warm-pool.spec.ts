// The front end's warm pool as an operator relies on it: production keeps booted, stopped servers beside its group,
// each held by the launch hook until its boot reports (on the way into the pool and again into service), a server
// started again reads its parameters and secrets anew before it serves, and the boot's report runs as the server
// would run it, against stand-ins for the instance metadata and the AWS CLI.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { CloudConfig, WriteFile } from "../../../components/compute/cloud-init";
import { readyScript } from "../../../components/web/web-boot";
import { launchHookName } from "../../../components/web/web-group";
import { LAUNCH_HOOK_TIMEOUT_SECONDS } from "../../../model/web-timing";
import { AUTOSCALING_GROUP, EC2_LAUNCH_TEMPLATE, IAM_ROLE_POLICY } from "../../../policies/lib/types";
import { StateResource } from "../../../offline/state";
import { asExport, plan } from "../../helpers/plan";
import { named } from "../../helpers/reachability";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

const UPDATE = { preview: false };
const HOOK = "aws:autoscaling/lifecycleHook:LifecycleHook";

const config = (template: StateResource) => YAML.parse(userDataText(template)) as CloudConfig;
const commands = (c: CloudConfig) => (c.runcmd ?? []).map((step) => step.join(" "));
const file = (c: CloudConfig, p: string): WriteFile | undefined => (c.write_files ?? []).find((f) => f.path === p);
const lines = (f: WriteFile | undefined) => (f?.content ?? "").split("\n");

describe("warm pool", () => {
    prefetch(["prod", UPDATE], ["preprod", UPDATE]);

    it("production's front end keeps 2 servers booted and stopped, returned to the pool on scale-in; the back office has none", async () => {
        const r = await stackResources("prod", UPDATE);
        assert.deepStrictEqual(named(r, AUTOSCALING_GROUP, "frontend-asg").inputs!.warmPool, {
            poolState: "Stopped",
            minSize: 2,
            maxGroupPreparedCapacity: 4, // the group's minimum (2) and the pool's 2
            instanceReusePolicy: { reuseOnScaleIn: true },
        });
        assert.strictEqual(named(r, AUTOSCALING_GROUP, "backoffice-asg").inputs!.warmPool, undefined);
        // No mixed instances policy nor Spot, which a warm pool cannot have.
        assert.strictEqual(named(r, AUTOSCALING_GROUP, "frontend-asg").inputs!.mixedInstancesPolicy, undefined);
        assert.strictEqual(named(r, EC2_LAUNCH_TEMPLATE, "frontend-lt").inputs!.instanceMarketOptions, undefined);
    });

    it("a launch hook on the front end alone holds each server until its boot reports, and abandons one that never does", async () => {
        const r = await stackResources("prod", UPDATE);
        const hooks = ofType(r, HOOK);
        assert.strictEqual(hooks.length, 1);
        const [hook] = hooks;
        assert.deepStrictEqual(
            via(r, hook, "autoscalingGroupName").map((g) => g.urn.split("::").pop()),
            ["magento-prod-frontend-asg"],
        );
        assert.deepStrictEqual(
            {
                name: hook.inputs!.name,
                lifecycleTransition: hook.inputs!.lifecycleTransition,
                heartbeatTimeout: hook.inputs!.heartbeatTimeout,
                defaultResult: hook.inputs!.defaultResult,
            },
            {
                name: launchHookName("magento-prod-frontend"),
                lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                heartbeatTimeout: LAUNCH_HOOK_TIMEOUT_SECONDS,
                defaultResult: "ABANDON",
            },
        );
        // The front end's role completes it on its own group only (finding its group and state takes Describe).
        const policy = JSON.parse(named(r, IAM_ROLE_POLICY, "web-launch-hook").inputs!.policy as string) as {
            Statement: { Action: string; Resource: string }[];
        };
        assert.deepStrictEqual(
            policy.Statement.map((s) => [s.Action, s.Resource]),
            [
                ["autoscaling:DescribeAutoScalingInstances", "*"],
                ["autoscaling:CompleteLifecycleAction", named(r, AUTOSCALING_GROUP, "frontend-asg").outputs!.arn],
            ],
        );
    });

    it("a new front-end group is created with its launch hook, so its first servers wait too; a group deployed before it had one is not replaced for it", async () => {
        const r = await stackResources("prod", UPDATE);
        const group = named(r, AUTOSCALING_GROUP, "frontend-asg");
        const hook = ofType(r, HOOK)[0];
        const { autoscalingGroupName: _, ...separate } = hook.inputs!;
        // The same hook in the group's create call as the separate resource, which serves groups made without it.
        assert.deepStrictEqual(group.inputs!.initialLifecycleHooks, [separate]);
        const before = asExport(r);
        const deployed = before.resources.find((x) => x.urn === group.urn)!;
        delete deployed.inputs!.initialLifecycleHooks;
        delete deployed.outputs!.initialLifecycleHooks;
        const steps = plan(before, r, "prod").steps.filter((s) => s.urn === group.urn || s.urn === hook.urn);
        assert.deepStrictEqual(
            steps.map((s) => [s.name, s.op]),
            [
                ["magento-prod-frontend-asg", "same"],
                ["magento-prod-frontend-boot", "same"],
            ],
        );
    });

    it("preproduction has no warm pool, no hook, and its boot reports to none", async () => {
        const r = await stackResources("preprod", UPDATE);
        assert.strictEqual(named(r, AUTOSCALING_GROUP, "frontend-asg").inputs!.warmPool, undefined);
        assert.deepStrictEqual(ofType(r, HOOK), []);
        const c = config(named(r, EC2_LAUNCH_TEMPLATE, "frontend-lt"));
        assert.strictEqual(file(c, "/usr/local/sbin/magento-ready"), undefined);
        assert.ok(!commands(c).some((s) => s.includes("magento-ready")));
    });

    it("the boot reports last, once the shop's units run, and again at every later start; a server started again re-reads its parameters and secrets before it serves", async () => {
        const r = await stackResources("prod", UPDATE);
        const c = config(named(r, EC2_LAUNCH_TEMPLATE, "frontend-lt"));
        const steps = commands(c);
        assert.strictEqual(steps[steps.length - 1], "systemctl enable --now magento-ready.service");
        assert.ok(steps.indexOf("systemctl enable --now php-fpm nginx") < steps.length - 1);
        const ready = lines(file(c, "/etc/systemd/system/magento-ready.service"));
        assert.ok(ready.includes("Requires=php-fpm.service nginx.service"), ready.join("\n"));
        assert.ok(ready.includes("After=php-fpm.service nginx.service"));
        assert.ok(
            ready.includes("WantedBy=multi-user.target"),
            "it runs again when the server is started from the pool",
        );
        assert.strictEqual(
            file(c, "/usr/local/sbin/magento-ready")!.content,
            readyScript("eu-west-3", launchHookName("magento-prod-frontend")),
        );
        // Both tiers: a server started again (out of the pool, or rebooted) serves only after a fresh read, which
        // keeps the old files when it fails (start mode) rather than starting PHP-FPM without a secret.
        for (const tier of ["frontend-lt", "backoffice-lt"]) {
            const t = config(named(r, EC2_LAUNCH_TEMPLATE, tier));
            const refresh = lines(file(t, "/etc/systemd/system/magento-refresh.service"));
            assert.deepStrictEqual(
                refresh.filter((l) => /^(Before|ExecStart|WantedBy)=/.test(l)),
                [
                    "Before=php-fpm.service nginx.service",
                    "ExecStart=/usr/local/sbin/magento-parameters",
                    "ExecStart=/usr/local/sbin/magento-secrets start",
                    "WantedBy=multi-user.target",
                ],
                tier,
            );
            // Enabled for later boots, not run again now: the first boot read them itself, before the units start.
            const s = commands(t);
            assert.ok(s.includes("systemctl enable magento-refresh.service"), tier);
            assert.ok(s.indexOf("/usr/local/sbin/magento-secrets") < s.indexOf("systemctl enable --now php-fpm nginx"));
        }
    });

    describe("magento-ready, against stand-ins for the instance metadata and the AWS CLI", () => {
        const run = (state: string, target: string, describeFails = false) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ready-"));
            try {
                const log = path.join(dir, "aws.log");
                // IMDSv2: a token from PUT, then the metadata asked with it.
                fs.writeFileSync(
                    path.join(dir, "curl"),
                    [
                        "#!/bin/bash",
                        'case "$*" in',
                        "  *'-X PUT'*api/token*) echo tok ;;",
                        "  *'token: tok'*meta-data/instance-id) echo i-0abc ;;",
                        `  *'token: tok'*meta-data/autoscaling/target-lifecycle-state) echo ${target} ;;`,
                        "  *) exit 22 ;;",
                        "esac",
                        "",
                    ].join("\n"),
                    { mode: 0o755 },
                );
                fs.writeFileSync(
                    path.join(dir, "aws"),
                    [
                        "#!/bin/bash",
                        `echo "$*" >> ${log}`,
                        'case "$2" in',
                        `  describe-auto-scaling-instances) ${describeFails ? "exit 254" : `printf 'magento-prod-frontend-asg-1a2b\\t${state}\\n'`} ;;`,
                        "esac",
                        "",
                    ].join("\n"),
                    { mode: 0o755 },
                );
                const script = path.join(dir, "magento-ready");
                fs.writeFileSync(script, readyScript("eu-west-3", "magento-prod-frontend-boot"), { mode: 0o755 });
                const result = spawnSync("bash", [script], {
                    encoding: "utf8",
                    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
                });
                const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trimEnd().split("\n") : [];
                return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        };
        const complete =
            "autoscaling complete-lifecycle-action --region eu-west-3 --auto-scaling-group-name magento-prod-frontend-asg-1a2b --lifecycle-hook-name magento-prod-frontend-boot --instance-id i-0abc --lifecycle-action-result CONTINUE";

        for (const [state, target] of [
            ["Warmed:Pending:Wait", "Warmed:Stopped"],
            ["Pending:Wait", "InService"],
        ]) {
            it(`completes the hook when the group holds the server in ${state} (headed for ${target})`, () => {
                const result = run(state, target);
                assert.strictEqual(result.status, 0, result.stderr);
                assert.deepStrictEqual(result.calls, [
                    "autoscaling describe-auto-scaling-instances --region eu-west-3 --instance-ids i-0abc --query AutoScalingInstances[0].[AutoScalingGroupName,LifecycleState] --output text",
                    complete,
                ]);
                assert.match(
                    result.stdout,
                    new RegExp(`boot reported to magento-prod-frontend-asg-1a2b \\(${state}, headed for ${target}\\)`),
                );
            });
        }

        it("does nothing for a server already in service (a reboot) or launched before the hook existed", () => {
            const result = run("InService", "InService");
            assert.strictEqual(result.status, 0, result.stderr);
            assert.ok(!result.calls.some((c) => c.includes("complete-lifecycle-action")), result.calls.join("\n"));
            assert.match(result.stdout, /is InService \(headed for InService\): no launch hook waits for it/);
        });

        it("fails, completing nothing, when the group cannot be asked (the hook then abandons the server)", () => {
            const result = run("Pending:Wait", "InService", true);
            assert.notStrictEqual(result.status, 0);
            assert.ok(!result.calls.some((c) => c.includes("complete-lifecycle-action")));
        });
    });
});
