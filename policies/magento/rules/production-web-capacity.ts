// Losing one AZ, or one server, leaves production serving: every autoscaling group may place servers in at least 2
// AZs, and the front end never runs fewer than 2 servers, not even at night by a scheduled action (the estate
// scaled to one server at 19:00 to save money; preproduction still may). The back office is one server by design:
// two would run every cron job twice. It is held only to the AZ spread, so that it comes back in another AZ; so are the
// side applications, each a self-healing single server (components/sideapps).
// A group whose launch template says no release image exists yet (LAUNCH_IMAGE_TAG `none`: a fresh stack's first up,
// docs/release-image.md) keeps no server by design and is held to the AZ spread only; web-boots-release-image holds
// it at zero, and the plan check refuses an existing stack's group falling back to `none` (docs/day-two.md).
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LAUNCH_IMAGE_TAG } from "../../lib/contracts";
import { azOf } from "../../lib/placement";
import { dependsOn, groupTag, isProduction, ofType, PRODUCTION_STACKS_SCHEMA } from "../../lib/stack";
import { AUTOSCALING_GROUP, AUTOSCALING_SCHEDULE, EC2_LAUNCH_TEMPLATE, EC2_SUBNET } from "../../lib/types";
import { known, knownTags } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const SINGLE_INSTANCE_TIERS = ["backoffice", "sideapps"];

interface Config {
    productionStacks?: string[];
    minInstances?: number;
    minAvailabilityZones?: number;
    singleInstanceTiers?: string[];
}

/** Distinct AZs of the group's subnets when they are resources of this stack; else distinct subnet ids as given. */
function placements(group: PolicyResource): string[] {
    const subnets = dependsOn(group, "vpcZoneIdentifiers", EC2_SUBNET);
    if (subnets.length > 0) {
        return [...new Set(subnets.map(azOf))].sort();
    }
    const ids = known(group.props, "vpcZoneIdentifiers");
    return Array.isArray(ids) ? [...new Set(ids.map(String))] : [];
}

/** The group launches from a template whose image source is `none`: no release image exists yet. */
function awaitsFirstRelease(group: PolicyResource): boolean {
    return dependsOn(group, "launchTemplate", EC2_LAUNCH_TEMPLATE).some((template) =>
        knownTags(template.props).some(([key, value]) => key === LAUNCH_IMAGE_TAG && value === "none"),
    );
}

export const productionWebCapacity: StackValidationPolicy = {
    name: "production-web-capacity",
    description:
        "Production autoscaling groups span at least 2 AZs, and keep at least 2 servers (scheduled actions included) unless their tier is single-instance by design.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...PRODUCTION_STACKS_SCHEMA,
            minInstances: {
                type: "integer",
                default: 2,
                minimum: 1,
                description: "Fewest servers a production group keeps at any time.",
            },
            minAvailabilityZones: {
                type: "integer",
                default: 2,
                minimum: 1,
                description: "Fewest AZs a production group may place servers in.",
            },
            singleInstanceTiers: {
                type: "array",
                items: { type: "string" },
                default: SINGLE_INSTANCE_TIERS,
                description:
                    "Values of the groups' Tier tag that run one server on purpose (cron, indexers; the side applications).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        if (!isProduction(args.resources, config)) {
            return;
        }
        const minInstances = config.minInstances ?? 2;
        const minAzs = config.minAvailabilityZones ?? 2;
        const single = config.singleInstanceTiers ?? SINGLE_INSTANCE_TIERS;
        for (const group of ofType(args.resources, AUTOSCALING_GROUP)) {
            const azs = placements(group);
            if (azs.length < minAzs) {
                reportViolation(
                    `Production autoscaling group ${group.name} can place servers in ${azs.length} AZ(s) (${azs.join(", ") || "none"}); ` +
                        `give it subnets in at least ${minAzs} AZs so that losing one AZ leaves servers in another.`,
                    group.urn,
                );
            }
            const tier = groupTag(group, "Tier");
            if (tier !== undefined && single.includes(tier)) {
                continue;
            }
            if (awaitsFirstRelease(group)) {
                continue;
            }
            const minSize = known(group.props, "minSize");
            if (typeof minSize !== "number" || minSize < minInstances) {
                reportViolation(
                    `Production autoscaling group ${group.name} may run ${typeof minSize === "number" ? minSize : "no"} server(s); ` +
                        `set minSize to at least ${minInstances} so that losing a server or an AZ leaves the group serving.`,
                    group.urn,
                );
            }
            for (const schedule of ofType(args.resources, AUTOSCALING_SCHEDULE).filter((s) =>
                dependsOn(s, "autoscalingGroupName").includes(group),
            )) {
                const scheduledMin = known(schedule.props, "minSize");
                if (typeof scheduledMin === "number" && scheduledMin >= 0 && scheduledMin < minInstances) {
                    reportViolation(
                        `Scheduled action ${schedule.name} takes production group ${group.name} down to ${scheduledMin} server(s) ` +
                            `(${String(known(schedule.props, "recurrence"))}); production keeps at least ${minInstances}.`,
                        schedule.urn,
                    );
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [AUTOSCALING_GROUP, AUTOSCALING_SCHEDULE, EC2_SUBNET, EC2_LAUNCH_TEMPLATE],
    decides:
        "Decides during preview from minSize, the Tier tag, scheduled minSize, the launch template's image source (none: no release yet) and the AZs of the subnets wired to vpcZoneIdentifiers (property dependencies).",
    remediation:
        "Spread the group over at least 2 AZs and keep minSize (and every scheduled action's minimum) at 2 or more.",
    controls: controls({ securityHub: ["AutoScaling.2"], awsConfig: ["autoscaling-multiple-az"] }),
};
