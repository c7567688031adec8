// CIDR containment and address coverage for rules that judge sources (IPv4 and IPv6), on ipaddr.js.
import * as ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];
export type Family = "IPv4" | "IPv6";

/** Ranges no internet host can come from: RFC 1918, shared (CGNAT), loopback, link-local, IPv6 unique-local. */
const NON_PUBLIC = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
];
/** IPv4 that is no internet source besides NON_PUBLIC: the blocks the IANA IPv4 Special-Purpose Address Registry
 *  (RFC 6890, https://www.iana.org/assignments/iana-ipv4-special-registry/) marks not globally reachable: "this
 *  network" 0.0.0.0/8, IETF protocol assignments 192.0.0.0/24, the three documentation blocks (TEST-NET-1/2/3),
 *  benchmarking 198.18.0.0/15, the deprecated 6to4 relay anycast 192.88.99.0/24, multicast 224.0.0.0/4 and reserved
 *  240.0.0.0/4. A list that leaves out only such blocks still admits every internet host. */
const NOT_INTERNET_V4 = [
    ...NON_PUBLIC.filter((c) => !c.includes(":")),
    "0.0.0.0/8",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
];
/** IPv6 internet addresses are global unicast, 2000::/3, the only block IANA assigns from
 *  (https://www.iana.org/assignments/ipv6-address-space/), less its documentation blocks 2001:db8::/32 and 3fff::/20
 *  (IANA IPv6 Special-Purpose Address Registry, https://www.iana.org/assignments/iana-ipv6-special-registry/). */
const INTERNET_V6 = "2000::/3";
const NOT_INTERNET_V6 = ["2001:db8::/32", "3fff::/20"];

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

/** The prefix length of a CIDR (IPv4 or IPv6); undefined for text that is not one. */
export function prefixLength(cidr: string): number | undefined {
    return parse(cidr)?.[1];
}

/** True for a CIDR that holds internet addresses (anything outside the private, shared and local ranges). */
export function isPublic(cidr: string): boolean {
    return !NON_PUBLIC.some((range) => within(cidr, range));
}

/** The first and last address of a CIDR as integers, with its family. */
function bounds(text: string): { family: Family; first: bigint; last: bigint } | undefined {
    const range = parse(text);
    if (!range) {
        return undefined;
    }
    const [address, prefix] = range;
    const bits = address.kind() === "ipv4" ? 32 : 128;
    const value = address.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
    const size = 1n << BigInt(bits - prefix);
    const first = value - (value % size);
    return { family: address.kind() === "ipv4" ? "IPv4" : "IPv6", first, last: first + size - 1n };
}

/** True when the ranges together hold every address from `first` to `last`. */
function spans(ranges: { first: bigint; last: bigint }[], first: bigint, last: bigint): boolean {
    let next = first;
    for (const r of [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
        if (r.first > next) {
            break;
        }
        next = r.last + 1n > next ? r.last + 1n : next;
        if (next > last) {
            return true;
        }
    }
    return next > last;
}

/**
 * The families of which `cidrs` together hold every internet address: 0.0.0.0/0 or ::/0, or any split of them
 * (0.0.0.0/1 with 128.0.0.0/1, or every public block while leaving out private ones). Coverage, not the literal /0:
 * a list that lets in the whole internet is the whole internet however it is written.
 */
export function internetCovered(cidrs: readonly string[]): Family[] {
    const ranges = cidrs.map(bounds).filter((b): b is NonNullable<typeof b> => b !== undefined);
    const v4 = [...ranges.filter((r) => r.family === "IPv4"), ...NOT_INTERNET_V4.map((c) => bounds(c)!)];
    const v6 = bounds(INTERNET_V6)!;
    return [
        ...(ranges.some((r) => r.family === "IPv4") && spans(v4, 0n, (1n << 32n) - 1n) ? ["IPv4" as const] : []),
        ...(ranges.some((r) => r.family === "IPv6") &&
        spans(
            [...ranges.filter((r) => r.family === "IPv6"), ...NOT_INTERNET_V6.map((c) => bounds(c)!)],
            v6.first,
            v6.last,
        )
            ? ["IPv6" as const]
            : []),
    ];
}
