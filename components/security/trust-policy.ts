// The trust policies of roles: one an AWS service assumes (EC2 for instance profiles, RDS enhanced monitoring, VPC flow
// logs): one statement, the service principal, sts:AssumeRole; and one operators of the account assume with MFA.
import * as pulumi from "@pulumi/pulumi";

/**
 * The same for a service that acts for an account on request (VPC flow logs, log delivery): only on behalf of
 * `accountId`, so another account cannot make the service use this role (the confused deputy).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function accountServiceTrustPolicy(service: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}

export function serviceTrustPolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

/** Principals of the account whose IAM policies allow sts:AssumeRole on the role, signed in with MFA. */
export function operatorTrustPolicy(accountId: pulumi.Input<string>) {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
        ],
    };
}
