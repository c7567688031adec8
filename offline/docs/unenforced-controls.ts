// The AWS Security Hub FSBP controls (with their AWS Config rule where the control names one) for the services this
// estate uses that no rule of ours enforces, each with the reason. docs/policies.md lists them after the rules; a test
// fails when a control listed here is also claimed by a rule's metadata (then it is enforced: remove it here).

export interface UnenforcedControl {
    /** Security Hub FSBP control id. */
    readonly id: string;
    readonly service: string;
    /** What the control checks, in a few words. */
    readonly checks: string;
    /** Why no rule enforces it. */
    readonly reason: string;
}

const ACCOUNT =
    "Account setting, not a resource of this program: enforce it with AWS Config / Security Hub in the account.";
const RUNTIME = "Runtime state, not configuration: a preview cannot see it; AWS Config in the account evaluates it.";

export const UNENFORCED_CONTROLS: readonly UnenforcedControl[] = [
    {
        id: "EC2.2",
        service: "VPC",
        checks: "default security group allows no traffic",
        reason: "The network component adopts each VPC's default security group with no rules; no rule guards it yet (candidate).",
    },
    {
        id: "EC2.6",
        service: "VPC",
        checks: "VPC flow logging enabled",
        reason: "The network component creates a flow log per VPC; no rule guards it yet (candidate).",
    },
    {
        id: "EC2.7",
        service: "EC2",
        checks: "EBS default encryption enabled",
        reason: `${ACCOUNT} ec2-hardening and ebs-volumes-protected check every volume explicitly instead.`,
    },
    {
        id: "EC2.10",
        service: "EC2",
        checks: "VPC endpoint for the EC2 service",
        reason: "Servers reach EC2 and SSM APIs through the NAT gateways; the endpoints the estate needs are a cost decision, not a baseline.",
    },
    {
        id: "EC2.15",
        service: "VPC",
        checks: "subnets do not auto-assign public IPs",
        reason: "The public subnets hold the load balancer, NAT gateways, gateway and VPN server by design; private-servers keeps the other servers off public IPs.",
    },
    { id: "EC2.20", service: "VPC", checks: "both Site-to-Site VPN tunnels up", reason: RUNTIME },
    {
        id: "EC2.21",
        service: "VPC",
        checks: "network ACLs do not admit 0.0.0.0/0 to 22/3389",
        reason: "The program leaves network ACLs at their defaults and filters with security groups, which no-internet-ingress and operator-allow-list judge.",
    },
    {
        id: "ELB.12",
        service: "ELB",
        checks: "ALB desync mitigation defensive or strictest",
        reason: "AWS's default (defensive) satisfies it and the program does not set it; a rule may not rely on provider defaults (candidate: set it and guard it).",
    },
    {
        id: "ELB.13",
        service: "ELB",
        checks: "load balancers span multiple AZs",
        reason: "The load balancer takes the public subnets of every AZ, which production-network-ha requires to be 3 or more; no rule on the balancer itself yet.",
    },
    {
        id: "ELB.16",
        service: "ELB",
        checks: "ALB associated with a WAF web ACL",
        reason: "The program associates the web ACL; no rule guards the association yet (candidate).",
    },
    {
        id: "RDS.6",
        service: "RDS",
        checks: "enhanced monitoring",
        reason: "A cost and operations choice per stack (CloudWatch alarms cover the estate's signals), not a baseline.",
    },
    {
        id: "RDS.9",
        service: "RDS",
        checks: "database logs published to CloudWatch Logs",
        reason: "Error, slow-query and audit logs are exported (data-audit-logs guards the audit log); the general log, every query, is not: its volume on a shop is not worth it. The control also wants the general log.",
    },
    {
        id: "RDS.10",
        service: "RDS",
        checks: "IAM authentication",
        reason: "Not applicable: Magento connects with a MySQL user and password from its env.php, read from Secrets Manager at boot.",
    },
    {
        id: "RDS.13",
        service: "RDS",
        checks: "automatic minor version upgrades",
        reason: "autoMinorVersionUpgrade is on for every database (database.ts): minor versions arrive in the Sunday maintenance window. No rule guards it yet (candidate).",
    },
    {
        id: "RDS.17",
        service: "RDS",
        checks: "copy tags to snapshots",
        reason: "Cost allocation, not security or reliability; not enforced.",
    },
    {
        id: "RDS.23",
        service: "RDS",
        checks: "no database engine default port",
        reason: "Not applicable: a different port hides nothing; the database admits only the web and back-office groups on 3306.",
    },
    {
        id: "ElastiCache.1",
        service: "ElastiCache",
        checks: "Redis automatic backups",
        reason: "Redis holds Magento's cache and sessions, which rebuild or expire; no data to restore.",
    },
    {
        id: "ElastiCache.2",
        service: "ElastiCache",
        checks: "automatic minor version upgrades",
        reason: "autoMinorVersionUpgrade is on for every Redis group (cache.ts), as for RDS.13; no rule guards it yet (candidate).",
    },
    {
        id: "ElastiCache.7",
        service: "ElastiCache",
        checks: "not the default subnet group",
        reason: "The cache component always creates its own subnet group; not guarded by a rule.",
    },
    {
        id: "Opensearch.4",
        service: "OpenSearch",
        checks: "error logging to CloudWatch Logs",
        reason: "Not decided for the estate yet; candidate.",
    },
    {
        id: "Opensearch.7",
        service: "OpenSearch",
        checks: "fine-grained access control",
        reason: "Fine-grained access control is on (search.ts): the master is an admin IAM role only the setup job and the break-glass role assume (the internal master's bootstrap password retired), and Magento's own users limited to its indices (docs/data-access.md). No rule guards it yet beyond data-audit-logs, whose audit logs need it (candidate).",
    },
    { id: "Opensearch.10", service: "OpenSearch", checks: "latest software update installed", reason: RUNTIME },
    {
        id: "EFS.3",
        service: "EFS",
        checks: "access points enforce a root directory",
        reason: "no-shared-pub-static judges the access points' root directories for static content; the root directory itself is not required.",
    },
    {
        id: "EFS.4",
        service: "EFS",
        checks: "access points enforce a user identity",
        reason: "Every access point sets its share's POSIX user (components/storage/efs.ts), so clients act as the share's owner; no rule guards it yet (candidate).",
    },
    {
        id: "EFS.6",
        service: "EFS",
        checks: "mount targets not in public subnets",
        reason: "The storage component places mount targets in private subnets; not guarded by a rule yet (candidate).",
    },
    {
        id: "S3.1",
        service: "S3",
        checks: "account-level block public access",
        reason: `${ACCOUNT} s3-bucket-hardening requires the bucket-level block (S3.8) on every bucket.`,
    },
    {
        id: "S3.9",
        service: "S3",
        checks: "server access logging",
        reason: "The buckets hold logs and configuration, written by AWS services and the program; CloudTrail data events are the account's choice.",
    },
    {
        id: "S3.14",
        service: "S3",
        checks: "versioning",
        reason: "Versioned where it matters (configuration); log buckets expire objects by lifecycle instead.",
    },
    {
        id: "S3.17",
        service: "S3",
        checks: "encryption with KMS keys",
        reason: "s3-bucket-hardening requires default encryption (SSE-S3 or KMS); ELB access logs support SSE-S3 only.",
    },
    {
        id: "CloudFront.1",
        service: "CloudFront",
        checks: "default root object",
        reason: "Not applicable: the distributions serve /pub/media and /pub/static paths, never a site root.",
    },
    {
        id: "CloudFront.6",
        service: "CloudFront",
        checks: "WAF enabled",
        reason: "The distributions serve cacheable images, CSS and JS; the web ACL protects the load balancer, where PHP runs.",
    },
    {
        id: "KMS.4",
        service: "KMS",
        checks: "key rotation enabled",
        reason: "The data key component enables rotation; no rule guards it yet (candidate).",
    },
    {
        id: "IAM.1",
        service: "IAM",
        checks: 'no policies with full "*" admin privileges',
        reason: `${ACCOUNT} The program writes narrow inline policies per tier.`,
    },
    {
        id: "IAM.21",
        service: "IAM",
        checks: "no wildcard service actions in customer managed policies",
        reason: "The program writes inline role policies, which this control does not evaluate; not enforced by a rule.",
    },
    {
        id: "SSM.1",
        service: "SSM",
        checks: "instances managed by Systems Manager",
        reason: `${RUNTIME} Every server's tier role grants the SSM agent's actions (ServerTier).`,
    },
    {
        id: "SecretsManager.1",
        service: "Secrets Manager",
        checks: "automatic rotation",
        reason: "The RDS-managed master secrets rotate (RDS: every 7 days by default); Magento's own MySQL and OpenSearch users rotate monthly by the setup job on Rundeck with alternating users (docs/data-access.md), not by a rotation function, which is what the control looks for. Redis AUTH tokens and the search master password are not rotated yet.",
    },
    { id: "ACM.1", service: "ACM", checks: "certificates renewed before expiry", reason: RUNTIME },
    {
        id: "ACM.2",
        service: "ACM",
        checks: "RSA certificates use 2048-bit keys or more",
        reason: "ACM-issued certificates use RSA 2048 unless asked otherwise; the program requests no other key algorithm.",
    },
    {
        id: "WAF.10",
        service: "WAF",
        checks: "web ACL has at least one rule",
        reason: "The web ACL component always adds AWS's managed rule groups; not guarded by a rule.",
    },
];
