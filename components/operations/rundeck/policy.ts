// What Rundeck's deployment jobs may do in AWS, and nothing wider: start an instance refresh of the web groups (the
// release's new image rolls out across AZs) and run shell commands on their instances through SSM, both limited by
// the groups' tags, plus the read-only calls that follow them. Describe/Get calls support no resource scoping in IAM.
// And, at boot, reading its own admin password, one secret. The deploy job starts this stack's release runner, and
// nothing else of Step Functions.
import { releaseRecordParameter, releaseRunnerArn, releaseRunnerName } from "../../../model/release";
import { viaService } from "../../security/kms-conditions";
import { deployJobParameter } from "./deploy-job-loader";

/** The groups a deployment may touch: tagged Tier=<one of tiers> and Stack=<stack>. */
export interface DeployScope {
    readonly region: string;
    readonly accountId: string;
    readonly stack: string;
    /** The stack's resource prefix (magento-<stack>), which names its release runner. */
    readonly prefix: string;
    /** Values of the Tier tag of the web groups and their instances, e.g. web, backoffice. */
    readonly tiers: readonly string[];
}

export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: string[];
    readonly Resource: string | string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: PolicyStatement[];
}

/** The document SendCommand runs: AWS's own shell-script document (AWS documents carry no account id). */
export const RUN_SHELL_DOCUMENT = "AWS-RunShellScript";

/** The stack's release runner, as the deploy job starts it. */
export const deployScopeRunnerArn = (scope: DeployScope) =>
    releaseRunnerArn(scope.region, scope.accountId, scope.prefix);

export function rundeckDeployPolicy(scope: DeployScope): PolicyDocument {
    const parameter = (name: string) => `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter${name}`;
    const tagged = (prefix: string) => ({
        StringEquals: { [`${prefix}/Tier`]: [...scope.tiers], [`${prefix}/Stack`]: scope.stack },
    });
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "RefreshWebGroups",
                Effect: "Allow",
                Action: ["autoscaling:StartInstanceRefresh"],
                Resource: `arn:aws:autoscaling:${scope.region}:${scope.accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
                Condition: tagged("aws:ResourceTag"),
            },
            {
                Sid: "RunCommandsOnWebInstances",
                Effect: "Allow",
                Action: ["ssm:SendCommand"],
                Resource: `arn:aws:ec2:${scope.region}:${scope.accountId}:instance/*`,
                Condition: tagged("ssm:resourceTag"),
            },
            {
                // SendCommand is authorised on the document too: only the shell-script one.
                Sid: "WithTheShellDocument",
                Effect: "Allow",
                Action: ["ssm:SendCommand"],
                Resource: `arn:aws:ssm:${scope.region}::document/${RUN_SHELL_DOCUMENT}`,
            },
            {
                Sid: "FollowDeployments",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeInstanceRefreshes",
                    "ssm:GetCommandInvocation",
                    "ssm:ListCommandInvocations",
                    "ssm:ListCommands",
                ],
                Resource: "*",
            },
            {
                // StartExecution is on the state machine, DescribeExecution on its executions
                // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html).
                Sid: "StartReleases",
                Effect: "Allow",
                Action: ["states:StartExecution"],
                Resource: deployScopeRunnerArn(scope),
            },
            {
                Sid: "FollowReleases",
                Effect: "Allow",
                Action: ["states:DescribeExecution"],
                Resource: `arn:aws:states:${scope.region}:${scope.accountId}:execution:${releaseRunnerName(scope.prefix)}:*`,
            },
            {
                // The deploy job's YAML, loaded at boot; the previous release, which a rollback sends (scripts/release).
                Sid: "ReadDeployJobAndRollbackTarget",
                Effect: "Allow",
                Action: ["ssm:GetParameter"],
                Resource: [
                    parameter(deployJobParameter(scope.stack)),
                    parameter(releaseRecordParameter(scope.stack, "previous")),
                ],
            },
        ],
    };
}

/** Reading the admin password at boot: that one secret, decrypted with the stack's key only through Secrets Manager. */
export function rundeckAdminSecretPolicy<T>(secretArn: T, kmsKeyArn: T, region: string) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadAdminPassword",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue"],
                Resource: secretArn,
            },
            {
                Sid: "DecryptItThroughSecretsManager",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: kmsKeyArn,
                Condition: viaService("secretsmanager", region),
            },
        ],
    };
}
