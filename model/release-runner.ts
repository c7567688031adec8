// The release runner's definition (docs/releasing.md): a Step Functions STANDARD state machine in JSONPath ASL, built
// from typed targets so tests run it offline. Every step notifies the operators' topic on start, success and failure;
// every Task has a timeout and every polling loop counts its turns and gives up.
import {
    RELEASE_COMMIT_TAG,
    RELEASE_IMAGE_TAG,
    RELEASE_SOURCE_TAG,
    RELEASE_VERSION_TAG,
    TIER_TAG,
} from "../policies/lib/contracts";
import { DB_STATUS_UPGRADE_REQUIRED, MAGENTO_ROOT, MAGENTO_USER, releaseRecordParameter } from "./release";

/** A web group the runner refreshes. */
export interface RunnerGroup {
    readonly groupName: string;
    readonly launchTemplateId: string;
    /** The tags the launch template puts on the group's instances (its tagSpecifications), kept on the new version. */
    readonly instanceTags: Readonly<Record<string, string>>;
}

/** Seconds each waiting step may take. */
export interface RunnerTimeouts {
    readonly imageBuild: number;
    readonly imageCopy: number;
    readonly refresh: number;
    readonly command: number;
    readonly upgrade: number;
}

export interface RunnerTargets {
    readonly stack: string;
    readonly region: string;
    readonly accountId: string;
    readonly topicArn: string;
    readonly frontEnd: RunnerGroup;
    readonly backOffice: RunnerGroup;
    /** The Tier tag values of the two web tiers (the targets of maintenance mode). */
    readonly webTiers: readonly string[];
    /** The stack's pipeline; absent in a stack that does not build (a build input then fails with a clear cause). */
    readonly pipelineArn?: string;
    /** The key a promotion's copy is encrypted with (the stack's release-image key). */
    readonly imageKeyArn: string;
    /** Where promotions copy from: the building stack's account and the key its images are encrypted with; absent, a
     *  promotion fails saying so. */
    readonly promotionSource?: { readonly accountId: string; readonly keyArn: string };
    /** Promoted copies kept (the newest, and always the records' images); older ones are deregistered with their
     *  snapshots after each promotion. */
    readonly imagesKept: number;
    /** Alarms whose ALARM state fails (and rolls back) the front end's refresh. */
    readonly frontEndAlarms?: readonly string[];
    readonly timeouts: RunnerTimeouts;
}

export type AslState = Record<string, unknown>;
export interface AslDefinition {
    readonly Comment: string;
    readonly StartAt: string;
    readonly TimeoutSeconds: number;
    readonly States: Record<string, AslState>;
}

/** Seconds between two polls, and the bound of a single API call. */
export const POLL_SECONDS = 30;
export const CALL_TIMEOUT_SECONDS = 60;
/** The instance refresh's warm-up: the group's health check grace (components/web/web-group.ts). */
const INSTANCE_WARMUP_SECONDS = 300;

const magento = (command: string) => `runuser -u ${MAGENTO_USER} -- php ${MAGENTO_ROOT}/bin/magento ${command}`;

/** The scripts the runner sends with AWS-RunShellScript (root), Magento's commands run as its user. db-status prints
 *  its exit code, alone on stdout (Magento's words go to stderr), rather than exiting with it, so a pending upgrade
 *  reads as a successful command. */
export const RUNNER_SCRIPTS = {
    dbStatus: [
        "set -uo pipefail",
        "code=0",
        `${magento("setup:db:status")} >&2 || code=$?`,
        'printf "db-status=%s" "${code}"',
    ],
    maintenanceOn: ["set -euo pipefail", magento("maintenance:enable")],
    maintenanceOff: ["set -euo pipefail", magento("maintenance:disable")],
    upgrade: ["set -euo pipefail", magento("setup:upgrade --keep-generated")],
    cacheFlush: ["set -euo pipefail", magento("cache:flush")],
} as const;
export type RunnerScript = keyof typeof RUNNER_SCRIPTS;

/** A Choice rule on a field the input may omit: a missing variable is a runtime error, so presence is tested first
 *  (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html). */
const isRollback = {
    And: [
        { Variable: "$.rollback", IsPresent: true },
        { Variable: "$.rollback", BooleanEquals: true },
    ],
};
const sdk = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;
const rounds = (seconds: number) => Math.ceil(seconds / POLL_SECONDS);
/** What the prune keeps whatever its age (each a list of image ids at $.keep). */
const KEPT = ["records", "frontEnd", "backOffice"] as const;

/** Builds the definition: states are added by the step helpers below, in the order a release runs them. */
export function releaseRunnerDefinition(t: RunnerTargets): AslDefinition {
    const states: Record<string, AslState> = {};
    const add = (name: string, state: AslState) => {
        if (states[name]) throw new Error(`duplicate state ${name}`);
        states[name] = state;
        return name;
    };
    const subject = (what: string) => `Magento ${t.stack} release: ${what}`;
    const notify = (name: string, what: string, format: string, paths: string[], next: string | null) =>
        add(name, {
            Type: "Task",
            Resource: "arn:aws:states:::sns:publish",
            Parameters: {
                TopicArn: t.topicArn,
                Subject: subject(what),
                "Message.$": `States.Format('${format}', ${["$.version", ...paths].join(", ")})`,
            },
            ResultPath: null,
            TimeoutSeconds: CALL_TIMEOUT_SECONDS,
            Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
            ...(next ? { Next: next } : { End: true }),
        });

    /** A step: notify start, run `work` (given where success and failure go), notify success, or notify the failure
     *  (its cause at $.error.Cause) and Fail. Every Task and Map of the step without a Catch of its own gets one. */
    const step = (
        id: string,
        title: string,
        next: string,
        work: (done: string, failed: string) => string,
        failureNote = "",
    ) => {
        const failed = `${id}: failed`;
        const done = `${id}: done`;
        const before = new Set(Object.keys(states));
        const first = work(done, failed);
        for (const [name, state] of Object.entries(states)) {
            if (!before.has(name) && (state.Type === "Task" || state.Type === "Map") && !state.Catch) {
                state.Catch = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: failed }];
            }
        }
        notify(done, `${title} done`, `Release {}: ${title} done.`, [], next);
        notify(
            failed,
            `${title} FAILED`,
            `Release {}: ${title} failed: {}${failureNote}`,
            ["$.error.Cause"],
            `${id}: stop`,
        );
        add(`${id}: stop`, { Type: "Fail", Error: "ReleaseFailed", Cause: `${title} failed (see the notification)` });
        return notify(`${id}: start`, `${title} started`, `Release {}: ${title} started.`, [], first);
    };

    /** A Task calling an AWS API. Reads (describe, get, list) are retried on a failure or timeout: EC2 and Auto
     *  Scaling answer eventually (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html) and
     *  throttle, and a poll that gives up abandons what it follows. A missing parameter is an answer, not retried. */
    const call = (name: string, service: string, action: string, parameters: AslState, more: AslState) =>
        add(name, {
            Type: "Task",
            Resource: sdk(service, action),
            Parameters: parameters,
            TimeoutSeconds: CALL_TIMEOUT_SECONDS,
            ...more,
            ...(/^(describe|get|list)/.test(action)
                ? {
                      Retry: [
                          ...((more.Retry as AslState[] | undefined) ?? []),
                          ...(service === "ssm"
                              ? [{ ErrorEquals: ["Ssm.ParameterNotFoundException"], MaxAttempts: 0 }]
                              : []),
                          {
                              ErrorEquals: ["States.TaskFailed", "States.Timeout"],
                              IntervalSeconds: 5,
                              MaxAttempts: 3,
                              BackoffRate: 2,
                          },
                      ],
                  }
                : {}),
        });
    /** A failure with a cause of ours: a Pass that writes $.error, then the step's failure. */
    const failWith = (name: string, cause: string, failed: string, paths: string[] = []) =>
        add(name, {
            Type: "Pass",
            Parameters: paths.length
                ? { Error: "ReleaseFailed", "Cause.$": `States.Format('${cause}', ${paths.join(", ")})` }
                : { Error: "ReleaseFailed", Cause: cause },
            ResultPath: "$.error",
            Next: failed,
        });

    /** A bounded poll: `task` (its status at $.poll.status) until a status in `until`, to `failOn` on one of
     *  `failing`, else after `seconds` to a timeout failure. */
    const poll = (
        id: string,
        task: (name: string, next: string) => string,
        seconds: number,
        until: readonly string[],
        failing: readonly string[],
        routes: { next: string; failOn: string; failed: string },
    ) => {
        const check = `${id}: check`;
        const wait = `${id}: wait`;
        const count = `${id}: count`;
        const taskName = task(`${id}: poll`, check);
        const statusIs = (values: readonly string[]) => ({
            Or: values.map((v) => ({ Variable: "$.poll.status", StringEquals: v })),
        });
        add(check, {
            Type: "Choice",
            Choices: [
                { ...statusIs(until), Next: routes.next },
                ...(failing.length ? [{ ...statusIs(failing), Next: routes.failOn }] : []),
                { Variable: "$.tries.n", NumericGreaterThanEquals: rounds(seconds), Next: `${id}: timed out` },
            ],
            Default: wait,
        });
        failWith(`${id}: timed out`, `${id}: not finished after ${seconds} s`, routes.failed);
        add(wait, { Type: "Wait", Seconds: POLL_SECONDS, Next: count });
        add(count, {
            Type: "Pass",
            Parameters: { "n.$": "States.MathAdd($.tries.n, 1)" },
            ResultPath: "$.tries",
            Next: taskName,
        });
        return add(`${id}: init`, { Type: "Pass", Result: { n: 0 }, ResultPath: "$.tries", Next: taskName });
    };

    // --- Running commands on the servers (AWS-RunShellScript, as root).
    const commandParameters = (script: RunnerScript, seconds: number) => ({
        DocumentName: "AWS-RunShellScript",
        Comment: `magento release ${script}`,
        Parameters: { commands: RUNNER_SCRIPTS[script], executionTimeout: [String(seconds)] },
        TimeoutSeconds: CALL_TIMEOUT_SECONDS * 5, // delivery
    });
    /** Runs a script on the back office's one in-service instance; its output at $.command.output. */
    const onBackOffice = (id: string, script: RunnerScript, seconds: number, next: string, failed: string) => {
        const send = `${id}: send`;
        const pollStart = poll(
            id,
            (name, then) =>
                call(
                    name,
                    "ssm",
                    "getCommandInvocation",
                    { "CommandId.$": "$.command.id", "InstanceId.$": "$.command.instanceId" },
                    {
                        ResultSelector: { "status.$": "$.Status", "output.$": "$.StandardOutputContent" },
                        ResultPath: "$.poll",
                        // The invocation is not readable for a moment after SendCommand
                        // (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetCommandInvocation.html).
                        Retry: [
                            {
                                ErrorEquals: ["Ssm.InvocationDoesNotExistException"],
                                IntervalSeconds: 5,
                                MaxAttempts: 5,
                            },
                        ],
                        Next: then,
                    },
                ),
            seconds,
            ["Success"],
            ["Failed", "Cancelled", "TimedOut"],
            { next, failOn: `${id}: command failed`, failed },
        );
        failWith(`${id}: command failed`, `${script} ended {} on {}`, failed, [
            "$.poll.status",
            "$.command.instanceId",
        ]);
        call(
            send,
            "ssm",
            "sendCommand",
            {
                ...commandParameters(script, seconds),
                "InstanceIds.$": "States.Array($.backOffice.instanceId)",
            },
            {
                ResultSelector: { "id.$": "$.Command.CommandId", "instanceId.$": "$.Command.InstanceIds[0]" },
                ResultPath: "$.command",
                Next: pollStart,
            },
        );
        add(`${id}: first`, {
            Type: "Pass",
            Parameters: { "instanceId.$": "States.ArrayGetItem($.backOffice.instanceIds, 0)" },
            ResultPath: "$.backOffice",
            Next: send,
        });
        return call(
            `${id}: find`,
            "autoscaling",
            "describeAutoScalingGroups",
            { AutoScalingGroupNames: [t.backOffice.groupName] },
            {
                ResultSelector: {
                    "instanceIds.$": "$.AutoScalingGroups[0].Instances[?(@.LifecycleState == 'InService')].InstanceId",
                },
                ResultPath: "$.backOffice",
                Next: `${id}: first`,
            },
        );
    };
    /** Runs a script on every web server of the stack (both tiers), by tags; the command's overall status is polled. */
    const onWebServers = (id: string, script: RunnerScript, seconds: number, next: string, failed: string) => {
        const pollStart = poll(
            id,
            (name, then) =>
                call(
                    name,
                    "ssm",
                    "listCommands",
                    { "CommandId.$": "$.command.id" },
                    { ResultSelector: { "status.$": "$.Commands[0].Status" }, ResultPath: "$.poll", Next: then },
                ),
            seconds,
            ["Success"],
            ["Failed", "Cancelled", "TimedOut"],
            { next, failOn: `${id}: command failed`, failed },
        );
        failWith(`${id}: command failed`, `${script} ended {} on the web servers`, failed, ["$.poll.status"]);
        return call(
            `${id}: send`,
            "ssm",
            "sendCommand",
            {
                ...commandParameters(script, seconds),
                Targets: [
                    { Key: "tag:Stack", Values: [t.stack] },
                    { Key: `tag:${TIER_TAG}`, Values: [...t.webTiers] },
                ],
            },
            { ResultSelector: { "id.$": "$.Command.CommandId" }, ResultPath: "$.command", Next: pollStart },
        );
    };

    // --- Rolling an image out to a group (the back office first, then the front end).
    const rollout = (
        id: string,
        group: RunnerGroup,
        alarms: readonly string[],
        next: string,
        failed: string,
        whenEmpty?: string,
    ) => {
        const lt = group.launchTemplateId;
        const undo = (name: string, then: string) =>
            call(
                name,
                "ec2",
                "deleteLaunchTemplateVersions",
                { LaunchTemplateId: lt, "Versions.$": "States.Array($.group.newVersion)" },
                { ResultPath: null, Next: then },
            );
        // A refresh that ended badly: the group's configuration is still the one before it (a desired configuration
        // is saved only on success), so the new version goes and the template's latest is again the one Pulumi knows.
        // AutoRollback also put the servers back; a cancelled or failed refresh did not: the servers it replaced keep
        // the new image (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html).
        failWith(`${id}: rolled back`, "instance refresh {}: rolled back to {}", failed, [
            "$.poll.status",
            "$.group.previousImage",
        ]);
        failWith(
            `${id}: not rolled back`,
            "instance refresh {}: the servers it replaced keep the new image while the group launches {}: release that image (imageId) or this release again",
            failed,
            ["$.poll.status", "$.group.previousImage"],
        );
        add(`${id}: how did it end?`, {
            Type: "Choice",
            Choices: [{ Variable: "$.poll.status", StringEquals: "RollbackSuccessful", Next: `${id}: rolled back` }],
            Default: `${id}: not rolled back`,
        });
        undo(`${id}: delete version`, `${id}: how did it end?`);
        // The version goes and the run fails with $.error as it is: the refresh never started (its API error), or the
        // runner stopped following it (see abandon).
        const dropVersion = undo(`${id}: delete version, then fail`, failed);
        // A refresh the runner stops following (its poll timed out or kept failing) is rolled back, not left running
        // for the next `up` to cancel, and its version goes once the rollback is accepted (the group then returns to
        // the configuration before it); the cause stays the poll's. A refused rollback leaves both as they are.
        const abandon = call(
            `${id}: abandon`,
            "autoscaling",
            "rollbackInstanceRefresh",
            { AutoScalingGroupName: group.groupName },
            {
                ResultPath: null,
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: failed }],
                Next: dropVersion,
            },
        );
        const modify = call(
            `${id}: make default`,
            "ec2",
            "modifyLaunchTemplate",
            { LaunchTemplateId: lt, "DefaultVersion.$": "$.group.newVersion" },
            { ResultPath: null, Next: next },
        );
        const pollStart = poll(
            id,
            (name, then) =>
                call(
                    name,
                    "autoscaling",
                    "describeInstanceRefreshes",
                    { AutoScalingGroupName: group.groupName, "InstanceRefreshIds.$": "States.Array($.refresh.id)" },
                    {
                        ResultSelector: { "status.$": "$.InstanceRefreshes[0].Status" },
                        ResultPath: "$.poll",
                        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: abandon }],
                        Next: then,
                    },
                ),
            t.timeouts.refresh,
            ["Successful"],
            ["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"],
            { next: modify, failOn: `${id}: delete version`, failed: abandon },
        );
        // DesiredConfiguration names a numbered version, which AutoRollback needs (not $Latest/$Default, not an SSM
        // parameter as ImageId), and is saved on the group only when the refresh succeeds; a rollback returns it to the
        // configuration before the refresh (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html,
        // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html). An alarm in ALARM
        // fails the refresh (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html).
        const refresh = call(
            `${id}: refresh`,
            "autoscaling",
            "startInstanceRefresh",
            {
                AutoScalingGroupName: group.groupName,
                Strategy: "Rolling",
                DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: lt, "Version.$": "$.group.newVersion" } },
                Preferences: {
                    MinHealthyPercentage: 100, // new servers healthy before old ones go
                    MaxHealthyPercentage: 200,
                    SkipMatching: false,
                    AutoRollback: true,
                    InstanceWarmup: INSTANCE_WARMUP_SECONDS,
                    ...(alarms.length ? { AlarmSpecification: { Alarms: [...alarms] } } : {}),
                },
            },
            {
                ResultSelector: { "id.$": "$.InstanceRefreshId" },
                ResultPath: "$.refresh",
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: dropVersion }],
                Next: pollStart,
            },
        );
        const plainTags = Object.entries(group.instanceTags).map(([Key, Value]) => ({ Key, Value }));
        const versionTags = [...plainTags, { Key: RELEASE_VERSION_TAG, "Value.$": "$.release.version" }];
        const create = call(
            `${id}: new version`,
            "ec2",
            "createLaunchTemplateVersion",
            {
                LaunchTemplateId: lt,
                "SourceVersion.$": "$.group.version",
                LaunchTemplateData: {
                    "ImageId.$": "$.release.imageId",
                    // LaunchTemplateData replaces the source's tag specifications whole: all three are restated,
                    // the version on instances only, exactly as the program declares them (components/web/web-group.ts),
                    // so the `up` after a release finds the template it declares.
                    TagSpecifications: [
                        { ResourceType: "instance", Tags: versionTags },
                        ...["volume", "network-interface"].map((ResourceType) => ({ ResourceType, Tags: plainTags })),
                    ],
                },
            },
            {
                ResultSelector: { "number.$": "States.Format('{}', $.LaunchTemplateVersion.VersionNumber)" },
                ResultPath: "$.created",
                Next: `${id}: keep version`,
            },
        );
        add(`${id}: keep version`, {
            Type: "Pass",
            InputPath: "$.created.number",
            ResultPath: "$.group.newVersion",
            Next: refresh,
        });
        call(
            `${id}: previous image`,
            "ec2",
            "describeLaunchTemplateVersions",
            { LaunchTemplateId: lt, "Versions.$": "States.Array($.group.version)" },
            {
                ResultSelector: { "image.$": "$.LaunchTemplateVersions[0].LaunchTemplateData.ImageId" },
                ResultPath: "$.previous",
                Next: `${id}: keep image`,
            },
        );
        add(`${id}: keep image`, {
            Type: "Pass",
            InputPath: "$.previous.image",
            ResultPath: "$.group.previousImage",
            Next: create,
        });
        const afterDescribe = whenEmpty
            ? add(`${id}: any server?`, {
                  Type: "Choice",
                  Choices: [{ Variable: "$.group.instances", NumericEquals: 0, Next: whenEmpty }],
                  Default: `${id}: previous image`,
              })
            : `${id}: previous image`;
        return call(
            `${id}: describe`,
            "autoscaling",
            "describeAutoScalingGroups",
            { AutoScalingGroupNames: [group.groupName] },
            {
                ResultSelector: {
                    "version.$": "$.AutoScalingGroups[0].LaunchTemplate.Version",
                    "instances.$": "States.ArrayLength($.AutoScalingGroups[0].Instances)",
                },
                ResultPath: "$.group",
                Next: afterDescribe,
            },
        );
    };

    // --- The steps, last first (each names the next).
    const currentRecord = releaseRecordParameter(t.stack, "current");
    const previousRecord = releaseRecordParameter(t.stack, "previous");
    // A stack that promotes prunes its older copies after each promotion.
    const afterRecord = t.promotionSource
        ? add("Promoted?", {
              Type: "Choice",
              Choices: [
                  {
                      // only a run that copied (not a rollback or an imageId run that also named a source)
                      Variable: "$.image.copied",
                      IsPresent: true,
                      Next: step(
                          "Prune",
                          "pruning older copies",
                          "Released",
                          (done, failed) => pruneStates(done, failed),
                          ". The release is in service and recorded; only older copies are left to prune.",
                      ),
                  },
              ],
              Default: "Released",
          })
        : "Released";
    const record = step("Record", "recording the release", afterRecord, (done) => {
        const writeCurrent = call(
            "Record: current",
            "ssm",
            "putParameter",
            { Name: currentRecord, "Value.$": "States.JsonToString($.release)", Type: "String", Overwrite: true },
            { ResultPath: null, Next: done },
        );
        const writePrevious = call(
            "Record: previous",
            "ssm",
            "putParameter",
            { Name: previousRecord, "Value.$": "$.recorded.value", Type: "String", Overwrite: true },
            { ResultPath: null, Next: writeCurrent },
        );
        return call(
            "Record: read current",
            "ssm",
            "getParameter",
            { Name: currentRecord },
            {
                ResultSelector: { "value.$": "$.Parameter.Value" },
                ResultPath: "$.recorded",
                // A first release has no current record: nothing becomes previous.
                Catch: [
                    { ErrorEquals: ["Ssm.ParameterNotFoundException"], ResultPath: null, Next: writeCurrent },
                    { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Record: failed" },
                ],
                Next: writePrevious,
            },
        );
    });
    add("Released", { Type: "Succeed" });

    const maintenanceOff = step("Maintenance off", "maintenance off", record, (done, failed) =>
        onWebServers("Maintenance off", "maintenanceOff", t.timeouts.command, done, failed),
    );
    add("Was maintenance on?", {
        Type: "Choice",
        Choices: [{ Variable: "$.schema.changed", BooleanEquals: true, Next: maintenanceOff }],
        Default: record,
    });
    const flush = step("Cache flush", "cache flush", "Was maintenance on?", (done, failed) =>
        onBackOffice("Cache flush", "cacheFlush", t.timeouts.command, done, failed),
    );
    const frontEnd = step("Front end", "front end refresh", flush, (done, failed) =>
        rollout("Front end", t.frontEnd, t.frontEndAlarms ?? [], done, failed),
    );
    const upgrade = step(
        "Upgrade",
        "setup:upgrade",
        frontEnd,
        (done, failed) => onBackOffice("Upgrade", "upgrade", t.timeouts.upgrade, done, failed),
        ". Maintenance is left on: see the README runbook for a failed upgrade.",
    );
    const maintenanceOn = step("Maintenance on", "maintenance on", upgrade, (done, failed) =>
        onWebServers("Maintenance on", "maintenanceOn", t.timeouts.command, done, failed),
    );
    const schema = step("Schema check", "setup:db:status", "Schema change?", (done, failed) => {
        add("Schema check: read", {
            Type: "Choice",
            Choices: [
                { Variable: "$.poll.output", StringEquals: "db-status=0", Next: "Schema check: unchanged" },
                {
                    Variable: "$.poll.output",
                    StringEquals: `db-status=${DB_STATUS_UPGRADE_REQUIRED}`,
                    Next: "Schema check: changed",
                },
            ],
            Default: "Schema check: error",
        });
        failWith("Schema check: error", "setup:db:status failed: {}", failed, ["$.poll.output"]);
        for (const changed of [true, false]) {
            add(`Schema check: ${changed ? "changed" : "unchanged"}`, {
                Type: "Pass",
                Result: { changed },
                ResultPath: "$.schema",
                Next: done,
            });
        }
        return onBackOffice("Schema check", "dbStatus", t.timeouts.command, "Schema check: read", failed);
    });
    add("Schema change?", {
        Type: "Choice",
        Choices: [{ Variable: "$.schema.changed", BooleanEquals: true, Next: maintenanceOn }],
        Default: frontEnd,
    });
    // A rollback never runs setup:upgrade (a schema is not rolled back automatically): no schema step.
    add("After back office", {
        Type: "Choice",
        Choices: [
            { Variable: "$.schema.fresh", IsPresent: true, Next: "Fresh stack: notify" },
            { ...isRollback, Next: "Rollback: no schema step" },
        ],
        Default: schema,
    });
    add("Rollback: no schema step", {
        Type: "Pass",
        Result: { changed: false },
        ResultPath: "$.schema",
        Next: frontEnd,
    });
    add("Fresh stack", {
        Type: "Pass",
        Result: { changed: false, fresh: true },
        ResultPath: "$.schema",
        Next: "Back office: done",
    });
    notify(
        "Fresh stack: notify",
        "no server yet",
        "Release {}: the back office has no server yet (a fresh stack): recorded only, `pulumi up` now launches the servers from image {}.",
        ["$.release.imageId"],
        record,
    );
    const backOffice = step("Back office", "back office refresh", "After back office", (done, failed) =>
        rollout("Back office", t.backOffice, [], done, failed, "Fresh stack"),
    );
    const image = step("Image", "image", backOffice, (done, failed) => alone(imageStates(done, failed), failed));

    return {
        Comment: `Magento ${t.stack}: release runner (docs/releasing.md)`,
        // What the runner decides itself starts empty: an input key `schema` cannot skip the schema step.
        StartAt: add("Start", { Type: "Pass", Result: {}, ResultPath: "$.schema", Next: image }),
        TimeoutSeconds: executionBound(t.timeouts),
        States: states,
    };

    /** One release of the stack at a time, whoever starts it (CI, Rundeck, an operator): two runs would refresh the
     *  same groups and record over each other. The running executions include this one; the list is eventually
     *  consistent and sorted newest first (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html),
     *  so of two started together the older goes on and the newer stops. */
    function alone(next: string, failed: string): string {
        failWith(
            "Alone: no",
            `another release of ${t.stack} is running: wait for it, or stop it, then start this one again`,
            failed,
        );
        add("Alone: first?", {
            Type: "Choice",
            Choices: [{ Variable: "$.running.oldest.ExecutionArn", StringEqualsPath: "$.running.self", Next: next }],
            Default: "Alone: no",
        });
        add("Alone: oldest", {
            Type: "Pass",
            Parameters: {
                "oldest.$": "States.ArrayGetItem($.running.executions, States.MathAdd($.running.count, -1))",
                "self.$": "$$.Execution.Id",
            },
            ResultPath: "$.running",
            Next: "Alone: first?",
        });
        add("Alone?", {
            Type: "Choice",
            Choices: [{ Variable: "$.running.count", NumericLessThanEquals: 1, Next: next }],
            Default: "Alone: oldest",
        });
        return call(
            "Alone: list",
            "sfn",
            "listExecutions",
            { "StateMachineArn.$": "$$.StateMachine.Id", StatusFilter: "RUNNING" },
            {
                ResultSelector: { "count.$": "States.ArrayLength($.Executions)", "executions.$": "$.Executions" },
                ResultPath: "$.running",
                Next: "Alone?",
            },
        );
    }

    function imageStates(done: string, failed: string): string {
        const tag = call(
            "Image: tag",
            "ec2",
            "createTags",
            {
                "Resources.$": "States.Array($.release.imageId)",
                Tags: [
                    { Key: RELEASE_VERSION_TAG, "Value.$": "$.release.version" },
                    { Key: RELEASE_COMMIT_TAG, "Value.$": "$.release.commit" },
                ],
            },
            { ResultPath: null, Next: done },
        );
        // Whoever starts a run names the image: only this account's images tagged as this stack's release image
        // (its pipeline's, or its runner's copies) go further, on every path, a fresh stack's record included.
        const owned = (
            name: string,
            imageId: string,
            owner: { account: string; filters: object[]; whose: string },
            next: string,
        ) => {
            add(`${name}?`, {
                Type: "Choice",
                Choices: [{ Variable: "$.owned.count", NumericGreaterThan: 0, Next: next }],
                Default: failWith(`${name}: refused`, `image {} is not a release image of ${owner.whose}`, failed, [
                    imageId,
                ]),
            });
            return call(
                name,
                "ec2",
                "describeImages",
                { [`ImageIds.$`]: `States.Array(${imageId})`, Owners: [owner.account], Filters: owner.filters },
                {
                    ResultSelector: { "count.$": "States.ArrayLength($.Images)" },
                    ResultPath: "$.owned",
                    Next: `${name}?`,
                },
            );
        };
        const checked = owned(
            "Image: ours",
            "$.release.imageId",
            {
                account: "self",
                filters: [{ Name: `tag:${RELEASE_IMAGE_TAG}`, Values: [t.stack] }],
                whose: "this account",
            },
            tag,
        );
        const chosen = add("Image: chosen", {
            Type: "Pass",
            Parameters: { "version.$": "$.version", "commit.$": "$.commit", "imageId.$": "$.image.id" },
            ResultPath: "$.release",
            Next: checked,
        });
        add("Image: previous", {
            Type: "Pass",
            Parameters: {
                "version.$": "$.previous.record.version",
                "commit.$": "$.previous.record.commit",
                "imageId.$": "$.previous.record.imageId",
            },
            ResultPath: "$.release",
            Next: checked,
        });
        call(
            "Image: read previous",
            "ssm",
            "getParameter",
            { Name: previousRecord },
            {
                ResultSelector: { "record.$": "States.StringToJson($.Parameter.Value)" },
                ResultPath: "$.previous",
                Next: "Image: previous",
            },
        );
        add("Image: given", { Type: "Pass", Parameters: { "id.$": "$.imageId" }, ResultPath: "$.image", Next: chosen });

        /** A promotion copies only a release image of the building stack's account (this one, or the account named by
         *  its key). Another account's tags are not visible here, but it shares only its release images (its pipeline's
         *  launch permission), so that it owns the image is the check (docs/release-image.md, "Promotion"). */
        function promotionSource(): string {
            const source = t.promotionSource;
            if (!source) {
                return failWith(
                    "Image copy: no source",
                    `stack ${t.stack} promotes from no stack: set magento:releaseImageSourceKey to the building stack's output releaseImageKeyArn`,
                    failed,
                );
            }
            // Promotion: a copy encrypted with this stack's key. AMI names take no '+' (semver build metadata): the name
            // keeps what precedes it and the commit (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html).
            const copyPoll = poll(
                "Image copy",
                (name, then) =>
                    call(
                        name,
                        "ec2",
                        "describeImages",
                        { "ImageIds.$": "States.Array($.image.id)" },
                        { ResultSelector: { "status.$": "$.Images[0].State" }, ResultPath: "$.poll", Next: then },
                    ),
                t.timeouts.imageCopy,
                ["available"],
                ["failed", "invalid", "error", "deregistered"],
                { next: chosen, failOn: "Image copy: failed image", failed },
            );
            failWith("Image copy: failed image", "the copy of {} ended {}", failed, [
                "$.sourceImageId",
                "$.poll.status",
            ]);
            call(
                "Image: copy",
                "ec2",
                "copyImage",
                {
                    "SourceImageId.$": "$.sourceImageId",
                    SourceRegion: t.region,
                    Encrypted: true,
                    KmsKeyId: t.imageKeyArn,
                    "Name.$": `States.Format('magento-${t.stack}-{}-{}', States.ArrayGetItem(States.StringSplit($.version, '+'), 0), $.commit)`,
                    "Description.$": "States.Format('Magento release {} ({})', $.version, $.commit)",
                    // The copy and its snapshots are this stack's release image (the only kind the runner's role may
                    // launch) and say what they were copied from (the only kind it prunes).
                    TagSpecifications: ["image", "snapshot"].map((ResourceType) => ({
                        ResourceType,
                        Tags: [
                            { Key: RELEASE_IMAGE_TAG, Value: t.stack },
                            { Key: RELEASE_SOURCE_TAG, "Value.$": "$.sourceImageId" },
                        ],
                    })),
                },
                { ResultSelector: { "id.$": "$.ImageId", copied: true }, ResultPath: "$.image", Next: copyPoll },
            );
            const owner =
                source.accountId === t.accountId
                    ? {
                          account: "self",
                          filters: [{ Name: "tag-key", Values: [RELEASE_IMAGE_TAG] }],
                          whose: "this account",
                      }
                    : { account: source.accountId, filters: [], whose: `account ${source.accountId}` };
            return owned("Image copy: source", "$.sourceImageId", owner, "Image: copy");
        }

        // Build: the pipeline bakes releases/next.json; the image is the build's first AMI.
        const build = t.pipelineArn
            ? buildStates(t.pipelineArn, chosen, failed)
            : failWith(
                  "Image: no pipeline",
                  `stack ${t.stack} has no image pipeline: give imageId or sourceImageId`,
                  failed,
              );
        return add("Image: which", {
            Type: "Choice",
            Choices: [
                { ...isRollback, Next: "Image: read previous" },
                { Variable: "$.imageId", IsPresent: true, Next: "Image: given" },
                { Variable: "$.sourceImageId", IsPresent: true, Next: promotionSource() },
            ],
            Default: build,
        });
    }

    /** After a promotion: the stack's copies (the runner's: tagged with their source) but the newest `imagesKept`, the
     *  two records' images and those the web templates name are deregistered with their snapshots. ASL cannot sort, so
     *  each copy counts the copies at least as new as itself (an inner Map; itself included, so the filter below never
     *  comes back empty, which is a runtime error) and goes once that count passes imagesKept. The pipeline's own
     *  images are its lifecycle policy's (components/release/image-lifecycle.ts). */
    function pruneStates(done: string, failed: string): string {
        const compare = {
            Type: "Map",
            ItemsPath: "$.all",
            ItemSelector: { "mine.$": "$.created", "other.$": "$$.Map.Item.Value.CreationDate" },
            ItemProcessor: {
                ProcessorConfig: { Mode: "INLINE" },
                StartAt: "Prune: as new?",
                States: {
                    "Prune: as new?": {
                        Type: "Choice",
                        Choices: [
                            { Variable: "$.other", TimestampGreaterThanEqualsPath: "$.mine", Next: "Prune: as new" },
                        ],
                        Default: "Prune: older",
                    },
                    "Prune: as new": { Type: "Pass", Result: { asNew: true }, End: true },
                    "Prune: older": { Type: "Pass", Result: { asNew: false }, End: true },
                },
            },
            ResultPath: "$.asNew",
            Next: "Prune: count",
        };
        const each = {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Prune: compare",
            States: {
                "Prune: compare": compare,
                "Prune: count": {
                    // a filter is a Path (as in Parameters), not a Reference Path: kept out of the intrinsic
                    Type: "Pass",
                    Parameters: { "id.$": "$.id", "keep.$": "$.keep", "asNew.$": "$.asNew[?(@.asNew == true)]" },
                    Next: "Prune: decide",
                },
                "Prune: decide": {
                    Type: "Pass",
                    Parameters: {
                        "id.$": "$.id",
                        "asNew.$": "States.ArrayLength($.asNew)",
                        ...Object.fromEntries(KEPT.map((k) => [`${k}.$`, `States.ArrayContains($.keep.${k}, $.id)`])),
                    },
                    Next: "Prune: old?",
                },
                "Prune: old?": {
                    Type: "Choice",
                    Choices: [
                        {
                            And: [
                                { Variable: "$.asNew", NumericGreaterThan: t.imagesKept },
                                ...KEPT.map((k) => ({ Variable: `$.${k}`, BooleanEquals: false })),
                            ],
                            Next: "Prune: deregister",
                        },
                    ],
                    Default: "Prune: keep",
                },
                "Prune: keep": { Type: "Succeed" },
                // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html: a snapshot another
                // AMI uses stays.
                "Prune: deregister": {
                    Type: "Task",
                    Resource: sdk("ec2", "deregisterImage"),
                    Parameters: { "ImageId.$": "$.id", DeleteAssociatedSnapshots: true },
                    TimeoutSeconds: CALL_TIMEOUT_SECONDS,
                    ResultPath: null,
                    End: true,
                },
            },
        };
        add("Prune: each", {
            Type: "Map",
            ItemsPath: "$.copies.images",
            ItemSelector: {
                "id.$": "$$.Map.Item.Value.ImageId",
                "created.$": "$$.Map.Item.Value.CreationDate",
                "all.$": "$.copies.images",
                "keep.$": "$.keep",
            },
            ItemProcessor: each,
            MaxConcurrency: 1,
            ResultPath: null,
            Next: done,
        });
        call(
            "Prune: list",
            "ec2",
            "describeImages",
            {
                Owners: ["self"],
                Filters: [
                    { Name: `tag:${RELEASE_IMAGE_TAG}`, Values: [t.stack] },
                    { Name: "tag-key", Values: [RELEASE_SOURCE_TAG] },
                ],
            },
            { ResultSelector: { "images.$": "$.Images" }, ResultPath: "$.copies", Next: "Prune: each" },
        );
        // Kept whatever their age: the records' images (the one in service, the rollback target) and every image a web
        // template's latest or default version names (a pinned webImage among them), which `up` and scale-outs launch.
        add("Prune: what to keep", {
            Type: "Pass",
            Parameters: {
                "records.$": "States.Array($.release.imageId, $.kept.record.imageId)",
                "frontEnd.$": "$.inUse.frontEnd.images",
                "backOffice.$": "$.inUse.backOffice.images",
            },
            ResultPath: "$.keep",
            Next: "Prune: list",
        });
        const templateImages = (name: string, group: RunnerGroup, key: string, next: string) =>
            call(
                name,
                "ec2",
                "describeLaunchTemplateVersions",
                { LaunchTemplateId: group.launchTemplateId, Versions: ["$Latest", "$Default"] },
                {
                    ResultSelector: { "images.$": "$.LaunchTemplateVersions[*].LaunchTemplateData.ImageId" },
                    ResultPath: `$.inUse.${key}`,
                    Next: next,
                },
            );
        templateImages(
            "Prune: front-end images",
            t.frontEnd,
            "frontEnd",
            templateImages("Prune: back-office images", t.backOffice, "backOffice", "Prune: what to keep"),
        );
        add("Prune: no previous", {
            Type: "Pass",
            Result: { record: { imageId: "none" } },
            ResultPath: "$.kept",
            Next: "Prune: front-end images",
        });
        return call(
            "Prune: read previous",
            "ssm",
            "getParameter",
            { Name: previousRecord },
            {
                ResultSelector: { "record.$": "States.StringToJson($.Parameter.Value)" },
                ResultPath: "$.kept",
                Catch: [
                    { ErrorEquals: ["Ssm.ParameterNotFoundException"], ResultPath: null, Next: "Prune: no previous" },
                    { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: failed },
                ],
                Next: "Prune: front-end images",
            },
        );
    }

    function buildStates(pipelineArn: string, chosen: string, failed: string): string {
        // The Image Builder image is tagged with the stack once built: the lifecycle policy selects images by their own
        // tags (components/release/image-lifecycle.ts). Tagging at the start would also tag a failed build's image.
        call(
            "Image build: tag",
            "imagebuilder",
            "tagResource",
            { "ResourceArn.$": "$.build.arn", Tags: { [RELEASE_IMAGE_TAG]: t.stack } },
            { ResultPath: null, Next: chosen },
        );
        add("Image build: take", {
            Type: "Pass",
            Parameters: { "id.$": "$.poll.image.OutputResources.Amis[0].Image" },
            ResultPath: "$.image",
            Next: "Image build: tag",
        });
        const buildPoll = poll(
            "Image build",
            (name, then) =>
                call(
                    name,
                    "imagebuilder",
                    "getImage",
                    { "ImageBuildVersionArn.$": "$.build.arn" },
                    {
                        ResultSelector: {
                            "status.$": "$.Image.State.Status",
                            "image.$": "$.Image", // its outputResources exist only once AVAILABLE
                        },
                        ResultPath: "$.poll",
                        Next: then,
                    },
                ),
            t.timeouts.imageBuild,
            ["AVAILABLE"],
            ["FAILED", "CANCELLED"],
            { next: "Image build: take", failOn: "Image build: failed build", failed },
        );
        failWith("Image build: failed build", "the image build {} ended {}", failed, ["$.build.arn", "$.poll.status"]);
        return call(
            "Image: build",
            "imagebuilder",
            "startImagePipelineExecution",
            { ImagePipelineArn: pipelineArn, "ClientToken.$": "States.UUID()" },
            { ResultSelector: { "arn.$": "$.ImageBuildVersionArn" }, ResultPath: "$.build", Next: buildPoll },
        );
    }
}

/** The whole execution's bound: every wait of the longest path, plus an hour for the calls and notifications. */
function executionBound(t: RunnerTimeouts): number {
    return t.imageBuild + 2 * t.refresh + 4 * t.command + t.upgrade + 3600;
}

/** Every state of the definition by name, those of its Maps' item processors included. */
export function allStates(states: Record<string, AslState>): [string, AslState][] {
    return Object.entries(states).flatMap(([name, state]) => {
        const inner = (state.ItemProcessor as { States?: Record<string, AslState> } | undefined)?.States;
        return [[name, state] as [string, AslState], ...(inner ? allStates(inner) : [])];
    });
}

/** The AWS SDK actions the definition calls, as IAM spells them (service:Action). */
export function runnerActions(definition: AslDefinition): string[] {
    const actions = allStates(definition.States)
        .map(([, s]) => s)
        .map((s) => String(s.Resource ?? ""))
        .filter((r) => r.startsWith("arn:aws:states:::"))
        .map((r) => {
            const parts = r.replace("arn:aws:states:::", "").split(":");
            const [service, action] = parts[0] === "aws-sdk" ? [parts[1], parts[2]] : [parts[0], parts[1]];
            // The SDK's service names are IAM's prefixes but for Step Functions' own (sfn: states).
            return `${service === "sfn" ? "states" : service}:${action.charAt(0).toUpperCase()}${action.slice(1)}`;
        });
    return [...new Set(actions)].sort();
}
