// Resource type tokens that more than one rule reads (@pulumi/aws 7.x). Packs match type strings rather than import
// @pulumi/aws, whose types would make the CLI's start-up type check of a pack slow.

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
/** OpenSearch domains, and Elasticsearch domains created before the rename (same settings, same risks). */
export const SEARCH_DOMAINS = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];
export const EC2_INSTANCE = "aws:ec2/instance:Instance";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
/** Load balancers, listeners and target groups: `aws.lb` and its `aws.alb` alias register different tokens, and
 *  stacks deployed before @pulumi/aws 6 hold `aws.elasticloadbalancingv2` ones (removed in 6, per pulumi-aws's v6
 *  migration notes: aws:elasticloadbalancingv2/* -> aws:lb/*), which a real export still carries. */
const ELB_V2 = (resource: string) => [`aws:lb/${resource}`, `aws:alb/${resource}`, `aws:elasticloadbalancingv2/${resource}`];
export const LOAD_BALANCERS = ELB_V2("loadBalancer:LoadBalancer");
export const LISTENERS = ELB_V2("listener:Listener");
export const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
export const SCALING_SCHEDULE = "aws:autoscaling/schedule:Schedule";
export const SUBNET = "aws:ec2/subnet:Subnet";
export const TARGET_GROUPS = ELB_V2("targetGroup:TargetGroup");
export const LISTENER_RULES = ELB_V2("listenerRule:ListenerRule");
export const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
export const RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy";
export const ACM_CERTIFICATE = "aws:acm/certificate:Certificate";
export const CERTIFICATE_VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
export const ROUTE53_RECORD = "aws:route53/record:Record";
