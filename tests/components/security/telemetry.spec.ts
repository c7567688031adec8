// Security telemetry as an operator and an intruder meet it, on the update capture (realistic ARNs): who may open a
// shell where and how it is recorded, what a server's role may do in SSM, who may assume the flow-logs role, and what
// the WAF keeps out of its logs. Access is decided by the IAM evaluator over the stack's own policies.
import * as assert from "assert";
import { accessModel, AccessModel } from "../../../policies/lib/access/model";
import { decide } from "../../../policies/lib/access/simulate";
import { StackResource } from "../../../policies/lib/stack";
import { knownString } from "../../../policies/lib/values";
import { stackView } from "../../../offline/stack-view";
import { ACCOUNT_ID } from "../../../offline/fakes";
import { CLOUDTRAIL_FILTERS } from "../../../components/monitoring/security-alarms";
import {
    CLOUDWATCH_LOG_GROUP,
    CLOUDWATCH_LOG_METRIC_FILTER,
    CLOUDWATCH_LOG_RESOURCE_POLICY,
    CLOUDWATCH_METRIC_ALARM,
    IAM_ROLE,
    IAM_ROLE_POLICY_ATTACHMENT,
    KMS_KEY,
    SNS_TOPIC,
    SSM_DOCUMENT,
    WAFV2_WEB_ACL_LOGGING_CONFIGURATION,
} from "../../../policies/lib/types";
import { prefetch, stackResources } from "../../helpers/stacks";

const TRAIL = { changes: { "magento:cloudTrailLogGroup": "aws-cloudtrail-logs-123456789012" } };
prefetch(["prod", { preview: false }], ["preprod", TRAIL], ["preprod"]);

const json = (r: StackResource, key: string) => JSON.parse(knownString(r.props, key)!);

describe("security telemetry: prod", () => {
    let resources: StackResource[];
    let model: AccessModel;
    const named = (type: string, name: string) => {
        const r = resources.find((x) => x.type === type && x.name === name);
        assert.ok(r, `no ${type} ${name}`);
        return r;
    };
    const arn = (type: string, name: string) => knownString(named(type, name).props, "arn")!;
    before(async function () {
        this.timeout(300_000);
        resources = stackView(await stackResources("prod", { preview: false }));
        model = accessModel(resources);
    });

    it("sessions stream to a year-long, KMS-encrypted log group, as ec2-user, closing after 20 idle minutes", () => {
        const document = named(SSM_DOCUMENT, "magento-prod-sessions-preferences");
        assert.strictEqual(knownString(document.props, "name"), "magento-prod-session");
        const group = named(CLOUDWATCH_LOG_GROUP, "magento-prod-sessions-logs");
        const key = arn(KMS_KEY, "magento-prod-telemetry-key");
        assert.deepStrictEqual(json(document, "content").inputs, {
            s3BucketName: "",
            s3EncryptionEnabled: true,
            cloudWatchLogGroupName: "/magento/prod/sessions",
            cloudWatchEncryptionEnabled: true,
            cloudWatchStreamingEnabled: true,
            kmsKeyId: key,
            runAsEnabled: true,
            runAsDefaultUser: "ec2-user",
            idleSessionTimeout: "20",
        });
        assert.deepStrictEqual([group.props.retentionInDays, group.props.kmsKeyId], [365, key]);
    });

    it("no server role carries AmazonSSMManagedInstanceCore; each may register with SSM and write its session logs, not read another stack's parameters", async () => {
        assert.deepStrictEqual(
            resources
                .filter((r) => r.type === IAM_ROLE_POLICY_ATTACHMENT)
                .map((a) => a.props.policyArn)
                .filter((p) => String(p).includes("SSM")),
            [],
        );
        const logGroup = arn(CLOUDWATCH_LOG_GROUP, "magento-prod-sessions-logs");
        for (const tier of ["web", "backoffice", "rundeck", "sideapps", "gateway", "vpn", "windows"]) {
            const role = arn(IAM_ROLE, `magento-prod-${tier}-role`);
            assert.strictEqual(
                await decide(model, { principal: role, action: "ssm:UpdateInstanceInformation", resource: "*" }),
                "Allowed",
                tier,
            );
            assert.strictEqual(
                await decide(model, {
                    principal: role,
                    action: "logs:PutLogEvents",
                    resource: `${logGroup}:log-stream:s-1`,
                }),
                "Allowed",
                tier,
            );
            assert.notStrictEqual(
                await decide(model, {
                    principal: role,
                    action: "ssm:GetParameter",
                    resource: `arn:aws:ssm:eu-west-3:${ACCOUNT_ID}:parameter/magento/preprod/db/host`,
                }),
                "Allowed",
                tier,
            );
            assert.notStrictEqual(
                await decide(model, {
                    principal: role,
                    action: "ssm:StartSession",
                    resource: `arn:aws:ec2:eu-west-3:${ACCOUNT_ID}:instance/i-0abc`,
                }),
                "Allowed",
                tier,
            );
        }
    });

    it("the operator role is assumed only with MFA, and opens sessions only on this stack's servers with its preferences", async () => {
        const operator = named(IAM_ROLE, "magento-prod-sessions-operator");
        assert.deepStrictEqual(json(operator, "assumeRolePolicy").Statement, [
            {
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
        ]);
        const role = knownString(operator.props, "arn")!;
        const instance = `arn:aws:ec2:eu-west-3:${ACCOUNT_ID}:instance/i-0abc`;
        const start = (resource: string, tag: string) =>
            decide(model, {
                principal: role,
                action: "ssm:StartSession",
                resource,
                context: { "ssm:resourceTag/Stack": tag, "ssm:SessionDocumentAccessCheck": "true" },
            });
        assert.strictEqual(await start(instance, "prod"), "Allowed");
        assert.strictEqual(await start(instance, "preprod"), "ImplicitlyDenied");
        assert.strictEqual(await start(arn(SSM_DOCUMENT, "magento-prod-sessions-preferences"), "prod"), "Allowed");
        // The region's default document (SSM-SessionManagerRunShell) would start a session the stack does not log.
        assert.strictEqual(
            await start(`arn:aws:ssm:eu-west-3:${ACCOUNT_ID}:document/SSM-SessionManagerRunShell`, "prod"),
            "ImplicitlyDenied",
        );
        for (const action of ["ssm:SendCommand", "ssm:GetParameter", "secretsmanager:GetSecretValue", "iam:PassRole"]) {
            assert.strictEqual(
                await decide(model, { principal: role, action, resource: "*" }),
                "ImplicitlyDenied",
                action,
            );
        }
    });

    it("only this account's flow logs may assume the flow-logs role (aws:SourceAccount)", () => {
        assert.deepStrictEqual(json(named(IAM_ROLE, "magento-prod-flow-logs"), "assumeRolePolicy").Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
            },
        ]);
    });

    it("the WAF logs every request to aws-waf-logs-*, without cookies, Authorization or the origin-verify secret", () => {
        const logging = named(WAFV2_WEB_ACL_LOGGING_CONFIGURATION, "magento-prod-waf-requests");
        assert.deepStrictEqual(
            logging.props.redactedFields,
            ["cookie", "authorization", "x-origin-verify"].map((name) => ({ singleHeader: { name } })),
        );
        assert.match(
            String(knownString(named(CLOUDWATCH_LOG_GROUP, "magento-prod-waf-requests").props, "name")),
            /^aws-waf-logs-/,
        );
        const policy = json(named(CLOUDWATCH_LOG_RESOURCE_POLICY, "magento-prod-waf-requests"), "policyDocument");
        assert.deepStrictEqual(policy.Statement[0].Condition.StringEquals, { "aws:SourceAccount": ACCOUNT_ID });
    });
});

describe("security alarms: preprod", () => {
    const FILTER = CLOUDWATCH_LOG_METRIC_FILTER;
    const ALARM = CLOUDWATCH_METRIC_ALARM;

    it("with the account's CloudTrail group named: root use, console sign-in without MFA and IAM policy changes alarm the operators", async function () {
        this.timeout(300_000);
        const r = await stackResources("preprod", TRAIL);
        const filters = r
            .filter((x) => x.type === FILTER)
            .map((f) => [
                f.inputs!.logGroupName,
                f.inputs!.pattern,
                (f.inputs!.metricTransformation as Record<string, string>).namespace,
            ]);
        assert.deepStrictEqual(
            filters,
            Object.values(CLOUDTRAIL_FILTERS).map((p) => [
                "aws-cloudtrail-logs-123456789012",
                p,
                "Magento/preprod/Security",
            ]),
        );
        const topic = r.find((x) => x.type === SNS_TOPIC)!;
        for (const key of Object.keys(CLOUDTRAIL_FILTERS)) {
            const alarm = r.find((x) => x.type === ALARM && x.urn.endsWith(`::magento-preprod-security-${key}`));
            assert.ok(alarm, key);
            assert.deepStrictEqual(
                [alarm.inputs!.metricName, alarm.inputs!.threshold, alarm.inputs!.treatMissingData],
                [key, 1, "notBreaching"],
            );
            assert.ok(
                alarm.propertyDependencies!.alarmActions.includes(topic.urn),
                `${key} notifies the operators' topic`,
            );
        }
    });

    it("without it: no filter on a group the stack cannot see", async function () {
        this.timeout(300_000);
        assert.deepStrictEqual(
            (await stackResources("preprod")).filter((x) => x.type === FILTER),
            [],
        );
    });
});
