// The media and static distributions face shoppers: HTTPS only (TLS 1.2 or later, on every cache behaviour), HTTPS
// again to custom origins (the load balancer), and access logs. Logging is either the legacy `loggingConfig` or
// standard logging v2: a CloudWatch Logs delivery source of type ACCESS_LOGS built from the distribution's ARN, with a
// delivery built from that source. Both are read from inputs and property dependencies, so a preview decides.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { dependsOn, ofType } from "../../lib/stack";
import { CLOUDFRONT_DISTRIBUTION, CLOUDWATCH_LOG_DELIVERY, CLOUDWATCH_LOG_DELIVERY_SOURCE } from "../../lib/types";
import { fails, indices, isSet, NOT_KNOWN, read } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const HTTPS_VIEWER_POLICIES = ["redirect-to-https", "https-only"];
/** CloudFront's security policies of TLS 1.2 and later (TLSv1.2_2018 ... TLSv1.3_2025). */
const MODERN_TLS = /^TLSv1\.[23]_\d{4}$/;

function viewerProblems(d: PolicyResource): string[] {
    const behaviours: [string, unknown][] = [
        ["defaultCacheBehavior", read(d.props, "defaultCacheBehavior")],
        ...indices(read(d.props, "orderedCacheBehaviors")).map((i): [string, unknown] => [
            `orderedCacheBehaviors[${i}]`,
            read(d.props, "orderedCacheBehaviors", i),
        ]),
    ];
    const problems = behaviours
        .filter(
            ([, b]) =>
                b !== NOT_KNOWN &&
                fails(read(b, "viewerProtocolPolicy"), (v) => HTTPS_VIEWER_POLICIES.includes(v as string)),
        )
        .map(([label]) => `${label}.viewerProtocolPolicy must be redirect-to-https or https-only`);
    if (read(d.props, "viewerCertificate", "cloudfrontDefaultCertificate") === true) {
        problems.push(
            "the default *.cloudfront.net certificate allows TLS 1.0: use an ACM certificate with minimumProtocolVersion TLSv1.2_2021",
        );
    } else if (fails(read(d.props, "viewerCertificate", "minimumProtocolVersion"), (v) => MODERN_TLS.test(String(v)))) {
        problems.push("viewerCertificate.minimumProtocolVersion must be TLSv1.2_2021 or later (TLS 1.2 at least)");
    }
    return problems;
}

function originProblems(d: PolicyResource): string[] {
    return indices(read(d.props, "origins")).flatMap((i) => {
        const config = read(d.props, "origins", i, "customOriginConfig");
        if (config === undefined || config === NOT_KNOWN) {
            return [];
        }
        const id = read(d.props, "origins", i, "originId");
        const problems: string[] = [];
        if (fails(read(config, "originProtocolPolicy"), (v) => v === "https-only")) {
            problems.push(`origin ${String(id)} must be reached with originProtocolPolicy https-only`);
        }
        if (
            fails(
                read(config, "originSslProtocols"),
                (v) => Array.isArray(v) && v.length > 0 && v.every((p) => p === "TLSv1.2"),
            )
        ) {
            problems.push(`origin ${String(id)} must allow only TLSv1.2 in originSslProtocols`);
        }
        return problems;
    });
}

function logged(d: PolicyResource, resources: readonly PolicyResource[]): boolean {
    if (isSet(d.props, "loggingConfig", "bucket")) {
        return true;
    }
    const sources = ofType(resources, CLOUDWATCH_LOG_DELIVERY_SOURCE).filter(
        (s) => !fails(read(s.props, "logType"), (t) => t === "ACCESS_LOGS") && dependsOn(s, "resourceArn").includes(d),
    );
    return ofType(resources, CLOUDWATCH_LOG_DELIVERY).some((delivery) =>
        sources.some((s) => dependsOn(delivery, "deliverySourceName").includes(s)),
    );
}

export const cloudfrontHttpsLogged: StackValidationPolicy = {
    name: "cloudfront-https-logged",
    description:
        "CloudFront distributions serve viewers over HTTPS only with TLS 1.2 or later, reach custom origins over HTTPS (TLS 1.2), and log access.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const d of ofType(args.resources, CLOUDFRONT_DISTRIBUTION)) {
            const problems = [...viewerProblems(d), ...originProblems(d)];
            if (!logged(d, args.resources)) {
                problems.push(
                    "no access logs: add standard logging v2 (a LogDeliverySource of type ACCESS_LOGS on its ARN and a LogDelivery from it) or loggingConfig",
                );
            }
            if (problems.length > 0) {
                reportViolation(`Distribution ${d.name}: ${problems.join("; ")}.`, d.urn);
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [CLOUDFRONT_DISTRIBUTION, CLOUDWATCH_LOG_DELIVERY_SOURCE, CLOUDWATCH_LOG_DELIVERY],
    decides:
        "Decides during preview from viewer/origin protocol policies, the viewer certificate, and the log delivery source/delivery wired to the distribution (property dependencies).",
    remediation:
        "Set the viewer protocol policy to redirect-to-https or https-only, the viewer certificate's minimum protocol to TLSv1.2_2021 or later, custom origins to https-only with TLSv1.2, and give the distribution a logging configuration.",
    controls: controls({
        securityHub: ["CloudFront.3", "CloudFront.5", "CloudFront.9", "CloudFront.10"],
        awsConfig: ["cloudfront-viewer-policy-https", "cloudfront-accesslogs-enabled"],
        checkov: ["CKV_AWS_34", "CKV_AWS_86", "CKV_AWS_174"],
        trivy: ["AVD-AWS-0010", "AVD-AWS-0012", "AVD-AWS-0013"],
    }),
};
