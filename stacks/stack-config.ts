import { Profile } from "./profiles";

/** The validated configuration of one stack: the only configuration the program and its components see. */
export interface StackConfig {
    readonly stack: string;
    readonly region: string;
    readonly profile: Profile;
    /** True for the production profile: HA extras on. */
    readonly production: boolean;
    readonly network: NetworkConfig;
    readonly domain: string;
    readonly internalDomain: string;
    readonly operatorCidrs: readonly string[];
    readonly alarmEmail: string;
    readonly instanceTypes: { readonly web: string; readonly backOffice: string; readonly ops: string };
    /** Tags every taggable resource carries. */
    readonly tags: Readonly<Record<string, string>>;
}

export interface NetworkConfig {
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    readonly publicSubnetCidrs: readonly string[];
    readonly privateSubnetCidrs: readonly string[];
    readonly natGatewayPerAz: boolean;
    readonly flowLogRetentionDays: number;
}
