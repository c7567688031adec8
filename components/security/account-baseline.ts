// What the estate relies on but does not own: CloudTrail, GuardDuty, Security Hub, AWS Config and Inspector are
// account-level (one per account and region, shared by every stack), so the stack reads whether they are on and
// warns, never creates or fails. The provider can read GuardDuty's detector and Security Hub's enabled standards;
// CloudTrail, Config and Inspector have no such data source in @pulumi/aws 7.48, so they stay on the checklist of
// docs/telemetry.md. A read that fails (no detector: "reading this account's single GuardDuty Detector"; Security Hub
// not enabled: the API refuses) counts as off.
// https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/guardduty/detector_data_source.go
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** How the stack reads the two services; replaced in tests. */
export interface AccountLookups {
    guardDutyStatus(): Promise<string>;
    securityHubStandards(): Promise<readonly { standardsArn: string; standardsStatus: string }[]>;
}

export const providerLookups = (parent?: pulumi.Resource): AccountLookups => ({
    guardDutyStatus: () => aws.guardduty.getDetector({}, { parent }).then((d) => d.status),
    securityHubStandards: () =>
        aws.securityhub.getEnabledStandards({}, { parent }).then((s) => s.standardsSubscriptions),
});

/**
 * One warning per account-level service found off (or unreadable), naming what to do, and one when the stack names no
 * CloudTrail log group (then nothing alarms on root use, IAM changes or sign-ins without MFA); none when all are on.
 */
export async function accountBaselineWarnings(
    region: string,
    lookups: AccountLookups,
    cloudTrailLogGroup?: string,
): Promise<string[]> {
    const off = (what: string, how: string) => (e: unknown) => [
        `${what} is not enabled in ${region} (${e instanceof Error ? e.message.split("\n")[0] : String(e)}): ${how} (docs/telemetry.md)`,
    ];
    const guardDuty = lookups
        .guardDutyStatus()
        .then(
            (status) =>
                status === "ENABLED"
                    ? []
                    : [`GuardDuty's detector in ${region} is ${status}: enable it (docs/telemetry.md)`],
            off("GuardDuty", "create the account's detector"),
        );
    const securityHub = lookups
        .securityHubStandards()
        .then(
            (standards) =>
                standards.some((s) => s.standardsStatus === "READY")
                    ? []
                    : [
                          `Security Hub in ${region} has no standard enabled: enable AWS Foundational Security Best Practices (docs/telemetry.md)`,
                      ],
            off("Security Hub", "enable it with the AWS Foundational Security Best Practices standard"),
        );
    const trail =
        cloudTrailLogGroup !== undefined
            ? []
            : [
                  `magento:cloudTrailLogGroup is not set: no alarm on root use, IAM policy changes or console sign-ins without MFA; ` +
                      `name the log group the account's CloudTrail delivers to (docs/telemetry.md)`,
              ];
    return [...(await Promise.all([guardDuty, securityHub])).flat(), ...trail];
}
