// Single servers (NFS, gateway, VPN, Rundeck, Windows) live in the operations AZ (magento:operationsAz, by default the
// first listed), each as its tier; their volumes cannot leave it (docs/network.md).
import { amazonLinuxOrPinned, ImageChoice } from "../components/compute/images";
import { ServerSpec } from "../components/compute/placement";
import { ServerTier } from "../components/compute/server-tier";
import { StackContext } from "./context";
import { NetworkLayer } from "./network";
import { Keys } from "./security";

/** A single server of a tier: in a private subnet, or a public one when the internet reaches it; Amazon Linux (or the
 *  pinned image) on the operations instance type unless told otherwise. */
export type SingleServers = (
    tier: ServerTier,
    subnets: "public" | "private",
    boots?: { readonly image: ImageChoice; readonly instanceType: string },
) => ServerSpec;

export function singleServers({ config }: StackContext, { network: vpc }: NetworkLayer, keys: Keys): SingleServers {
    const ops = {
        image: amazonLinuxOrPinned(config.opsAmiId, config.instanceTypes.ops),
        instanceType: config.instanceTypes.ops,
    };
    const subnetIdsByAz = { public: vpc.publicSubnetIdsByAz, private: vpc.privateSubnetIdsByAz };
    return (tier, subnets, boots = ops) => ({
        placement: {
            vpcId: vpc.vpcId,
            subnetIdsByAz: subnetIdsByAz[subnets],
            availabilityZone: config.network.operationsAz,
            kmsKeyArn: keys.storage,
            tags: config.tags,
        },
        runsAs: tier,
        ...boots,
    });
}
