// An internet-facing load balancer is the shop's front door: it keeps a record of every request (access logs), refuses
// requests with malformed headers (request smuggling), speaks only HTTPS with a modern TLS policy (HTTP only
// redirects), and in production cannot be deleted by a stray destroy.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isProductionUrn, PRODUCTION_STACKS_SCHEMA } from "../../lib/stack";
import { LISTENERS, LOAD_BALANCERS } from "../../lib/types";
import { fails, indices, known, knownString, read } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

/**
 * TLS 1.3/1.2 policies offering forward-secret AEAD suites only: TLS 1.3 alone, or the restricted (`Res`) TLS 1.2
 * policies. The plain TLS13-1-2 policies also offer CBC and RSA key-exchange suites (docs/edge.md, "TLS policy").
 */
const MODERN_TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
];

interface Config {
    productionStacks?: string[];
    allowedTlsPolicies?: string[];
}

type Report = (message: string) => void;

function checkBalancer(name: string, props: Record<string, unknown>, production: boolean, report: Report): void {
    if (known(props, "loadBalancerType") === "network" || known(props, "loadBalancerType") === "gateway") {
        return; // neither parses HTTP headers nor writes access logs in the same way
    }
    if (fails(read(props, "accessLogs", "enabled"), (v) => v === true)) {
        report(`Load balancer ${name} keeps no access logs; set accessLogs: { enabled: true, bucket } (ELB.5).`);
    }
    if (fails(read(props, "dropInvalidHeaderFields"), (v) => v === true)) {
        report(
            `Load balancer ${name} forwards requests with invalid header fields; set dropInvalidHeaderFields: true (ELB.4).`,
        );
    }
    if (production && fails(read(props, "enableDeletionProtection"), (v) => v === true)) {
        report(`Production load balancer ${name} can be deleted; set enableDeletionProtection: true (ELB.6).`);
    }
}

function checkListener(name: string, props: Record<string, unknown>, allowed: readonly string[], report: Report): void {
    const protocol = knownString(props, "protocol");
    if (protocol === "HTTPS") {
        const policy = knownString(props, "sslPolicy");
        if (!policy || !allowed.includes(policy)) {
            report(
                `HTTPS listener ${name} uses TLS policy ${policy ?? "(the ELB default, which allows TLS 1.0)"}; use one of ${allowed.join(", ")}.`,
            );
        }
    } else if (protocol === "HTTP") {
        const actions = known(props, "defaultActions");
        const redirects =
            indices(actions).length > 0 &&
            indices(actions).every(
                (i) =>
                    known(actions, i, "type") === "redirect" && known(actions, i, "redirect", "protocol") === "HTTPS",
            );
        if (!redirects) {
            report(
                `HTTP listener ${name} serves content in clear text; its only default action must redirect to HTTPS (ELB.1).`,
            );
        }
    }
}

export const loadBalancerHardening: ResourceValidationPolicy = {
    name: "load-balancer-hardening",
    description:
        "Application load balancers log access, drop invalid headers, serve HTTPS with a TLS 1.3/1.2 policy of forward-secret AEAD suites only (HTTP only redirects) and, in production, have deletion protection.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...PRODUCTION_STACKS_SCHEMA,
            allowedTlsPolicies: {
                type: "array",
                items: { type: "string" },
                default: MODERN_TLS_POLICIES,
                description: "ELB security policies an HTTPS listener may use.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        if (LOAD_BALANCERS.includes(args.type)) {
            checkBalancer(args.name, args.props, isProductionUrn(args.urn, config), reportViolation);
        } else if (LISTENERS.includes(args.type)) {
            checkListener(args.name, args.props, config.allowedTlsPolicies ?? MODERN_TLS_POLICIES, reportViolation);
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...LOAD_BALANCERS, ...LISTENERS],
    decides:
        "Decides during preview from accessLogs, dropInvalidHeaderFields, enableDeletionProtection, listener protocol, sslPolicy and default actions as written, and the stack name.",
    remediation:
        "Give the load balancer access logs to a bucket, dropInvalidHeaderFields true, HTTPS listeners with an ELBSecurityPolicy-TLS13-1-2 policy (HTTP listeners only redirecting to HTTPS) and, in production, enableDeletionProtection true.",
    controls: controls({
        securityHub: ["ELB.1", "ELB.4", "ELB.5", "ELB.6", "ELB.17"],
        awsConfig: [
            "alb-http-to-https-redirection-check",
            "alb-http-drop-invalid-header-enabled",
            "elb-logging-enabled",
            "elb-deletion-protection-enabled",
        ],
        checkov: ["CKV_AWS_2", "CKV_AWS_91", "CKV_AWS_103", "CKV_AWS_131", "CKV_AWS_150"],
        trivy: ["AVD-AWS-0047", "AVD-AWS-0052", "AVD-AWS-0054"],
    }),
};
