// Shoppers get CSS/JS and product images from CloudFront, not from the PHP servers: when the stack has an
// internet-facing load balancer, a distribution fetches /pub/media and one fetches /pub/static from an HTTP(S) origin
// (the load balancer, as origin.<domain>) by origin path (docs/estate.md: two distributions, media and static).
// The origin's domain is a DNS name that may live at a registrar, so the rule reads the custom origin and its path,
// not the name's target.
import { StackValidationPolicy } from "@pulumi/policy";
import { hasMagentoWebTier, WEB_TIERS_SCHEMA } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { internetFacingBalancers, ofType } from "../../lib/stack";
import { CLOUDFRONT_DISTRIBUTION, LOAD_BALANCERS } from "../../lib/types";
import { indices, known, knownString } from "../../lib/values";

const ORIGIN_PATHS = ["/pub/media", "/pub/static"];

interface Config {
    originPaths?: string[];
    webTiers?: string[];
}

export const cdnServesStaticAndMedia: StackValidationPolicy = {
    name: "cdn-serves-static-and-media",
    description:
        "A Magento stack (web tiers tagged Tier) with an internet-facing load balancer has CloudFront distributions whose custom origins fetch /pub/media and /pub/static.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            originPaths: {
                type: "array",
                items: { type: "string" },
                default: ORIGIN_PATHS,
                description: "Origin paths that some distribution must serve from a custom (load balancer) origin.",
            },
            ...WEB_TIERS_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const balancer = internetFacingBalancers(args.resources)[0];
        if (
            balancer === undefined ||
            !hasMagentoWebTier(args.resources, args.getConfig<Config>().webTiers ?? WEB_TIERS_SCHEMA.webTiers.default)
        ) {
            return;
        }
        const distributions = ofType(args.resources, CLOUDFRONT_DISTRIBUTION).filter(
            (d) => known(d.props, "enabled") !== false,
        );
        const served = new Set(
            distributions.flatMap((d) =>
                indices(known(d.props, "origins"))
                    .filter((i) => known(d.props, "origins", i, "customOriginConfig") !== undefined)
                    .map((i) => knownString(d.props, "origins", i, "originPath")?.replace(/\/+$/, "")),
            ),
        );
        // Origins carrying a secret header are a secret output: an export without --show-secrets cannot show them.
        const unreadable = distributions.some((d) => !Array.isArray(known(d.props, "origins")));
        const missing = (args.getConfig<Config>().originPaths ?? ORIGIN_PATHS).filter((p) => !served.has(p));
        if (missing.length > 0 && !unreadable) {
            reportViolation(
                `Load balancer ${balancer.name} faces the internet but no CloudFront distribution serves ${missing.join(" and ")} from it: ` +
                    "add a distribution per path with the load balancer as custom origin and the path as originPath, so that images, CSS and JS " +
                    "come from the CDN's edge caches instead of Magento's PHP servers.",
                balancer.urn,
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [...LOAD_BALANCERS, CLOUDFRONT_DISTRIBUTION],
    decides:
        "Decides during preview from the load balancer's internal flag and each distribution's origins (custom origin config and origin path) as written; on an export whose origins are encrypted secrets it cannot read them and stays silent.",
    remediation:
        "Give the stack a CloudFront distribution with cache behaviours for /pub/media and /pub/static whose custom origin is the load balancer.",
    controls: controls({}),
};
