// What the release runner's role may do, by the IAM evaluator over the stack's own policies (preprod's update capture,
// the stack that builds): every call its definition makes, on this stack's groups, templates, web servers, records,
// topic, pipeline and images; never another stack's groups or servers, Rundeck's or the NFS server, a secret, another
// parameter or another role.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { accessModel, AccessModel } from "../../policies/lib/access/model";
import { AccessRequest, decide } from "../../policies/lib/access/simulate";
import { StackResource } from "../../policies/lib/stack";
import { knownString } from "../../policies/lib/values";
import { stackView } from "../../offline/stack-view";
import { AslDefinition, runnerActions } from "../../model/release-runner";
import { releaseRecordParameter, releaseRunnerName } from "../../model/release";
import {
    RELEASE_COMMIT_TAG,
    RELEASE_IMAGE_TAG,
    RELEASE_SOURCE_TAG,
    RELEASE_VERSION_TAG,
} from "../../policies/lib/contracts";
import { IAM_ROLE, KMS_KEY, SECRETSMANAGER_SECRET } from "../../policies/lib/types";
import { prefetch, ROOT, stackResources } from "../helpers/stacks";

const UPDATE = { preview: false };
prefetch(["preprod", UPDATE], ["prod", UPDATE]);
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const REGION = "eu-west-3";

interface Runner {
    readonly model: AccessModel;
    readonly account: string;
    readonly role: string;
    readonly definition: AslDefinition;
    arn(type: string, short: string): string;
    /** A value the definition passes to a call (a group name, a template id). */
    parameter(state: string, key: string): string;
}

async function load(stack = "preprod"): Promise<Runner> {
    const resources: StackResource[] = stackView(await stackResources(stack, UPDATE));
    const model = accessModel(resources);
    const arn = (type: string, short: string) => {
        const r = resources.find((x) => x.type === type && x.name === `magento-${stack}-${short}`);
        const value = r && knownString(r.props, "arn");
        assert.ok(value, `no ${type} magento-${stack}-${short} with a known ARN`);
        return value;
    };
    const machine = resources.find((r) => r.type === STATE_MACHINE);
    assert.ok(machine, "no state machine");
    assert.strictEqual(knownString(machine.props, "name"), releaseRunnerName(`magento-${stack}`));
    const definition = JSON.parse(knownString(machine.props, "definition")!) as AslDefinition;
    return {
        model,
        account: model.account!,
        role: arn(IAM_ROLE, "release-runner-role"),
        definition,
        arn,
        parameter: (state, key) => {
            const value = (definition.States[state]?.Parameters as Record<string, unknown> | undefined)?.[key];
            assert.ok(typeof value === "string", `${state}: no ${key}`);
            return value;
        },
    };
}

async function expect(r: Runner, outcome: "Allowed" | "denied", request: Omit<AccessRequest, "principal">) {
    const decision = await decide(r.model, { principal: r.role, ...request });
    assert.ok(
        outcome === "Allowed" ? decision === "Allowed" : /Denied$/.test(decision),
        `expected ${outcome} for ${request.action} on ${request.resource}, got ${decision}`,
    );
}

describe("release runner access (preprod)", () => {
    let r: Runner;
    let own: Record<string, AccessRequest[]>;
    before(async function () {
        this.timeout(300_000);
        r = await load();
        const a = r.account;
        const group = (state: string) =>
            `arn:aws:autoscaling:${REGION}:${a}:autoScalingGroup:0b5c1e5e-0000-4000-8000-000000000000:autoScalingGroupName/${r.parameter(state, "AutoScalingGroupName")}`;
        const template = (state: string) =>
            `arn:aws:ec2:${REGION}:${a}:launch-template/${r.parameter(state, "LaunchTemplateId")}`;
        const record = (which: "current" | "previous") =>
            `arn:aws:ssm:${REGION}:${a}:parameter${releaseRecordParameter("preprod", which)}`;
        const image = `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`;
        const webInstance = (tier: string) => ({
            resource: `arn:aws:ec2:${REGION}:${a}:instance/i-0123456789abcdef0`,
            context: { "ssm:resourceTag/Stack": "preprod", "ssm:resourceTag/Tier": tier },
        });
        const p = (action: string, resource: string, context?: AccessRequest["context"]) => ({
            principal: r.role,
            action,
            resource,
            context,
        });
        // What each call of the definition needs, on this stack's own resources.
        own = {
            "autoscaling:DescribeAutoScalingGroups": [p("autoscaling:DescribeAutoScalingGroups", "*")],
            "autoscaling:DescribeInstanceRefreshes": [p("autoscaling:DescribeInstanceRefreshes", "*")],
            "autoscaling:StartInstanceRefresh": ["Front end: refresh", "Back office: refresh"].map((s) =>
                p("autoscaling:StartInstanceRefresh", group(s)),
            ),
            "autoscaling:RollbackInstanceRefresh": ["Front end: abandon", "Back office: abandon"].map((s) =>
                p("autoscaling:RollbackInstanceRefresh", group(s)),
            ),
            "states:ListExecutions": [p("states:ListExecutions", r.arn(STATE_MACHINE, "release-runner-sm"))],
            "ec2:CreateLaunchTemplateVersion": ["Front end: new version", "Back office: new version"].map((s) =>
                p("ec2:CreateLaunchTemplateVersion", template(s)),
            ),
            "ec2:CreateTags": [
                p("ec2:CreateTags", image, { "aws:TagKeys": [RELEASE_VERSION_TAG, RELEASE_COMMIT_TAG] }),
            ],
            "ec2:DeleteLaunchTemplateVersions": [
                p("ec2:DeleteLaunchTemplateVersions", template("Front end: new version")),
            ],
            "ec2:DescribeImages": [p("ec2:DescribeImages", "*")],
            "ec2:DescribeLaunchTemplateVersions": [p("ec2:DescribeLaunchTemplateVersions", "*")],
            "ec2:ModifyLaunchTemplate": [p("ec2:ModifyLaunchTemplate", template("Back office: new version"))],
            "imagebuilder:GetImage": [
                p("imagebuilder:GetImage", `arn:aws:imagebuilder:${REGION}:${a}:image/magento-preprod-release/1.0.0/1`),
            ],
            "imagebuilder:TagResource": [
                p(
                    "imagebuilder:TagResource",
                    `arn:aws:imagebuilder:${REGION}:${a}:image/magento-preprod-release/1.0.0/1`,
                    { "aws:TagKeys": [RELEASE_IMAGE_TAG] },
                ),
            ],
            "imagebuilder:StartImagePipelineExecution": [
                p("imagebuilder:StartImagePipelineExecution", r.parameter("Image: build", "ImagePipelineArn")),
            ],
            "sns:Publish": [p("sns:Publish", r.parameter("Image: start", "TopicArn"))],
            "ssm:GetCommandInvocation": [p("ssm:GetCommandInvocation", "*")],
            "ssm:GetParameter": [p("ssm:GetParameter", record("current")), p("ssm:GetParameter", record("previous"))],
            "ssm:ListCommands": [p("ssm:ListCommands", "*")],
            "ssm:PutParameter": [p("ssm:PutParameter", record("current")), p("ssm:PutParameter", record("previous"))],
            // On the instances; the document half (AWS-RunShellScript, whose ARN has no account) is Rundeck's
            // statement shape, which the evaluator cannot parse: tests/components/operations checks it.
            "ssm:SendCommand": [
                ...["web", "backoffice"].map((tier) => {
                    const i = webInstance(tier);
                    return p("ssm:SendCommand", i.resource, i.context);
                }),
            ],
        };
    });

    it("may make every call the definition makes, on the stack's own resources", async () => {
        const actions = runnerActions(r.definition);
        assert.deepStrictEqual(actions, Object.keys(own).sort(), "a call without an access case here");
        for (const action of actions) {
            for (const request of own[action]) await expect(r, "Allowed", request);
        }
    });

    it("may refresh to the new template versions: launch from the web templates only, passing the web roles only", async () => {
        const a = r.account;
        const templateArn = (id: string) => `arn:aws:ec2:${REGION}:${a}:launch-template/${id}`;
        const frontEnd = templateArn(r.parameter("Front end: new version", "LaunchTemplateId"));
        const instance = `arn:aws:ec2:${REGION}:${a}:instance/*`;
        await expect(r, "Allowed", {
            action: "ec2:RunInstances",
            resource: instance,
            context: { "ec2:LaunchTemplate": frontEnd },
        });
        await expect(r, "denied", {
            action: "ec2:RunInstances",
            resource: instance,
            context: { "ec2:LaunchTemplate": templateArn("lt-0ther0000000000000") },
        });
        await expect(r, "denied", { action: "ec2:RunInstances", resource: instance });
        // The image launched: the stack's own release images only, whatever image a run was given.
        const image = `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`;
        const launch = { "ec2:LaunchTemplate": frontEnd };
        await expect(r, "Allowed", {
            action: "ec2:RunInstances",
            resource: image,
            context: { ...launch, [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: "preprod" },
        });
        await expect(r, "denied", { action: "ec2:RunInstances", resource: image, context: launch });
        await expect(r, "denied", {
            action: "ec2:RunInstances",
            resource: image,
            context: { ...launch, [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: "other" },
        });
        for (const tier of ["web", "backoffice"]) {
            await expect(r, "Allowed", {
                action: "iam:PassRole",
                resource: r.arn(IAM_ROLE, `${tier}-role`),
                context: { "iam:PassedToService": "ec2.amazonaws.com" },
            });
        }
        for (const tier of ["rundeck", "builder", "release-runner"]) {
            await expect(r, "denied", {
                action: "iam:PassRole",
                resource: r.arn(IAM_ROLE, `${tier}-role`),
                context: { "iam:PassedToService": "ec2.amazonaws.com" },
            });
        }
    });

    it("may not refresh another stack's groups nor send commands to its servers, Rundeck's or the NFS server", async () => {
        const a = r.account;
        await expect(r, "denied", {
            action: "autoscaling:StartInstanceRefresh",
            resource: `arn:aws:autoscaling:${REGION}:${a}:autoScalingGroup:0b5c1e5e-0000-4000-8000-000000000000:autoScalingGroupName/magento-prod-frontend-asg`,
        });
        const instance = `arn:aws:ec2:${REGION}:${a}:instance/i-0fedcba9876543210`;
        const tagSets: Record<string, string>[] = [
            { "ssm:resourceTag/Stack": "prod", "ssm:resourceTag/Tier": "web" },
            { "ssm:resourceTag/Stack": "preprod", "ssm:resourceTag/Tier": "rundeck" },
            { "ssm:resourceTag/Stack": "preprod", "ssm:resourceTag/Tier": "nfs" },
            {},
        ];
        for (const tags of tagSets) {
            await expect(r, "denied", { action: "ssm:SendCommand", resource: instance, context: tags });
        }
        await expect(r, "denied", {
            action: "ssm:SendCommand",
            resource: `arn:aws:ssm:${REGION}:${a}:document/magento-preprod-anything`,
        });
    });

    it("may not read secrets, write other parameters, or tag images with other keys", async () => {
        for (const secret of ["app-credentials-mysql-secret", "search-master-secret"]) {
            await expect(r, "denied", {
                action: "secretsmanager:GetSecretValue",
                resource: r.arn(SECRETSMANAGER_SECRET, secret),
            });
        }
        for (const name of [
            "/magento/preprod/db/host",
            "/imagebuilder/magento/preprod/web-ami",
            releaseRecordParameter("prod", "current"),
        ]) {
            await expect(r, "denied", {
                action: "ssm:PutParameter",
                resource: `arn:aws:ssm:${REGION}:${r.account}:parameter${name}`,
            });
        }
        await expect(r, "denied", {
            action: "ec2:CreateTags",
            resource: `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`,
            context: { "aws:TagKeys": [RELEASE_IMAGE_TAG] },
        });
        // preprod promotes from no stack: its runner copies and prunes nothing
        const copy = {
            [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: "preprod",
            [`aws:ResourceTag/${RELEASE_SOURCE_TAG}`]: "ami-1",
        };
        for (const action of ["ec2:CopyImage", "ec2:DeregisterImage"]) {
            await expect(r, "denied", {
                action,
                resource: `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`,
                context: copy,
            });
        }
    });
});

describe("release runner access (prod: promotes preprod's images)", () => {
    let prod: Runner;
    let preprod: Runner;
    // The key prod's configuration names (Pulumi.prod.yaml: preprod's output releaseImageKeyArn), with the policy
    // preprod gives its release-image key: the two stacks' policies evaluated together, as AWS would for a copy.
    let sourceKey: string;
    before(async function () {
        this.timeout(300_000);
        [prod, preprod] = await Promise.all([load("prod"), load("preprod")]);
        const copy = prod.definition.States["Image: copy"];
        assert.ok(copy, "prod's runner copies");
        sourceKey = parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")).config[
            "magento:releaseImageSourceKey"
        ];
        const preprodKey = preprod.arn(KMS_KEY, "release-image-key");
        const policy = preprod.model.resources.get(preprodKey);
        assert.ok(policy, "preprod's release-image key has a policy");
        prod = {
            ...prod,
            model: { ...prod.model, resources: new Map([...prod.model.resources, [sourceKey, policy]]) },
        };
    });

    it("may copy preprod's images: their key through EC2 only, grants for the copy's volumes only", async () => {
        const image = `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`;
        await expect(prod, "Allowed", { action: "ec2:CopyImage", resource: image });
        await expect(prod, "Allowed", {
            action: "ec2:CopyImage",
            resource: `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`,
        });
        const viaEc2 = { "kms:ViaService": `ec2.${REGION}.amazonaws.com` };
        for (const action of ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom"]) {
            await expect(prod, "Allowed", { action, resource: sourceKey, context: viaEc2 });
            await expect(prod, "denied", { action, resource: sourceKey });
        }
        await expect(prod, "Allowed", {
            action: "kms:CreateGrant",
            resource: sourceKey,
            context: { ...viaEc2, "kms:GrantIsForAWSResource": "true" },
        });
        await expect(prod, "denied", { action: "kms:CreateGrant", resource: sourceKey, context: viaEc2 });
        // never encrypt with it, nor make it generate data keys
        await expect(prod, "denied", { action: "kms:GenerateDataKey", resource: sourceKey, context: viaEc2 });
        // preprod's runner has no source: it copies nothing
        assert.strictEqual(preprod.definition.States["Image: copy"], undefined);
    });

    it("tags its copies and their snapshots on creation, and prunes only its own copies with their snapshots", async () => {
        const image = `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`;
        const snapshot = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
        for (const resource of [image, snapshot]) {
            await expect(prod, "Allowed", {
                action: "ec2:CreateTags",
                resource,
                context: { "ec2:CreateAction": "CopyImage", "aws:TagKeys": [RELEASE_IMAGE_TAG, RELEASE_SOURCE_TAG] },
            });
        }
        const copy = {
            [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: "prod",
            [`aws:ResourceTag/${RELEASE_SOURCE_TAG}`]: "ami-1",
        };
        await expect(prod, "Allowed", { action: "ec2:DeregisterImage", resource: image, context: copy });
        await expect(prod, "Allowed", { action: "ec2:DeleteSnapshot", resource: snapshot, context: copy });
        const notOurs: Record<string, string>[] = [
            { [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: "prod" }, // an image the pipeline built: its lifecycle's
            { [`aws:ResourceTag/${RELEASE_IMAGE_TAG}`]: "preprod", [`aws:ResourceTag/${RELEASE_SOURCE_TAG}`]: "ami-1" },
            {},
        ];
        for (const context of notOurs) {
            await expect(prod, "denied", { action: "ec2:DeregisterImage", resource: image, context });
            await expect(prod, "denied", { action: "ec2:DeleteSnapshot", resource: snapshot, context });
        }
    });
});
