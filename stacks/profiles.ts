// Environment profiles (docs/estate.md): preproduction is production's shape, smaller and without the HA extras.
// Each key's default per profile lives in its entry in keys.ts; here what a profile is beyond the keys.
import type { GatewayServiceSetting } from "./schema";
export const PROFILES = ["production", "preproduction"] as const;
export type Profile = (typeof PROFILES)[number];

/** What the estate's gateway exposed (docs/estate.md): SMB, the custom application, RDP, FTP and passive FTP; now reached
 *  through the VPN. Then the order connector's FTP (target orders-ftp.<internal domain>): ports clear of every other
 *  service here (IIS FTP holds 21 and 2048-4096 of the gateway's one address), which validation enforces. */
export const ESTATE_GATEWAY_SERVICES: readonly GatewayServiceSetting[] = [
    { name: "smb", port: 445 },
    { name: "app", port: "8700-8800" },
    { name: "rdp", port: 3389 },
    { name: "ftp", port: 21 },
    { name: "ftp-passive", port: "2048-4096" },
    { name: "orders-ftp", port: 5021 },
    { name: "orders-ftp-passive", port: "5100-5199" },
];

/** Fewest AZs a profile accepts: production must survive losing one AZ with capacity left in two. */
export const MIN_AVAILABILITY_ZONES: Readonly<Record<Profile, number>> = { production: 3, preproduction: 1 };
