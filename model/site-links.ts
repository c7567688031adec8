// The merchant's other sites as configured (`magento:siteLinks`, validated in stacks/), before any resource.

/** One site, as configured in `magento:siteLinks` (validated in stacks/). */
export interface SiteLink {
    /** Short name of the site, e.g. warehouse; names the AWS resources and alarms. */
    readonly name: string;
    /** Public IPv4 address of the site's VPN device. */
    readonly customerGatewayIp: string;
    /** Private ASN of the site's BGP speaker: routes are learned over BGP. */
    readonly bgpAsn?: number;
    /** The site's CIDRs, for a device without BGP: routes are static. */
    readonly staticRoutes?: readonly string[];
}
