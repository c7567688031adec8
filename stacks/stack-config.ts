import type { ExposedService, GatewayService } from "../model/gateway-services";
import type { EdgePlan, PublicDns, Storefront } from "../model/edge-plan";
import type { NetworkPlan } from "../model/network-plan";
import type { SiteLink } from "../model/site-links";
import type { AlarmThresholds } from "../model/alarm-thresholds";
import { Profile } from "./profiles";
import { ScaleSchedule } from "./schedule";
import type { ImageSource } from "../model/images";

/** The validated configuration of one stack: the only configuration the program and its components see. */
export interface StackConfig {
    /**
     * The estate's name (magento:estate, default the Pulumi stack's): every logical name, every physical name that
     * carries the stack's name and the Stack tag come from it, so `pulumi stack rename` changes none (docs/naming.md).
     */
    readonly stack: string;
    readonly region: string;
    readonly profile: Profile;
    /** True for the production profile: HA extras on. */
    readonly production: boolean;
    readonly network: NetworkConfig;
    readonly domain: string;
    readonly internalDomain: string;
    readonly operatorCidrs: readonly string[];
    /** The services operators reach through the VPN, targets resolved (default windows.<internal domain>). */
    readonly gatewayServices: readonly GatewayService[];
    /** Those the gateway opens to the internet, with their sources and the ports each binds; empty by default. */
    readonly gatewayInternet: readonly ExposedService[];
    /** Addresses OpenVPN gives its clients: x.y.250.0/24 of the VPC, outside every subnet (clients are NATed). */
    readonly vpnClientCidr: string;
    readonly alarmEmail: string;
    /** An existing topic the alarms notify; undefined: the stack's own topic, alarmEmail subscribed. */
    readonly alarmTopicArn: string | undefined;
    /** The account's CloudTrail log group; undefined: no security metric filters (CloudTrail is account-level). */
    readonly cloudTrailLogGroup: string | undefined;
    /** Every alarm threshold: the stack's alarmThresholds over ALARM_THRESHOLD_DEFAULTS. */
    readonly alarmThresholds: AlarmThresholds;
    readonly instanceTypes: { readonly web: string; readonly backOffice: string; readonly ops: string };
    /** Pinned AMI of the operations servers; undefined: the latest Amazon Linux 2023. */
    readonly opsAmiId: string | undefined;
    readonly web: WebConfig;
    /** The Windows host's instance type, and its pinned AMI (undefined: the latest Windows Server 2022 Base). */
    readonly windows: { readonly instanceType: string; readonly amiId: string | undefined };
    /** Site-to-site IPsec links to the merchant's other sites; empty: no virtual private gateway. */
    readonly siteLinks: readonly SiteLink[];
    readonly database: DatabaseConfig;
    /** Database and Redis changes apply in this update rather than in the maintenance window. */
    readonly applyImmediately: boolean;
    readonly cache: { readonly nodeType: string; readonly separateSessions: boolean };
    readonly search: { readonly instanceType: string; readonly masterInstanceType: string | undefined; readonly volumeGb: number };
    readonly sharedStorage: "efs" | "nfs";
    /** The other storage, built beside the current one for the copy before a switch; undefined: none. */
    readonly sharedStorageTarget: "efs" | "nfs" | undefined;
    /** Logical names this update may replace or delete though protected or stateful (infra/lifecycle.ts). */
    readonly allowReplace: readonly string[];
    /** This update prepares the stack for `pulumi destroy` (infra/lifecycle.ts, docs/teardown.md). */
    readonly teardown: boolean;
    readonly tempExpiryDays: number;
    readonly accessLogRetentionDays: number;
    /** Service-linked roles the account already has: the stack creates the others. */
    readonly edge: EdgeConfig;
    /** Tags every taggable resource carries. */
    readonly tags: Readonly<Record<string, string>>;
}

export interface WebConfig {
    /** The release image of the front-end and back-office servers. */
    readonly image: ImageSource;
    readonly minSize: number;
    readonly maxSize: number;
    readonly schedule: readonly ScaleSchedule[];
    /** Magento's admin front name: /<adminPath>/* is routed to the back office. */
    readonly adminPath: string;
    readonly waf: boolean;
}

export interface DatabaseConfig {
    readonly instanceClass: string;
    readonly allocatedStorageGb: number;
    readonly maxAllocatedStorageGb: number;
    readonly backupRetentionDays: number;
    readonly sideInstanceClass: string;
}

/** The network's layout is configuration; region and tags come from the stack as a whole. */
export type NetworkConfig = NetworkPlan;

/** The public side: storefronts, where their names are published, the certificates and the CDN's origin paths. */
export interface EdgeConfig {
    readonly storefronts: readonly Storefront[];
    readonly publicDns: PublicDns;
    /** The shop's imported certificates; undefined: ACM issues them, validated in Route 53. */
    readonly importedCertificates: { readonly loadBalancerArn: string; readonly cdnArn: string } | undefined;
    readonly namesPerCertificate: number;
    readonly originPaths: { readonly media: string; readonly static: string };
    /** How many times the origin-verify secret has been rotated (components/edge/origin-verify.ts). */
    readonly originVerifyRotation: number;
    /** Names, certificates and zones, checked against AWS's limits. */
    readonly plan: EdgePlan;
}
