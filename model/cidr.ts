// IPv4 CIDR arithmetic for the subnet plan, on top of ipaddr.js (parsing, prefix maths).
import * as ipaddr from "ipaddr.js";

export interface Cidr {
    readonly network: ipaddr.IPv4;
    readonly prefix: number;
}

/** Parses "a.b.c.d/n"; undefined unless it is an IPv4 CIDR whose host bits are zero. */
export function parseCidr(text: string): Cidr | undefined {
    const [address_, prefix_] = text.split("/");
    // Four decimal parts only: ipaddr.js also accepts shorthand ("10.0/16") and octal ("010..."), which AWS rejects.
    if (prefix_ === undefined || !ipaddr.IPv4.isValidFourPartDecimal(address_) || !ipaddr.IPv4.isValidCIDR(text)) {
        return undefined;
    }
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    const network = ipaddr.IPv4.networkAddressFromCIDR(text);
    return network.toString() === address.toString() ? { network, prefix } : undefined;
}

export function formatCidr(cidr: Cidr): string {
    return `${cidr.network.toString()}/${cidr.prefix}`;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.network.match(outer.network, outer.prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return contains(a, b) || contains(b, a);
}

/** The /24 whose third octet is `third` inside a /16, e.g. (10.20.0.0/16, 101) -> 10.20.101.0/24. */
export function slash24Of(vpc: Cidr, third: number): Cidr {
    const [a, b] = vpc.network.octets;
    return { network: new ipaddr.IPv4([a, b, third, 0]), prefix: 24 };
}

/** True for a CIDR (IPv4 or IPv6) that matches every address: 0.0.0.0/0 or ::/0. */
export function isWholeInternet(text: string): boolean {
    return ipaddr.isValidCIDR(text) && ipaddr.parseCIDR(text)[1] === 0;
}
