// Environment profiles (docs/estate.md): preproduction is production's shape, smaller and without the HA extras.
import { AWS_LIMITS, PublicDns } from "../model/edge-plan";
import { ALARM_THRESHOLD_DEFAULTS, AlarmThresholds } from "../model/alarm-thresholds";
export const PROFILES = ["production", "preproduction"] as const;
export type Profile = (typeof PROFILES)[number];

/** A gateway service as a stack file writes it: a port (445) or a range ("8700-8800"); target defaults to the Windows host. */
export interface GatewayServiceSetting {
    readonly name: string;
    readonly port: number | string;
    readonly target?: string;
}

/** What the estate's gateway exposed (docs/estate.md): SMB, the custom application, RDP, FTP and passive FTP; now reached through the VPN. */
const ESTATE_GATEWAY_SERVICES: readonly GatewayServiceSetting[] = [
    { name: "smb", port: 445 },
    { name: "app", port: "8700-8800" },
    { name: "rdp", port: 3389 },
    { name: "ftp", port: 21 },
    { name: "ftp-passive", port: "2048-4096" },
];

export interface ProfileDefaults {
    /** Fewest AZs the profile accepts: production must survive losing one AZ with capacity left in two. */
    readonly minAvailabilityZones: number;
    readonly natGateways: "perAz" | "single";
    readonly flowLogRetentionDays: number;
    readonly webInstanceType: string;
    readonly backOfficeInstanceType: string;
    readonly opsInstanceType: string;
    readonly webMinSize: number;
    readonly webMaxSize: number;
    readonly webScaleSchedule: readonly string[];
    readonly waf: "on" | "off";
    readonly windowsInstanceType: string;
    /** No site-to-site link unless the stack lists one. */
    readonly siteLinks: readonly [];
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
    readonly gatewayServices: readonly GatewayServiceSetting[];
    /** No service on the internet: operators use the VPN (docs/gateway.md). */
    readonly gatewayInternet: Readonly<Record<string, readonly string[]>>;
    readonly gatewayMinPrefix: number;
    readonly publicDns: PublicDns;
    readonly acmNamesPerCertificate: number;
    readonly cdnMediaOriginPath: string;
    readonly cdnStaticOriginPath: string;
    readonly originVerifyRotation: number;
    /** The same in both profiles: preproduction alarms matter as much, they may just go to another list. */
    readonly alarmThresholds: AlarmThresholds;
}

/** Defaults the two profiles share: the estate's gateway services, the edge's DNS mode and limits, alarm thresholds. */
const SAME_IN_BOTH = {
    gatewayServices: ESTATE_GATEWAY_SERVICES,
    gatewayInternet: {},
    gatewayMinPrefix: 32,
    // Existing Route 53 zones and ACM-issued certificates: the choice that needs no other key. A domain at a registrar
    // outside AWS (the original estate's) says `registrar` and gives the imported certificates' ARNs.
    publicDns: "route53",
    acmNamesPerCertificate: AWS_LIMITS.acmNamesDefault,
    cdnMediaOriginPath: "/pub/media",
    cdnStaticOriginPath: "/pub/static",
    originVerifyRotation: 0,
    alarmThresholds: ALARM_THRESHOLD_DEFAULTS,
} as const;

export const PROFILE_DEFAULTS: Record<Profile, ProfileDefaults> = {
    production: {
        minAvailabilityZones: 3,
        natGateways: "perAz",
        flowLogRetentionDays: 90,
        webInstanceType: "c6i.xlarge",
        backOfficeInstanceType: "m6i.xlarge",
        opsInstanceType: "t3.small",
        webMinSize: 2,
        webMaxSize: 8,
        webScaleSchedule: [],
        waf: "on",
        windowsInstanceType: "m6i.large",
        siteLinks: [],
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
        ...SAME_IN_BOTH,
    },
    preproduction: {
        minAvailabilityZones: 1,
        natGateways: "single",
        flowLogRetentionDays: 14,
        webInstanceType: "t3.large",
        backOfficeInstanceType: "t3.large",
        opsInstanceType: "t3.small",
        webMinSize: 1,
        webMaxSize: 2,
        // Nobody tests at night: one server from 19:00 UTC, back at 08:30 UTC (what the estate's operators did).
        webScaleSchedule: ["0 19 * * * min=1 max=1", "30 8 * * * min=1 max=2"],
        waf: "off",
        windowsInstanceType: "t3.large",
        siteLinks: [],
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
        ...SAME_IN_BOTH,
    },
};
