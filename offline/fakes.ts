// What AWS would hand back after create, per resource type: realistic ids, ARNs and addresses, deterministic so
// exports and documentation do not churn. In preview the same keys are sent as unknown, as a real preview does.
import { createHash } from "crypto";
import { SECRET_SIG, SIG_KEY } from "./state";

export const ACCOUNT_ID = "123456789012";

export interface FakeContext {
    /** The resource's URN: ids derive from it, so two resources of one logical name under different parents differ. */
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    readonly region: string;
}

interface Fake {
    /** The id AWS gives the resource. */
    id(ctx: FakeContext): string;
    /** Outputs that only exist after create (keys also tell which outputs a preview cannot know). */
    outputs(ctx: FakeContext, id: string): Record<string, unknown>;
}

export function hex(ctx: FakeContext, length: number): string {
    // Not the URN's stack segment: `pulumi stack rename` rewrites it and keeps every id (a renamed stack's fakes match).
    return createHash("sha256")
        .update(ctx.urn.replace(/^urn:pulumi:[^:]*::/, "urn:pulumi::"))
        .digest("hex")
        .slice(0, length);
}

/** Physical name Pulumi's auto-naming gives: the logical name and seven random hex digits. */
const SERVICE_LINKED_ROLE_NAMES: Readonly<Record<string, string>> = {
    "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
    "opensearchservice.amazonaws.com": "AWSServiceRoleForAmazonOpenSearchService",
};

export function serviceLinkedRoleArn(service: string): string {
    return `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${service}/${SERVICE_LINKED_ROLE_NAMES[service] ?? `AWSServiceRoleFor${service.split(".")[0]}`}`;
}

/** The name given, or the one auto-naming would give; a name not known yet (a preview's unknown) counts as none, the
 *  id it would make being sent as unknown anyway. */
function autoName(ctx: FakeContext): string {
    return typeof ctx.inputs.name === "string" ? ctx.inputs.name : `${ctx.name}-${hex(ctx, 7)}`;
}

/** Image Builder resources: the ARN is the id, `arn:aws:imagebuilder:<region>:<account>:<kind>/<name><suffix>`. */
function imageBuilder(kind: string, suffix: (ctx: FakeContext) => string = () => ""): Fake {
    return {
        id: (ctx) =>
            `arn:aws:imagebuilder:${ctx.region}:${ACCOUNT_ID}:${kind}/${autoName(ctx).toLowerCase()}${suffix(ctx)}`,
        outputs: (_, id) => ({ arn: id }),
    };
}

/** EC2-style resources: `<prefix>-<17 hex>` ids and `arn:aws:ec2:<region>:<account>:<kind>/<id>`. */
function ec2(
    prefix: string,
    kind?: string,
    extra: (ctx: FakeContext, id: string) => Record<string, unknown> = () => ({}),
): Fake {
    return {
        id: (ctx) => `${prefix}-0${hex(ctx, 16)}`,
        outputs: (ctx, id) => ({
            ...(kind ? { arn: `arn:aws:ec2:${ctx.region}:${ACCOUNT_ID}:${kind}/${id}`, ownerId: ACCOUNT_ID } : {}),
            ...extra(ctx, id),
        }),
    };
}

/** A version-4-shaped UUID derived from a seed, so ids are stable from run to run. */
export function uuidFrom(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function uuidOf(ctx: FakeContext): string {
    return uuidFrom(`${ctx.type}::${ctx.name}`);
}

/** RDS and ElastiCache names are lower case. */
function lower(name: string): string {
    return name.toLowerCase();
}

/** Generated credentials are secret outputs, as the random provider marks them (wire form: the mock hands it over). */
function secret(value: string): { [SIG_KEY]: string; value: string } {
    return { [SIG_KEY]: SECRET_SIG, value };
}

function ipFrom(ctx: FakeContext, first: string): string {
    const h = hex(ctx, 4);
    return `${first}.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}`;
}

/** Load balancers and target groups: at most 32 characters, as Pulumi's auto-naming trims them. */
function lbName(ctx: FakeContext): string {
    return (ctx.inputs.name as string | undefined) ?? `${ctx.name.slice(0, 24)}-${hex(ctx, 7)}`;
}

/** A bucket's configuration resources are identified by the bucket's name and add no outputs. */
const byBucket: Fake = { id: (ctx) => String(ctx.inputs.bucket), outputs: () => ({}) };

const FAKES: Record<string, Fake> = {
    "aws:ec2/vpc:Vpc": ec2("vpc", "vpc", (ctx) => ({
        defaultSecurityGroupId: `sg-0${hex(ctx, 15)}d`,
        defaultRouteTableId: `rtb-0${hex(ctx, 15)}d`,
        mainRouteTableId: `rtb-0${hex(ctx, 15)}d`,
        defaultNetworkAclId: `acl-0${hex(ctx, 15)}d`,
        dhcpOptionsId: `dopt-0${hex(ctx, 15)}d`,
    })),
    "aws:ec2/subnet:Subnet": ec2("subnet", "subnet", (ctx) => ({
        availabilityZoneId: `${ctx.region.replace(/^(\w\w)-(\w)\w*-(\d)$/, "$1$2$3")}-az${"abc".indexOf(String(ctx.inputs.availabilityZone).slice(-1)) + 1}`,
    })),
    "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
    "aws:ec2/eip:Eip": ec2("eipalloc", "elastic-ip", (ctx, id) => {
        const publicIp = ipFrom(ctx, "15.236");
        return {
            allocationId: id,
            publicIp,
            publicDns: `ec2-${publicIp.replace(/\./g, "-")}.${ctx.region}.compute.amazonaws.com`,
        };
    }),
    "aws:ec2/eipAssociation:EipAssociation": ec2("eipassoc"),
    "aws:ec2/natGateway:NatGateway": ec2("nat", undefined, (ctx) => ({
        networkInterfaceId: `eni-0${hex(ctx, 16)}`,
        publicIp: ipFrom(ctx, "13.38"),
    })),
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2("rtbassoc"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group", () => ({ name: "default" })),
    "aws:ec2/securityGroup:SecurityGroup": ec2("sg", "security-group", (ctx) => ({ name: autoName(ctx) })),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint", (ctx) => ({
        prefixListId: `pl-${hex(ctx, 8)}`,
        state: "available",
    })),
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": ec2("vpce"), // its id is the endpoint's
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
    "aws:cloudwatch/logGroup:LogGroup": {
        id: autoName,
        outputs: (ctx, id) => ({ name: id, arn: `arn:aws:logs:${ctx.region}:${ACCOUNT_ID}:log-group:${id}` }),
    },
    "aws:iam/role:Role": {
        id: autoName,
        outputs: (ctx, id) => ({
            name: id,
            arn: `arn:aws:iam::${ACCOUNT_ID}:role/${id}`,
            uniqueId: `AROA${hex(ctx, 17).toUpperCase()}`,
        }),
    },
    // IAM names each service's role itself (AWSServiceRoleFor<Service>) under /aws-service-role/<service>/.
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": {
        id: (ctx) => serviceLinkedRoleArn(String(ctx.inputs.awsServiceName)),
        outputs: (ctx, id) => ({
            arn: id,
            name: id.split("/").pop(),
            path: `/aws-service-role/${ctx.inputs.awsServiceName}/`,
        }),
    },
    "aws:sns/topicPolicy:TopicPolicy": { id: (ctx) => String(ctx.inputs.arn), outputs: () => ({}) },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr", "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("sgr", "security-group-rule"),
    "aws:iam/instanceProfile:InstanceProfile": {
        id: autoName,
        outputs: (ctx, id) => ({
            name: id,
            arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/${id}`,
            uniqueId: `AIPA${hex(ctx, 17).toUpperCase()}`,
        }),
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        id: (ctx) => `${ctx.name}-${hex(ctx, 20)}`,
        outputs: () => ({}),
    },
    "aws:kms/key:Key": {
        id: (ctx) => uuidOf(ctx),
        outputs: (ctx, id) => ({ keyId: id, arn: `arn:aws:kms:${ctx.region}:${ACCOUNT_ID}:key/${id}` }),
    },
    "aws:kms/alias:Alias": {
        id: (ctx) => String(ctx.inputs.name),
        outputs: (ctx) => ({
            arn: `arn:aws:kms:${ctx.region}:${ACCOUNT_ID}:${ctx.inputs.name}`,
            targetKeyArn: `arn:aws:kms:${ctx.region}:${ACCOUNT_ID}:key/${ctx.inputs.targetKeyId}`,
        }),
    },
    "random:index/randomPassword:RandomPassword": {
        id: () => "none",
        outputs: (ctx) => ({
            result: secret(`Offline${hex(ctx, 24)}A1`),
            bcryptHash: secret(`$2a$10$${hex(ctx, 53)}`),
        }),
    },
    // The final snapshots' suffix (components/data/final-snapshot.ts): byteLength 4, as hex (the provider's id is its base64url).
    "random:index/randomId:RandomId": {
        id: (ctx) => Buffer.from(hex(ctx, 8), "hex").toString("base64url"),
        outputs: (ctx) => ({ hex: hex(ctx, 8), b64Url: Buffer.from(hex(ctx, 8), "hex").toString("base64url") }),
    },
    "aws:secretsmanager/secret:Secret": {
        id: (ctx) => `arn:aws:secretsmanager:${ctx.region}:${ACCOUNT_ID}:secret:${autoName(ctx)}-${hex(ctx, 6)}`,
        outputs: (ctx, id) => ({ arn: id, name: autoName(ctx) }),
    },
    "aws:secretsmanager/secretVersion:SecretVersion": {
        id: (ctx) => `${ctx.inputs.secretId}|${uuidOf(ctx)}`,
        outputs: (ctx) => ({ versionId: uuidOf(ctx), arn: ctx.inputs.secretId, versionStages: ["AWSCURRENT"] }),
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        id: (ctx) => lower(autoName(ctx)),
        outputs: (ctx, id) => ({ name: id, arn: `arn:aws:rds:${ctx.region}:${ACCOUNT_ID}:subgrp:${id}` }),
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        id: (ctx) => lower(autoName(ctx)),
        outputs: (ctx, id) => ({ name: id, arn: `arn:aws:rds:${ctx.region}:${ACCOUNT_ID}:pg:${id}` }),
    },
    "aws:rds/optionGroup:OptionGroup": {
        id: (ctx) => lower(autoName(ctx)),
        outputs: (ctx, id) => ({ name: id, arn: `arn:aws:rds:${ctx.region}:${ACCOUNT_ID}:og:${id}` }),
    },
    "aws:rds/instance:Instance": {
        id: (ctx) => `db-${hex(ctx, 26).toUpperCase()}`,
        outputs: (ctx, id) => {
            const identifier = lower(String(ctx.inputs.identifier ?? autoName(ctx)));
            const address = `${identifier}.c${hex(ctx, 11)}.${ctx.region}.rds.amazonaws.com`;
            return {
                identifier,
                address,
                port: 3306,
                endpoint: `${address}:3306`,
                resourceId: id,
                arn: `arn:aws:rds:${ctx.region}:${ACCOUNT_ID}:db:${identifier}`,
                masterUserSecrets: [
                    {
                        secretArn: `arn:aws:secretsmanager:${ctx.region}:${ACCOUNT_ID}:secret:rds!db-${uuidOf(ctx)}-${hex(ctx, 6)}`,
                        secretStatus: "active",
                        kmsKeyId: ctx.inputs.masterUserSecretKmsKeyId,
                    },
                ],
            };
        },
    },
    "aws:elasticache/subnetGroup:SubnetGroup": {
        id: (ctx) => lower(autoName(ctx)),
        outputs: (ctx, id) => ({ name: id, arn: `arn:aws:elasticache:${ctx.region}:${ACCOUNT_ID}:subnetgroup:${id}` }),
    },
    "aws:elasticache/parameterGroup:ParameterGroup": {
        id: (ctx) => lower(autoName(ctx)),
        outputs: (ctx, id) => ({
            name: id,
            arn: `arn:aws:elasticache:${ctx.region}:${ACCOUNT_ID}:parametergroup:${id}`,
        }),
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        id: (ctx) => lower(autoName(ctx)).slice(0, 40),
        outputs: (ctx, id) => {
            const members = Array.from(
                { length: Number(ctx.inputs.numCacheClusters ?? 1) },
                (_, i) => `${id}-00${i + 1}`,
            );
            const host = `${hex(ctx, 6)}.cache.amazonaws.com`;
            return {
                arn: `arn:aws:elasticache:${ctx.region}:${ACCOUNT_ID}:replicationgroup:${id}`,
                replicationGroupId: id,
                memberClusters: members,
                primaryEndpointAddress: `master.${id}.${host}`,
                readerEndpointAddress: `replica.${id}.${host}`,
            };
        },
    },
    "aws:opensearch/domain:Domain": {
        id: (ctx) => `arn:aws:es:${ctx.region}:${ACCOUNT_ID}:domain/${ctx.inputs.domainName}`,
        outputs: (ctx, id) => ({
            arn: id,
            domainId: `${ACCOUNT_ID}/${ctx.inputs.domainName}`,
            endpoint: `vpc-${ctx.inputs.domainName}-${hex(ctx, 26)}.${ctx.region}.es.amazonaws.com`,
            dashboardEndpoint: `vpc-${ctx.inputs.domainName}-${hex(ctx, 26)}.${ctx.region}.es.amazonaws.com/_dashboards`,
        }),
    },
    "aws:efs/fileSystem:FileSystem": {
        id: (ctx) => `fs-0${hex(ctx, 16)}`,
        outputs: (ctx, id) => ({
            arn: `arn:aws:elasticfilesystem:${ctx.region}:${ACCOUNT_ID}:file-system/${id}`,
            dnsName: `${id}.efs.${ctx.region}.amazonaws.com`,
            ownerId: ACCOUNT_ID,
        }),
    },
    "aws:efs/mountTarget:MountTarget": {
        id: (ctx) => `fsmt-0${hex(ctx, 16)}`,
        outputs: (ctx) => ({
            networkInterfaceId: `eni-0${hex(ctx, 16)}`,
            fileSystemArn: `arn:aws:elasticfilesystem:${ctx.region}:${ACCOUNT_ID}:file-system/${ctx.inputs.fileSystemId}`,
        }),
    },
    "aws:efs/accessPoint:AccessPoint": {
        id: (ctx) => `fsap-0${hex(ctx, 16)}`,
        outputs: (ctx, id) => ({
            arn: `arn:aws:elasticfilesystem:${ctx.region}:${ACCOUNT_ID}:access-point/${id}`,
            ownerId: ACCOUNT_ID,
        }),
    },
    "aws:efs/backupPolicy:BackupPolicy": { id: (ctx) => String(ctx.inputs.fileSystemId), outputs: () => ({}) },
    "aws:efs/fileSystemPolicy:FileSystemPolicy": { id: (ctx) => String(ctx.inputs.fileSystemId), outputs: () => ({}) },
    "aws:ec2/instance:Instance": ec2("i", "instance", (ctx) => {
        const h = hex(ctx, 4);
        return {
            privateIp: `10.${parseInt(h.slice(0, 2), 16)}.101.${(parseInt(h.slice(2, 4), 16) % 250) + 4}`,
            privateDns: `ip-10-0-101-${(parseInt(h.slice(2, 4), 16) % 250) + 4}.${ctx.region}.compute.internal`,
            primaryNetworkInterfaceId: `eni-0${hex(ctx, 16)}`,
            instanceState: "running",
        };
    }),
    "aws:ebs/volume:Volume": ec2("vol", "volume"),
    "aws:ec2/volumeAttachment:VolumeAttachment": {
        id: (ctx) => `vai-${hex(ctx, 10)}`,
        outputs: () => ({}),
    },
    // S3: a bucket's id is its name; its ARN carries neither region nor account. Configuration resources take the bucket's name.
    "aws:s3/bucket:Bucket": {
        id: (ctx) => (ctx.inputs.bucket as string | undefined) ?? `${ctx.name}-${hex(ctx, 7)}`,
        outputs: (ctx, id) => ({
            bucket: id,
            arn: `arn:aws:s3:::${id}`,
            bucketDomainName: `${id}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${id}.s3.${ctx.region}.amazonaws.com`,
        }),
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": byBucket,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": byBucket,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": byBucket,
    "aws:s3/bucketVersioning:BucketVersioning": byBucket,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": byBucket,
    "aws:s3/bucketPolicy:BucketPolicy": byBucket,
    // SSM: a parameter's id is its name; a hierarchical name (/magento/prod/x) follows `parameter` in the ARN directly.
    "aws:ssm/parameter:Parameter": {
        id: (ctx) => String(ctx.inputs.name ?? ctx.name),
        outputs: (ctx, id) => ({
            arn: `arn:aws:ssm:${ctx.region}:${ACCOUNT_ID}:parameter${id.startsWith("/") ? "" : "/"}${id}`,
            version: 1,
        }),
    },
    // An SSM document's id is its name; its ARN names it under document/.
    "aws:ssm/document:Document": {
        id: (ctx) => String(ctx.inputs.name ?? ctx.name),
        outputs: (ctx, id) => ({
            arn: `arn:aws:ssm:${ctx.region}:${ACCOUNT_ID}:document/${id}`,
            name: id,
            status: "Active",
            documentVersion: "1",
            latestVersion: "1",
            defaultVersion: "1",
        }),
    },
    // A CloudWatch Logs resource policy's id is its name (falling back to the logical name); a WAF logging configuration's is its web ACL's ARN.
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {
        id: (ctx) => String(ctx.inputs.policyName ?? ctx.name),
        outputs: () => ({}),
    },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": {
        id: (ctx) => String(ctx.inputs.name ?? ctx.name),
        outputs: () => ({}),
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
        id: (ctx) => String(ctx.inputs.resourceArn),
        outputs: () => ({}),
    },
    // Route 53: zone ids are "Z" and upper-case base-32 characters; a record's id joins zone, name and type.
    "aws:route53/zone:Zone": {
        id: (ctx) => `Z0${hex(ctx, 18).toUpperCase()}`,
        outputs: (ctx, id) => ({
            zoneId: id,
            arn: `arn:aws:route53:::hostedzone/${id}`,
            nameServers: ctx.inputs.vpcs
                ? []
                : [1, 2, 3, 4].map((n) => `ns-${n * 311}.awsdns-${n * 7}.${["com", "net", "org", "co.uk"][n - 1]}`),
        }),
    },
    "aws:route53/record:Record": {
        id: (ctx) => `${String(ctx.inputs.zoneId)}_${String(ctx.inputs.name)}_${String(ctx.inputs.type)}`,
        outputs: (ctx) => ({ fqdn: String(ctx.inputs.name) }),
    },
    // Elastic Load Balancing: ARNs carry a 16-hex id; suffixes (app/..., targetgroup/...) are CloudWatch dimensions.
    "aws:lb/loadBalancer:LoadBalancer": {
        id: (ctx) =>
            `arn:aws:elasticloadbalancing:${ctx.region}:${ACCOUNT_ID}:loadbalancer/app/${lbName(ctx)}/${hex(ctx, 16)}`,
        outputs: (ctx, id) => ({
            arn: id,
            arnSuffix: id.split(":loadbalancer/")[1],
            zoneId: "Z3Q77PNBQS71R4",
            dnsName: `${lbName(ctx)}-${parseInt(hex(ctx, 8), 16)}.${ctx.region}.elb.amazonaws.com`,
        }),
    },
    "aws:lb/targetGroup:TargetGroup": {
        id: (ctx) =>
            `arn:aws:elasticloadbalancing:${ctx.region}:${ACCOUNT_ID}:targetgroup/${lbName(ctx)}/${hex(ctx, 16)}`,
        outputs: (ctx, id) => ({
            arn: id,
            arnSuffix: `targetgroup/${id.split(":targetgroup/")[1]}`,
            name: lbName(ctx),
        }),
    },
    "aws:lb/listener:Listener": {
        id: (ctx) =>
            `arn:aws:elasticloadbalancing:${ctx.region}:${ACCOUNT_ID}:listener/app/${ctx.name.slice(0, 32)}/${hex(ctx, 16)}/${hex(ctx, 16).split("").reverse().join("")}`,
        outputs: (_, id) => ({ arn: id }),
    },
    "aws:lb/listenerRule:ListenerRule": {
        id: (ctx) =>
            `arn:aws:elasticloadbalancing:${ctx.region}:${ACCOUNT_ID}:listener-rule/app/${ctx.name.slice(0, 32)}/${hex(ctx, 16)}`,
        outputs: (_, id) => ({ arn: id }),
    },
    "aws:lb/listenerCertificate:ListenerCertificate": {
        id: (ctx) => `${String(ctx.inputs.listenerArn)}_${String(ctx.inputs.certificateArn)}`,
        outputs: () => ({}),
    },
    "aws:wafv2/webAcl:WebAcl": {
        id: (ctx) => uuidOf(ctx),
        outputs: (ctx, id) => ({
            arn: `arn:aws:wafv2:${ctx.region}:${ACCOUNT_ID}:regional/webacl/${autoName(ctx)}/${id}`,
            capacity: 1200,
        }),
    },
    "aws:wafv2/ipSet:IpSet": {
        id: (ctx) => uuidOf(ctx),
        outputs: (ctx, id) => ({
            arn: `arn:aws:wafv2:${ctx.region}:${ACCOUNT_ID}:regional/ipset/${autoName(ctx)}/${id}`,
            name: autoName(ctx),
        }),
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": {
        id: (ctx) => `${String(ctx.inputs.webAclArn)},${String(ctx.inputs.resourceArn)}`,
        outputs: () => ({}),
    },
    // Image Builder's resources are known by their ARN, which names the resource in lower case (components and
    // recipes with their version, a component with its build number too).
    "aws:imagebuilder/component:Component": imageBuilder("component", (ctx) => `/${String(ctx.inputs.version)}/1`),
    "aws:imagebuilder/imageRecipe:ImageRecipe": imageBuilder("image-recipe", (ctx) => `/${String(ctx.inputs.version)}`),
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration":
        imageBuilder("infrastructure-configuration"),
    "aws:imagebuilder/distributionConfiguration:DistributionConfiguration": imageBuilder("distribution-configuration"),
    "aws:imagebuilder/imagePipeline:ImagePipeline": imageBuilder("image-pipeline"),
    "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy": imageBuilder("lifecycle-policy"),
    "aws:ec2/launchTemplate:LaunchTemplate": ec2("lt", "launch-template", () => ({
        latestVersion: 1,
        defaultVersion: 1,
    })),
    "aws:autoscaling/group:Group": {
        id: (ctx) => autoName(ctx),
        outputs: (ctx, id) => ({
            name: id,
            arn: `arn:aws:autoscaling:${ctx.region}:${ACCOUNT_ID}:autoScalingGroup:${uuidOf(ctx)}:autoScalingGroupName/${id}`,
        }),
    },
    "aws:autoscaling/policy:Policy": {
        id: (ctx) => autoName(ctx),
        outputs: (ctx, id) => ({
            name: id,
            arn: `arn:aws:autoscaling:${ctx.region}:${ACCOUNT_ID}:scalingPolicy:${uuidOf(ctx)}:autoScalingGroupName/${String(ctx.inputs.autoscalingGroupName)}:policyName/${id}`,
        }),
    },
    "aws:autoscaling/lifecycleHook:LifecycleHook": {
        id: (ctx) => String(ctx.inputs.name), // AWS names a hook by its group and name; the provider's id is the name
        outputs: () => ({}),
    },
    "aws:autoscaling/schedule:Schedule": {
        id: (ctx) => String(ctx.inputs.scheduledActionName),
        outputs: (ctx, id) => ({
            arn: `arn:aws:autoscaling:${ctx.region}:${ACCOUNT_ID}:scheduledUpdateGroupAction:${uuidOf(ctx)}:autoScalingGroupName/${String(ctx.inputs.autoscalingGroupName)}:scheduledActionName/${id}`,
        }),
    },
    // Site-to-site VPN: a connection's two tunnels end on AWS public addresses; alarms are named by the program.
    "aws:ec2/vpnGateway:VpnGateway": ec2("vgw", "vpn-gateway", () => ({ amazonSideAsn: "64512" })),
    "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": {
        id: (ctx) => `${ctx.inputs.routeTableId}_${ctx.inputs.vpnGatewayId}`,
        outputs: () => ({}),
    },
    "aws:ec2/customerGateway:CustomerGateway": ec2("cgw", "customer-gateway"),
    "aws:ec2/vpnConnection:VpnConnection": ec2("vpn", "vpn-connection", (ctx) => ({
        tunnel1Address: ipFrom({ ...ctx, name: `${ctx.name}-1` }, "35.180"),
        tunnel2Address: ipFrom({ ...ctx, name: `${ctx.name}-2` }, "52.47"),
        tunnel1InsideCidr: "169.254.10.0/30",
        tunnel2InsideCidr: "169.254.11.0/30",
        transitGatewayAttachmentId: "",
    })),
    "aws:ec2/vpnConnectionRoute:VpnConnectionRoute": {
        id: (ctx) => `${ctx.inputs.destinationCidrBlock}:${ctx.inputs.vpnConnectionId}`,
        outputs: () => ({}),
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        id: autoName,
        outputs: (ctx, id) => ({ name: id, arn: `arn:aws:cloudwatch:${ctx.region}:${ACCOUNT_ID}:alarm:${id}` }),
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        id: (ctx) => String(ctx.inputs.dashboardName),
        outputs: (_ctx, id) => ({ dashboardArn: `arn:aws:cloudwatch::${ACCOUNT_ID}:dashboard/${id}` }),
    },
    // The release runner: a state machine's id is its ARN (stack output releaseRunnerArn).
    "aws:sfn/stateMachine:StateMachine": {
        id: (ctx) => `arn:aws:states:${ctx.region}:${ACCOUNT_ID}:stateMachine:${autoName(ctx)}`,
        outputs: (_ctx, id) => ({ arn: id, status: "ACTIVE" }),
    },
    "aws:sns/topic:Topic": {
        id: (ctx) => `arn:aws:sns:${ctx.region}:${ACCOUNT_ID}:${autoName(ctx)}`,
        outputs: (_ctx, id) => ({ arn: id, name: id.split(":")[5], owner: ACCOUNT_ID }),
    },
    // An email subscription stays "pending confirmation" until someone on the list confirms it.
    "aws:sns/topicSubscription:TopicSubscription": {
        id: (ctx) => `${ctx.inputs.topic}:${uuidOf(ctx)}`,
        outputs: (_ctx, id) => ({
            arn: id,
            pendingConfirmation: true,
            ownerId: ACCOUNT_ID,
            confirmationWasAuthenticated: false,
        }),
    },
    // ACM: one validation CNAME per name, shared by `x` and `*.x`, as ACM answers; the value points at acm-validations.aws.
    "aws:acm/certificate:Certificate": {
        id: (ctx) => `arn:aws:acm:${ctx.region}:${ACCOUNT_ID}:certificate/${uuidOf(ctx)}`,
        outputs: (ctx, id) => ({
            arn: id,
            status: "PENDING_VALIDATION",
            domainValidationOptions: [
                ctx.inputs.domainName,
                ...((ctx.inputs.subjectAlternativeNames as string[] | undefined) ?? []),
            ].map((name) => {
                const base = String(name).replace(/^\*\./, "");
                const h = createHash("sha256").update(base).digest("hex");
                return {
                    domainName: name,
                    resourceRecordName: `_${h.slice(0, 32)}.${base}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${h.slice(32, 64)}.xlfgrmvvlj.acm-validations.aws.`,
                };
            }),
        }),
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        id: (ctx) => `${ctx.inputs.certificateArn}`,
        outputs: () => ({}),
    },
    // CloudFront: ids are "E" and 13 upper-case characters; every distribution's alias zone is Z2FDTNDATAQYW2.
    "aws:cloudfront/distribution:Distribution": {
        id: (ctx) => `E${hex(ctx, 13).toUpperCase()}`,
        outputs: (ctx, id) => ({
            arn: `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/${id}`,
            domainName: `d${hex(ctx, 13)}.cloudfront.net`,
            hostedZoneId: "Z2FDTNDATAQYW2",
            status: "Deployed",
            etag: `E${hex(ctx, 12).toUpperCase()}`,
            callerReference: `terraform-${hex(ctx, 20)}`,
        }),
    },
    // Response headers policies are ids of the UUID form, like the managed policies'.
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
        id: (ctx) => uuidOf(ctx),
        outputs: (ctx) => ({ name: autoName(ctx), etag: `E${hex(ctx, 12).toUpperCase()}` }),
    },
    // CloudWatch Logs vended delivery: sources and destinations are named; a delivery gets a generated id.
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
        id: (ctx) => String(ctx.inputs.name),
        outputs: (ctx, id) => ({
            arn: `arn:aws:logs:${ctx.region}:${ACCOUNT_ID}:delivery-source:${id}`,
            service: "cloudfront",
        }),
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
        id: (ctx) => String(ctx.inputs.name),
        outputs: (ctx, id) => ({
            arn: `arn:aws:logs:${ctx.region}:${ACCOUNT_ID}:delivery-destination:${id}`,
            deliveryDestinationType: "S3",
        }),
    },
    "aws:cloudwatch/logDelivery:LogDelivery": {
        id: (ctx) => hex(ctx, 16),
        outputs: (ctx, id) => ({ arn: `arn:aws:logs:${ctx.region}:${ACCOUNT_ID}:delivery:${id}` }),
    },
    "aws:iam/rolePolicy:RolePolicy": {
        id: (ctx) => `${ctx.name}:${autoName(ctx)}`,
        outputs: (ctx) => ({ name: autoName(ctx) }),
    },
    // AWS Backup: a vault's id is its name; a plan's and a selection's are generated ids.
    "aws:backup/vault:Vault": {
        id: (ctx) => String(ctx.inputs.name),
        outputs: (ctx, id) => ({
            name: id,
            arn: `arn:aws:backup:${ctx.region}:${ACCOUNT_ID}:backup-vault:${id}`,
            recoveryPoints: 0,
        }),
    },
    "aws:backup/vaultPolicy:VaultPolicy": {
        id: (ctx) => String(ctx.inputs.backupVaultName),
        outputs: (ctx, id) => ({ backupVaultArn: `arn:aws:backup:${ctx.region}:${ACCOUNT_ID}:backup-vault:${id}` }),
    },
    "aws:backup/plan:Plan": {
        id: (ctx) => uuidOf(ctx),
        outputs: (ctx, id) => ({
            arn: `arn:aws:backup:${ctx.region}:${ACCOUNT_ID}:backup-plan:${id}`,
            version: hex(ctx, 32),
        }),
    },
    "aws:backup/selection:Selection": { id: (ctx) => uuidOf(ctx), outputs: () => ({}) },
};

/** True when the engine knows what AWS returns for this type (tests keep every type the program uses covered). */
export function hasFake(type: string): boolean {
    return type in FAKES;
}

/** The id and after-create outputs of a resource; an unlisted type gets a name-based id and no extra outputs. */
export function fakeCreate(ctx: FakeContext): { id: string; outputs: Record<string, unknown> } {
    const fake = FAKES[ctx.type];
    if (!fake) {
        return { id: `${ctx.name}-${hex(ctx, 8)}`, outputs: {} };
    }
    const id = fake.id(ctx);
    return { id, outputs: fake.outputs(ctx, id) };
}

/** Names of the outputs a preview cannot know for this type. */
export function computedOutputKeys(ctx: FakeContext): string[] {
    return Object.keys(fakeCreate(ctx).outputs);
}
