// Environment profiles (shared/platform.md): preproduction is production's shape, smaller and without the HA extras.
import { AWS_LIMITS, PublicDns } from "../components/edge-plan";
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
    readonly dbInstanceClass: string;
    readonly dbAllocatedStorageGb: number;
    readonly dbMaxAllocatedStorageGb: number;
    readonly dbBackupRetentionDays: number;
    readonly sideDbInstanceClass: string;
    readonly cacheNodeType: string;
    readonly cacheLayout: "split" | "shared";
    readonly searchInstanceType: string;
    /** Dedicated masters only where the cluster spans AZs; "" for none. */
    readonly searchMasterInstanceType: string;
    readonly searchVolumeGb: number;
    readonly sharedStorage: "efs" | "nfs";
    readonly tempExpiryDays: number;
    readonly accessLogRetentionDays: number;
    readonly publicDns: PublicDns;
    readonly acmNamesPerCertificate: number;
    readonly cdnMediaOriginPath: string;
    readonly cdnStaticOriginPath: string;
}

export const PROFILE_DEFAULTS: Record<Profile, ProfileDefaults> = {
    production: {
        minAvailabilityZones: 3,
        natGateways: "perAz",
        flowLogRetentionDays: 90,
        webInstanceType: "c6i.xlarge",
        backOfficeInstanceType: "m6i.xlarge",
        opsInstanceType: "t3.small",
        dbInstanceClass: "db.r6g.xlarge",
        dbAllocatedStorageGb: 100,
        dbMaxAllocatedStorageGb: 500,
        dbBackupRetentionDays: 14,
        sideDbInstanceClass: "db.t4g.medium",
        cacheNodeType: "cache.r7g.large",
        cacheLayout: "split",
        searchInstanceType: "r6g.large.search",
        searchMasterInstanceType: "m6g.large.search",
        searchVolumeGb: 100,
        sharedStorage: "efs",
        tempExpiryDays: 7,
        accessLogRetentionDays: 365,
        // Existing Route 53 zones and ACM-issued certificates: the choice that needs no other key. A domain at a registrar
        // outside AWS (the original estate's) says `registrar` and gives the imported certificates' ARNs.
        publicDns: "route53",
        acmNamesPerCertificate: AWS_LIMITS.acmNamesDefault,
        cdnMediaOriginPath: "/pub/media",
        cdnStaticOriginPath: "/pub/static",
    },
    preproduction: {
        minAvailabilityZones: 1,
        natGateways: "single",
        flowLogRetentionDays: 14,
        webInstanceType: "t3.large",
        backOfficeInstanceType: "t3.large",
        opsInstanceType: "t3.small",
        // db.t4g.medium is the smallest class with Performance Insights for MySQL.
        dbInstanceClass: "db.t4g.medium",
        dbAllocatedStorageGb: 20,
        dbMaxAllocatedStorageGb: 100,
        dbBackupRetentionDays: 7,
        sideDbInstanceClass: "db.t4g.medium",
        cacheNodeType: "cache.t4g.small",
        cacheLayout: "shared",
        searchInstanceType: "t3.small.search",
        searchMasterInstanceType: "",
        searchVolumeGb: 20,
        sharedStorage: "efs",
        tempExpiryDays: 7,
        accessLogRetentionDays: 30,
        // Existing Route 53 zones and ACM-issued certificates: the choice that needs no other key. A domain at a registrar
        // outside AWS (the original estate's) says `registrar` and gives the imported certificates' ARNs.
        publicDns: "route53",
        acmNamesPerCertificate: AWS_LIMITS.acmNamesDefault,
        cdnMediaOriginPath: "/pub/media",
        cdnStaticOriginPath: "/pub/static",
    },
};
