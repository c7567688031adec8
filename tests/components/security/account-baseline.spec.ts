// The preview's check of the account-level security services, against the offline engine's two accounts: one running
// GuardDuty and Security Hub (the one previews use), and a fresh one where both reads fail as the provider's do.
import * as assert from "assert";
import { AccountLookups, accountBaselineWarnings } from "../../../components/security/account-baseline";
import { SECURITY_SERVICES } from "../../../offline/invokes";
import { stackResources } from "../../helpers/stacks";

/** The lookups answered from one of the offline accounts, as the mock runtime answers the program's invokes. */
function offlineAccount(kind: keyof typeof SECURITY_SERVICES): AccountLookups {
    const answer = async (token: string) => SECURITY_SERVICES[kind][token]({}, "eu-west-3");
    return {
        guardDutyStatus: async () => String((await answer("aws:guardduty/getDetector:getDetector")).status),
        securityHubStandards: async () =>
            (await answer("aws:securityhub/getEnabledStandards:getEnabledStandards")).standardsSubscriptions as never,
    };
}

describe("account baseline", () => {
    it("an account running GuardDuty and Security Hub: no warning", async () => {
        assert.deepStrictEqual(
            await accountBaselineWarnings("eu-west-3", offlineAccount("enabled"), "aws-cloudtrail-logs"),
            [],
        );
    });

    it("a fresh account: one warning per service, saying what to enable, and the preview goes on", async () => {
        assert.deepStrictEqual(
            await accountBaselineWarnings("eu-west-3", offlineAccount("disabled"), "aws-cloudtrail-logs"),
            [
                "GuardDuty is not enabled in eu-west-3 (reading this account's single GuardDuty Detector: empty result): create the account's detector (docs/telemetry.md)",
                "Security Hub is not enabled in eu-west-3 (reading Security Hub Standards Subscriptions: InvalidAccessException: Account 123456789012 is not subscribed to AWS Security Hub): " +
                    "enable it with the AWS Foundational Security Best Practices standard (docs/telemetry.md)",
            ],
        );
    });

    it("a suspended detector, or Security Hub without a ready standard, warns too", async () => {
        const lookups: AccountLookups = {
            guardDutyStatus: async () => "DISABLED",
            securityHubStandards: async () => [{ standardsArn: "arn", standardsStatus: "FAILED" }],
        };
        assert.deepStrictEqual(await accountBaselineWarnings("eu-west-3", lookups, "aws-cloudtrail-logs"), [
            "GuardDuty's detector in eu-west-3 is DISABLED: enable it (docs/telemetry.md)",
            "Security Hub in eu-west-3 has no standard enabled: enable AWS Foundational Security Best Practices (docs/telemetry.md)",
        ]);
    });

    it("a stack naming no CloudTrail log group is warned that nothing alarms on root use, IAM changes or sign-ins without MFA", async () => {
        assert.deepStrictEqual(await accountBaselineWarnings("eu-west-3", offlineAccount("enabled")), [
            "magento:cloudTrailLogGroup is not set: no alarm on root use, IAM policy changes or console sign-ins without MFA; name the log group the account's CloudTrail delivers to (docs/telemetry.md)",
        ]);
    });

    it("the program reads them through the provider's invokes (the offline account's answers reach the stack output)", async function () {
        this.timeout(300_000);
        const stack = (await stackResources("prod")).find((r) => r.type === "pulumi:pulumi:Stack");
        assert.deepStrictEqual(stack?.outputs?.accountSecurityWarnings, []);
    });
});
