// The operators' gateway (docs/estate.md): HAProxy on a server in a public subnet with an Elastic IP, exposing the
// services a stack opens to the internet (none by default: operators reach every service through the VPN,
// docs/gateway.md), each to its own sources only. Two layers: the security group admits each service's sources on
// its ports, and HAProxy refuses any other source itself and logs every connection with the client's address.
// Both follow the allow-list in place: rules are keyed by what they admit, and haproxy.cfg is an SSM parameter the
// server reads at boot and every 5 minutes, so the server's user data never holds the list (docs/gateway.md, "Changes").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALLOWED_SOURCES_TAG } from "../../../policies/lib/contracts";
import { CloudConfig, INSTALL_PACKAGES, installPackagesFile } from "../../compute/cloud-init";
import { AGENT_PACKAGES, agentBoot, AgentBoot, AgentMetrics, requireTelemetry } from "../../compute/cloudwatch-agent";
import type { ExposedService } from "../../../model/gateway-services";
import { haproxyConfig } from "./haproxy";
import { haproxySyncFiles, HAPROXY_SYNC, HAPROXY_SYNC_TIMER } from "./haproxy-sync";
import { ServerSpec } from "../../compute/placement";
import { ElasticIp, publicServer } from "../../compute/server";

/** Placed in the public subnets (it is reached from the internet), in the operations AZ. */
export interface GatewayArgs extends ServerSpec {
    /** The services opened to the internet, their sources and ports (exposedServices); none: HAProxy does not run. */
    readonly services: readonly ExposedService[];
    /** The operators' CIDRs, never the whole internet (stacks/ refuses it): every source of the group lies inside them. */
    readonly allowedSources: readonly string[];
    /** The SSM parameter holding haproxy.cfg (gatewayConfigParameter), and the region the server reads it in. */
    readonly configParameterName: string;
    readonly region: string;
    /** Lets the server read the parameter (its tier's grant); the server boots after it, so its first sync succeeds. */
    readonly grantConfigRead: (parameterArn: pulumi.Output<string>) => pulumi.Resource;
    /** Its address: its own, or the estate's that partners allow-list (docs/migration.md). */
    readonly elasticIp: ElasticIp;
}

/**
 * Where a stack's haproxy.cfg lives: beside the stack's path, not under it, because the web servers read everything
 * under /magento/<stack> into an env file and stop on a value like a whole configuration file (web-boot.ts).
 */
export function gatewayConfigParameter(stack: string): string {
    return `/magento-gateway/${stack}/haproxy.cfg`;
}

/** Standard parameters hold at most 4096 characters (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html). */
const STANDARD_PARAMETER_CHARS = 4096;

export class Gateway extends pulumi.ComponentResource {
    /** The Elastic IP internet clients connect to (and the passive-FTP address the FTP server advertises to them). */
    public readonly publicIp: pulumi.Output<string>;
    /** The server's instance: its metrics' InstanceId (the dashboard). */
    public readonly instanceId: pulumi.Output<string>;
    /** What the dashboard draws of it: its agent's metrics, by instance id, in its tier's namespace. */
    public readonly agentMetrics: AgentMetrics;
    /** The group admitting the opened services' sources (not the tier's group, which internal hosts admit). */
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:Gateway", name, {}, opts);
        const child = { parent: this };
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.placement.vpcId,
                description: "Gateway: the services opened to the internet, each from its own sources",
                // The contract the aws-baseline pack checks every rule of this group against (operator-allow-list).
                tags: {
                    ...args.placement.tags,
                    Name: `${name}-sg`,
                    [ALLOWED_SOURCES_TAG]: args.allowedSources.join(","),
                },
            },
            child,
        );
        for (const { service, sources, ports } of args.services) {
            const repeated = sources.find((cidr, i) => sources.indexOf(cidr) !== i);
            if (repeated !== undefined) {
                throw new Error(
                    `Gateway ${name}: gatewayInternet lists ${repeated} twice for ${service.name}; list each source once`,
                );
            }
            ports
                .flatMap(([fromPort, toPort]) => sources.map((cidr) => ({ fromPort, toPort, cidr })))
                .forEach(({ fromPort, toPort, cidr }, i) => {
                    // Named by what it admits, so adding or removing a source touches that source's rules only; the alias
                    // takes over the rule a stack deployed under its position (`-${i}`) without replacing it.
                    const rule = `${name}-${service.name}-${fromPort}-${toPort}-${cidr.replace("/", "-")}`;
                    new aws.vpc.SecurityGroupIngressRule(
                        rule,
                        {
                            securityGroupId: group.id,
                            ipProtocol: service.protocol,
                            fromPort,
                            toPort,
                            cidrIpv4: cidr, // IPv4 only: the gateway has no IPv6 address (stacks/checks/gateway.ts)
                            description: `${service.name} from ${cidr}`,
                            tags: { ...args.placement.tags, Name: rule },
                        },
                        { ...child, aliases: [{ name: `${name}-${service.name}-${i}` }] },
                    );
                });
        }
        const config = haproxyConfig({ services: args.services, listenAddress: "::" });
        if (config.length > STANDARD_PARAMETER_CHARS) {
            throw new Error(
                `Gateway ${name}: haproxy.cfg for gatewayInternet is ${config.length} characters, more than the ${STANDARD_PARAMETER_CHARS} of a standard SSM parameter; open fewer sources`,
            );
        }
        const parameter = new aws.ssm.Parameter(
            `${name}-config`,
            {
                name: args.configParameterName,
                type: "String",
                tier: "Standard",
                insecureValue: config, // addresses and ports, no secret: shown in previews and diffs
                description:
                    "haproxy.cfg of the gateway, generated from gatewayInternet; the server installs it when haproxy -c accepts it",
                tags: args.placement.tags,
            },
            child,
        );
        const telemetry = requireTelemetry(name, args.runsAs);
        const server = publicServer(this, name, {
            ...args,
            securityGroupId: group.id,
            // HAProxy logs every connection to syslog (haproxy.ts): with the system logs, in the tier's group.
            userData: gatewayUserData(args.configParameterName, args.region, agentBoot({ telemetry, logs: [] })),
            // haproxy-sync reads the parameter at boot: without it or the grant it fails until the timer's next run.
            bootDependsOn: [parameter, args.grantConfigRead(parameter.arn)],
        });
        this.publicIp = server.publicIp;
        this.instanceId = server.instanceId;
        this.agentMetrics = { id: server.instanceId, namespace: telemetry.namespace };
        this.securityGroupId = group.id;
        this.registerOutputs({
            publicIp: this.publicIp,
            instanceId: this.instanceId,
            securityGroupId: this.securityGroupId,
        });
    }
}

/** HAProxy and the job that keeps its configuration in step with the parameter; the same whatever the allow-list says. */
function gatewayUserData(parameterName: string, region: string, agent: AgentBoot): CloudConfig {
    return {
        write_files: [installPackagesFile(), ...haproxySyncFiles(parameterName, region), ...agent.files],
        runcmd: [
            [INSTALL_PACKAGES, ...AGENT_PACKAGES],
            ...agent.runcmd,
            [INSTALL_PACKAGES, "haproxy"],
            [HAPROXY_SYNC],
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", HAPROXY_SYNC_TIMER],
        ],
    };
}
