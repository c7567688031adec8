// Single servers (NFS, gateway, VPN, Rundeck, Windows) live in the operations AZ (magento:operationsAz, by default the
// first listed: shared/platform.md), each as its tier; their volumes cannot leave it (docs/network.md).
import { amazonLinuxOrPinned, ImageChoice } from "../components/compute/images";
import { ServerTier } from "../components/compute/server-tier";
import { StackContext } from "./context";
import { NetworkLayer } from "./network";
import { Keys } from "./security";

/** A single server's image and instance type: Amazon Linux (or the pinned image) on the operations type unless told. */
export type SingleServerImage = ImageChoice & { readonly instanceType: string };

/** Where a single server of a tier runs and what it boots, as the server components take it. */
export type SingleServers = (tier: ServerTier, image?: SingleServerImage) => ReturnType<typeof singleServerArgs>;

function singleServerArgs(stack: StackContext, net: NetworkLayer, keys: Keys, tier: ServerTier, image: SingleServerImage) {
    return {
        vpcId: net.network.vpcId, availabilityZone: stack.config.network.operationsAz,
        serverSecurityGroupId: tier.securityGroupId, instanceProfileName: tier.instanceProfileName,
        ...image, kmsKeyArn: keys.storage, tags: stack.config.tags,
    };
}

export function singleServers(stack: StackContext, net: NetworkLayer, keys: Keys): SingleServers {
    const { config } = stack;
    const opsImage = { ...amazonLinuxOrPinned(config.opsAmiId, config.instanceTypes.ops), instanceType: config.instanceTypes.ops };
    return (tier, image = opsImage) => singleServerArgs(stack, net, keys, tier, image);
}
