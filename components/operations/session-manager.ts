// How operators get a shell on the servers (there is no SSH key): SSM Session Manager, every session logged and
// encrypted. The stack's preferences are a Session document of its own, not the region's SSM-SessionManagerRunShell:
// that one holds the account's and region's defaults (the console creates it the first time anyone opens
// the preferences), so two stacks in one account would overwrite each other's log group in it, and a stack destroyed
// would delete the account's defaults. The operator role may start sessions only with this document
// (ssm:SessionDocumentAccessCheck), only on this stack's servers (tag Stack), and only after MFA. docs/telemetry.md.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-default-session-document.html
// https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html
// https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-quickstart.html
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_CLASS_TAG } from "../../policies/lib/contracts";
import { SECURITY_LOG_RETENTION_DAYS } from "../monitoring/log-retention";
import { operatorTrustPolicy } from "../security/trust-policy";

export interface SessionManagerArgs {
    readonly stack: string;
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** KMS key of the session log group and of the sessions' own data channel (the telemetry key). */
    readonly keyArn: pulumi.Input<string>;
    /** The instance role of every server tier, by tier: each may write session logs and decrypt session data. */
    readonly tierRoleNames: Readonly<Record<string, pulumi.Input<string>>>;
    /** Minutes of inactivity after which Session Manager ends a session (1 to 60). */
    readonly idleTimeoutMinutes: number;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The session preferences: logs streamed to an encrypted log group (the agent refuses to start a session it cannot
 * log there), session data encrypted with the key, Linux sessions as ec2-user (Amazon Linux's default user, not the
 * agent's ssm-user, which Session Manager creates with sudo), an idle timeout. Windows ignores run-as.
 */
export function sessionPreferences(logGroupName: string, keyArn: string, idleTimeoutMinutes: number): object {
    return {
        schemaVersion: "1.0",
        description: "Session Manager preferences of this stack: logged and encrypted sessions",
        sessionType: "Standard_Stream",
        inputs: {
            s3BucketName: "",
            s3EncryptionEnabled: true,
            cloudWatchLogGroupName: logGroupName,
            cloudWatchEncryptionEnabled: true,
            cloudWatchStreamingEnabled: true,
            kmsKeyId: keyArn,
            runAsEnabled: true,
            runAsDefaultUser: "ec2-user",
            idleSessionTimeout: String(idleTimeoutMinutes),
        },
    };
}

export class SessionManager extends pulumi.ComponentResource {
    /** The document to start sessions with: aws ssm start-session --target i-... --document-name <this>. */
    public readonly documentName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    /** The role operators assume (with MFA) to open sessions on this stack's servers. */
    public readonly operatorRoleArn: pulumi.Output<string>;

    constructor(name: string, args: SessionManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:SessionManager", name, {}, opts);
        const child = { parent: this };
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/magento/${args.stack}/sessions`,
                retentionInDays: SECURITY_LOG_RETENTION_DAYS,
                kmsKeyId: args.keyArn,
                tags: { ...args.tags, Name: `${name}-logs`, [LOG_CLASS_TAG]: "security" },
            },
            child,
        );
        const document = new aws.ssm.Document(
            `${name}-preferences`,
            {
                name: `magento-${args.stack}-session`,
                documentType: "Session",
                documentFormat: "JSON",
                content: pulumi
                    .all([logs.name, args.keyArn])
                    .apply(([group, key]) => JSON.stringify(sessionPreferences(group, key, args.idleTimeoutMinutes))),
                tags: { ...args.tags, Name: `${name}-preferences` },
            },
            child,
        );

        // What a server's agent needs to log a session and open its encrypted data channel (the instance profile
        // page's CloudWatch Logs and KMS statements: getting-started-create-iam-instance-profile.html).
        for (const [tier, roleName] of Object.entries(args.tierRoleNames)) {
            new aws.iam.RolePolicy(
                `${name}-${tier}`,
                {
                    role: roleName,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "WriteSessionLogs",
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                                Resource: [logs.arn, pulumi.interpolate`${logs.arn}:*`],
                            },
                            {
                                Sid: "CheckLogGroupEncryption",
                                Effect: "Allow",
                                Action: "logs:DescribeLogGroups",
                                Resource: "*",
                            },
                            { Sid: "SessionData", Effect: "Allow", Action: "kms:Decrypt", Resource: args.keyArn },
                        ],
                    }),
                },
                child,
            );
        }

        const operator = operatorRole(
            `${name}-operator`,
            `Operators' Session Manager sessions on ${args.stack}'s servers (MFA required)`,
            args,
            operatorPolicy(args, document.arn),
            child,
        );

        this.documentName = document.name;
        this.logGroupName = logs.name;
        this.operatorRoleArn = operator.arn;
        this.registerOutputs({
            documentName: this.documentName,
            logGroupName: this.logGroupName,
            operatorRoleArn: this.operatorRoleArn,
        });
    }
}

/** A role operators of the account assume with MFA, for an hour at most, with one inline policy: `name`'s. */
export function operatorRole(
    name: string,
    description: string,
    args: { readonly accountId: pulumi.Input<string>; readonly tags: Readonly<Record<string, string>> },
    policy: object,
    opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
    const role = new aws.iam.Role(
        name,
        {
            description,
            assumeRolePolicy: pulumi.jsonStringify(operatorTrustPolicy(args.accountId)),
            maxSessionDuration: 3600,
            tags: { ...args.tags, Name: name },
        },
        opts,
    );
    new aws.iam.RolePolicy(name, { role: role.name, policy: pulumi.jsonStringify(policy) }, opts);
    return role;
}

/** What any operator role of the stack needs around its sessions: end and resume its own, find the servers. */
export function ownSessions(region: string, accountId: pulumi.Input<string>): object[] {
    return [
        {
            Sid: "OwnSessionsOnly",
            Effect: "Allow",
            Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
            Resource: pulumi.interpolate`arn:aws:ssm:${region}:${accountId}:session/\${aws:userid}-*`,
        },
        {
            Sid: "FindServers",
            Effect: "Allow",
            Action: [
                "ssm:DescribeSessions",
                "ssm:GetConnectionStatus",
                "ssm:DescribeInstanceInformation",
                "ec2:DescribeInstances",
            ],
            Resource: "*",
        },
    ];
}

/** Sessions with the stack's document on the stack's servers; the operator's own sessions only; nothing else. */
function operatorPolicy(args: SessionManagerArgs, documentArn: pulumi.Output<string>) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "SessionsOnThisStacksServers",
                Effect: "Allow",
                Action: "ssm:StartSession",
                Resource: pulumi.interpolate`arn:aws:ec2:${args.region}:${args.accountId}:instance/*`,
                Condition: {
                    StringEquals: { "ssm:resourceTag/Stack": args.stack },
                    BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" },
                },
            },
            { Sid: "WithThisStacksPreferences", Effect: "Allow", Action: "ssm:StartSession", Resource: documentArn },
            ...ownSessions(args.region, args.accountId),
            { Sid: "EncryptSessionData", Effect: "Allow", Action: "kms:GenerateDataKey", Resource: args.keyArn },
        ],
    };
}
