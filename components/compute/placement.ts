// One contract for every server of the estate, alone (Server and the components built on one) or in a group
// (WebGroup): where it runs, as which tier, from which image.
import * as pulumi from "@pulumi/pulumi";
import { ServerTelemetry } from "./cloudwatch-agent";
import { ImageChoice } from "./images";

/** Where servers run, and what every one of them there shares: the key of their volumes, the stack's tags. */
export interface Placement {
    readonly vpcId: pulumi.Input<string>;
    /** Subnet ids by AZ name: the private subnets, or the public ones for a server reached from the internet. */
    readonly subnetIdsByAz: Readonly<Record<string, pulumi.Input<string>>>;
    /** A single server's AZ (the operations AZ: its volumes cannot leave it); a group spreads over every subnet. */
    readonly availabilityZone?: string;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** The tier a server runs as (ServerTier): its name (the servers' Tier tag), security group and instance profile. */
export interface TierIdentity {
    readonly tier: string;
    readonly securityGroupId: pulumi.Input<string>;
    readonly instanceProfileName: pulumi.Input<string>;
    /** Where its CloudWatch agent sends logs and metrics (Linux tiers). */
    readonly telemetry?: ServerTelemetry;
    /** What its servers need before their first boot: the tier's log group and its role's own policies. */
    readonly bootResources?: readonly pulumi.Resource[];
}

/** What a server (or a group's first servers) waits for: what its boot reads, and its tier's log group and grants
 *  (an edge orders, never replaces: pulumi/pulumi step_generator.go). */
export function bootDependencies(runsAs: TierIdentity, reads: readonly pulumi.Resource[] = []): pulumi.Resource[] {
    return [...reads, ...(runsAs.bootResources ?? [])];
}

export interface ServerSpec {
    readonly placement: Placement;
    readonly runsAs: TierIdentity;
    readonly image: ImageChoice;
    readonly instanceType: string;
}

/** The ServerSpec part of a component's arguments, to pass on to the server it builds. */
export function serverSpec(args: ServerSpec): ServerSpec {
    return { placement: args.placement, runsAs: args.runsAs, image: args.image, instanceType: args.instanceType };
}

/** The subnets of a placement in AZ-name order, whatever order the AZs were listed in. */
export function subnetIds(placement: Placement): pulumi.Input<string>[] {
    return Object.keys(placement.subnetIdsByAz)
        .sort()
        .map((az) => placement.subnetIdsByAz[az]);
}
