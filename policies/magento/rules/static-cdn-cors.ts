// Magento's pages come from the shop's and storefronts' names while CSS, JS, fonts and the RequireJS `text!` templates
// of checkout and the minicart come from static.<domain>: browsers refuse cross-origin fonts and XHR responses without
// CORS headers. The distribution serving /pub/static therefore carries a response headers policy whose CORS
// configuration names the page origins (never `*`, which any site could then read alongside a shopper's session).
// The distribution is found by its origin path, or by a `static.` alias where the origins are an unreadable secret.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType } from "../../lib/stack";
import { CLOUDFRONT_DISTRIBUTION, CLOUDFRONT_RESPONSE_HEADERS_POLICY } from "../../lib/types";
import { indices, isSet, known, knownString } from "../../lib/values";

interface Config {
    staticOriginPath?: string;
    staticAliasPrefix?: string;
}

function servesStatic(d: PolicyResource, config: Config): boolean {
    const path = config.staticOriginPath ?? "/pub/static";
    const origins = known(d.props, "origins");
    const aliases = known(d.props, "aliases");
    return (
        indices(origins).some((i) => knownString(origins, i, "originPath")?.replace(/\/+$/, "") === path) ||
        (Array.isArray(aliases) &&
            aliases.some((a) => typeof a === "string" && a.startsWith(config.staticAliasPrefix ?? "static.")))
    );
}

/** What is wrong with a response headers policy's CORS origins, if anything (unknown values decide nothing). */
function corsProblem(policy: PolicyResource): string | undefined {
    if (!isSet(policy.props, "corsConfig")) {
        return `its response headers policy ${policy.name} has no CORS configuration`;
    }
    const items = known(policy.props, "corsConfig", "accessControlAllowOrigins", "items");
    if (Array.isArray(items) && (items.length === 0 || items.includes("*"))) {
        return `its response headers policy ${policy.name} allows ${items.length === 0 ? "no origin" : "every origin (*)"}`;
    }
    return undefined;
}

export const staticCdnCors: StackValidationPolicy = {
    name: "static-cdn-cors",
    description:
        "The CloudFront distribution serving /pub/static carries a response headers policy whose CORS configuration names the page origins (not *).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            staticOriginPath: {
                type: "string",
                default: "/pub/static",
                description: "Origin path of the distribution serving Magento's static content.",
            },
            staticAliasPrefix: {
                type: "string",
                default: "static.",
                description:
                    "Alias prefix that marks the static distribution where its origins are an unreadable secret.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        for (const d of ofType(args.resources, CLOUDFRONT_DISTRIBUTION).filter((x) => servesStatic(x, config))) {
            // The policy the behaviour was computed from (a managed policy, referenced by id alone, is not judged).
            const attached = dependsOn(d, "defaultCacheBehavior", CLOUDFRONT_RESPONSE_HEADERS_POLICY);
            const problem = !isSet(d.props, "defaultCacheBehavior", "responseHeadersPolicyId")
                ? "its default cache behaviour has no response headers policy"
                : attached.map(corsProblem).find((p) => p !== undefined);
            if (problem !== undefined) {
                reportViolation(
                    `Distribution ${d.name} serves Magento's static content to pages on other names, but ${problem}: browsers then refuse its fonts ` +
                        "and the RequireJS text! templates of checkout and the minicart. Attach a response headers policy with corsConfig listing https://<name> " +
                        "for every name that serves pages.",
                    d.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [CLOUDFRONT_DISTRIBUTION, CLOUDFRONT_RESPONSE_HEADERS_POLICY],
    decides:
        "Decides during preview from each distribution's origin paths (or aliases where the origins are a secret), its default cache behaviour's response headers policy, and that policy's CORS origins when known.",
    remediation:
        "Attach a response headers policy to the /pub/static behaviour whose CORS configuration lists the shop's page origins.",
    controls: controls({}),
};
