// Security and reliability baseline. One rule per file under rules/.
import { PolicyPack } from "@pulumi/policy";
import { withSdkMetadata } from "../lib/sdk-metadata";
import { certificateValidationSatisfiable } from "./rules/certificate-validation-satisfiable";
import { dataAuditLogs } from "./rules/data-audit-logs";
import { ebsVolumesProtected } from "./rules/ebs-volumes-protected";
import { ec2Hardening } from "./rules/ec2-hardening";
import { cloudfrontHttpsLogged } from "./rules/cloudfront-https-logged";
import { efsEncrypted } from "./rules/efs-encrypted";
import { securityGroupDescriptions } from "./rules/security-group-descriptions";
import { engineStandardSupport } from "./rules/engine-standard-support";
import { instanceRolesLeastPrivilege } from "./rules/instance-roles-least-privilege";
import { autoscalingHealthAndRollout } from "./rules/autoscaling-health-and-rollout";
import { loadBalancerHardening } from "./rules/load-balancer-hardening";
import { mysqlSecureTransport } from "./rules/mysql-secure-transport";
import { noInternetIngress } from "./rules/no-internet-ingress";
import { noPlaintextCredentials } from "./rules/no-plaintext-credentials";
import { operatorAllowList } from "./rules/operator-allow-list";
import { portForwardingFixed } from "./rules/port-forwarding-fixed";
import { opensearchPrivateEncrypted } from "./rules/opensearch-private-encrypted";
import { productionStatefulProtected } from "./rules/production-stateful-protected";
import { privateServers } from "./rules/private-servers";
import { rdsEncryptedPrivate } from "./rules/rds-encrypted-private";
import { rdsProductionProtection } from "./rules/rds-production-protection";
import { redisEncryptionAndAuth } from "./rules/redis-encryption-and-auth";
import { noUnrestrictedEgress } from "./rules/no-unrestricted-egress";
import { requiredTags } from "./rules/required-tags";
import { s3BucketHardening } from "./rules/s3-bucket-hardening";
import { securityLogsKept } from "./rules/security-logs-kept";
import { statefulBackedUp } from "./rules/stateful-backed-up";
import { serversReplacedDeleteFirst } from "./rules/servers-replaced-delete-first";
import { userDataSize } from "./rules/user-data-size";
import { wafLogged } from "./rules/waf-logged";

new PolicyPack("aws-baseline", {
    policies: withSdkMetadata(__dirname, [
        noInternetIngress,
        rdsEncryptedPrivate,
        rdsProductionProtection,
        mysqlSecureTransport,
        dataAuditLogs,
        redisEncryptionAndAuth,
        opensearchPrivateEncrypted,
        engineStandardSupport,
        efsEncrypted,
        securityGroupDescriptions,
        s3BucketHardening,
        noPlaintextCredentials,
        loadBalancerHardening,
        autoscalingHealthAndRollout,
        privateServers,
        ec2Hardening,
        ebsVolumesProtected,
        serversReplacedDeleteFirst,
        operatorAllowList,
        cloudfrontHttpsLogged,
        certificateValidationSatisfiable,
        productionStatefulProtected,
        statefulBackedUp,
        requiredTags,
        noUnrestrictedEgress,
        instanceRolesLeastPrivilege,
        wafLogged,
        securityLogsKept,
        userDataSize,
        portForwardingFixed,
    ]),
});
