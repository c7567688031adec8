// What the stack itself says must be allowed, derived from its resources rather than listed by hand:
// - a launch template whose volumes use a customer-managed key: Auto Scaling's service-linked role uses that key
//   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html);
// - a log group encrypted with a key: CloudWatch Logs uses it
//   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html);
// - a launch template whose boot reads `get-parameters-by-path --path P`: its role reads the path P itself (the
//   resource GetParametersByPath is authorised against), every parameter under it, and the secrets and keys those
//   parameters name (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-retrieval-authorization.html);
// - a launch template that mounts an EFS access point: its client (the role with the `iam` mount option, anonymous
//   without) may mount and write through a mount target over TLS
//   (https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html);
// - a server whose CloudWatch agent publishes metrics: its role may publish into that namespace (agent-metrics.ts).
// A requirement whose values a preview does not know yet is left out: the update decides it.
import { dependsOn, ofType, StackResource } from "../stack";
import {
    AUTOSCALING_GROUP,
    CLOUDWATCH_LOG_GROUP,
    EC2_LAUNCH_TEMPLATE,
    IAM_INSTANCE_PROFILE,
    RDS_INSTANCE,
    SECRETSMANAGER_SECRET,
    SSM_PARAMETER,
} from "../types";
import { mountLines, userDataOf } from "../user-data";
import { indices, known, knownString } from "../values";
import { agentMetricsRequired } from "./agent-metrics";
import { AccessModel, arnField, T } from "./model";
import { AccessRequest } from "./simulate";

export interface Requirement {
    /** Why the stack needs it, in an operator's words. */
    readonly why: string;
    /** The resource the requirement comes from (reported with a violation). */
    readonly urn: string;
    readonly request: AccessRequest;
}

/** The actions EBS needs of a key for Auto Scaling's launches (the user guide's two key policy statements). */
const EBS_KEY_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];
const LOGS_KEY_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:DescribeKey"];

/** Auto Scaling's default service-linked role in `account` (a group may name another with serviceLinkedRoleArn). */
export const autoScalingRoleArn = (account: string) =>
    `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

function autoScalingKeyUse(resources: readonly StackResource[]): Requirement[] {
    return ofType(resources, AUTOSCALING_GROUP).flatMap((group) =>
        dependsOn(group, "launchTemplate", EC2_LAUNCH_TEMPLATE).flatMap((template) => {
            const mappings = known(template.props, "blockDeviceMappings");
            const keys = indices(mappings)
                .map((i) => knownString(mappings, i, "ebs", "kmsKeyId"))
                .filter((k): k is string => k?.startsWith("arn:") === true);
            return [...new Set(keys)].flatMap((key) => {
                const account = arnField(key, 4);
                const role =
                    knownString(group.props, "serviceLinkedRoleArn") ?? (account && autoScalingRoleArn(account));
                if (!role) {
                    return [];
                }
                const why = `Auto Scaling launches ${group.name} with volumes encrypted by ${key}`;
                return [
                    ...EBS_KEY_ACTIONS.map((action) => ({
                        why,
                        urn: group.urn,
                        request: { principal: role, action, resource: key },
                    })),
                    {
                        why,
                        urn: group.urn,
                        request: {
                            principal: role,
                            action: "kms:CreateGrant",
                            resource: key,
                            context: { "kms:GrantIsForAWSResource": "true" },
                        },
                    },
                ];
            });
        }),
    );
}

function logsKeyUse(resources: readonly StackResource[]): Requirement[] {
    return ofType(resources, CLOUDWATCH_LOG_GROUP).flatMap((group) => {
        const key = knownString(group.props, "kmsKeyId");
        const arn = knownString(group.props, "arn");
        const region = key && arnField(key, 3);
        if (!key?.startsWith("arn:") || !arn || !region) {
            return [];
        }
        const context = { "kms:EncryptionContext:aws:logs:arn": arn.replace(/:\*$/, "") };
        return LOGS_KEY_ACTIONS.map((action) => ({
            why: `CloudWatch Logs encrypts ${group.name} with ${key}`,
            urn: group.urn,
            request: { principal: `logs.${region}.amazonaws.com`, action, resource: key, context },
        }));
    });
}

/** The role ARN of a launch template's instance profile, when known. */
export function templateRole(resources: readonly StackResource[], template: StackResource): string | undefined {
    const profileName = knownString(template.props, "iamInstanceProfile", "name");
    const profile = ofType(resources, IAM_INSTANCE_PROFILE).find((p) => knownString(p.props, "name") === profileName);
    const roleName = profile && knownString(profile.props, "role");
    const role = ofType(resources, T.role).find((r) => knownString(r.props, "name") === roleName);
    return role && knownString(role.props, "arn");
}

/** The key that encrypts a secret the stack holds (its own secrets, and RDS-managed master secrets). */
function secretKey(resources: readonly StackResource[], secretArn: string): string | undefined {
    const own = ofType(resources, SECRETSMANAGER_SECRET).find((s) => knownString(s.props, "arn") === secretArn);
    if (own) {
        return knownString(own.props, "kmsKeyId");
    }
    const managed = ofType(resources, RDS_INSTANCE).find(
        (db) => knownString(db.props, "masterUserSecrets", 0, "secretArn") === secretArn,
    );
    return managed && knownString(managed.props, "masterUserSecrets", 0, "kmsKeyId");
}

/** The path a boot script passes to `get-parameters-by-path --path`, literally or through a shell variable it sets. */
export function parameterPath(userData: string): string | undefined {
    const argument = /get-parameters-by-path\b[^\n]*?--path[ =]+"?(\$\{?\w+\}?|\/[\w/-]*)/.exec(userData)?.[1];
    const variable = argument?.replace(/^\$\{?(\w+)\}?$/, "$1");
    return variable === argument
        ? argument
        : new RegExp(`^\\s*${variable}=["']?(\\/[\\w/-]*)`, "m").exec(userData)?.[1];
}

function bootReads(
    resources: readonly StackResource[],
    model: AccessModel,
    template: StackResource,
    role: string,
    userData: string,
): Requirement[] {
    const path = parameterPath(userData);
    if (!path || !model.account || !model.region) {
        return [];
    }
    const why = `${template.name} boots by reading ${path}`;
    const read = (action: string, resource: string, context?: Record<string, string>) => ({
        why,
        urn: template.urn,
        request: { principal: role, action, resource, context },
    });
    const parameters = ofType(resources, SSM_PARAMETER).filter((p) =>
        knownString(p.props, "name")?.startsWith(`${path}/`),
    );
    const secrets = parameters
        .map((p) => knownString(p.props, "insecureValue") ?? knownString(p.props, "value"))
        .filter((v): v is string => v?.startsWith("arn:aws:secretsmanager:") === true);
    return [
        read("ssm:GetParametersByPath", `arn:aws:ssm:${model.region}:${model.account}:parameter${path}`),
        ...parameters.flatMap((p) => {
            const arn = knownString(p.props, "arn");
            return arn ? [read("ssm:GetParameter", arn)] : [];
        }),
        ...secrets.flatMap((secret) => {
            const key = secretKey(resources, secret);
            const viaService = { "kms:ViaService": `secretsmanager.${model.region}.amazonaws.com` };
            return [
                read("secretsmanager:GetSecretValue", secret),
                ...(key?.startsWith("arn:") ? [read("kms:Decrypt", key, viaService)] : []),
            ];
        }),
    ];
}

function efsMounts(model: AccessModel, template: StackResource, role: string, userData: string): Requirement[] {
    return mountLines(userData).flatMap(({ text }) => {
        const mount = /(fs-[0-9a-f]+):\/\S*[\s,\]]+\S+[\s,]+efs[\s,]+["']?([^\s"'\]]+)/.exec(text);
        if (!mount || !model.region || !model.account) {
            return [];
        }
        const [, fileSystemId, optionText] = mount;
        const options = optionText.split(",");
        const accessPoint = options.find((o) => o.startsWith("accesspoint="))?.slice("accesspoint=".length);
        const prefix = `arn:aws:elasticfilesystem:${model.region}:${model.account}`;
        const context: Record<string, string> = {
            "aws:SecureTransport": options.includes("tls") ? "true" : "false",
            "elasticfilesystem:AccessedViaMountTarget": "true",
            ...(accessPoint ? { "elasticfilesystem:AccessPointArn": `${prefix}:access-point/${accessPoint}` } : {}),
        };
        const principal = options.includes("iam") ? role : "anonymous";
        return ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"].map((action) => ({
            why: `${template.name} mounts ${fileSystemId}${accessPoint ? ` through ${accessPoint}` : ""}`,
            urn: template.urn,
            request: { principal, action, resource: `${prefix}:file-system/${fileSystemId}`, context },
        }));
    });
}

/** Every access the stack's own resources say must be allowed, as far as the values are known. */
export function requiredAccess(resources: readonly StackResource[], model: AccessModel): Requirement[] {
    const servers = ofType(resources, EC2_LAUNCH_TEMPLATE).flatMap((template) => {
        const role = templateRole(resources, template);
        const userData = userDataOf(template.type, template.props);
        return role && userData
            ? [...bootReads(resources, model, template, role, userData), ...efsMounts(model, template, role, userData)]
            : [];
    });
    return [...autoScalingKeyUse(resources), ...logsKeyUse(resources), ...servers, ...agentMetricsRequired(resources)];
}
