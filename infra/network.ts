// The network: the VPC, its subnets by AZ, endpoints and flow logs, and the internal zone every single server is named
// in; later, the IPsec links to the merchant's other sites, whose tunnels notify the operators' topic.
import * as pulumi from "@pulumi/pulumi";
import { InternalZone } from "../components/network/internal-zone";
import { Network } from "../components/network/network";
import { SiteLinks } from "../components/network/site-links";
import { StackContext } from "./context";
import { Telemetry } from "./security";

export interface NetworkLayer {
    readonly network: Network;
    readonly internalZone: InternalZone;
}

export function network({ config, prefix, accountId }: StackContext, telemetry: Telemetry): NetworkLayer {
    const vpc = new Network(prefix, {
        ...config.network,
        region: config.region,
        flowLogKeyArn: telemetry.keyArn,
        accountId,
        tags: config.tags,
        imageBuilderEndpoint: config.release.builds,
        natAllocationIds: config.keptAddresses.nat,
    });
    const internalZone = new InternalZone(`${prefix}-internal`, {
        domain: config.internalDomain,
        vpcId: vpc.vpcId,
        tags: config.tags,
    });
    return { network: vpc, internalZone };
}

/** The merchant's other sites over IPsec, each tunnel alarmed; none configured, none built. */
export function siteLinks(
    { config, prefix }: StackContext,
    { network: vpc }: NetworkLayer,
    alarmTopicArn: pulumi.Input<string>,
): SiteLinks | undefined {
    return config.siteLinks.length > 0
        ? new SiteLinks(`${prefix}-sites`, {
              vpcId: vpc.vpcId,
              privateRouteTableIds: vpc.privateRouteTableIds,
              links: config.siteLinks,
              alarmTopicArn,
              tags: config.tags,
          })
        : undefined;
}
