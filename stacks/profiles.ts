// Environment profiles (shared/platform.md): preproduction is production's shape, smaller and without the HA extras.
export const PROFILES = ["production", "preproduction"] as const;
export type Profile = (typeof PROFILES)[number];

export interface ProfileDefaults {
    /** Fewest AZs the profile accepts: production must survive losing one AZ with capacity left in two. */
    readonly minAvailabilityZones: number;
    readonly natGateways: "perAz" | "single";
    readonly flowLogRetentionDays: number;
    readonly webInstanceType: string;
    readonly backOfficeInstanceType: string;
    readonly opsInstanceType: string;
}

export const PROFILE_DEFAULTS: Record<Profile, ProfileDefaults> = {
    production: {
        minAvailabilityZones: 3,
        natGateways: "perAz",
        flowLogRetentionDays: 90,
        webInstanceType: "c6i.xlarge",
        backOfficeInstanceType: "m6i.xlarge",
        opsInstanceType: "t3.small",
    },
    preproduction: {
        minAvailabilityZones: 1,
        natGateways: "single",
        flowLogRetentionDays: 14,
        webInstanceType: "t3.large",
        backOfficeInstanceType: "t3.large",
        opsInstanceType: "t3.small",
    },
};
