// Each server's CloudWatch agent publishes memory, disk and load into the namespace its configuration names
// (policies/lib/contracts.ts, AGENT_CONFIG_PATH): its role must allow that, and no other server's role may publish
// there. `cloudwatch:namespace` is the only condition key PutMetricData offers
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html): in a namespace
// two tiers share, a compromised server could publish under the other's dimensions and redraw its dashboard lines.
import { parse } from "yaml";
import { AGENT_CONFIG_PATH } from "../contracts";
import { ofType, StackResource } from "../stack";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, IAM_INSTANCE_PROFILE } from "../types";
import { userDataOf } from "../user-data";
import { knownString } from "../values";
import { T } from "./model";
import type { Requirement } from "./required";

/** The namespace a cloud-config's agent configuration publishes into; undefined when it has none or is unknown. */
export function agentNamespace(userData: string): string | undefined {
    try {
        const files = (parse(userData) as { write_files?: { path?: unknown; content?: unknown }[] } | null)
            ?.write_files;
        const file = Array.isArray(files) ? files.find((f) => f?.path === AGENT_CONFIG_PATH) : undefined;
        const namespace =
            typeof file?.content === "string"
                ? (JSON.parse(file.content) as { metrics?: { namespace?: unknown } }).metrics?.namespace
                : undefined;
        return typeof namespace === "string" ? namespace : undefined;
    } catch {
        return undefined; // not YAML or not JSON: servers-ship-logs reports it
    }
}

/** The role ARN a server (an instance, or a launch template's servers) runs as, when known. */
function serverRole(resources: readonly StackResource[], server: StackResource): string | undefined {
    const profileName =
        server.type === EC2_LAUNCH_TEMPLATE
            ? knownString(server.props, "iamInstanceProfile", "name")
            : knownString(server.props, "iamInstanceProfile");
    const profile = ofType(resources, IAM_INSTANCE_PROFILE).find((p) => knownString(p.props, "name") === profileName);
    const roleName = profile && knownString(profile.props, "role");
    const role = ofType(resources, T.role).find((r) => knownString(r.props, "name") === roleName);
    return role && knownString(role.props, "arn");
}

interface Publisher {
    readonly server: StackResource;
    readonly role: string;
    readonly namespace: string;
}

function publishers(resources: readonly StackResource[]): Publisher[] {
    return ofType(resources, EC2_INSTANCE, EC2_LAUNCH_TEMPLATE).flatMap((server) => {
        const userData = userDataOf(server.type, server.props);
        const namespace = userData === undefined ? undefined : agentNamespace(userData);
        const role = namespace === undefined ? undefined : serverRole(resources, server);
        return role && namespace ? [{ server, role, namespace }] : [];
    });
}

const publish = (p: Publisher, namespace: string) => ({
    principal: p.role,
    action: "cloudwatch:PutMetricData",
    resource: "*", // PutMetricData takes no resource (the service authorization reference)
    context: { "cloudwatch:namespace": namespace },
});

/** Each server's role may publish into its agent's namespace. */
export function agentMetricsRequired(resources: readonly StackResource[]): Requirement[] {
    return publishers(resources).map((p) => ({
        why: `${p.server.name}'s CloudWatch agent publishes its metrics into ${p.namespace}`,
        urn: p.server.urn,
        request: publish(p, p.namespace),
    }));
}

/** No server's role may publish into another role's servers' namespace. */
export function agentMetricsForbidden(resources: readonly StackResource[]): Requirement[] {
    const all = publishers(resources);
    return all.flatMap((p) =>
        all
            .filter((other) => other.role !== p.role)
            .map((other) => ({
                why: `${p.server.name}'s servers must not draw ${other.server.name}'s metrics (its namespace ${other.namespace})`,
                urn: p.server.urn,
                request: publish(p, other.namespace),
            })),
    );
}
