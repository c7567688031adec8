// An alarm per imported certificate at 30 days to expiry: ACM renews the certificates it issues, never the ones
// imported into it (https://docs.aws.amazon.com/config/latest/developerguide/acm-certificate-expiration-check.html).
// ACM publishes DaysToExpiry (AWS/CertificateManager, dimension CertificateArn) once a day in the certificate's own
// region, and stops once it has expired (AWS's CDK reads it so: Minimum over 1 day, missing data breaching:
// https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_certificatemanager.ICertificate.html). An alarm watches
// metrics of its own region and notifies topics of its own region, so a certificate elsewhere (CloudFront's, in
// us-east-1) gets a topic there: encrypted with a key of that region whose policy lets that region's alarms publish,
// the operators' list subscribed (a second confirmation mail).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TelemetryKey } from "../security/telemetry-key";
import type { AlarmTarget } from "../network/site-links";
import type { AlarmSpec } from "./alarms";
import { metricAlarmArgs } from "./monitoring";
import { AlarmTopic } from "./topic";

/** Days before expiry the alarm fires: time to buy, import and roll out a new certificate. */
export const CERTIFICATE_EXPIRY_DAYS = 30;

export interface ImportedCertificate {
    /** Names its alarm: `<name>-<label>-expiry`. */
    readonly label: string;
    readonly arn: string;
}

export interface CertificateExpiryArgs {
    readonly certificates: readonly ImportedCertificate[];
    /** The stack's region, and the topic its alarms notify. */
    readonly region: string;
    readonly topicArn: pulumi.Input<string>;
    /** For a topic in another region: the operators' list, the account, and the server roles its key's policy keeps
     *  from administering it (as every key of the stack does). */
    readonly email: string;
    readonly accountId: pulumi.Input<string>;
    readonly serverRoleArns: pulumi.Input<string>[];
    readonly tags: Readonly<Record<string, string>>;
}

/** The region of an ACM certificate's ARN (arn:aws:acm:<region>:<account>:certificate/<id>). */
export function certificateRegion(arn: string): string {
    const region = /^arn:aws[\w-]*:acm:([a-z0-9-]+):/.exec(arn)?.[1];
    if (!region) {
        throw new Error(`${arn} is not an ACM certificate ARN`);
    }
    return region;
}

export function expirySpec(label: string, arn: string): AlarmSpec {
    return {
        key: `${label}-expiry`,
        description: `Imported certificate ${arn} expires in ${CERTIFICATE_EXPIRY_DAYS} days or less, and ACM does not renew it: import its successor and point the stack at it.`,
        watched: {
            kind: "metric",
            metric: {
                namespace: "AWS/CertificateManager",
                metricName: "DaysToExpiry",
                dimensions: { CertificateArn: arn },
            },
            stat: "Minimum",
        },
        period: 86400,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparison: "LessThanOrEqualToThreshold",
        threshold: CERTIFICATE_EXPIRY_DAYS,
        // No datapoint: expired (ACM stops publishing), or an ARN that names no certificate.
        treatMissingData: "breaching",
    };
}

export class CertificateExpiry extends pulumi.ComponentResource {
    /** Every alarm created here (name and ARN). */
    public readonly alarms: AlarmTarget[];

    constructor(name: string, args: CertificateExpiryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:monitoring:CertificateExpiry", name, {}, opts);
        // The stack's region notifies the stack's topic; any other gets its provider, key and topic, once.
        const regions = new Map<string, { topicArn: pulumi.Input<string>; provider?: aws.Provider }>([
            [args.region, { topicArn: args.topicArn }],
        ]);
        const inRegion = (region: string) => {
            if (!regions.has(region)) {
                const provider = new aws.Provider(`${name}-${region}`, { region }, { parent: this });
                const there = { parent: this, providers: [provider] };
                const key = new TelemetryKey(
                    `${name}-${region}`,
                    {
                        alias: `${name}-${region}`,
                        accountId: args.accountId,
                        region,
                        serverRoleArns: args.serverRoleArns,
                        tags: args.tags,
                    },
                    there,
                );
                const topic = new AlarmTopic(
                    `${name}-${region}-alarms`,
                    { email: args.email, accountId: args.accountId, region, kmsKeyArn: key.keyArn, tags: args.tags },
                    there,
                );
                regions.set(region, { topicArn: topic.topicArn, provider });
            }
            return regions.get(region)!;
        };
        this.alarms = args.certificates.map(({ label, arn }) => {
            const { topicArn, provider } = inRegion(certificateRegion(arn));
            const spec = expirySpec(label, arn);
            const alarmName = `${name}-${spec.key}`;
            const alarm = new aws.cloudwatch.MetricAlarm(
                alarmName,
                { name: alarmName, ...metricAlarmArgs(spec, topicArn), tags: { ...args.tags, Name: alarmName } },
                { parent: this, provider },
            );
            return { name: alarm.name, arn: alarm.arn };
        });
        this.registerOutputs({ alarms: this.alarms });
    }
}
