// CIDR containment for rules that judge sources (IPv4 and IPv6), on ipaddr.js.
import * as ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Ranges no internet host can come from: RFC 1918, shared (CGNAT), loopback, link-local, IPv6 unique-local. */
const NON_PUBLIC = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"];

function parse(text: string): Range | undefined {
    try {
        return ipaddr.parseCIDR(text);
    } catch {
        return undefined;
    }
}

/** True when every address of `inner` lies in `outer` (same family); false for text that is not a CIDR. */
export function within(inner: string, outer: string): boolean {
    const a = parse(inner);
    const b = parse(outer);
    return a !== undefined && b !== undefined && a[0].kind() === b[0].kind() && a[1] >= b[1] && a[0].match(b);
}

/** True for a CIDR that holds internet addresses (anything outside the private, shared and local ranges). */
export function isPublic(cidr: string): boolean {
    return !NON_PUBLIC.some((range) => within(cidr, range));
}
