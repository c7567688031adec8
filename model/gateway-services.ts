// The services the operators' gateway can expose (stack keys gatewayServices and gatewayInternet) and which ports each
// binds once some are opened: decided by stack validation and by the gateway's haproxy.cfg alike (docs/gateway.md).

/** One service the gateway exposes: a port or a port range of an internal host. */
export interface GatewayService {
    /** Short name ([a-z0-9-]): the HAProxy frontend and the security group rules are named after it. */
    readonly name: string;
    readonly protocol: "tcp";
    readonly fromPort: number;
    /** Equal to fromPort for a single port. */
    readonly toPort: number;
    /** Internal DNS name or address the connection goes to, on the same port (e.g. windows.<internal domain>). */
    readonly target: string;
}

/** The order connector's FTP pair, and the internal host name its server claims at boot (its only target). */
export const ORDERS_FTP = { control: "orders-ftp", passive: "orders-ftp-passive", host: "orders-ftp" } as const;

/**
 * The FTP services: a control port and the passive range its transfers use. Opening one without the other (or to other
 * sources) fails every transfer, so stack validation opens them together (stacks/checks/gateway.ts). The Windows host's
 * IIS FTP holds port 21 of the gateway's one address; the order connector's vsftpd is a second pair on other ports
 * (docs/sideapps.md, "FTP for the order connector").
 */
export const FTP_PAIRS: readonly { readonly control: string; readonly passive: string }[] = [
    { control: "ftp", passive: "ftp-passive" },
    ORDERS_FTP,
];

/** The port ranges the gateway forwards for the opened services `forwarded` picks (a target's admissions). */
export function forwardedPorts(
    exposed: readonly ExposedService[],
    forwarded: (service: GatewayService) => boolean,
): { fromPort: number; toPort: number }[] {
    return exposed
        .filter((e) => forwarded(e.service))
        .flatMap((e) => e.ports.map(([fromPort, toPort]) => ({ fromPort, toPort })));
}

/** A service opened to the internet: the CIDRs it admits, and the port ranges it binds (see exposedServices). */
export interface ExposedService {
    readonly service: GatewayService;
    readonly sources: readonly string[];
    readonly ports: readonly (readonly [number, number])[];
}

/**
 * The services of `opened` (names of `all`) with the ports each binds: its own, less those of an earlier opened service
 * (a port is bound once) and of a service left behind the VPN that lies inside its range (the estate's passive FTP
 * range 2048-4096 holds RDP's 3389: opening FTP must not open RDP; opening RDP opens 3389).
 */
export function exposedServices(
    all: readonly GatewayService[],
    opened: Readonly<Record<string, readonly string[]>>,
): ExposedService[] {
    const internet = all.filter((s) => Object.hasOwn(opened, s.name));
    const closed = all.filter((s) => !internet.includes(s));
    const inside = (service: GatewayService) =>
        closed.filter(
            (c) =>
                service.fromPort <= c.fromPort &&
                c.toPort <= service.toPort &&
                c.toPort - c.fromPort < service.toPort - service.fromPort,
        );
    return internet.map((service, i) => ({
        service,
        sources: opened[service.name],
        ports: ownPorts(service, [...internet.slice(0, i), ...inside(service)]),
    }));
}

/** The port ranges of `service` that none of `others` holds. */
export function ownPorts(service: GatewayService, others: readonly GatewayService[]): [number, number][] {
    let ranges: [number, number][] = [[service.fromPort, service.toPort]];
    for (const other of others) {
        ranges = ranges.flatMap(([from, to]): [number, number][] => {
            if (other.toPort < from || other.fromPort > to) {
                return [[from, to]];
            }
            return [
                [from, other.fromPort - 1],
                [other.toPort + 1, to],
            ].filter(([a, b]) => a <= b) as [number, number][];
        });
    }
    return ranges;
}
