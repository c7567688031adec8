// Customers' data crosses the VPC between the web servers and MySQL: a MySQL parameter group must refuse connections
// that do not use TLS. RDS for MySQL 8.4 and lower defaults require_secure_transport to OFF
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { RDS_PARAMETER_GROUP } from "../../lib/types";

/** MySQL reads the variable as a boolean: 1 and ON both enable it. */
const ON = ["1", "on"];

export const mysqlSecureTransport: ResourceValidationPolicy = {
    name: "mysql-secure-transport",
    description: "MySQL parameter groups set require_secure_transport to ON: clients connect over TLS or not at all.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const family: unknown = args.props.family;
        if (args.type !== RDS_PARAMETER_GROUP || typeof family !== "string" || !family.startsWith("mysql")) {
            return;
        }
        const parameters: unknown = args.props.parameters;
        const setting = Array.isArray(parameters)
            ? parameters.find((p) => p?.name === "require_secure_transport")
            : undefined;
        if (!ON.includes(String(setting?.value ?? "").toLowerCase())) {
            reportViolation(
                `MySQL parameter group ${args.name} lets clients connect without TLS ` +
                    `(require_secure_transport ${setting === undefined ? "not set: RDS's default is OFF" : `= ${setting.value}`}); ` +
                    "add the parameter require_secure_transport with value 1.",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [RDS_PARAMETER_GROUP],
    decides: "Decides during preview from the parameter group's family and parameters as written.",
    remediation: "Set require_secure_transport to ON in the MySQL parameter group and have clients connect with TLS.",
    controls: controls({}),
    sources: ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html"],
};
