// The identity of a tier of servers, created before the servers themselves so that data services can admit and
// grant it: a security group (egress only; ingress is added by whoever serves the tier) and an instance role
// reachable through SSM Session Manager instead of SSH keys, with the SSM agent's actions and nothing account-wide. Its egress is an allow-list (docs/network.md): the VPC
// endpoints, S3 through its endpoint, the ports `internetPorts` names, and the services that admit the tier (each
// admission adds the matching egress, components/network/clients.ts). DNS, NTP and the instance metadata are link-local
// services security groups do not filter.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_CLASS_TAG, TIER_TAG } from "../../policies/lib/contracts";
import { SECURITY_LOG_RETENTION_DAYS } from "../monitoring/log-retention";
import { Client } from "../network/clients";
import { ServiceEndpoints } from "../network/network";
import { serverLogGroupName, serverMetricsNamespace, ServerTelemetry } from "./cloudwatch-agent";
import { TierIdentity } from "./placement";
import { serviceTrustPolicy } from "../security/trust-policy";

export interface ServerTierArgs {
    /** The tier's short name (web, rundeck, vpn...), tagged Tier on its security group: the group is the tier's identity. */
    readonly tier: string;
    readonly vpcId: pulumi.Input<string>;
    /** What the tier's servers do, for the security group's description. */
    readonly purpose: string;
    /** ARN of the stack's parameter path: the only parameters the tier may read (see the scope policy below). */
    readonly parameterPathArn: pulumi.Input<string>;
    /** The VPC endpoints the tier reaches AWS's APIs and S3 through. */
    readonly endpoints: ServiceEndpoints;
    /** TCP ports the tier may open to the internet (through the NAT gateways or its Elastic IP); none by default. */
    readonly internetPorts?: readonly number[];
    /** Ranges the tier reaches with every protocol: the VPN server forwards its clients into the VPC. */
    readonly forwardTo?: readonly string[];
    /** Linux tiers: the log group and metric namespace their CloudWatch agent writes to; absent: none (Windows). */
    readonly telemetry?: {
        readonly stack: string;
        /** The log group's and the metric namespace's own part (/magento/<stack>/servers/<group>,
         *  Magento/<stack>/Servers/<group>): one per tier, unique in the stack (the tiers sharing a Tier tag, the side
         *  applications, each have their own). */
        readonly group: string;
        /** The telemetry key, whose policy lets CloudWatch Logs of this account and region use it. */
        readonly keyArn: pulumi.Input<string>;
        /** Its servers run in Auto Scaling groups (ServerTelemetry.scaled). */
        readonly scaled: boolean;
    };
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * What the SSM agent needs, instead of AmazonSSMManagedInstanceCore (whose Parameter Store, document and association
 * grants cover the whole account): registering the instance and the Session Manager channels
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html), and
 * the message service Run Command delivers through (Rundeck's AWS-RunShellScript; the ec2messages actions of
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html). None of these
 * takes a resource narrower than "*". Session logging's own grants come from SessionManager.
 */
export const SSM_AGENT_POLICY = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "SessionManagerChannels",
            Effect: "Allow",
            Action: [
                "ssm:UpdateInstanceInformation",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            Resource: "*",
        },
        {
            Sid: "RunCommandMessages",
            Effect: "Allow",
            Action: [
                "ec2messages:AcknowledgeMessage",
                "ec2messages:DeleteMessage",
                "ec2messages:FailMessage",
                "ec2messages:GetEndpoint",
                "ec2messages:GetMessages",
                "ec2messages:SendReply",
            ],
            Resource: "*",
        },
    ],
} as const;

/** Append only to these log groups (and their streams): create streams, put events, find a stream's sequence. */
export function appendLogsStatement<T>(sid: string, resources: T[]) {
    return {
        Sid: sid,
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: resources,
    };
}

export interface PolicyStatement {
    readonly Effect: "Allow";
    readonly Action: string | string[];
    readonly Resource: pulumi.Input<string> | pulumi.Input<string>[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export class ServerTier extends pulumi.ComponentResource implements TierIdentity {
    private readonly name: string;

    /** The tier's short name: the Tier tag of its servers. */
    public readonly tier: string;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;
    public readonly roleName: pulumi.Output<string>;
    public readonly instanceProfileName: pulumi.Output<string>;
    /** Where its servers' agent sends logs and metrics, when it has one. */
    public readonly telemetry: ServerTelemetry | undefined;
    /** Its log group and its role's own policies: its servers wait for them (a first boot's lines, its deny). */
    public readonly bootResources: pulumi.Resource[];

    constructor(name: string, args: ServerTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:compute:ServerTier", name, {}, opts);
        this.name = name;
        const child = { parent: this };
        const tags = { ...args.tags, Name: name };
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: args.purpose, tags: { ...tags, [TIER_TAG]: args.tier } },
            child,
        );
        this.egress(name, group, args, tags);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
                tags,
            },
            child,
        );
        const agentPolicy = new aws.iam.RolePolicy(
            `${name}-ssm-agent`,
            { role: role.name, policy: JSON.stringify(SSM_AGENT_POLICY) },
            child,
        );
        // An explicit deny keeps the tier to its own stack's path, whatever a later grant (or a managed policy someone
        // attaches: AmazonSSMManagedInstanceCore allows ssm:GetParameter(s) on every parameter of the account) adds.
        const scope = new aws.iam.RolePolicy(
            `${name}-parameter-scope`,
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "OnlyThisStacksParameters",
                            Effect: "Deny",
                            Action: [
                                "ssm:GetParameter",
                                "ssm:GetParameters",
                                "ssm:GetParametersByPath",
                                "ssm:GetParameterHistory",
                            ],
                            NotResource: [args.parameterPathArn, pulumi.interpolate`${args.parameterPathArn}/*`],
                        },
                    ],
                }),
            },
            child,
        );
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags }, child);
        const logs = args.telemetry && this.serverLogs(name, role, args.telemetry, tags);
        this.telemetry = logs?.telemetry;
        this.bootResources = [agentPolicy, scope, ...(logs?.resources ?? [])];

        this.tier = args.tier;
        this.securityGroupId = group.id;
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.instanceProfileName = profile.name;
        this.registerOutputs({ securityGroupId: this.securityGroupId, roleArn: this.roleArn });
    }

    /**
     * The tier's log group and what its agent may do: append to that group (no delete, no retention or key change; the
     * agent creates a group only when it is missing and sets retention only when told to, neither happens here:
     * docs/servers.md), publish metrics into the tier's own namespace only (cloudwatch:namespace,
     * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html), and on a
     * group's servers read instance tags, where the agent finds the AutoScalingGroupName dimension (its ec2tagger calls
     * DescribeTags, which takes no resource: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html).
     * Security logs (logins, sudo, access logs): a year, the telemetry key, LogClass=security (rule security-logs-kept).
     */
    private serverLogs(
        name: string,
        role: aws.iam.Role,
        telemetry: NonNullable<ServerTierArgs["telemetry"]>,
        tags: Record<string, string>,
    ): { telemetry: ServerTelemetry; resources: pulumi.Resource[] } {
        const child = { parent: this };
        const logGroupName = serverLogGroupName(telemetry.stack, telemetry.group);
        const namespace = serverMetricsNamespace(telemetry.stack, telemetry.group);
        const group = new aws.cloudwatch.LogGroup(
            `${name}-server-logs`,
            {
                name: logGroupName,
                retentionInDays: SECURITY_LOG_RETENTION_DAYS,
                kmsKeyId: telemetry.keyArn,
                tags: { ...tags, Name: `${name}-server-logs`, [LOG_CLASS_TAG]: "security" },
            },
            child,
        );
        const grant = new aws.iam.RolePolicy(
            `${name}-telemetry`,
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        appendLogsStatement("AppendOwnLogs", [group.arn, pulumi.interpolate`${group.arn}:*`]),
                        {
                            Sid: "OwnNamespaceMetrics",
                            Effect: "Allow",
                            Action: "cloudwatch:PutMetricData",
                            Resource: "*",
                            Condition: { StringEquals: { "cloudwatch:namespace": namespace } },
                        },
                        ...(telemetry.scaled
                            ? [{ Sid: "GroupNameTag", Effect: "Allow", Action: "ec2:DescribeTags", Resource: "*" }]
                            : []),
                    ],
                }),
            },
            child,
        );
        return { telemetry: { logGroupName, namespace, scaled: telemetry.scaled }, resources: [group, grant] };
    }

    private egress(
        name: string,
        group: aws.ec2.SecurityGroup,
        args: ServerTierArgs,
        tags: Record<string, string>,
    ): void {
        const child = { parent: this };
        const https = { ipProtocol: "tcp", fromPort: 443, toPort: 443 };
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-endpoints`,
            {
                securityGroupId: group.id,
                referencedSecurityGroupId: args.endpoints.securityGroupId,
                ...https,
                description: "AWS APIs through the VPC endpoints",
                tags,
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-into-endpoints`,
            {
                securityGroupId: args.endpoints.securityGroupId,
                referencedSecurityGroupId: group.id,
                ...https,
                description: `${args.tier} servers`,
                tags,
            },
            child,
        );
        // S3's prefix list: through the gateway endpoint from private subnets, to the same addresses from public ones.
        // https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-s3`,
            {
                securityGroupId: group.id,
                prefixListId: args.endpoints.s3PrefixListId,
                ...https,
                description: "S3: packages, agents and the stack buckets",
                tags,
            },
            child,
        );
        for (const port of args.internetPorts ?? []) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-internet-${port}`,
                {
                    securityGroupId: group.id,
                    cidrIpv4: "0.0.0.0/0",
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `TCP ${port} to the internet`,
                    tags,
                },
                child,
            );
        }
        (args.forwardTo ?? []).forEach(
            (cidr, i) =>
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-forward-${i}`,
                    {
                        securityGroupId: group.id,
                        cidrIpv4: cidr,
                        ipProtocol: "-1",
                        description: "forwarded clients",
                        tags,
                    },
                    child,
                ),
        );
    }

    /** Lets the tier's servers do exactly these things (an inline policy of the role, named for why; `aliases` keep a
     *  renamed grant's state). */
    grant(
        name: string,
        statements: pulumi.Input<pulumi.Input<PolicyStatement>[]>,
        aliases: pulumi.Input<pulumi.Alias>[] = [],
    ): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(
            `${this.name}-${name}`,
            {
                role: this.roleName,
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
            },
            { parent: this, aliases },
        );
    }

    /** The tier as a client of a data service. */
    asClient(name: string): Client {
        return { name, securityGroupId: this.securityGroupId, roleArn: this.roleArn };
    }
}
