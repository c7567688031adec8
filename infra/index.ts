// The Magento estate of one environment, in the order of the architecture: network first, then the tiers on it.
import { Network } from "../components/network";
import { readStackConfig } from "../stacks";

const config = readStackConfig();
const prefix = `magento-${config.stack}`;

const network = new Network(prefix, { ...config.network, region: config.region, tags: config.tags });

export const vpcId = network.vpcId;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
