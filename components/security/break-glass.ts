// The one identity that reads the data services' master credentials outside the release's setup step: a role that an
// operator of this account assumes with MFA, for an hour at most, when the setup job cannot do what is needed
// (docs/data-access.md). Nothing assumes it automatically; CloudTrail records each AssumeRole.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { viaService } from "./kms-conditions";

export interface BreakGlassRoleArgs {
    readonly accountId: pulumi.Input<string>;
    /** The master credentials it may read. */
    readonly secretArns: pulumi.Input<string>[];
    /** The keys those secrets are encrypted with: decrypted through Secrets Manager only. */
    readonly kmsKeyArns: pulumi.Input<string>[];
    readonly region: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** Seconds an MFA sign-in stays good for assuming the role, and the longest session. */
const ONE_HOUR = 3600;

/** Any principal of the account that IAM lets assume it, signed in with MFA within the hour
 *  (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html). */
export function breakGlassTrustPolicy(accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "OperatorsWithMfa",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: "sts:AssumeRole",
                Condition: {
                    Bool: { "aws:MultiFactorAuthPresent": "true" },
                    NumericLessThan: { "aws:MultiFactorAuthAge": String(ONE_HOUR) },
                },
            },
        ],
    });
}

export class BreakGlassRole extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: BreakGlassRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:BreakGlassRole", name, {}, opts);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description:
                    "Break-glass: reads the data services' master credentials; assumed by an operator with MFA",
                assumeRolePolicy: pulumi.output(args.accountId).apply(breakGlassTrustPolicy),
                maxSessionDuration: ONE_HOUR,
                tags: { ...args.tags, Name: name },
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-master-secrets`,
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ReadMasterCredentials",
                            Effect: "Allow",
                            Action: "secretsmanager:GetSecretValue",
                            Resource: args.secretArns,
                        },
                        {
                            Sid: "DecryptThemThroughSecretsManager",
                            Effect: "Allow",
                            Action: "kms:Decrypt",
                            Resource: args.kmsKeyArns,
                            Condition: viaService("secretsmanager", args.region),
                        },
                    ],
                }),
            },
            { parent: this },
        );
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
