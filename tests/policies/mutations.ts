// One-property mutations of a real stack's export, each naming the rule(s) meant to catch it: the evidence that the
// packs catch what they claim (tests/policies/mutations.spec.ts). A mutation edits inputs and outputs alike, as an
// update of the changed program would record them; a resource it names that no longer exists fails loudly.
import { parse, stringify } from "yaml";
import { gunzipSync, gzipSync } from "zlib";
import { isSecret, StateResource } from "../../offline/state";
import { userDataText } from "../helpers/user-data";
import {
    ACM_CERTIFICATE,
    AUTOSCALING_GROUP,
    AUTOSCALING_SCHEDULE,
    CLOUDFRONT_DISTRIBUTION,
    CLOUDWATCH_LOG_GROUP,
    EBS_VOLUME,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_NAT_GATEWAY,
    EC2_SECURITY_GROUP,
    EC2_SUBNET,
    EFS_ACCESS_POINT,
    EFS_FILE_SYSTEM,
    EFS_FILE_SYSTEM_POLICY,
    ELASTICACHE_REPLICATION_GROUP,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    IMAGEBUILDER_COMPONENT,
    KMS_KEY,
    LB_LISTENER,
    LB_LISTENER_RULE,
    LB_LOAD_BALANCER,
    LB_TARGET_GROUP,
    OPENSEARCH_DOMAIN,
    RDS_INSTANCE,
    RDS_PARAMETER_GROUP,
    S3_BUCKET_PUBLIC_ACCESS_BLOCK,
    SNS_TOPIC,
    SSM_DOCUMENT,
    SSM_PARAMETER,
    VPC_SECURITY_GROUP_EGRESS_RULE,
    VPC_SECURITY_GROUP_INGRESS_RULE,
    WAFV2_WEB_ACL_LOGGING_CONFIGURATION,
} from "../../policies/lib/types";

export type StackName = "prod" | "preprod";

export interface Mutation {
    readonly stack: StackName;
    /** What changes, in an operator's words. */
    readonly change: string;
    /** The rules meant to catch it. */
    readonly rules: readonly string[];
    readonly apply: (resources: StateResource[], stack: StackName) => void;
}

/** The resource of `type` named `magento-<stack>-<name>`. */
function named(resources: readonly StateResource[], stack: StackName, type: string, name: string): StateResource {
    const full = `magento-${stack}-${name}`;
    const found = resources.find((r) => r.type === type && r.urn.endsWith(`::${full}`));
    if (!found) {
        throw new Error(`mutation target ${type} ${full} is not in the ${stack} export`);
    }
    return found;
}

type Props = Record<string | number, unknown>;

/** Sets the value at `path`, through secrets as state holds them ({sig, plaintext: JSON text}). */
function setIn(props: Props, path: readonly (string | number)[], value: unknown): void {
    const [key, ...rest] = path;
    const child = props[key];
    if (rest.length === 0) {
        props[key] = value;
    } else if (isSecret(child) && typeof child.plaintext === "string") {
        const holder: Props = { inner: JSON.parse(child.plaintext) };
        setIn(holder, ["inner", ...rest], value);
        child.plaintext = JSON.stringify(holder.inner);
    } else {
        setIn(child as Props, rest, value);
    }
}

/** Sets the value at `path` in the resource's inputs and outputs. */
function set(r: StateResource, path: readonly (string | number)[], value: unknown): void {
    setIn(r.inputs as Props, path, value);
    setIn(r.outputs as Props, path, value);
}

/** A mutation of one property of one named resource. */
function property(
    stack: StackName,
    rules: string[],
    change: string,
    type: string,
    name: string,
    path: (string | number)[],
    value: unknown,
): Mutation {
    return { stack, change, rules, apply: (rs, s) => set(named(rs, s, type, name), path, value) };
}

interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource: string | string[];
}

/** A mutation that rewrites the statements of a resource's JSON `policy`. */
function policyEdit(
    stack: StackName,
    rules: string[],
    change: string,
    type: string,
    name: string,
    edit: (statements: Statement[]) => Statement[],
): Mutation {
    return {
        stack,
        change,
        rules,
        apply: (rs, s) => {
            const r = named(rs, s, type, name);
            const policy = JSON.parse(String(r.outputs?.policy));
            set(r, ["policy"], JSON.stringify({ ...policy, Statement: edit(policy.Statement) }));
        },
    };
}

/** An fstab line mounting the shared file system on pub/static, appended to a launch template's base64 user data. */
function mountStatic(rs: StateResource[], s: StackName): void {
    const template = named(rs, s, EC2_LAUNCH_TEMPLATE, "frontend-lt");
    const fstab =
        "\nruncmd:\n  - echo 'fs-0123456789abcdef0.efs.eu-west-3.amazonaws.com:/ /var/www/magento/pub/static nfs4 defaults,_netdev 0 0' >> /etc/fstab\n";
    // Compressed again, as the program sends a document over 16 KB (components/compute/cloud-init.ts).
    set(template, ["userData"], gzipSync(userDataText(template) + fstab, { level: 9 }).toString("base64"));
}

/** The gateway's agent configuration names from_beginning, as Rundeck's first one did: the agent refuses the file. */
function gatewayAgentRefused(rs: StateResource[], s: StackName): void {
    const instance = named(rs, s, EC2_INSTANCE, "haproxy-server-instance");
    const text = String(instance.inputs?.userData);
    const refused = text.replace('"log_stream_name":"{instance_id}/messages"', '$&,"from_beginning":true');
    if (refused === text) {
        throw new Error("mutation target: the gateway's user data ships no /var/log/messages");
    }
    set(instance, ["userData"], refused);
}

/** Rundeck's user data sent uncompressed: its gzip-compressed cloud-config decompressed, still base64. */
function rundeckUncompressed(rs: StateResource[], s: StackName): void {
    const instance = named(rs, s, EC2_INSTANCE, "rundeck-server-instance");
    set(
        instance,
        ["userDataBase64"],
        gunzipSync(Buffer.from(String(instance.inputs?.userDataBase64), "base64")).toString("base64"),
    );
}

/** The front end's launch template on the image Rundeck boots (the stock Amazon Linux), not the release's. */
function frontEndOnStockImage(rs: StateResource[], s: StackName): void {
    const stock = named(rs, s, EC2_INSTANCE, "rundeck-server-instance").inputs?.ami;
    set(named(rs, s, EC2_LAUNCH_TEMPLATE, "frontend-lt"), ["imageId"], stock);
}

/** The stack's first Image Builder component gains a build step mounting the shared file system on pub/static. */
function componentSharesStatic(rs: StateResource[]): void {
    const component = rs.find((r) => r.type === IMAGEBUILDER_COMPONENT);
    if (!component) {
        throw new Error("mutation target: the export has no Image Builder component");
    }
    const document = parse(String(component.inputs?.data));
    document.phases[0].steps.push({
        name: "ShareStatic",
        action: "ExecuteBash",
        inputs: { commands: ["mount -t efs -o tls fs-0123456789abcdef0:/ /var/www/magento/pub/static"] },
    });
    set(component, ["data"], stringify(document));
}

/** The NAT gateway of AZ b moved into AZ a's public subnet: AZ b keeps no NAT of its own. */
function natOutOfZoneB(rs: StateResource[], s: StackName): void {
    const nat = named(rs, s, EC2_NAT_GATEWAY, "nat-b");
    const subnetA = named(rs, s, EC2_SUBNET, "public-a");
    nat.propertyDependencies = { ...nat.propertyDependencies, subnetId: [subnetA.urn] };
    set(nat, ["subnetId"], subnetA.id);
}

/** The load balancer's internet-wide HTTPS permission turned into SSH. */
function sshFromInternet(rs: StateResource[], s: StackName): void {
    const rule = named(rs, s, VPC_SECURITY_GROUP_INGRESS_RULE, "shop-in-443");
    set(rule, ["fromPort"], 22);
    set(rule, ["toPort"], 22);
}

/** The static distribution's default cache behaviour without its response headers policy (the reference dropped too). */
function withoutStaticCors(rs: StateResource[], s: StackName): void {
    const distribution = named(rs, s, CLOUDFRONT_DISTRIBUTION, "cdn-static");
    for (const props of [distribution.inputs, distribution.outputs]) {
        delete (props!.defaultCacheBehavior as Props).responseHeadersPolicyId;
    }
    distribution.propertyDependencies = { ...distribution.propertyDependencies, defaultCacheBehavior: [] };
}

/** The shop database's parameter group letting clients connect without TLS. */
function mysqlWithoutTls(rs: StateResource[], s: StackName): void {
    const group = named(rs, s, RDS_PARAMETER_GROUP, "mysql-params-mysql8-4");
    const parameters = (group.inputs!.parameters as { name: string; value: string }[]).map((p) =>
        p.name === "require_secure_transport" ? { ...p, value: "0" } : p,
    );
    set(group, ["parameters"], parameters);
}

/** The front end's boot policy granted the shop database's RDS-managed master secret as well as Magento's own. */
function frontEndReadsMaster(rs: StateResource[], s: StackName): void {
    const db = named(rs, s, RDS_INSTANCE, "mysql-db");
    const master = (db.outputs!.masterUserSecrets as { secretArn: string }[])[0].secretArn;
    const reads = named(rs, s, IAM_ROLE_POLICY, "web-boot-reads");
    const policy = JSON.parse(String(reads.outputs?.policy));
    const statements = (policy.Statement as Statement[]).map((st) =>
        st.Action === "secretsmanager:GetSecretValue" ? { ...st, Resource: [...[st.Resource].flat(), master] } : st,
    );
    set(reads, ["policy"], JSON.stringify({ ...policy, Statement: statements }));
}

/** The search domain's admin role trusting the front end's role as well. */
function frontEndAssumesSearchAdmin(rs: StateResource[], s: StackName): void {
    const admin = named(rs, s, IAM_ROLE, "search-admin");
    const trust = JSON.parse(String(admin.outputs?.assumeRolePolicy));
    const web = String(named(rs, s, IAM_ROLE, "web-role").outputs?.arn);
    const statements = (trust.Statement as { Principal: { AWS: string | string[] } }[]).map((st) => ({
        ...st,
        Principal: { AWS: [...[st.Principal.AWS].flat(), web] },
    }));
    set(admin, ["assumeRolePolicy"], JSON.stringify({ ...trust, Statement: statements }));
}

export const MUTATIONS: readonly Mutation[] = [
    property(
        "prod",
        ["production-data-ha"],
        "MySQL without its Multi-AZ standby",
        RDS_INSTANCE,
        "mysql-db",
        ["multiAz"],
        false,
    ),
    property(
        "prod",
        ["rds-encrypted-private"],
        "MySQL storage unencrypted",
        RDS_INSTANCE,
        "mysql-db",
        ["storageEncrypted"],
        false,
    ),
    property(
        "prod",
        ["rds-production-protection"],
        "MySQL deletion protection off",
        RDS_INSTANCE,
        "mysql-db",
        ["deletionProtection"],
        false,
    ),
    property(
        "prod",
        ["rds-production-protection"],
        "MySQL backups kept 1 day",
        RDS_INSTANCE,
        "mysql-db",
        ["backupRetentionPeriod"],
        1,
    ),
    property(
        "prod",
        ["rds-production-protection"],
        "MySQL deleted without a final snapshot",
        RDS_INSTANCE,
        "mysql-db",
        ["skipFinalSnapshot"],
        true,
    ),
    {
        stack: "prod",
        change: "MySQL accepts connections without TLS",
        rules: ["mysql-secure-transport"],
        apply: mysqlWithoutTls,
    },
    property(
        "prod",
        ["data-audit-logs"],
        "MySQL stops exporting its audit log",
        RDS_INSTANCE,
        "mysql-db",
        ["enabledCloudwatchLogsExports"],
        ["error", "slowquery"],
    ),
    property(
        "preprod",
        ["data-audit-logs"],
        "OpenSearch audit logs switched off",
        OPENSEARCH_DOMAIN,
        "search-domain",
        ["logPublishingOptions", 0, "enabled"],
        false,
    ),
    property(
        "prod",
        ["redis-encryption-and-auth"],
        "Redis sessions without transit encryption",
        ELASTICACHE_REPLICATION_GROUP,
        "sessions-redis",
        ["transitEncryptionEnabled"],
        false,
    ),
    property(
        "prod",
        ["redis-encryption-and-auth"],
        "Redis cache unencrypted at rest",
        ELASTICACHE_REPLICATION_GROUP,
        "cache-redis",
        ["atRestEncryptionEnabled"],
        false,
    ),
    property(
        "prod",
        ["production-data-ha"],
        "Redis sessions without automatic failover",
        ELASTICACHE_REPLICATION_GROUP,
        "sessions-redis",
        ["automaticFailoverEnabled"],
        false,
    ),
    property(
        "prod",
        ["opensearch-private-encrypted"],
        "OpenSearch endpoint accepts plain HTTP",
        OPENSEARCH_DOMAIN,
        "search-domain",
        ["domainEndpointOptions", "enforceHttps"],
        false,
    ),
    property(
        "prod",
        ["production-data-ha"],
        "OpenSearch over 2 AZs",
        OPENSEARCH_DOMAIN,
        "search-domain",
        ["clusterConfig", "zoneAwarenessConfig", "availabilityZoneCount"],
        2,
    ),
    property("prod", ["efs-encrypted"], "EFS unencrypted", EFS_FILE_SYSTEM, "shared-fs", ["encrypted"], false),
    property(
        "prod",
        ["s3-bucket-hardening"],
        "config bucket accepts public ACLs",
        S3_BUCKET_PUBLIC_ACCESS_BLOCK,
        "buckets-config",
        ["blockPublicAcls"],
        false,
    ),
    property(
        "prod",
        ["load-balancer-hardening"],
        "HTTP listener forwards instead of redirecting",
        LB_LISTENER,
        "shop-http",
        ["defaultActions"],
        [
            {
                type: "forward",
                targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-3:123456789012:targetgroup/fe/0123456789abcdef",
            },
        ],
    ),
    property(
        "prod",
        ["load-balancer-hardening"],
        "HTTPS listener on a TLS 1.0 policy",
        LB_LISTENER,
        "shop-https",
        ["sslPolicy"],
        "ELBSecurityPolicy-2016-08",
    ),
    property(
        "prod",
        ["load-balancer-hardening"],
        "load balancer forwards invalid headers",
        LB_LOAD_BALANCER,
        "shop-alb",
        ["dropInvalidHeaderFields"],
        false,
    ),
    property(
        "prod",
        ["load-balancer-hardening"],
        "production load balancer deletable",
        LB_LOAD_BALANCER,
        "shop-alb",
        ["enableDeletionProtection"],
        false,
    ),
    property(
        "prod",
        ["no-shared-pub-static"],
        "media access point moved to pub/static",
        EFS_ACCESS_POINT,
        "shared-media",
        ["rootDirectory", "path"],
        "/magento/pub/static",
    ),
    property(
        "prod",
        ["no-shared-pub-static"],
        "front end declares a pub/static shared mount",
        EC2_LAUNCH_TEMPLATE,
        "frontend-lt",
        ["tags", "SharedMounts"],
        "pub/media,pub/static,pub/sitemap,var/export",
    ),
    {
        stack: "prod",
        change: "front end user data mounts EFS on pub/static",
        rules: ["no-shared-pub-static"],
        apply: mountStatic,
    },
    {
        stack: "prod",
        change: "the gateway's agent configuration names a key the agent refuses",
        rules: ["servers-ship-logs"],
        apply: gatewayAgentRefused,
    },
    property(
        "preprod",
        ["web-servers-share-media"],
        "back office forgets the media mount",
        EC2_LAUNCH_TEMPLATE,
        "backoffice-lt",
        ["tags", "SharedMounts"],
        "pub/sitemap,var/export",
    ),
    property(
        "prod",
        ["ec2-hardening"],
        "front end allows IMDSv1",
        EC2_LAUNCH_TEMPLATE,
        "frontend-lt",
        ["metadataOptions", "httpTokens"],
        "optional",
    ),
    property(
        "preprod",
        ["ec2-hardening"],
        "back office gets public IPs",
        EC2_LAUNCH_TEMPLATE,
        "backoffice-lt",
        ["networkInterfaces", 0, "associatePublicIpAddress"],
        "true",
    ),
    property(
        "prod",
        ["autoscaling-health-and-rollout"],
        "front end replaced on EC2 checks only",
        AUTOSCALING_GROUP,
        "frontend-asg",
        ["healthCheckType"],
        "EC2",
    ),
    property(
        "prod",
        ["autoscaling-health-and-rollout"],
        "instance refresh down to 90%",
        AUTOSCALING_GROUP,
        "frontend-asg",
        ["instanceRefresh", "preferences", "minHealthyPercentage"],
        90,
    ),
    property(
        "prod",
        ["production-web-capacity"],
        "production front end of one server",
        AUTOSCALING_GROUP,
        "frontend-asg",
        ["minSize"],
        1,
    ),
    property(
        "prod",
        ["production-web-capacity"],
        "night schedule down to one server",
        AUTOSCALING_SCHEDULE,
        "frontend-schedule-0",
        ["minSize"],
        1,
    ),
    property(
        "prod",
        ["cloudfront-https-logged"],
        "static distribution allows plain HTTP",
        CLOUDFRONT_DISTRIBUTION,
        "cdn-static",
        ["defaultCacheBehavior", "viewerProtocolPolicy"],
        "allow-all",
    ),
    property(
        "preprod",
        ["cdn-serves-static-and-media"],
        "static distribution fetches another origin path",
        CLOUDFRONT_DISTRIBUTION,
        "cdn-static",
        ["origins", 0, "originPath"],
        "/static",
    ),
    property(
        "prod",
        ["admin-routed-to-back-office"],
        "admin rule open to the whole internet",
        LB_LISTENER_RULE,
        "shop-admin-0-0",
        ["conditions", 1, "sourceIp", "values"],
        ["0.0.0.0/0"],
    ),
    property(
        "prod",
        ["side-app-routes"],
        "a side application's admin open to the whole internet",
        LB_LISTENER_RULE,
        "orders-admin-0",
        ["conditions", 2, "sourceIp", "values"],
        ["0.0.0.0/0"],
    ),
    // A rule limited to the shop's own name is the shop's: it must meet the shop's admin and CDN-path checks, whatever
    // its host condition (review s11 M2).
    property(
        "prod",
        ["admin-routed-to-back-office", "cdn-paths-origin-verified"],
        "a shop-host rule forwarding every path from anywhere, ahead of the shop's rules",
        LB_LISTENER_RULE,
        "orders-host",
        ["conditions", 0, "hostHeader", "values"],
        ["www.example.com"],
    ),
    property(
        "prod",
        ["side-app-routes"],
        "a side application's admin refusal moved after its host's forward",
        LB_LISTENER_RULE,
        "cashout-admin-refused",
        ["priority"],
        19,
    ),
    property(
        "prod",
        ["admin-routed-to-back-office"],
        "admin refusal moved before the allow rules",
        LB_LISTENER_RULE,
        "shop-admin-refused-1",
        ["priority"],
        50,
    ),
    // Magento drops repeated slashes; the load balancer does not: //<admin>/ must meet a refusal too.
    property(
        "prod",
        ["admin-routed-to-back-office"],
        "the admin behind repeated slashes no longer refused",
        LB_LISTENER_RULE,
        "shop-admin-refused-slashes",
        ["conditions", 0, "pathPattern", "values"],
        ["/unrelated/*"],
    ),
    property(
        "preprod",
        ["security-group-descriptions"],
        "an apostrophe in a security group's description (EC2 refuses the create)",
        EC2_SECURITY_GROUP,
        "vpn-sg",
        ["description"],
        "OpenVPN server: operators' access",
    ),
    property(
        "prod",
        ["cdn-paths-origin-verified"],
        "Magento's /static/ alias no longer refused without CloudFront's header",
        LB_LISTENER_RULE,
        "shop-cdn-only-1",
        ["conditions", 0, "pathPattern", "values"],
        ["/pub/static/*"],
    ),
    property(
        "prod",
        ["magento-health-check"],
        "front-end health check on /",
        LB_TARGET_GROUP,
        "shop-fe",
        ["healthCheck", "path"],
        "/",
    ),
    {
        stack: "prod",
        change: "SSH open to 0.0.0.0/0 (the load balancer's 443 rule moved to 22)",
        rules: ["no-internet-ingress"],
        apply: sshFromInternet,
    },
    // Two rules guard the gateway's sources: the allow-list contract, and the reachability matrix (gateway: allow-list only).
    property(
        "prod",
        ["operator-allow-list", "reachability"],
        "gateway admits a CIDR outside its allow-list",
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "haproxy-ftp-21-21-203.0.113.10-32",
        ["cidrIpv4"],
        "192.0.2.0/24",
    ),
    // The rule's own CIDR, not only the tag: the partner's /32 widened to the operators' /24 stays inside the allow-list.
    property(
        "prod",
        ["operator-allow-list"],
        "the gateway's FTP rule widened from one address to a /24 of the allow-list",
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "haproxy-ftp-21-21-203.0.113.10-32",
        ["cidrIpv4"],
        "203.0.113.0/24",
    ),
    {
        stack: "prod",
        change: "the gateway's FTP rule moved to SMB (445)",
        rules: ["operator-allow-list"],
        apply: (rs, s) => {
            const rule = named(rs, s, VPC_SECURITY_GROUP_INGRESS_RULE, "haproxy-ftp-21-21-203.0.113.10-32");
            set(rule, ["fromPort"], 445);
            set(rule, ["toPort"], 445);
        },
    },
    property(
        "prod",
        ["reachability"],
        "MySQL admits the VPC's CIDR instead of the web tier",
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "mysql-from-web",
        ["cidrIpv4"],
        "10.20.0.0/16",
    ),
    property(
        "prod",
        ["reachability"],
        "Rundeck's UI admits the VPC's CIDR, not only the VPN's clients",
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "rundeck-ui-from-vpn",
        ["cidrIpv4"],
        "10.20.0.0/16",
    ),
    property(
        "prod",
        ["no-unrestricted-egress"],
        "front end's HTTPS out widened to all traffic",
        VPC_SECURITY_GROUP_EGRESS_RULE,
        "web-internet-443",
        ["ipProtocol"],
        "-1",
    ),
    property(
        "prod",
        ["production-stateful-protected"],
        "Redis sessions deleted without a final snapshot",
        ELASTICACHE_REPLICATION_GROUP,
        "sessions-redis",
        ["finalSnapshotIdentifier"],
        "",
    ),
    property(
        "prod",
        ["required-tags"],
        "the database without its cost centre",
        RDS_INSTANCE,
        "mysql-db",
        ["tags", "CostCentre"],
        "",
    ),
    {
        stack: "prod",
        change: "Rundeck rebuilt create-first while its volume moves",
        rules: ["servers-replaced-delete-first"],
        apply: (rs, s) => {
            delete named(rs, s, EC2_INSTANCE, "rundeck-server-instance").deleteBeforeReplace;
        },
    },
    property(
        "prod",
        ["ebs-volumes-protected"],
        "Rundeck volume unencrypted",
        EBS_VOLUME,
        "rundeck-server-rundeck",
        ["encrypted"],
        false,
    ),
    { stack: "prod", change: "AZ b without its NAT gateway", rules: ["production-network-ha"], apply: natOutOfZoneB },
    property(
        "prod",
        ["operator-allow-list"],
        "the gateway's allow-list widened to the whole internet in two halves",
        EC2_SECURITY_GROUP,
        "haproxy-sg",
        ["tags", "AllowedSources"],
        "0.0.0.0/1,128.0.0.0/1,2001:db8:1234::/48",
    ),
    property(
        "preprod",
        ["no-plaintext-credentials"],
        "a database password written into a tag",
        SSM_PARAMETER,
        "parameters-db/name",
        ["tags", "DbPassword"],
        "Zq8vN3xLp2Rt",
    ),
    property(
        "prod",
        ["engine-standard-support"],
        "MySQL back on 8.0, past its standard support",
        RDS_INSTANCE,
        "mysql-db",
        ["engineVersion"],
        "8.0",
    ),
    property(
        "prod",
        ["engine-standard-support"],
        "MySQL left enrolled in paid Extended Support",
        RDS_INSTANCE,
        "mysql-db",
        ["engineLifecycleSupport"],
        "open-source-rds-extended-support",
    ),
    property(
        "preprod",
        ["engine-standard-support"],
        "OpenSearch on 2.9, past its standard support",
        OPENSEARCH_DOMAIN,
        "search-domain",
        ["engineVersion"],
        "OpenSearch_2.9",
    ),
    // Access, simulated (required-access): each a policy that deployed cleanly and failed at run time.
    policyEdit(
        "prod",
        ["required-access"],
        "data key policy without Auto Scaling's service-linked role",
        KMS_KEY,
        "data-key",
        (statements) => statements.filter((st) => !st.Sid?.startsWith("AutoScaling")),
    ),
    policyEdit(
        "prod",
        ["required-access"],
        "front end granted GetParametersByPath on path/* only",
        IAM_ROLE_POLICY,
        "web-boot-reads",
        (statements) =>
            statements.map((st) =>
                st.Action === "ssm:GetParametersByPath" ? { ...st, Resource: `${st.Resource}/*` } : st,
            ),
    ),
    {
        stack: "prod",
        change: "front end may read the database's master secret",
        rules: ["required-access"],
        apply: frontEndReadsMaster,
    },
    {
        stack: "preprod",
        change: "front end may assume the search domain's admin role",
        rules: ["required-access"],
        apply: frontEndAssumesSearchAdmin,
    },
    policyEdit(
        "preprod",
        ["required-access"],
        "EFS file system policy holding only the TLS deny",
        EFS_FILE_SYSTEM_POLICY,
        "shared-tls",
        (statements) => statements.filter((st) => st.Effect === "Deny"),
    ),
    property(
        "prod",
        ["load-balancer-hardening"],
        "HTTPS listener on the TLS13-1-2 policy that also offers CBC suites",
        LB_LISTENER,
        "shop-https",
        ["sslPolicy"],
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
    ),
    {
        stack: "prod",
        change: "static distribution without its CORS response headers policy",
        rules: ["static-cdn-cors"],
        apply: withoutStaticCors,
    },
    property(
        "prod",
        ["certificate-validation-satisfiable"],
        "storefront certificate awaited while its registrar records are still pending",
        ACM_CERTIFICATE,
        "certificates-brand_a",
        ["tags", "ValidationRecords"],
        "registrar-pending",
    ),
    // Security telemetry (docs/telemetry.md).
    property(
        "prod",
        ["waf-logged"],
        "WAF logs the CDN's origin-verify secret (its redaction dropped)",
        WAFV2_WEB_ACL_LOGGING_CONFIGURATION,
        "waf-requests",
        ["redactedFields"],
        [{ singleHeader: { name: "cookie" } }, { singleHeader: { name: "authorization" } }],
    ),
    property(
        "prod",
        ["security-logs-kept"],
        "session logs kept 90 days",
        CLOUDWATCH_LOG_GROUP,
        "sessions-logs",
        ["retentionInDays"],
        90,
    ),
    property(
        "prod",
        ["security-logs-kept"],
        "Rundeck's job output and audit logs kept 30 days",
        CLOUDWATCH_LOG_GROUP,
        "rundeck-logs",
        ["retentionInDays"],
        30,
    ),
    property(
        "prod",
        ["security-logs-kept"],
        "alarm topic unencrypted",
        SNS_TOPIC,
        "alarms-topic",
        ["kmsMasterKeyId"],
        "",
    ),
    property(
        "prod",
        ["instance-roles-least-privilege"],
        "AmazonSSMManagedInstanceCore attached in place of a monitoring policy",
        IAM_ROLE_POLICY_ATTACHMENT,
        "mysql-monitoring",
        ["policyArn"],
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ),
    policyEdit(
        "prod",
        ["required-access"],
        "telemetry key policy without CloudWatch Logs",
        KMS_KEY,
        "telemetry-key",
        (statements) => statements.filter((st) => st.Sid !== "LogGroupsOfThisAccount"),
    ),
    // Keys (issue 13, reviews M6/N1): one action back in the administration statement.
    policyEdit(
        "prod",
        ["required-access"],
        "data key administration back on kms:Create*, which covers CreateGrant",
        KMS_KEY,
        "data-key",
        (statements) =>
            statements.map((st) =>
                st.Sid === "AdministrationThroughIam" ? { ...st, Action: ["kms:Create*", ...[st.Action].flat()] } : st,
            ),
    ),
    // The release image (issue 17): web servers boot it, and it is built with compact static content of its own.
    {
        stack: "prod",
        change: "front end boots the stock Amazon Linux image Rundeck boots",
        rules: ["web-boots-release-image"],
        apply: frontEndOnStockImage,
    },
    {
        stack: "preprod",
        change: "an image component mounts EFS on pub/static",
        rules: ["release-static-content"],
        apply: componentSharesStatic,
    },
    // Operators' database sessions (issue 19): the tunnel's far end left to whoever starts the session.
    {
        stack: "prod",
        change: "the shop's port-forwarding document takes its host from the session's user",
        rules: ["port-forwarding-fixed"],
        apply: (rs, s) => {
            const r = named(rs, s, SSM_DOCUMENT, "db-access-shop");
            const content = JSON.parse(String(r.outputs?.content));
            set(
                r,
                ["content"],
                JSON.stringify({ ...content, properties: { ...content.properties, host: "{{ host }}" } }),
            );
        },
    },
    // EC2 refuses user data over 16 KB: Rundeck's cloud-config fits only gzip-compressed (docs/servers.md).
    {
        stack: "prod",
        change: "Rundeck's user data sent uncompressed",
        rules: ["user-data-size"],
        apply: rundeckUncompressed,
    },
];
