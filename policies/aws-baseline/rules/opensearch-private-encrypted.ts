// Magento's catalog search index lives in OpenSearch: inside the VPC (a public domain is one access policy away
// from the internet), encrypted at rest and between nodes, and reached over HTTPS with TLS 1.2 or later only.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { SEARCH_DOMAINS } from "../../lib/types";
import { isSet } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const TLS_POLICIES = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

interface Config {
    allowedTlsPolicies?: string[];
}

export const opensearchPrivateEncrypted: ResourceValidationPolicy = {
    name: "opensearch-private-encrypted",
    description:
        "OpenSearch domains sit in the VPC, encrypt at rest and node to node, and enforce HTTPS with TLS 1.2+.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedTlsPolicies: {
                type: "array",
                items: { type: "string" },
                default: TLS_POLICIES,
                description:
                    "TLS security policies a domain endpoint may use (domainEndpointOptions.tlsSecurityPolicy).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!SEARCH_DOMAINS.includes(args.type)) {
            return;
        }
        const props = args.props;
        const domain = `Search domain ${args.name}`;
        // Subnet ids are another resource's output, unknown in preview: their presence is what is read.
        if (!isSet(props, "vpcOptions", "subnetIds")) {
            reportViolation(
                `${domain} has a public endpoint; put it in the VPC's private subnets (vpcOptions.subnetIds).`,
            );
        }
        if (props.encryptAtRest?.enabled !== true) {
            reportViolation(`${domain} is not encrypted at rest; set encryptAtRest.enabled: true.`);
        }
        if (props.nodeToNodeEncryption?.enabled !== true) {
            reportViolation(
                `${domain} does not encrypt traffic between its nodes; set nodeToNodeEncryption.enabled: true.`,
            );
        }
        if (props.domainEndpointOptions?.enforceHttps !== true) {
            reportViolation(`${domain} accepts plain HTTP; set domainEndpointOptions.enforceHttps: true.`);
        }
        const allowed = args.getConfig<Config>().allowedTlsPolicies ?? TLS_POLICIES;
        const policy: unknown = props.domainEndpointOptions?.tlsSecurityPolicy;
        if (typeof policy !== "string" || !allowed.includes(policy)) {
            reportViolation(
                `${domain} uses TLS policy ${policy ?? "(not set: the AWS default)"}; ` +
                    `set domainEndpointOptions.tlsSecurityPolicy to one of ${allowed.join(", ")}.`,
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: SEARCH_DOMAINS,
    decides:
        "Decides during preview from vpcOptions, encryptAtRest, nodeToNodeEncryption and domainEndpointOptions as written.",
    remediation:
        "Place the domain in the VPC (vpcOptions), enable encryptAtRest and nodeToNodeEncryption, and set domainEndpointOptions enforceHttps with a TLS 1.2 policy.",
    controls: controls({
        securityHub: ["Opensearch.1", "Opensearch.2", "Opensearch.3", "Opensearch.8"],
        checkov: ["CKV_AWS_5", "CKV_AWS_6", "CKV_AWS_83", "CKV_AWS_228"],
        trivy: ["AVD-AWS-0043", "AVD-AWS-0046", "AVD-AWS-0048", "AVD-AWS-0126"],
    }),
};
