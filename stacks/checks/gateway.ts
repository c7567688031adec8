// The operators' access together: the allow-list (IPv4, not the whole internet, one tag long), the partners' addresses,
// the gateway's services and what of them the internet reaches; and StackConfig's part the gateway and the VPN read.
import { ExposedService, exposedServices, FTP_PAIRS, GatewayService, ORDERS_FTP } from "../../model/gateway-services";
import { internetCovered } from "../../policies/lib/cidr";
import { Cidr, contains, isWholeInternet, parseCidr } from "../../model/cidr";
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import type { GatewayServiceSetting } from "../schema";
import { vpnClientCidr } from "../subnets";
import type { Concern } from "./concern";

export interface GatewaySettings {
    /** The operators' ranges: the admin paths' allow-list (shop, side applications, WAF) and the gateway's. */
    readonly operatorCidrs: readonly string[];
    /** The gateway's own allow-list (its AllowedSources tag): operatorCidrs, then each partnerCidrs entry not inside
     *  them. partnerCidrs itself is not exposed: nothing but the gateway may admit partners (review of 4 Dec, I-F11). */
    readonly gatewaySources: readonly string[];
    /** The services operators reach through the VPN, targets resolved (default windows.<internal domain>). */
    readonly gatewayServices: readonly GatewayService[];
    /** Those the gateway opens to the internet, with their sources and the ports each binds; empty by default. */
    readonly gatewayInternet: readonly ExposedService[];
    /** The order connector's FTP (control port, passive range), when gatewayServices lists the pair; none otherwise. */
    readonly ordersFtp: OrdersFtp | undefined;
    /** Addresses OpenVPN gives its clients: x.y.250.0/24 of the VPC, outside every subnet (clients are NATed). */
    readonly vpnClientCidr: string;
}

export interface OrdersFtp {
    readonly control: GatewayService;
    readonly passive: GatewayService;
    /** Opened to the internet through the gateway (vsftpd then answers PASV with the gateway's address). */
    readonly onInternet: boolean;
}

export function gateway(v: Settings): Concern<GatewaySettings> {
    const problems: ConfigProblem[] = [];
    const operatorCidrs = v.operatorCidrs ?? [];
    problems.push(...checkOperatorCidrs(operatorCidrs));
    // The whole internet however it is split (0.0.0.0/1 + 128.0.0.0/1, every public block): coverage, not only the
    // literal /0, which the key's schema already refuses item by item.
    for (const family of operatorCidrs.some(isWholeInternet) ? [] : internetCovered(operatorCidrs)) {
        problems.push({
            path: qualified("operatorCidrs"),
            message: `together cover every internet ${family} address, which opens the operators' ports to the whole internet; list the operators' ranges`,
        });
    }
    const partnerCidrs = v.partnerCidrs ?? [];
    problems.push(...checkPartnerCidrs(partnerCidrs, v.gatewayMinPrefix));
    const gatewaySources = gatewayAllowList(operatorCidrs, partnerCidrs);
    const services = resolveGatewayServices(
        v.gatewayServices,
        v.internalDomain ?? "internal",
        gatewaySources,
        operatorCidrs.length,
    );
    const internet = resolveGatewayInternet(services.services, {
        opened: v.gatewayInternet,
        minPrefix: v.gatewayMinPrefix,
        operatorCidrs,
        partnerCidrs,
    });
    const orders = ordersFtp(services.services, v.internalDomain ?? "internal");
    problems.push(...internet.problems, ...services.problems, ...orders.problems);
    return {
        problems,
        config: () => ({
            operatorCidrs: v.operatorCidrs!,
            gatewaySources,
            gatewayServices: services.services,
            gatewayInternet: internet.exposed,
            ordersFtp: orders.pair && {
                ...orders.pair,
                onInternet: internet.exposed.some((e) => e.service.name === ORDERS_FTP.control),
            },
            vpnClientCidr: vpnClientCidr(parseCidr(v.vpcCidr!)!),
        }),
    };
}

/** The gateway's only address is an Elastic IP (IPv4 only) in a subnet without an IPv6 CIDR, as is the whole VPC: a
 *  client reaches it over IPv4, so its IPv4 address is what the allow-list sees and an IPv6 range never matches
 *  (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html). */
function checkOperatorCidrs(operatorCidrs: readonly string[]): ConfigProblem[] {
    return operatorCidrs.flatMap((cidr, i) =>
        cidr.includes(":")
            ? [
                  {
                      path: `${qualified("operatorCidrs")}[${i}]`,
                      message: `${cidr} is an IPv6 range, but the VPC and the gateway have IPv4 addresses only, so operators could never connect from it; list the IPv4 ranges they connect from, such as 203.0.113.0/24`,
                  },
              ]
            : [],
    );
}

/** A partner's address is one the gateway opens services to, so it meets the same shortest prefix as a gatewayInternet
 *  source. An entry inside operatorCidrs is allowed (an operator's office can also be a partner), but it then has the
 *  admin's reach through operatorCidrs anyway (docs/gateway.md). */
function checkPartnerCidrs(partnerCidrs: readonly string[], minPrefix: number): ConfigProblem[] {
    return partnerCidrs.flatMap((cidr, i) =>
        parseCidr(cidr)!.prefix < minPrefix
            ? [
                  {
                      path: `${qualified("partnerCidrs")}[${i}]`,
                      message: `${cidr} is wider than a /${minPrefix}: list partners' own addresses (magento:gatewayMinPrefix sets the shortest prefix, 24 to 32)`,
                  },
              ]
            : [],
    );
}

/** The ranges the gateway's security group may admit: the operators', then the partners' that add addresses (one
 *  inside an operator range would only lengthen the tag, whose 256 characters the list must fit). */
function gatewayAllowList(operatorCidrs: readonly string[], partnerCidrs: readonly string[]): string[] {
    const operators = operatorCidrs.map(parseCidr).filter((c): c is Cidr => c !== undefined);
    const extra = partnerCidrs.filter((p) => {
        const cidr = parseCidr(p);
        return cidr !== undefined && !operators.some((o) => contains(o, cidr));
    });
    return [...operatorCidrs, ...new Set(extra)];
}

/** AWS's default quota of inbound rules per security group (IPv4 sources; IPv6 ones are refused above). */
const RULES_PER_GROUP = 60;
/** AWS's longest tag value: the gateway's security group lists the allow-list in one (policies/lib/contracts.ts). */
const TAG_VALUE_CHARS = 256;

/** The gateway's services with ports and targets resolved, and every problem with them or with the allow-list they open. */
function resolveGatewayServices(
    settings: readonly GatewayServiceSetting[],
    internalDomain: string,
    gatewaySources: readonly string[],
    operatorCount: number,
): { services: GatewayService[]; problems: ConfigProblem[] } {
    const key = qualified("gatewayServices");
    const problems: ConfigProblem[] = [];
    // The order connector's pair leads to the name its server claims at boot; every other service to the Windows host.
    const defaultTarget = (name: string) =>
        [ORDERS_FTP.control, ORDERS_FTP.passive].includes(name as never)
            ? `${ORDERS_FTP.host}.${internalDomain}`
            : `windows.${internalDomain}`;
    const services = settings.map((s): GatewayService => {
        const [fromPort, toPort] = typeof s.port === "number" ? [s.port, s.port] : s.port.split("-").map(Number);
        return { name: s.name, protocol: "tcp", fromPort, toPort, target: s.target ?? defaultTarget(s.name) };
    });
    services.forEach((service, i) => {
        for (const other of services.slice(0, i)) {
            if (other.name === service.name) {
                problems.push({
                    path: `${key}[${i}].name`,
                    message: `${service.name} is listed twice; each service needs its own name`,
                });
            }
            // The estate's passive FTP range (2048-4096) holds RDP's 3389: harmless while both go to the same host.
            if (
                service.fromPort <= other.toPort &&
                other.fromPort <= service.toPort &&
                service.target !== other.target
            ) {
                problems.push({
                    path: `${key}[${i}].port`,
                    message: `${service.fromPort}-${service.toPort} overlaps the ports of ${other.name}, which go to ${other.target}; a port can lead to one host only`,
                });
            }
        }
    });
    if (gatewaySources.join(",").length > TAG_VALUE_CHARS) {
        // Blame the partners only when the operators' ranges fit on their own.
        const operatorsFit = gatewaySources.slice(0, operatorCount).join(",").length <= TAG_VALUE_CHARS;
        problems.push({
            path: qualified(operatorsFit ? "partnerCidrs" : "operatorCidrs"),
            message: operatorsFit
                ? `outside operatorCidrs, joined with them by commas, must fit AWS's ${TAG_VALUE_CHARS}-character tag value (the gateway's security group lists them for the policies): list fewer partners' addresses`
                : `joined with commas must fit AWS's ${TAG_VALUE_CHARS}-character tag value (the gateway's security group lists them for the policies): merge ranges`,
        });
    }
    return { services, problems };
}

/** Ports that are SMB (and NetBIOS sessions): Microsoft asks perimeter firewalls to block them from the internet
 *  (https://support.microsoft.com/en-us/topic/preventing-smb-traffic-from-lateral-connections-and-entering-or-leaving-the-network-c0541db7-2244-0dce-18fd-14a3ddeb282a),
 *  and Security Hub's EC2.19 counts 445 a high-risk port (https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19). */
const SMB_PORTS = [445, 139];

interface InternetSettings {
    readonly opened: Readonly<Record<string, readonly string[]>>;
    readonly minPrefix: number;
    readonly operatorCidrs: readonly string[];
    readonly partnerCidrs: readonly string[];
}

/** The services opened to the internet with their ports, and every problem with what the stack opens (docs/gateway.md). */
function resolveGatewayInternet(
    services: readonly GatewayService[],
    settings: InternetSettings,
): { exposed: ExposedService[]; problems: ConfigProblem[] } {
    const key = qualified("gatewayInternet");
    const problems: ConfigProblem[] = [];
    const allowed = [...settings.operatorCidrs, ...settings.partnerCidrs]
        .map(parseCidr)
        .filter((c): c is Cidr => c !== undefined);
    const operators = settings.operatorCidrs.map(parseCidr).filter((c): c is Cidr => c !== undefined);
    // A partner drops files: the FTP pairs only, never RDP or the application behind the gateway (review L-1).
    const ftpServices = new Set(FTP_PAIRS.flatMap((p) => [p.control, p.passive]));
    const listed = (cidrs: readonly string[]) => (cidrs.length > 0 ? cidrs.join(", ") : "none");
    for (const [name, sources] of Object.entries(settings.opened)) {
        const service = services.find((s) => s.name === name);
        if (service === undefined) {
            problems.push({
                path: `${key}.${name}`,
                message: `is not a service of magento:gatewayServices (${services.map((s) => s.name).join(", ")})`,
            });
            continue;
        }
        const smb = SMB_PORTS.find((p) => service.fromPort <= p && p <= service.toPort);
        if (smb !== undefined) {
            problems.push({
                path: `${key}.${name}`,
                message: `opens SMB (port ${smb}) to the internet, which Microsoft and AWS's Security Hub (EC2.19) advise against; reach it through the VPN`,
            });
        }
        sources.forEach((source, i) => {
            const cidr = parseCidr(source)!;
            if (cidr.prefix < settings.minPrefix) {
                problems.push({
                    path: `${key}.${name}[${i}]`,
                    message: `${source} is wider than a /${settings.minPrefix}: open a service to operators' or partners' own addresses (magento:gatewayMinPrefix sets the shortest prefix, 24 to 32)`,
                });
            } else if (!allowed.some((o) => contains(o, cidr))) {
                problems.push({
                    path: `${key}.${name}[${i}]`,
                    message: `${source} is not inside magento:operatorCidrs (${listed(settings.operatorCidrs)}) nor magento:partnerCidrs (${listed(settings.partnerCidrs)}): the gateway admits operators' and partners' addresses only; add a partner's address to partnerCidrs (it gains no admin reach), an operator's range to operatorCidrs`,
                });
            } else if (!ftpServices.has(name) && !operators.some((o) => contains(o, cidr))) {
                problems.push({
                    path: `${key}.${name}[${i}]`,
                    message: `${source} is a partner's address (magento:partnerCidrs, outside operatorCidrs): a partner may reach the FTP services only (${[...ftpServices].join(", ")}), not ${name}`,
                });
            }
        });
    }
    // FTP's data connections use the passive range: one without the other fails every transfer.
    for (const { control, passive } of FTP_PAIRS) {
        const [a, b] = [settings.opened[control], settings.opened[passive]];
        if ((a === undefined) !== (b === undefined) || (a && b && [...a].sort().join() !== [...b].sort().join())) {
            problems.push({
                path: key,
                message: `opens ${control} and ${passive} with different sources; FTP's transfers use the passive ports: open both to the same addresses, or neither`,
            });
        }
    }
    const exposed = problems.length > 0 ? [] : exposedServices(services, settings.opened);
    for (const e of exposed.filter((x) => x.ports.length === 0)) {
        problems.push({
            path: `${key}.${e.service.name}`,
            message: `every port of ${e.service.name} belongs to another service listed before it or kept behind the VPN`,
        });
    }
    const rules = exposed.reduce((n, e) => n + e.ports.length * e.sources.length, 0);
    if (rules > RULES_PER_GROUP) {
        problems.push({
            path: key,
            message: `needs ${rules} security group rules (a rule per port range and source); AWS allows ${RULES_PER_GROUP} per group: open fewer services or addresses`,
        });
    }
    return { exposed, problems };
}

/**
 * The order connector's FTP pair from the services: both or neither (vsftpd listens on the one and hands out the other),
 * the control a single port outside the passive range, both leading to orders-ftp.<internal domain>, the name its
 * server claims at boot (docs/sideapps.md, "FTP for the order connector").
 */
function ordersFtp(
    services: readonly GatewayService[],
    internalDomain: string,
): { pair?: { control: GatewayService; passive: GatewayService }; problems: ConfigProblem[] } {
    const key = qualified("gatewayServices");
    const [control, passive] = [ORDERS_FTP.control, ORDERS_FTP.passive].map((n) => services.find((s) => s.name === n));
    if (control === undefined && passive === undefined) {
        return { problems: [] };
    }
    const problem = (message: string) => ({ problems: [{ path: key, message }] });
    if (control === undefined || passive === undefined) {
        return problem(
            `lists one of ${ORDERS_FTP.control} and ${ORDERS_FTP.passive}: the order connector's FTP needs both (its control port and its passive range), or neither`,
        );
    }
    const host = `${ORDERS_FTP.host}.${internalDomain}`;
    if (control.target !== host || passive.target !== host) {
        return problem(
            `${ORDERS_FTP.control} and ${ORDERS_FTP.passive} must lead to ${host}, the name the order connector's server claims at boot (leave their target unset)`,
        );
    }
    if (control.fromPort !== control.toPort || passive.fromPort === passive.toPort) {
        return problem(`${ORDERS_FTP.control} must be one port and ${ORDERS_FTP.passive} a range of ports`);
    }
    if (passive.fromPort <= control.fromPort && control.fromPort <= passive.toPort) {
        return problem(
            `${ORDERS_FTP.control}'s port ${control.fromPort} lies inside ${ORDERS_FTP.passive}'s range ${passive.fromPort}-${passive.toPort}: vsftpd could hand it out for a transfer`,
        );
    }
    return { pair: { control, passive }, problems: [] };
}
