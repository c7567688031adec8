// The VPC of one environment, built from aws.ec2 resources so that every subnet, route table and NAT gateway is a
// resource of its own that policy packs can see (awsx.ec2.Vpc creates them inside its plugin) and whose layout
// cannot be re-planned by a library upgrade.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPlan } from "../../model/network-plan";
import { accountServiceTrustPolicy } from "../security/trust-policy";

export interface NetworkArgs extends NetworkPlan {
    /** KMS key of the flow logs' group (its policy lets CloudWatch Logs of the region use it). */
    readonly flowLogKeyArn: pulumi.Input<string>;
    /** The account whose flow logs alone may assume the flow-logs role. */
    readonly accountId: pulumi.Input<string>;
    /** Region, for the endpoints' service names. */
    readonly region: string;
    /** Tags for every resource. */
    readonly tags: Readonly<Record<string, string>>;
    /** An interface endpoint for EC2 Image Builder too: the stack builds release images in a private subnet, whose
     *  instance fetches its component documents from Image Builder's API
     *  (https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html). */
    readonly imageBuilderEndpoint?: boolean;
    /** Elastic IPs the account holds, by AZ, for that AZ's NAT gateway instead of a new one (docs/migration.md): no
     *  resource of the stack, so nothing it does releases them (deleting a NAT gateway only disassociates its address:
     *  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html). */
    readonly natAllocationIds?: Readonly<Record<string, string>>;
}

/** The interface endpoints every stack has (service names com.amazonaws.<region>.<service>). */
export const INTERFACE_ENDPOINT_SERVICES = [
    "ssm",
    "ssmmessages",
    "ec2messages",
    "secretsmanager",
    "kms",
    "logs",
    // CloudWatch's metrics API: the servers' CloudWatch agents publish there, the gateway, VPN and NFS server without
    // internet egress (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-interface-VPC.html).
    "monitoring",
] as const;

/** The endpoints a tier's egress opens: the interface endpoints' security group, and S3's prefix list. */
export interface ServiceEndpoints {
    readonly securityGroupId: pulumi.Input<string>;
    readonly s3PrefixListId: pulumi.Input<string>;
}

/**
 * AWS's buckets read through the S3 endpoint: AL2023's package repositories (dnf's mirror list points at
 * al2023-repos-<region>-de612dc2), and those SSM Agent reads on Linux and Windows (updates, documents, patches). Sources in
 * docs/network.md.
 */
export function awsReadBuckets(region: string): string[] {
    return [
        `al2023-repos-${region}-de612dc2`,
        `amazon-ssm-${region}`,
        `aws-ssm-${region}`,
        `amazon-ssm-packages-${region}`,
        `${region}-birdwatcher-prod`,
        `aws-ssm-document-attachments-${region}`,
        `aws-ssm-distributor-file-${region}`,
        `patch-baseline-snapshot-${region}`,
        `aws-windows-downloads-${region}`,
    ];
}

/**
 * What an image build reads through the S3 endpoint beyond the stack's buckets: AWSTOE, which Image Builder installs
 * on the build instance, and Image Builder's managed component files, from AWS's buckets of the region
 * (https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html, "S3 bucket access").
 */
export function imageBuilderReadObjects(region: string): string[] {
    return [
        `arn:aws:s3:::ec2imagebuilder-toe-${region}-prod/*`,
        `arn:aws:s3:::ec2imagebuilder-managed-resources-${region}-prod/components/*`,
    ];
}

/** The objects an image build of the stack reads (the releases) and writes (its logs), as ARN patterns. */
export interface ReleaseBuildObjects {
    readonly reads: pulumi.Input<string>;
    readonly writes: pulumi.Input<string>;
}

export function s3EndpointPolicy(bucketArns: pulumi.Input<string>[], region: string, build?: ReleaseBuildObjects) {
    const buildStatements = build
        ? [
              {
                  Sid: "ReleaseBuild",
                  Effect: "Allow",
                  Principal: "*",
                  Action: "s3:GetObject",
                  Resource: [build.reads, ...imageBuilderReadObjects(region)],
              },
              {
                  Sid: "ReleaseBuildLogs",
                  Effect: "Allow",
                  Principal: "*",
                  Action: "s3:PutObject",
                  Resource: build.writes,
              },
          ]
        : [];
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "StackBuckets",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:*",
                Resource: bucketArns.flatMap((arn) => [arn, pulumi.interpolate`${arn}/*`]),
            },
            {
                Sid: "AwsPackagesAndAgents",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: awsReadBuckets(region).map((b) => `arn:aws:s3:::${b}/*`),
            },
            ...buildStatements,
        ],
    };
}

export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    /** The AZs in name order, the order of every list below (a reordered configuration changes none of them). */
    public readonly availabilityZones: string[];
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    /** Private route tables, one per AZ, for route propagation of site-to-site links. */
    public readonly privateRouteTableIds: pulumi.Output<string>[];
    /** Subnet ids by AZ name, for servers placed in a given AZ. */
    public readonly publicSubnetIdsByAz: Record<string, pulumi.Output<string>>;
    public readonly privateSubnetIdsByAz: Record<string, pulumi.Output<string>>;
    /** What a tier's egress allow-list opens to reach AWS's APIs without the internet (components/compute/server-tier.ts). */
    public readonly endpoints: ServiceEndpoints;
    private readonly s3EndpointId: pulumi.Output<string>;
    private readonly prefix: string;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:network:Network", name, {}, opts);
        const child = { parent: this };
        const tags = (resource: string) => ({ ...args.tags, Name: `${name}-${resource}` });
        // Name order: lists built from it (endpoint subnets, route tables, subnet groups) stay the same when the
        // configuration lists the AZs in another order.
        const azs = [...args.availabilityZones].sort();
        if (!azs.includes(args.operationsAz)) {
            throw new Error(
                `Network ${name}: operationsAz ${args.operationsAz} is not one of its AZs (${azs.join(", ")})`,
            );
        }
        const suffix = (az: string) => az.slice(-1);

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.vpcCidr,
                enableDnsHostnames: true, // private hosted zones and EFS mount names need both DNS flags
                enableDnsSupport: true,
                tags: tags("vpc"),
            },
            child,
        );

        // The default security group admits all traffic between its members; strip it so nothing relies on it.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: tags("default-sg") }, child);

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, child);

        // A subnet's AZ and CIDR cannot change (CreateSubnet: "After you create a subnet, you can't change its CIDR
        // block", https://docs.amazonaws.cn/sdkfornet/v3/apidocs/items/EC2/MEC2CreateSubnetCreateSubnetRequest.html): both come from the AZ.
        const subnet = (tier: "public" | "private", cidrs: Readonly<Record<string, string>>) =>
            azs.map(
                (az) =>
                    new aws.ec2.Subnet(
                        `${name}-${tier}-${suffix(az)}`,
                        {
                            vpcId: vpc.id,
                            availabilityZone: az,
                            cidrBlock: cidrs[az],
                            mapPublicIpOnLaunch: false, // public addresses are Elastic IPs given on purpose, never by default
                            tags: { ...tags(`${tier}-${suffix(az)}`), Tier: tier },
                        },
                        child,
                    ),
            );
        const publicSubnets = subnet("public", args.publicSubnetCidrs);
        const privateSubnets = subnet("private", args.privateSubnetCidrs);

        const publicRouteTable = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: tags("public-rt"),
            },
            child,
        );
        publicSubnets.forEach(
            (s, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-public-${suffix(azs[i])}`,
                    {
                        subnetId: s.id,
                        routeTableId: publicRouteTable.id,
                    },
                    child,
                ),
        );

        const publicOf = (az: string) => publicSubnets[azs.indexOf(az)];
        const natAzs = args.natGatewayPerAz ? azs : [args.operationsAz];
        const natGateways = Object.fromEntries(
            natAzs.map((az) => {
                const allocationId =
                    args.natAllocationIds?.[az] ??
                    new aws.ec2.Eip(
                        `${name}-nat-${suffix(az)}`,
                        { domain: "vpc", tags: tags(`nat-${suffix(az)}`) },
                        child,
                    ).id;
                return [
                    az,
                    new aws.ec2.NatGateway(
                        `${name}-nat-${suffix(az)}`,
                        {
                            allocationId,
                            subnetId: publicOf(az).id,
                            connectivityType: "public",
                            tags: tags(`nat-${suffix(az)}`),
                        },
                        { ...child, dependsOn: [igw] },
                    ),
                ];
            }),
        );

        const privateRouteTables = privateSubnets.map((s, i) => {
            const az = azs[i];
            const nat = natGateways[args.natGatewayPerAz ? az : args.operationsAz];
            const table = new aws.ec2.RouteTable(
                `${name}-private-rt-${suffix(az)}`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                    tags: tags(`private-rt-${suffix(az)}`),
                },
                child,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${suffix(az)}`,
                { subnetId: s.id, routeTableId: table.id },
                child,
            );
            return table;
        });

        // S3 traffic (images, backups, deploy artefacts) stays off the NAT gateways: cheaper and not metered per GB.
        const s3 = new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: vpc.id,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTables.map((t) => t.id),
                tags: tags("s3"),
            },
            child,
        );
        const endpointSubnets = args.endpointsPerAz ? privateSubnets : [privateSubnets[azs.indexOf(args.operationsAz)]];
        const endpointGroup = this.interfaceEndpoints(name, vpc, args, endpointSubnets, tags);

        this.flowLogs(name, vpc, args, tags("flow-logs"));

        this.vpcId = vpc.id;
        this.vpcCidr = args.vpcCidr;
        this.availabilityZones = azs;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.privateRouteTableIds = privateRouteTables.map((t) => t.id);
        this.publicSubnetIdsByAz = Object.fromEntries(azs.map((az, i) => [az, publicSubnets[i].id]));
        this.privateSubnetIdsByAz = Object.fromEntries(azs.map((az, i) => [az, privateSubnets[i].id]));
        this.endpoints = { securityGroupId: endpointGroup.id, s3PrefixListId: s3.prefixListId };
        this.s3EndpointId = s3.id;
        this.prefix = name;
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            privateRouteTableIds: this.privateRouteTableIds,
        });
    }

    /**
     * Interface endpoints (private DNS: the services' usual names resolve to them inside the VPC) for what the servers
     * call: SSM's agent and Session Manager (ssm, ssmmessages, ec2messages), Secrets Manager, KMS and CloudWatch Logs.
     * https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html ; their group admits HTTPS
     * from each tier that may use them (ServerTier adds the rule) and makes no connection of its own.
     */
    private interfaceEndpoints(
        name: string,
        vpc: aws.ec2.Vpc,
        args: NetworkArgs,
        subnets: aws.ec2.Subnet[],
        tags: (r: string) => Record<string, string>,
    ): aws.ec2.SecurityGroup {
        const child = { parent: this };
        const group = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId: vpc.id,
                description: "VPC interface endpoints: HTTPS from the server tiers",
                tags: tags("endpoints-sg"),
            },
            child,
        );
        const subnetIds = subnets.map((s) => s.id);
        for (const service of [
            ...INTERFACE_ENDPOINT_SERVICES,
            ...(args.imageBuilderEndpoint ? ["imagebuilder"] : []),
        ]) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                {
                    vpcId: vpc.id,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds,
                    securityGroupIds: [group.id],
                    tags: tags(service),
                },
                child,
            );
        }
        return group;
    }

    /**
     * The S3 gateway endpoint's policy, set once the buckets exist: the stack's own buckets (their bucket and IAM
     * policies decide who does what) and the AWS buckets the servers' boot and agents read, nothing else, so a server
     * in a private subnet cannot copy data to another account's bucket through it (docs/network.md).
     */
    limitS3To(bucketArns: pulumi.Input<string>[], region: string, build?: ReleaseBuildObjects): void {
        new aws.ec2.VpcEndpointPolicy(
            `${this.prefix}-s3-policy`,
            {
                vpcEndpointId: this.s3EndpointId,
                policy: pulumi.jsonStringify(s3EndpointPolicy(bucketArns, region, build)),
            },
            { parent: this },
        );
    }

    /** Every accepted and rejected flow of the VPC to CloudWatch Logs, kept for the configured retention. */
    private flowLogs(name: string, vpc: aws.ec2.Vpc, args: NetworkArgs, tags: Record<string, string>): void {
        const child = { parent: this };
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                retentionInDays: args.flowLogRetentionDays,
                kmsKeyId: args.flowLogKeyArn,
                tags,
            },
            child,
        );
        // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html (aws:SourceAccount in the trust)
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                assumeRolePolicy: accountServiceTrustPolicy("vpc-flow-logs.amazonaws.com", args.accountId),
                tags,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: [
                                "logs:CreateLogStream",
                                "logs:PutLogEvents",
                                "logs:DescribeLogGroups",
                                "logs:DescribeLogStreams",
                            ],
                            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                        },
                    ],
                }),
            },
            child,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags,
            },
            child,
        );
    }
}
