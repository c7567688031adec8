// The release runner's definition, run offline over stubbed AWS answers: valid ASL; no schema change rolls out with no
// maintenance and 100% healthy kept; a schema change upgrades once under maintenance; a failed health check or upgrade
// stops, notifies and records nothing; a rollback reruns the previous image with no schema step; every poll is bounded.
import * as assert from "assert";
import { execFile } from "child_process";
import {
    AslDefinition,
    allStates,
    POLL_SECONDS,
    releaseRunnerDefinition,
    RUNNER_SCRIPTS,
    RunnerScript,
    RunnerTargets,
    runnerActions,
} from "../../model/release-runner";
import { releaseRecordParameter, RunnerInput } from "../../model/release";
import { RELEASE_COMMIT_TAG, RELEASE_VERSION_TAG } from "../../policies/lib/contracts";
import { awsError, Call, EXECUTION_ARN, Run, runStateMachine, STATE_MACHINE_ARN } from "../helpers/state-machine";

const TARGETS: RunnerTargets = {
    stack: "preprod",
    region: "eu-west-3",
    accountId: "123456789012",
    topicArn: "arn:aws:sns:eu-west-3:123456789012:magento-preprod-alarms",
    frontEnd: { groupName: "fe-asg", launchTemplateId: "lt-fe", instanceTags: { Tier: "web", Stack: "preprod" } },
    backOffice: {
        groupName: "bo-asg",
        launchTemplateId: "lt-bo",
        instanceTags: { Tier: "backoffice", Stack: "preprod" },
    },
    webTiers: ["web", "backoffice"],
    pipelineArn: "arn:aws:imagebuilder:eu-west-3:123456789012:image-pipeline/magento-preprod-release",
    imageKeyArn: "arn:aws:kms:eu-west-3:123456789012:key/release",
    promotionSource: { accountId: "123456789012", keyArn: "arn:aws:kms:eu-west-3:123456789012:key/source" },
    imagesKept: 3,
    frontEndAlarms: ["magento-preprod-5xx"],
    timeouts: { imageBuild: 3600, imageCopy: 1800, refresh: 3600, command: 600, upgrade: 1800 },
};
const DEFINITION = releaseRunnerDefinition(TARGETS);
// asl-validator 4 ships no types: its one export, as its README documents it.
const validator = require("asl-validator") as (definition: unknown) => { isValid: boolean; errors: unknown[] };
const PREVIOUS = { version: "1.4.0", commit: "abc1234", imageId: "ami-previous" };
const CURRENT = { version: "1.5.0", commit: "def5678", imageId: "ami-current" };

/** How the stubbed AWS behaves in a scenario. */
interface World {
    dbStatus?: number;
    upgradeStatus?: string;
    refresh?: Record<string, string>; // group name -> final refresh status
    backOfficeInstances?: number;
    currentRecord?: object | null;
    imageState?: string;
    buildState?: string;
    /** Images a run names that are not this account's release images (DescribeImages with Owners self: none). */
    foreign?: readonly string[];
    /** The stack's promoted copies, as DescribeImages lists them for the prune (id and creation date). */
    copies?: readonly { readonly ImageId: string; readonly CreationDate: string }[];
    /** No previous record yet. */
    noPrevious?: boolean;
    /** DeregisterImage fails. */
    failPrune?: boolean;
    /** Other executions of the runner running, as ListExecutions lists them newest first; "this" is this run. */
    running?: readonly string[];
    /** The images each launch template's latest and default versions name, by template id. */
    templateImages?: Record<string, readonly string[]>;
    /** Whether this call fails with a throttling error (asked before each answer). */
    flaky?: (action: string) => boolean;
}

function scriptOf(parameters: Record<string, unknown>): RunnerScript {
    const commands = (parameters.Parameters as { commands: readonly string[] }).commands;
    const found = (Object.keys(RUNNER_SCRIPTS) as RunnerScript[]).find(
        (k) => JSON.stringify(RUNNER_SCRIPTS[k]) === JSON.stringify(commands),
    );
    assert.ok(found, `unknown script ${JSON.stringify(commands)}`);
    return found;
}

function run(input: RunnerInput, world: World = {}, definition: AslDefinition = DEFINITION): Promise<Run> {
    const commands: RunnerScript[] = [];
    return runStateMachine(definition, input, (_state, action, p) => {
        if (world.flaky?.(action)) throw awsError("AutoScaling.ThrottlingException", "Rate exceeded");
        switch (action) {
            case "sns:publish":
                return { MessageId: "m" };
            case "ssm:getParameter":
                if (p.Name === releaseRecordParameter("preprod", "previous")) {
                    if (world.noPrevious) throw awsError("Ssm.ParameterNotFoundException");
                    return { Parameter: { Value: JSON.stringify(PREVIOUS) } };
                }
                if (world.currentRecord === null) throw awsError("Ssm.ParameterNotFoundException");
                return { Parameter: { Value: JSON.stringify(world.currentRecord ?? CURRENT) } };
            case "ssm:putParameter":
                return { Version: 2 };
            case "ec2:copyImage":
                return { ImageId: "ami-copy" };
            case "ec2:describeImages":
                if (!p.ImageIds) return { Images: world.copies ?? [] }; // the prune's listing
                if (p.Owners && (p.ImageIds as string[]).some((id) => world.foreign?.includes(id)))
                    return { Images: [] };
                return { Images: [{ State: world.imageState ?? "available" }] };
            case "imagebuilder:startImagePipelineExecution":
                return { ImageBuildVersionArn: "arn:build/1" };
            case "imagebuilder:getImage":
                return world.buildState && world.buildState !== "AVAILABLE"
                    ? { Image: { State: { Status: world.buildState } } }
                    : {
                          Image: {
                              State: { Status: "AVAILABLE" },
                              OutputResources: { Amis: [{ Image: "ami-built" }] },
                          },
                      };
            case "imagebuilder:tagResource":
            case "sfn:listExecutions":
                return {
                    Executions: (world.running ?? ["this"]).map((name) => ({
                        ExecutionArn: name === "this" ? EXECUTION_ARN : `${EXECUTION_ARN.replace("this-run", name)}`,
                    })),
                };
            case "ec2:deregisterImage":
                if (world.failPrune) throw awsError("Ec2.UnauthorizedOperation");
                return {};
            case "ec2:createTags":
            case "ec2:modifyLaunchTemplate":
            case "ec2:deleteLaunchTemplateVersions":
                return {};
            case "autoscaling:describeAutoScalingGroups": {
                const bo = p.AutoScalingGroupNames && (p.AutoScalingGroupNames as string[])[0] === "bo-asg";
                const count = bo ? (world.backOfficeInstances ?? 1) : 2;
                const instances = Array.from({ length: count }, (_, i) => ({
                    InstanceId: `i-${bo ? "bo" : "fe"}${i}`,
                    LifecycleState: "InService",
                }));
                return { AutoScalingGroups: [{ LaunchTemplate: { Version: "3" }, Instances: instances }] };
            }
            case "ec2:describeLaunchTemplateVersions":
                return {
                    LaunchTemplateVersions: (world.templateImages?.[String(p.LaunchTemplateId)] ?? ["ami-running"]).map(
                        (ImageId) => ({ LaunchTemplateData: { ImageId } }),
                    ),
                };
            case "ec2:createLaunchTemplateVersion":
                return { LaunchTemplateVersion: { VersionNumber: 4 } };
            case "autoscaling:rollbackInstanceRefresh":
                return { InstanceRefreshId: `rollback-${String(p.AutoScalingGroupName)}` };
            case "autoscaling:startInstanceRefresh":
                return { InstanceRefreshId: `refresh-${String(p.AutoScalingGroupName)}` };
            case "autoscaling:describeInstanceRefreshes":
                return {
                    InstanceRefreshes: [{ Status: world.refresh?.[String(p.AutoScalingGroupName)] ?? "Successful" }],
                };
            case "ssm:sendCommand": {
                commands.push(scriptOf(p));
                const ids = (p.InstanceIds as string[] | undefined) ?? [];
                return { Command: { CommandId: String(commands.length - 1), InstanceIds: ids } };
            }
            case "ssm:getCommandInvocation": {
                const script = commands[Number(p.CommandId)];
                if (script === "dbStatus")
                    return { Status: "Success", StandardOutputContent: `db-status=${world.dbStatus ?? 0}` };
                if (script === "upgrade")
                    return { Status: world.upgradeStatus ?? "Success", StandardOutputContent: "" };
                return { Status: "Success", StandardOutputContent: "" };
            }
            case "ssm:listCommands":
                return { Commands: [{ Status: "Success" }] };
            default:
                throw new Error(`unexpected call ${action}`);
        }
    });
}

const RELEASE: RunnerInput = { version: "1.6.0+build.7", commit: "0123abcd", imageId: "ami-new" };
const sent = (r: Run) =>
    r.calls.filter((c) => c.action === "ssm:sendCommand").map((c) => ({ script: scriptOf(c.parameters), c }));
const callsOf = (r: Run, action: string) => r.calls.filter((c) => c.action === action);
const refreshed = (r: Run) =>
    callsOf(r, "autoscaling:startInstanceRefresh").map((c) => c.parameters.AutoScalingGroupName);
const records = (r: Run) =>
    callsOf(r, "ssm:putParameter").map((c) => [c.parameters.Name, JSON.parse(String(c.parameters.Value))]);
const subjects = (r: Run) => callsOf(r, "sns:publish").map((c) => String(c.parameters.Subject));
const messages = (r: Run) => callsOf(r, "sns:publish").map((c) => String(c.parameters.Message));
const index = (r: Run, predicate: (c: Call) => boolean) => r.calls.findIndex(predicate);
const scriptIs = (script: RunnerScript) => (c: Call) =>
    c.action === "ssm:sendCommand" && scriptOf(c.parameters) === script;

/** Every step notified its start and then its success or its failure. */
function assertNotified(r: Run) {
    const s = subjects(r);
    const started = s.filter((x) => x.endsWith(" started")).map((x) => x.replace(/ started$/, ""));
    assert.ok(started.length > 0);
    for (const step of started) {
        assert.ok(
            s.some((x) => x === `${step} done` || x === `${step} FAILED`),
            `${step}: no end notified (${s.join(" | ")})`,
        );
    }
}

describe("release runner: definition", () => {
    it("passes asl-validator", () => {
        for (const definition of [
            DEFINITION,
            releaseRunnerDefinition({ ...TARGETS, pipelineArn: undefined }),
            releaseRunnerDefinition({ ...TARGETS, promotionSource: undefined }),
        ]) {
            const { isValid, errors } = validator(definition);
            assert.ok(isValid, JSON.stringify(errors, null, 1));
        }
    });

    it("bounds every Task and every polling loop", () => {
        for (const [name, state] of allStates(DEFINITION.States)) {
            if (state.Type === "Task") assert.ok(Number(state.TimeoutSeconds) > 0, `${name} has no timeout`);
        }
        const checks = Object.entries(DEFINITION.States).filter(([n]) => n.endsWith(": check"));
        assert.ok(checks.length >= 6, "the polls");
        for (const [name, state] of checks) {
            const rules = state.Choices as { Variable?: string; NumericGreaterThanEquals?: number }[];
            assert.ok(
                rules.some((c) => c.Variable === "$.tries.n" && Number(c.NumericGreaterThanEquals) > 0),
                name,
            );
        }
        assert.ok(DEFINITION.TimeoutSeconds > TARGETS.timeouts.imageBuild + TARGETS.timeouts.refresh);
    });

    it("calls only SNS and the AWS SDK actions it is granted", () => {
        assert.deepStrictEqual(runnerActions(DEFINITION), [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeInstanceRefreshes",
            "autoscaling:RollbackInstanceRefresh",
            "autoscaling:StartInstanceRefresh",
            "ec2:CopyImage",
            "ec2:CreateLaunchTemplateVersion",
            "ec2:CreateTags",
            "ec2:DeleteLaunchTemplateVersions",
            "ec2:DeregisterImage",
            "ec2:DescribeImages",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:ModifyLaunchTemplate",
            "imagebuilder:GetImage",
            "imagebuilder:StartImagePipelineExecution",
            "imagebuilder:TagResource",
            "sns:Publish",
            "ssm:GetCommandInvocation",
            "ssm:GetParameter",
            "ssm:ListCommands",
            "ssm:PutParameter",
            "ssm:SendCommand",
            "states:ListExecutions",
        ]);
    });

    it("sends scripts that pass shellcheck", async () => {
        for (const [name, lines] of Object.entries(RUNNER_SCRIPTS)) {
            const findings = await shellcheck(`#!/bin/bash\n${lines.join("\n")}\n`);
            assert.strictEqual(findings, "", `${name}: ${findings}`);
        }
    });
});

describe("release runner: no schema change", () => {
    let r: Run;
    before(async () => (r = await run(RELEASE, { dbStatus: 0 })));

    it("succeeds and notifies every step's start and end", () => {
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        assertNotified(r);
        assert.ok(subjects(r).includes("Magento preprod release: recording the release done"));
    });

    it("never sends maintenance mode, flushes the cache once on the back office", () => {
        const scripts = sent(r).map((s) => s.script);
        assert.deepStrictEqual(scripts, ["dbStatus", "cacheFlush"]);
        const flush = sent(r).find((s) => s.script === "cacheFlush")!.c.parameters;
        assert.deepStrictEqual(flush.InstanceIds, ["i-bo0"]);
    });

    it("refreshes the back office then the front end with 100% healthy kept and auto rollback", () => {
        assert.deepStrictEqual(refreshed(r), ["bo-asg", "fe-asg"]);
        for (const c of callsOf(r, "autoscaling:startInstanceRefresh")) {
            const prefs = c.parameters.Preferences as Record<string, unknown>;
            assert.strictEqual(prefs.MinHealthyPercentage, 100);
            assert.strictEqual(prefs.MaxHealthyPercentage, 200);
            assert.strictEqual(prefs.AutoRollback, true);
            assert.strictEqual(prefs.SkipMatching, false);
            assert.deepStrictEqual(c.parameters.DesiredConfiguration, {
                LaunchTemplate: {
                    LaunchTemplateId: c.parameters.AutoScalingGroupName === "bo-asg" ? "lt-bo" : "lt-fe",
                    Version: "4",
                },
            });
            const alarms = (prefs.AlarmSpecification as { Alarms: string[] } | undefined)?.Alarms;
            assert.deepStrictEqual(
                alarms,
                c.parameters.AutoScalingGroupName === "fe-asg" ? ["magento-preprod-5xx"] : undefined,
            );
        }
    });

    it("makes each template's new version the default after its refresh succeeded", () => {
        assert.deepStrictEqual(
            callsOf(r, "ec2:modifyLaunchTemplate").map((c) => [
                c.parameters.LaunchTemplateId,
                c.parameters.DefaultVersion,
            ]),
            [
                ["lt-bo", "4"],
                ["lt-fe", "4"],
            ],
        );
    });

    it("creates versions from the group's own, with the new image and the instance tags plus the release version", () => {
        const created = callsOf(r, "ec2:createLaunchTemplateVersion");
        assert.strictEqual(created.length, 2);
        for (const c of created) {
            assert.strictEqual(c.parameters.SourceVersion, "3");
            const data = c.parameters.LaunchTemplateData as {
                ImageId: string;
                TagSpecifications: { ResourceType: string; Tags: { Key: string; Value: string }[] }[];
            };
            assert.strictEqual(data.ImageId, "ami-new");
            const instance = data.TagSpecifications.find((s) => s.ResourceType === "instance")!;
            assert.ok(instance.Tags.some((t) => t.Key === RELEASE_VERSION_TAG && t.Value === "1.6.0+build.7"));
            assert.ok(instance.Tags.some((t) => t.Key === "Stack" && t.Value === "preprod"));
        }
    });

    it("tags the image with the version and commit", () => {
        const [tag] = callsOf(r, "ec2:createTags");
        assert.deepStrictEqual(tag.parameters, {
            Resources: ["ami-new"],
            Tags: [
                { Key: RELEASE_VERSION_TAG, Value: "1.6.0+build.7" },
                { Key: RELEASE_COMMIT_TAG, Value: "0123abcd" },
            ],
        });
    });

    it("records the old current as previous, then the release as current", () => {
        assert.deepStrictEqual(records(r), [
            [releaseRecordParameter("preprod", "previous"), CURRENT],
            [
                releaseRecordParameter("preprod", "current"),
                { version: "1.6.0+build.7", commit: "0123abcd", imageId: "ami-new" },
            ],
        ]);
        for (const c of callsOf(r, "ssm:putParameter")) {
            assert.strictEqual(c.parameters.Type, "String");
            assert.strictEqual(c.parameters.Overwrite, true);
        }
    });

    it("a first release (no current record) writes current only", async () => {
        const first = await run(RELEASE, { currentRecord: null });
        assert.strictEqual(first.error, undefined);
        assert.deepStrictEqual(
            records(first).map(([name]) => name),
            [releaseRecordParameter("preprod", "current")],
        );
    });
});

describe("release runner: schema change", () => {
    let r: Run;
    before(async () => (r = await run(RELEASE, { dbStatus: 2 })));

    it("succeeds: maintenance on, upgrade once on the back office, front end, flush, maintenance off last", () => {
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        assertNotified(r);
        assert.deepStrictEqual(
            sent(r).map((s) => s.script),
            ["dbStatus", "maintenanceOn", "upgrade", "cacheFlush", "maintenanceOff"],
        );
        const frontEndRefresh = index(
            r,
            (c) => c.action === "autoscaling:startInstanceRefresh" && c.parameters.AutoScalingGroupName === "fe-asg",
        );
        assert.ok(index(r, scriptIs("upgrade")) < frontEndRefresh, "front end refreshed after the upgrade");
        assert.ok(index(r, scriptIs("maintenanceOn")) < index(r, scriptIs("upgrade")));
        assert.strictEqual(
            index(r, scriptIs("maintenanceOff")),
            Math.max(...r.calls.map((c, i) => (c.action === "ssm:sendCommand" ? i : -1))),
        );
        assert.ok(index(r, scriptIs("maintenanceOff")) < index(r, (c) => c.action === "ssm:putParameter"));
    });

    it("sends maintenance to every web server of the stack by tags, the upgrade to the back office only", () => {
        const on = sent(r).find((s) => s.script === "maintenanceOn")!.c.parameters;
        assert.deepStrictEqual(on.Targets, [
            { Key: "tag:Stack", Values: ["preprod"] },
            { Key: "tag:Tier", Values: ["web", "backoffice"] },
        ]);
        assert.deepStrictEqual(sent(r).find((s) => s.script === "upgrade")!.c.parameters.InstanceIds, ["i-bo0"]);
    });
});

describe("release runner: failures", () => {
    it("a failed health check: the refresh rolled back, the new version deleted, failure notified, nothing recorded", async () => {
        const r = await run(RELEASE, { refresh: { "fe-asg": "RollbackSuccessful" } });
        assert.strictEqual(r.error?.name, "ReleaseFailed");
        assert.deepStrictEqual(
            callsOf(r, "ec2:deleteLaunchTemplateVersions").map((c) => c.parameters),
            [{ LaunchTemplateId: "lt-fe", Versions: ["4"] }],
        );
        assert.ok(
            messages(r).some((m) => m.includes("RollbackSuccessful: rolled back to ami-running")),
            messages(r).join("\n"),
        );
        assert.deepStrictEqual(
            callsOf(r, "ec2:modifyLaunchTemplate").map((c) => c.parameters.LaunchTemplateId),
            ["lt-bo"],
        );
        assert.deepStrictEqual(records(r), []);
        assertNotified(r);
    });

    it("a failed upgrade: stops with maintenance on, pages, front end never refreshed, nothing recorded", async () => {
        const r = await run(RELEASE, { dbStatus: 2, upgradeStatus: "Failed" });
        assert.strictEqual(r.error?.name, "ReleaseFailed");
        assert.deepStrictEqual(
            sent(r).map((s) => s.script),
            ["dbStatus", "maintenanceOn", "upgrade"],
        );
        assert.deepStrictEqual(refreshed(r), ["bo-asg"]);
        assert.deepStrictEqual(records(r), []);
        assert.ok(messages(r).some((m) => m.includes("Maintenance is left on: see the README runbook")));
        assertNotified(r);
    });

    it("setup:db:status failing (neither 0 nor 2) stops before the front end", async () => {
        const r = await run(RELEASE, { dbStatus: 1 });
        assert.strictEqual(r.error?.name, "ReleaseFailed");
        assert.deepStrictEqual(refreshed(r), ["bo-asg"]);
        assert.deepStrictEqual(records(r), []);
    });

    it("a poll that never finishes ends in a notified failure", async () => {
        const r = await run(RELEASE, { refresh: { "bo-asg": "InProgress" } });
        assert.strictEqual(r.error?.name, "ReleaseFailed");
        const polls = callsOf(r, "autoscaling:describeInstanceRefreshes").length;
        assert.strictEqual(polls, TARGETS.timeouts.refresh / POLL_SECONDS + 1);
        assert.ok(messages(r).some((m) => m.includes(`not finished after ${TARGETS.timeouts.refresh} s`)));
        assert.deepStrictEqual(records(r), []);
        assertNotified(r);
        // the refresh it stops following is rolled back, not left for the next `up` to cancel
        assert.deepStrictEqual(
            callsOf(r, "autoscaling:rollbackInstanceRefresh").map((c) => c.parameters),
            [{ AutoScalingGroupName: "bo-asg" }],
        );
        // and its version goes, so the next `up` finds the template Pulumi knows
        assert.deepStrictEqual(
            callsOf(r, "ec2:deleteLaunchTemplateVersions").map((c) => c.parameters),
            [{ LaunchTemplateId: "lt-bo", Versions: ["4"] }],
        );
    });

    it("a cancelled or failed refresh says the servers it replaced keep the new image; only AutoRollback's says rolled back", async () => {
        for (const status of ["Cancelled", "Failed", "RollbackFailed"]) {
            const r = await run(RELEASE, { refresh: { "fe-asg": status } });
            assert.strictEqual(r.error?.name, "ReleaseFailed");
            assert.ok(
                messages(r).some((m) =>
                    m.includes(`instance refresh ${status}: the servers it replaced keep the new image`),
                ),
                status,
            );
            assert.ok(!messages(r).some((m) => m.includes("rolled back to")), status);
            assert.deepStrictEqual(callsOf(r, "ec2:deleteLaunchTemplateVersions").length, 1);
            assert.deepStrictEqual(records(r), []);
        }
    });

    it("reads are retried: a throttled or not-yet-consistent answer does not fail the release", async () => {
        let failures = 2;
        const r = await run(RELEASE, {
            flaky: (action) => action === "autoscaling:describeInstanceRefreshes" && failures-- > 0,
        });
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        assert.ok(failures < 0, "both throttled answers were given");
        // a missing record is an answer, asked once
        const first = await run(RELEASE, { currentRecord: null });
        assert.strictEqual(first.calls.filter((c) => c.state === "Record: read current").length, 1);
    });

    it("one release of the stack at a time: another running, this one stops before anything is copied, refreshed or recorded", async () => {
        // newest first: this run started after the other
        const r = await run(
            { ...RELEASE, imageId: undefined, sourceImageId: "ami-source" },
            { running: ["this", "other"] },
        );
        assert.strictEqual(r.error?.name, "ReleaseFailed", JSON.stringify(r.error));
        assert.deepStrictEqual(callsOf(r, "sfn:listExecutions")[0]?.parameters, {
            StateMachineArn: STATE_MACHINE_ARN,
            StatusFilter: "RUNNING",
        });
        assert.ok(messages(r).some((m) => m.includes("another release of preprod is running")));
        assert.deepStrictEqual(callsOf(r, "ec2:copyImage"), []);
        assert.deepStrictEqual(refreshed(r), []);
        assert.deepStrictEqual(records(r), []);
        // of two started together, the older goes on (the list is newest first)
        const older = await run(RELEASE, { running: ["other", "this"] });
        assert.strictEqual(older.error, undefined, JSON.stringify(older.error));
    });
});

describe("release runner: images", () => {
    it("a rollback rolls out the previous record's image: no db:status, no upgrade, no maintenance", async () => {
        const r = await run({ version: "1.4.0", commit: "abc1234", rollback: true });
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        assert.deepStrictEqual(
            sent(r).map((s) => s.script),
            ["cacheFlush"],
        );
        assert.deepStrictEqual(refreshed(r), ["bo-asg", "fe-asg"]);
        for (const c of callsOf(r, "ec2:createLaunchTemplateVersion")) {
            assert.strictEqual((c.parameters.LaunchTemplateData as { ImageId: string }).ImageId, "ami-previous");
        }
        assert.deepStrictEqual(records(r).at(-1), [releaseRecordParameter("preprod", "current"), PREVIOUS]);
    });

    it("a promotion copies the source image with the stack's key, waits until available, rolls the copy out", async () => {
        const r = await run({ version: "1.6.0+build.7", commit: "0123abcd", sourceImageId: "ami-source" });
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        const [copy] = callsOf(r, "ec2:copyImage");
        assert.deepStrictEqual(copy.parameters, {
            SourceImageId: "ami-source",
            SourceRegion: "eu-west-3",
            Encrypted: true,
            KmsKeyId: TARGETS.imageKeyArn,
            Name: "magento-preprod-1.6.0-0123abcd",
            Description: "Magento release 1.6.0+build.7 (0123abcd)",
            // the stack's release image: the only kind its runner may launch (tests/access/release-runner.spec.ts)
            // and the copy's snapshots: what it was copied from (the only kind the runner prunes)
            TagSpecifications: ["image", "snapshot"].map((ResourceType) => ({
                ResourceType,
                Tags: [
                    { Key: "magento:release-image", Value: "preprod" },
                    { Key: "magento:release-source", Value: "ami-source" },
                ],
            })),
        });
        assert.deepStrictEqual(records(r).at(-1)?.[1], {
            version: "1.6.0+build.7",
            commit: "0123abcd",
            imageId: "ami-copy",
        });
    });

    it("a promotion copies only the building stack's images: of this account by their tag, of another by its ownership; none configured, it fails saying which key to set", async () => {
        const sameAccount = await run({ ...RELEASE, imageId: undefined, sourceImageId: "ami-source" });
        const [check] = callsOf(sameAccount, "ec2:describeImages");
        assert.deepStrictEqual(check.parameters, {
            ImageIds: ["ami-source"],
            Owners: ["self"],
            Filters: [{ Name: "tag-key", Values: ["magento:release-image"] }],
        });
        // another account's tags are not visible here: the image must be that account's (which shares only releases)
        const other = releaseRunnerDefinition({
            ...TARGETS,
            promotionSource: { accountId: "210987654321", keyArn: "arn:aws:kms:eu-west-3:210987654321:key/k" },
        });
        const crossAccount = await run({ ...RELEASE, imageId: undefined, sourceImageId: "ami-source" }, {}, other);
        assert.strictEqual(crossAccount.error, undefined, JSON.stringify(crossAccount.error));
        assert.deepStrictEqual(callsOf(crossAccount, "ec2:describeImages")[0].parameters, {
            ImageIds: ["ami-source"],
            Owners: ["210987654321"],
            Filters: [],
        });
        const refused = await run(
            { ...RELEASE, imageId: undefined, sourceImageId: "ami-public" },
            { foreign: ["ami-public"] },
            other,
        );
        assert.ok(messages(refused).some((m) => m.includes("is not a release image of account 210987654321")));
        assert.deepStrictEqual(callsOf(refused, "ec2:copyImage"), []);
        const none = await run(
            { ...RELEASE, imageId: undefined, sourceImageId: "ami-source" },
            {},
            releaseRunnerDefinition({ ...TARGETS, promotionSource: undefined }),
        );
        assert.strictEqual(none.error?.name, "ReleaseFailed");
        assert.ok(messages(none).some((m) => m.includes("set magento:releaseImageSourceKey")));
        assert.deepStrictEqual(callsOf(none, "ec2:copyImage"), []);
    });

    it("after a promotion, copies beyond the newest imagesKept go with their snapshots, never a record's image; other runs prune nothing", async () => {
        const day = (d: number) => `2026-11-${String(d).padStart(2, "0")}T10:00:00.000Z`;
        // imagesKept 3: ami-copy (newest) and two more stay; ami-previous is the previous record's, kept however old
        const copies = [
            { ImageId: "ami-d5", CreationDate: day(5) },
            { ImageId: "ami-copy", CreationDate: day(9) },
            { ImageId: "ami-previous", CreationDate: day(1) },
            { ImageId: "ami-d7", CreationDate: day(7) },
            { ImageId: "ami-d2", CreationDate: day(2) },
            { ImageId: "ami-d8", CreationDate: day(8) },
        ];
        const promoted = await run({ ...RELEASE, imageId: undefined, sourceImageId: "ami-source" }, { copies });
        assert.strictEqual(promoted.error, undefined, JSON.stringify(promoted.error));
        const gone = callsOf(promoted, "ec2:deregisterImage").map((c) => c.parameters);
        assert.deepStrictEqual(
            gone.map((p) => p.ImageId),
            ["ami-d5", "ami-d2"],
        );
        assert.ok(gone.every((p) => p.DeleteAssociatedSnapshots === true));
        // only the runner's copies of this stack are listed
        assert.deepStrictEqual(callsOf(promoted, "ec2:describeImages").at(-1)?.parameters, {
            Owners: ["self"],
            Filters: [
                { Name: "tag:magento:release-image", Values: ["preprod"] },
                { Name: "tag-key", Values: ["magento:release-source"] },
            ],
        });
        assert.ok(subjects(promoted).includes("Magento preprod release: pruning older copies done"));
        // a first promotion (no previous record) prunes by age alone
        const first = await run(
            { ...RELEASE, imageId: undefined, sourceImageId: "ami-source" },
            { copies, noPrevious: true },
        );
        assert.deepStrictEqual(
            callsOf(first, "ec2:deregisterImage").map((c) => c.parameters.ImageId),
            ["ami-d5", "ami-previous", "ami-d2"],
        );
        // an image a web template names (a pinned webImage) stays, however old
        const pinned = await run(
            { ...RELEASE, imageId: undefined, sourceImageId: "ami-source" },
            { copies, templateImages: { "lt-fe": ["ami-d2", "ami-running"] } },
        );
        assert.deepStrictEqual(
            callsOf(pinned, "ec2:deregisterImage").map((c) => c.parameters.ImageId),
            ["ami-d5"],
        );
        // only a run that copied prunes: not a rollback or an imageId run that also names a source
        for (const input of [
            RELEASE,
            { version: "1.6.0", commit: "0123abcd" },
            { ...RELEASE, rollback: true },
            { ...RELEASE, sourceImageId: "ami-source" },
            { ...RELEASE, rollback: true, sourceImageId: "ami-source" },
        ]) {
            const r = await run(input, { copies });
            assert.deepStrictEqual(callsOf(r, "ec2:deregisterImage"), [], JSON.stringify(input));
        }
    });

    it("a failed prune is notified as such: the release is in service and recorded", async () => {
        const copies = [1, 2, 3, 4, 5].map((d) => ({ ImageId: `ami-${d}`, CreationDate: `2026-11-0${d}T10:00:00Z` }));
        const r = await run(
            { ...RELEASE, imageId: undefined, sourceImageId: "ami-source" },
            { copies, failPrune: true },
        );
        assert.strictEqual(r.error?.name, "ReleaseFailed");
        assert.ok(records(r).some(([name]) => name === releaseRecordParameter("preprod", "current")));
        assert.ok(messages(r).some((m) => m.includes("The release is in service and recorded")));
    });

    it("a failed copy stops before any refresh", async () => {
        const r = await run({ ...RELEASE, imageId: undefined, sourceImageId: "ami-source" }, { imageState: "failed" });
        assert.strictEqual(r.error?.name, "ReleaseFailed");
        assert.deepStrictEqual(refreshed(r), []);
    });

    it("a build starts the stack's pipeline and rolls out its AMI", async () => {
        const r = await run({ version: "1.6.0", commit: "0123abcd" });
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        const [start] = callsOf(r, "imagebuilder:startImagePipelineExecution");
        assert.strictEqual(start.parameters.ImagePipelineArn, TARGETS.pipelineArn);
        assert.ok(String(start.parameters.ClientToken).length > 0);
        // tagged with the stack, which the lifecycle policy selects its images by
        assert.deepStrictEqual(callsOf(r, "imagebuilder:tagResource")[0]?.parameters, {
            ResourceArn: "arn:build/1",
            Tags: { "magento:release-image": "preprod" },
        });
        assert.deepStrictEqual(records(r).at(-1)?.[1], { version: "1.6.0", commit: "0123abcd", imageId: "ami-built" });
    });

    it("a failed build, or a stack without a pipeline, fails with its cause", async () => {
        const failed = await run({ version: "1.6.0", commit: "0123abcd" }, { buildState: "FAILED" });
        assert.strictEqual(failed.error?.name, "ReleaseFailed");
        assert.deepStrictEqual(refreshed(failed), []);
        const none = await run(
            { version: "1.6.0", commit: "0123abcd" },
            {},
            releaseRunnerDefinition({ ...TARGETS, pipelineArn: undefined }),
        );
        assert.strictEqual(none.error?.name, "ReleaseFailed");
        assert.ok(messages(none).some((m) => m.includes("has no image pipeline")));
        assert.deepStrictEqual(callsOf(none, "imagebuilder:startImagePipelineExecution"), []);
    });

    it("only this account's release images of the stack are rolled out or recorded, whoever names the image", async () => {
        for (const [input, world] of [
            [RELEASE, { foreign: ["ami-new"] }],
            [RELEASE, { foreign: ["ami-new"], backOfficeInstances: 0, currentRecord: null }],
            [{ version: "1.6.0", commit: "0123abcd", sourceImageId: "ami-public" }, { foreign: ["ami-public"] }],
        ] as [RunnerInput, World][]) {
            const r = await run(input, world);
            assert.strictEqual(r.error?.name, "ReleaseFailed", JSON.stringify(input));
            assert.deepStrictEqual(refreshed(r), []);
            assert.deepStrictEqual(callsOf(r, "ec2:createLaunchTemplateVersion"), []);
            assert.deepStrictEqual(callsOf(r, "ec2:copyImage"), []);
            assert.deepStrictEqual(records(r), []);
            assert.ok(messages(r).some((m) => m.includes("is not a release image of this account")));
        }
    });

    it("a run's input cannot skip the schema step", async () => {
        const r = await run({ ...RELEASE, schema: { fresh: true } } as RunnerInput, { dbStatus: 2 });
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        assert.ok(
            sent(r).some((s) => s.script === "upgrade"),
            JSON.stringify(sent(r).map((s) => s.script)),
        );
    });

    it("a fresh stack (no back-office server): records the release and says `pulumi up` launches the servers", async () => {
        const r = await run(RELEASE, { backOfficeInstances: 0, currentRecord: null });
        assert.strictEqual(r.error, undefined, JSON.stringify(r.error));
        assert.deepStrictEqual(refreshed(r), []);
        assert.deepStrictEqual(callsOf(r, "ec2:createLaunchTemplateVersion"), []);
        assert.deepStrictEqual(sent(r), []);
        assert.deepStrictEqual(records(r), [
            [
                releaseRecordParameter("preprod", "current"),
                { version: "1.6.0+build.7", commit: "0123abcd", imageId: "ami-new" },
            ],
        ]);
        assert.ok(messages(r).some((m) => m.includes("`pulumi up` now launches the servers")));
        assertNotified(r);
    });
});

function shellcheck(script: string): Promise<string> {
    return new Promise((resolve) => {
        const child = execFile("shellcheck", ["-s", "bash", "-"], { encoding: "utf8" }, (error, stdout, stderr) =>
            resolve(error ? `${stdout}${stderr}` || String(error) : ""),
        );
        child.stdin!.end(script);
    });
}
