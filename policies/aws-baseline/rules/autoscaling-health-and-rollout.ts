// A group behind a load balancer replaces the servers the load balancer finds unhealthy (EC2 status checks alone
// keep a server whose PHP is failing), and rolls out a new image without dropping capacity: its instance refresh
// keeps 100% of the group healthy, launching new servers before old ones leave.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { AUTOSCALING_GROUP } from "../../lib/types";
import { fails, isSet, known, NOT_KNOWN, read } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const MIN_HEALTHY = 100;

interface Config {
    minHealthyPercentage?: number;
}

export const autoscalingHealthAndRollout: ResourceValidationPolicy = {
    name: "autoscaling-health-and-rollout",
    description:
        "Autoscaling groups behind a load balancer use its health checks and roll out by an instance refresh that keeps 100% of capacity healthy.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minHealthyPercentage: {
                type: "integer",
                default: MIN_HEALTHY,
                minimum: 0,
                maximum: 100,
                description:
                    "Lowest instanceRefresh.preferences.minHealthyPercentage allowed: the share of servers kept in service during a release.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const minHealthy = args.getConfig<Config>().minHealthyPercentage ?? MIN_HEALTHY;
        if (args.type !== AUTOSCALING_GROUP || !isSet(args.props, "targetGroupArns")) {
            return;
        }
        if (fails(read(args.props, "healthCheckType"), (v) => v === "ELB")) {
            reportViolation(
                `Autoscaling group ${args.name} serves a load balancer but replaces only servers EC2 finds broken; ` +
                    'set healthCheckType: "ELB" with a grace period (AutoScaling.1).',
            );
        }
        const refresh = read(args.props, "instanceRefresh");
        const healthy = known(refresh, "preferences", "minHealthyPercentage");
        if (refresh === NOT_KNOWN) {
            return; // computed from another output: the update decides
        }
        if (refresh === undefined) {
            reportViolation(
                `Autoscaling group ${args.name} has no instance refresh: a new image or launch template reaches no running server; ` +
                    `add instanceRefresh with preferences.minHealthyPercentage: ${minHealthy}.`,
            );
        } else if (typeof healthy !== "number" || healthy < minHealthy) {
            reportViolation(
                `Autoscaling group ${args.name} may drop to ${typeof healthy === "number" ? healthy : 90}% of its servers during a release; ` +
                    `set instanceRefresh.preferences.minHealthyPercentage: ${minHealthy} (and maxHealthyPercentage above 100) so new servers launch first.`,
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [AUTOSCALING_GROUP],
    decides:
        "Decides during preview from healthCheckType, targetGroupArns and instanceRefresh.preferences, all set by the program.",
    remediation:
        "Set the group's healthCheckType to ELB with a grace period, and give it an instanceRefresh with strategy Rolling and minHealthyPercentage 100 (maxHealthyPercentage above 100), so a new launch template version is rolled out without losing capacity.",
    controls: controls({ securityHub: ["AutoScaling.1"], awsConfig: ["autoscaling-group-elb-healthcheck-required"] }),
};
