// Who logged in to the data services and what they changed is recorded (PCI DSS 10.2): a MySQL or MariaDB instance
// publishes the MariaDB Audit Plugin's log, which needs an option group holding it
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html); an
// OpenSearch domain publishes AUDIT_LOGS, which needs fine-grained access control
// (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { RDS_INSTANCE, SEARCH_DOMAINS } from "../../lib/types";
import { isSet } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const AUDITED_ENGINES = ["mysql", "mariadb"];

export const dataAuditLogs: ResourceValidationPolicy = {
    name: "data-audit-logs",
    description:
        "MySQL and MariaDB instances export their audit log (MariaDB Audit Plugin); OpenSearch domains publish audit logs.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const props = args.props;
        if (args.type === RDS_INSTANCE && AUDITED_ENGINES.includes(String(props.engine))) {
            const exports: unknown = props.enabledCloudwatchLogsExports;
            if (!Array.isArray(exports) || !exports.includes("audit")) {
                reportViolation(
                    `Database ${args.name} does not export its audit log; add "audit" to enabledCloudwatchLogsExports.`,
                );
            }
            // The option group's name is another resource's output, unknown in preview: its presence is what is read.
            if (!isSet(props, "optionGroupName")) {
                reportViolation(
                    `Database ${args.name} has no option group, so no audit plugin; give it one holding the MARIADB_AUDIT_PLUGIN option.`,
                );
            }
        }
        if (SEARCH_DOMAINS.includes(args.type)) {
            const options: unknown = props.logPublishingOptions;
            const audit = Array.isArray(options) ? options.find((o) => o?.logType === "AUDIT_LOGS") : undefined;
            if (audit === undefined || audit.enabled === false || !isSet(audit, "cloudwatchLogGroupArn")) {
                reportViolation(
                    `Search domain ${args.name} does not publish audit logs; add logPublishingOptions ` +
                        "{logType: AUDIT_LOGS, cloudwatchLogGroupArn, enabled: true} (with fine-grained access control on).",
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [RDS_INSTANCE, ...SEARCH_DOMAINS],
    decides:
        "Decides during preview from the engine, the exported log types, the option group's presence and the domain's log publishing options as written.",
    remediation:
        "For MySQL/MariaDB, add the MARIADB_AUDIT_PLUGIN option to the option group and export the audit log (enabledCloudwatchLogsExports includes audit); for OpenSearch, enable advanced security and publish AUDIT_LOGS to a log group.",
    controls: controls({ securityHub: ["Opensearch.5"], awsConfig: ["opensearch-audit-logging-enabled"] }),
    sources: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html",
    ],
};
