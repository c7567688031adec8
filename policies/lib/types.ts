// Resource type tokens (@pulumi/aws 7.x, @pulumi/random), one table for the rules and the tests. Packs match type
// strings rather than import @pulumi/aws, whose types would make the CLI's start-up type check of a pack slow. A name
// is the class's module and type as @pulumi/aws spells them (aws.ec2.SecurityGroup: EC2_SECURITY_GROUP), so it can be
// guessed; a token the tables lack is added here, never spelled out in a rule or a spec.

export const ACM_CERTIFICATE = "aws:acm/certificate:Certificate";
export const ACM_CERTIFICATE_VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
export const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
export const AUTOSCALING_POLICY = "aws:autoscaling/policy:Policy";
export const AUTOSCALING_SCHEDULE = "aws:autoscaling/schedule:Schedule";
export const BACKUP_PLAN = "aws:backup/plan:Plan";
export const BACKUP_SELECTION = "aws:backup/selection:Selection";
export const BACKUP_VAULT = "aws:backup/vault:Vault";
export const BACKUP_VAULT_POLICY = "aws:backup/vaultPolicy:VaultPolicy";
export const CLOUDFRONT_DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
export const CLOUDFRONT_RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy";
export const CLOUDWATCH_DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
export const CLOUDWATCH_LOG_DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery";
export const CLOUDWATCH_LOG_DELIVERY_DESTINATION = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination";
export const CLOUDWATCH_LOG_DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";
export const CLOUDWATCH_LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
export const CLOUDWATCH_LOG_METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
export const CLOUDWATCH_LOG_RESOURCE_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy";
export const CLOUDWATCH_METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
export const EBS_VOLUME = "aws:ebs/volume:Volume";
export const EC2_CUSTOMER_GATEWAY = "aws:ec2/customerGateway:CustomerGateway";
export const EC2_DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
export const EC2_DEFAULT_VPC = "aws:ec2/defaultVpc:DefaultVpc";
export const EC2_EIP = "aws:ec2/eip:Eip";
export const EC2_EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation";
export const EC2_FLOW_LOG = "aws:ec2/flowLog:FlowLog";
export const EC2_INSTANCE = "aws:ec2/instance:Instance";
export const EC2_INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";
export const EC2_LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const EC2_NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";
export const EC2_ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
export const EC2_ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
export const EC2_SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const EC2_SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const EC2_SUBNET = "aws:ec2/subnet:Subnet";
export const EC2_VOLUME_ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";
export const EC2_VPC = "aws:ec2/vpc:Vpc";
export const EC2_VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
export const EC2_VPC_ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy";
export const EC2_VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection";
export const EC2_VPN_CONNECTION_ROUTE = "aws:ec2/vpnConnectionRoute:VpnConnectionRoute";
export const EC2_VPN_GATEWAY = "aws:ec2/vpnGateway:VpnGateway";
export const EC2_VPN_GATEWAY_ROUTE_PROPAGATION = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation";
export const EFS_ACCESS_POINT = "aws:efs/accessPoint:AccessPoint";
export const EFS_FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
export const EFS_FILE_SYSTEM_POLICY = "aws:efs/fileSystemPolicy:FileSystemPolicy";
export const EFS_MOUNT_TARGET = "aws:efs/mountTarget:MountTarget";
export const ELASTICACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
export const ELASTICACHE_PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup";
export const ELASTICACHE_REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const ELASTICACHE_SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup";
export const ELASTICSEARCH_DOMAIN = "aws:elasticsearch/domain:Domain";
export const IAM_INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";
export const IAM_ROLE = "aws:iam/role:Role";
export const IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const IAM_SERVICE_LINKED_ROLE = "aws:iam/serviceLinkedRole:ServiceLinkedRole";
export const IMAGEBUILDER_COMPONENT = "aws:imagebuilder/component:Component";
export const IMAGEBUILDER_DISTRIBUTION_CONFIGURATION =
    "aws:imagebuilder/distributionConfiguration:DistributionConfiguration";
export const IMAGEBUILDER_IMAGE_PIPELINE = "aws:imagebuilder/imagePipeline:ImagePipeline";
export const IMAGEBUILDER_IMAGE_RECIPE = "aws:imagebuilder/imageRecipe:ImageRecipe";
export const IMAGEBUILDER_INFRASTRUCTURE_CONFIGURATION =
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration";
export const IMAGEBUILDER_LIFECYCLE_POLICY = "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy";
export const KMS_KEY = "aws:kms/key:Key";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const LB_LISTENER = "aws:lb/listener:Listener";
export const LB_LISTENER_CERTIFICATE = "aws:lb/listenerCertificate:ListenerCertificate";
export const LB_LISTENER_RULE = "aws:lb/listenerRule:ListenerRule";
export const LB_LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
export const LB_TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
export const OPENSEARCH_DOMAIN = "aws:opensearch/domain:Domain";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
export const ROUTE53_RECORD = "aws:route53/record:Record";
export const ROUTE53_ZONE = "aws:route53/zone:Zone";
export const S3_BUCKET = "aws:s3/bucket:Bucket";
export const S3_BUCKET_LIFECYCLE_CONFIGURATION = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
export const S3_BUCKET_OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
export const S3_BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
export const S3_BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION =
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
export const S3_BUCKET_SERVER_SIDE_ENCRYPTION_CONFIGURATION_V2 =
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
export const S3_BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
export const S3_BUCKET_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
export const SECRETSMANAGER_SECRET = "aws:secretsmanager/secret:Secret";
export const SECRETSMANAGER_SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy";
export const SECRETSMANAGER_SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
export const SNS_TOPIC = "aws:sns/topic:Topic";
export const SNS_TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
export const SNS_TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
export const SSM_DOCUMENT = "aws:ssm/document:Document";
export const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
export const VPC_SECURITY_GROUP_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const VPC_SECURITY_GROUP_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const WAFV2_IP_SET = "aws:wafv2/ipSet:IpSet";
export const WAFV2_WEB_ACL = "aws:wafv2/webAcl:WebAcl";
export const WAFV2_WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
export const WAFV2_WEB_ACL_LOGGING_CONFIGURATION = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
export const RANDOM_ID = "random:index/randomId:RandomId";
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** OpenSearch domains, and Elasticsearch domains created before the rename (same settings, same risks). */
export const SEARCH_DOMAINS = [OPENSEARCH_DOMAIN, ELASTICSEARCH_DOMAIN];
/** Load balancers, listeners and target groups: `aws.lb` and its `aws.alb` alias register different tokens, and
 *  stacks deployed before @pulumi/aws 6 hold `aws.elasticloadbalancingv2` ones (removed in 6, per pulumi-aws's v6
 *  migration notes: aws:elasticloadbalancingv2/* -> aws:lb/*), which a real export still carries. */
const ELB_V2 = (lb: string) => [
    lb,
    lb.replace("aws:lb/", "aws:alb/"),
    lb.replace("aws:lb/", "aws:elasticloadbalancingv2/"),
];
export const LOAD_BALANCERS = ELB_V2(LB_LOAD_BALANCER);
export const LISTENERS = ELB_V2(LB_LISTENER);
export const TARGET_GROUPS = ELB_V2(LB_TARGET_GROUP);
export const LISTENER_RULES = ELB_V2(LB_LISTENER_RULE);
