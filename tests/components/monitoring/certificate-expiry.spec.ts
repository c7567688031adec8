// Imported certificates never renew themselves: each one the load balancer or CloudFront serves has an alarm at 30
// days to expiry, in the certificate's own region (ACM publishes DaysToExpiry there), notifying a topic of that region
// which CloudWatch may publish to: for CloudFront's certificate, a topic in us-east-1 under a key of us-east-1.
import * as assert from "assert";
import { CERTIFICATE_EXPIRY_DAYS } from "../../../components/monitoring/certificate-expiry";
import { StateResource } from "../../../offline/state";
import {
    ACM_CERTIFICATE,
    CLOUDFRONT_DISTRIBUTION,
    CLOUDWATCH_METRIC_ALARM,
    KMS_KEY,
    LB_LISTENER,
    LB_LISTENER_CERTIFICATE,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
    SNS_TOPIC_SUBSCRIPTION,
} from "../../../policies/lib/types";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";

const UPDATE = { preview: false };
const STACK_REGION = "eu-west-3";

/** The region a resource is managed in: its provider's, the stack's for the default provider. */
const regionOf = (r: readonly StateResource[], x: StateResource): string =>
    (r.find((p) => x.provider?.startsWith(`${p.urn}::`))?.inputs?.region as string | undefined) ?? STACK_REGION;

/** Every certificate ARN the load balancer and the distributions serve that no ACM certificate of the stack issued. */
function importedCertificates(r: readonly StateResource[]): string[] {
    const served = [
        ...[...ofType(r, LB_LISTENER), ...ofType(r, LB_LISTENER_CERTIFICATE)].map((l) => l.inputs!.certificateArn),
        ...ofType(r, CLOUDFRONT_DISTRIBUTION).map(
            (d) => (d.inputs!.viewerCertificate as { acmCertificateArn?: string }).acmCertificateArn,
        ),
    ].filter((arn): arn is string => typeof arn === "string");
    const issued = ofType(r, ACM_CERTIFICATE).map((c) => c.outputs!.arn);
    return [...new Set(served.filter((arn) => !issued.includes(arn)))].sort();
}

const expiryAlarms = (r: readonly StateResource[]) =>
    ofType(r, CLOUDWATCH_METRIC_ALARM).filter((a) => a.inputs!.metricName === "DaysToExpiry");

describe("certificate expiry", () => {
    prefetch(["prod", UPDATE], ["preprod", UPDATE]);

    it("prod: every imported certificate has an alarm at 30 days in its own region, notifying a topic of that region", async () => {
        const r = await stackResources("prod", UPDATE);
        const imported = importedCertificates(r);
        assert.deepStrictEqual(
            imported.map((arn) => arn.split(":")[3]),
            ["eu-west-3", "us-east-1"],
            "the shop's certificate and CloudFront's",
        );
        const alarms = expiryAlarms(r);
        assert.deepStrictEqual(
            alarms.map((a) => (a.inputs!.dimensions as { CertificateArn: string }).CertificateArn).sort(),
            imported,
        );
        for (const alarm of alarms) {
            const arn = (alarm.inputs!.dimensions as { CertificateArn: string }).CertificateArn;
            assert.deepStrictEqual(
                [
                    alarm.inputs!.namespace,
                    alarm.inputs!.statistic,
                    alarm.inputs!.period,
                    alarm.inputs!.comparisonOperator,
                    alarm.inputs!.threshold,
                    alarm.inputs!.treatMissingData,
                ],
                [
                    "AWS/CertificateManager",
                    "Minimum",
                    86400,
                    "LessThanOrEqualToThreshold",
                    CERTIFICATE_EXPIRY_DAYS,
                    "breaching",
                ],
            );
            assert.strictEqual(regionOf(r, alarm), arn.split(":")[3], alarm.urn);
            const [topic] = via(r, alarm, "alarmActions").filter((t) => t.type === SNS_TOPIC);
            assert.ok(topic, `${alarm.urn} notifies no topic of the stack`);
            assert.strictEqual(regionOf(r, topic), regionOf(r, alarm), `${alarm.urn} notifies ${topic.urn}`);
            assert.deepStrictEqual(via(r, alarm, "okActions"), via(r, alarm, "alarmActions"));
        }
    });

    it("prod: the us-east-1 topic is encrypted with a us-east-1 key both letting that region's alarms of this account publish, and mails the operators", async () => {
        const r = await stackResources("prod", UPDATE);
        const topic = ofType(r, SNS_TOPIC).find((t) => regionOf(r, t) === "us-east-1")!;
        assert.ok(topic, "no topic in us-east-1");
        const [key] = via(r, topic, "kmsMasterKeyId");
        assert.strictEqual(key.type, KMS_KEY);
        assert.strictEqual(regionOf(r, key), "us-east-1");
        const cloudwatch = (policy: string) =>
            (
                JSON.parse(policy) as { Statement: { Principal?: { Service?: string }; Condition?: unknown }[] }
            ).Statement.find((s) => s.Principal?.Service === "cloudwatch.amazonaws.com")?.Condition;
        const condition = {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" },
        };
        assert.deepStrictEqual(cloudwatch(key.inputs!.policy as string), condition);
        const policy = ofType(r, SNS_TOPIC_POLICY).find((p) => via(r, p, "arn").includes(topic))!;
        assert.strictEqual(regionOf(r, policy), "us-east-1");
        assert.deepStrictEqual(cloudwatch(policy.inputs!.policy as string), condition);
        const subscription = ofType(r, SNS_TOPIC_SUBSCRIPTION).find((s) => via(r, s, "topic").includes(topic))!;
        assert.deepStrictEqual(
            [subscription.inputs!.protocol, subscription.inputs!.endpoint, regionOf(r, subscription)],
            ["email", "ops@example.com", "us-east-1"],
        );
    });

    it("preprod: ACM issues its certificates (DNS-validated, renewed by ACM): no expiry alarm, no topic outside its region", async () => {
        const r = await stackResources("preprod", UPDATE);
        assert.deepStrictEqual(importedCertificates(r), []);
        assert.deepStrictEqual(expiryAlarms(r), []);
        assert.deepStrictEqual(
            ofType(r, SNS_TOPIC).filter((t) => regionOf(r, t) !== STACK_REGION),
            [],
        );
    });
});
