// The release runner as both stacks deploy it: one STANDARD state machine per stack under the contract's name, the
// definition generated for that stack's own groups, templates and records, errors logged without execution data to
// a group of its own (kept a year, encrypted), its role trusted by Step Functions for this machine only; only the
// stack that builds may build.
import * as assert from "assert";
import { releaseRecordParameter, releaseRunnerArn, releaseRunnerName } from "../../../model/release";
import { AslDefinition } from "../../../model/release-runner";
import { StateResource } from "../../../offline/state";
import { RELEASE_VERSION_TAG } from "../../../policies/lib/contracts";
import { AUTOSCALING_GROUP, EC2_LAUNCH_TEMPLATE, IAM_ROLE } from "../../../policies/lib/types";
import { ofType, prefetch, stackResources, webOfType } from "../../helpers/stacks";

const DEPLOYED = { preview: false };
prefetch(["preprod", DEPLOYED], ["prod", DEPLOYED]);
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const named = (r: StateResource[], type: string, name: string) => {
    const found = ofType(r, type).find((x) => x.urn.endsWith(`::${name}`));
    assert.ok(found, `no ${type} ${name}`);
    return found;
};

for (const stack of ["preprod", "prod"]) {
    describe(`release runner (${stack})`, () => {
        let resources: StateResource[];
        let machine: StateResource;
        let definition: AslDefinition;
        const prefix = `magento-${stack}`;
        before(async function () {
            this.timeout(300_000);
            resources = await stackResources(stack, DEPLOYED);
            machine = named(resources, STATE_MACHINE, `${prefix}-release-runner-sm`);
            definition = JSON.parse(String(machine.inputs!.definition)) as AslDefinition;
        });

        it("is one STANDARD state machine under the contract's name, untraced", () => {
            assert.strictEqual(ofType(resources, STATE_MACHINE).length, 1);
            assert.strictEqual(machine.inputs!.name, releaseRunnerName(prefix));
            assert.strictEqual(machine.inputs!.type, "STANDARD");
            assert.deepStrictEqual(machine.inputs!.tracingConfiguration, { enabled: false });
            assert.ok(/^arn:aws:states:eu-west-3:\d{12}:stateMachine:/.test(String(machine.outputs?.arn)));
            assert.strictEqual(
                String(machine.outputs?.arn),
                releaseRunnerArn("eu-west-3", String(machine.outputs?.arn).split(":")[4], prefix),
            );
        });

        it("versions each template with exactly the tags the program declares, so the up after a release changes nothing", () => {
            // The version's instances say the release (the record's version, here a placeholder), as the program's
            // template says the record's; volumes and interfaces carry the same tags without it.
            const release = "$.release.version";
            for (const template of webOfType(resources, EC2_LAUNCH_TEMPLATE)) {
                const create = Object.values(definition.States).find(
                    (s) =>
                        String(s.Resource).endsWith(":ec2:createLaunchTemplateVersion") &&
                        (s.Parameters as Record<string, unknown>).LaunchTemplateId === String(template.id),
                );
                assert.ok(create, `no new version of ${template.urn}`);
                const data = (create.Parameters as { LaunchTemplateData: { TagSpecifications: unknown[] } })
                    .LaunchTemplateData;
                const runner = Object.fromEntries(
                    (data.TagSpecifications as { ResourceType: string; Tags: Record<string, string>[] }[]).map(
                        (spec) => [
                            spec.ResourceType,
                            Object.fromEntries(
                                spec.Tags.map((t) => [t.Key, t.Value ?? (t["Value.$"] === release ? "RELEASE" : "?")]),
                            ),
                        ],
                    ),
                );
                const declared = Object.fromEntries(
                    (
                        template.inputs!.tagSpecifications as { resourceType: string; tags: Record<string, string> }[]
                    ).map((spec) => [
                        spec.resourceType,
                        Object.fromEntries(
                            Object.entries(spec.tags).map(([k, v]) => [k, k === RELEASE_VERSION_TAG ? "RELEASE" : v]),
                        ),
                    ]),
                );
                assert.deepStrictEqual(runner, declared, String(template.urn));
                // The provider reads a template's description (and the rest) from its latest version, and a
                // description it does not declare is a change that makes a new version, whose refresh replaces every
                // server (AWS review B1): the runner's version sets nothing but the image and these tags.
                assert.deepStrictEqual(Object.keys(create.Parameters as object).sort(), [
                    "LaunchTemplateData",
                    "LaunchTemplateId",
                    "SourceVersion.$",
                ]);
                assert.deepStrictEqual(Object.keys(data).sort(), ["ImageId.$", "TagSpecifications"]);
                assert.strictEqual(template.inputs!.description, undefined);
            }
        });

        it("drives the stack's own groups, templates and records", () => {
            const groups = webOfType(resources, AUTOSCALING_GROUP).map((g) => String(g.outputs?.name));
            const templates = webOfType(resources, EC2_LAUNCH_TEMPLATE).map((t) => String(t.id));
            const parameters = Object.values(definition.States).map((s) => s.Parameters as Record<string, unknown>);
            const used = (key: string) => new Set(parameters.map((p) => p?.[key]).filter((v) => typeof v === "string"));
            assert.deepStrictEqual([...used("AutoScalingGroupName")].sort(), groups.sort());
            assert.deepStrictEqual([...used("LaunchTemplateId")].sort(), templates.sort());
            assert.deepStrictEqual(
                [...used("Name")].sort(),
                [releaseRecordParameter(stack, "current"), releaseRecordParameter(stack, "previous")].sort(),
            );
        });

        it(
            stack === "preprod" ? "builds with the stack's pipeline" : "has no pipeline: a build fails with that cause",
            () => {
                const build = definition.States["Image: build"];
                assert.strictEqual(Boolean(build), stack === "preprod");
                assert.strictEqual(Boolean(definition.States["Image: no pipeline"]), stack !== "preprod");
            },
        );

        it("logs errors only, without execution data, to its own group kept a year and encrypted", () => {
            const logs = named(resources, LOG_GROUP, `${prefix}-release-runner-logs`);
            assert.strictEqual(logs.inputs!.name, `/aws/vendedlogs/states/${releaseRunnerName(prefix)}`);
            assert.strictEqual(logs.inputs!.retentionInDays, 365);
            assert.ok(logs.inputs!.kmsKeyId, "encrypted");
            const logging = machine.inputs!.loggingConfiguration as Record<string, unknown>;
            assert.strictEqual(logging.level, "ERROR");
            assert.strictEqual(logging.includeExecutionData, false);
            assert.strictEqual(logging.logDestination, `${String(logs.outputs?.arn)}:*`);
        });

        it("runs as a role Step Functions assumes for this state machine of this account only", () => {
            const role = named(resources, IAM_ROLE, `${prefix}-release-runner-role`);
            const trust = JSON.parse(String(role.inputs!.assumeRolePolicy)) as {
                Statement: { Principal: unknown; Condition: Record<string, Record<string, string>> }[];
            };
            assert.strictEqual(trust.Statement.length, 1);
            const [statement] = trust.Statement;
            assert.deepStrictEqual(statement.Principal, { Service: "states.amazonaws.com" });
            const account = statement.Condition.StringEquals["aws:SourceAccount"];
            assert.ok(/^\d{12}$/.test(account));
            assert.strictEqual(
                statement.Condition.ArnLike["aws:SourceArn"],
                releaseRunnerArn("eu-west-3", account, prefix),
            );
            assert.strictEqual(machine.inputs!.roleArn, role.outputs?.arn);
        });
    });
}
