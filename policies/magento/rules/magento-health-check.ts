// The load balancer asks Magento itself whether a server is healthy: health_check.php answers 500 when Magento cannot
// reach MySQL or Redis, so a server with a broken PHP or a lost database leaves rotation (and, with ELB health checks,
// is replaced). A TCP or "/" check keeps such servers serving errors. Magento's document root is pub/, so the path is
// /health_check.php (docs/estate.md); only 200 is healthy (a redirect to a login page is not).
import { StackValidationPolicy } from "@pulumi/policy";
import { TIER_TAG, WEB_TIERS_SCHEMA } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, groupTag, ofType } from "../../lib/stack";
import { AUTOSCALING_GROUP, TARGET_GROUPS } from "../../lib/types";
import { known, knownString } from "../../lib/values";

const HEALTH_CHECK_PATH = "/health_check.php";

interface Config {
    webTiers?: string[];
    healthCheckPath?: string;
}

export const magentoHealthCheck: StackValidationPolicy = {
    name: "magento-health-check",
    description:
        "Target groups of the Magento web tiers (autoscaling groups by Tier tag) check Magento's /health_check.php over HTTP(S) and accept only 200.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...WEB_TIERS_SCHEMA,
            healthCheckPath: {
                type: "string",
                default: HEALTH_CHECK_PATH,
                description: "Path of Magento's health check, relative to the document root (pub/).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const tiers = config.webTiers ?? WEB_TIERS_SCHEMA.webTiers.default;
        const path = config.healthCheckPath ?? HEALTH_CHECK_PATH;
        for (const group of ofType(args.resources, AUTOSCALING_GROUP).filter((g) =>
            tiers.includes(groupTag(g, TIER_TAG) ?? ""),
        )) {
            for (const target of dependsOn(group, "targetGroupArns", ...TARGET_GROUPS)) {
                const check = known(target.props, "healthCheck");
                const problems = [
                    ...(known(check, "enabled") === false ? ["is disabled"] : []),
                    ...(knownString(check, "path") !== path
                        ? [`checks ${knownString(check, "path") ?? "/ (the default)"}`]
                        : []),
                    ...(knownString(check, "matcher") !== "200"
                        ? [`accepts ${knownString(check, "matcher") ?? "the default 200-399"}`]
                        : []),
                    ...(!["HTTP", "HTTPS", undefined].includes(knownString(check, "protocol"))
                        ? [`uses ${knownString(check, "protocol")}`]
                        : []),
                ];
                if (problems.length > 0) {
                    reportViolation(
                        `Target group ${target.name} of web tier ${groupTag(group, TIER_TAG)} (${group.name}) health check ${problems.join(", ")}; ` +
                            `check ${path} over HTTP with matcher "200", which fails when Magento cannot reach MySQL or Redis.`,
                        target.urn,
                    );
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [AUTOSCALING_GROUP, ...TARGET_GROUPS],
    decides:
        "Decides during preview from the groups' Tier tag, the target groups wired to targetGroupArns (property dependencies) and their healthCheck as written.",
    remediation: "Point the target group's health check at /health_check.php over HTTP or HTTPS with matcher 200.",
    controls: controls({}),
};
