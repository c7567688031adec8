// Site-to-site IPsec links to the merchant's other sites (warehouse, offices): a virtual private gateway on the VPC
// whose routes propagate to the private route tables, one customer gateway and one VPN connection (two tunnels, in
// two AWS endpoints) per site, and an alarm per tunnel that fires after 15 minutes down (docs/estate.md).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SiteLink } from "../../model/site-links";

export interface SiteLinksArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Route tables that learn the sites' routes: the private subnets', where the servers the sites reach live. */
    readonly privateRouteTableIds: pulumi.Input<string>[];
    readonly links: readonly SiteLink[];
    /** SNS topic the tunnel alarms notify (and notify again when the tunnel is back): the operators' (infra/monitoring.ts). */
    readonly alarmTopicArn?: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** An alarm a monitoring component can wire to the operators' topic. */
export interface AlarmTarget {
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
}

/** AWS's ASN for a customer gateway whose device routes statically: the API requires one, BGP never uses it. */
const STATIC_CUSTOMER_ASN = 65000;
/** 2-byte ASNs go in bgpAsn; 4-byte ones (4200000000 and up) in bgpAsnExtended. */
const LARGEST_BGP_ASN = 2147483647;
/** TunnelState is published every 5 minutes: three periods in a row is "down for more than 15 minutes". */
const PERIOD_SECONDS = 300;
const PERIODS_DOWN = 3;

export class SiteLinks extends pulumi.ComponentResource {
    public readonly vpnGatewayId: pulumi.Output<string>;
    /** VPN connection ids by site name (their tunnels' addresses and keys are in the console's configuration download). */
    public readonly connectionIds: Record<string, pulumi.Output<string>>;
    /** One alarm per tunnel, two per site, for the operators' topic. */
    public readonly alarms: AlarmTarget[];

    constructor(name: string, args: SiteLinksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:network:SiteLinks", name, {}, opts);
        const child = { parent: this };
        const tags = (resource: string) => ({ ...args.tags, Name: `${name}-${resource}` });

        const gateway = new aws.ec2.VpnGateway(`${name}-vgw`, { vpcId: args.vpcId, tags: tags("vgw") }, child);
        args.privateRouteTableIds.forEach((routeTableId, i) => {
            new aws.ec2.VpnGatewayRoutePropagation(
                `${name}-propagation-${i + 1}`,
                { vpnGatewayId: gateway.id, routeTableId },
                child,
            );
        });

        const actions = args.alarmTopicArn === undefined ? [] : [args.alarmTopicArn];
        this.alarms = [];
        this.connectionIds = {};
        for (const link of args.links) {
            const site = `${name}-${link.name}`;
            const asn = link.bgpAsn ?? STATIC_CUSTOMER_ASN;
            const customer = new aws.ec2.CustomerGateway(
                `${site}-cgw`,
                {
                    type: "ipsec.1",
                    ipAddress: link.customerGatewayIp,
                    ...(asn > LARGEST_BGP_ASN ? { bgpAsnExtended: String(asn) } : { bgpAsn: String(asn) }),
                    tags: tags(`${link.name}-cgw`),
                },
                child,
            );
            const connection = new aws.ec2.VpnConnection(
                `${site}-vpn`,
                {
                    type: "ipsec.1",
                    vpnGatewayId: gateway.id,
                    customerGatewayId: customer.id,
                    staticRoutesOnly: link.staticRoutes !== undefined,
                    tags: tags(`${link.name}-vpn`),
                },
                child,
            );
            (link.staticRoutes ?? []).forEach((cidr, i) => {
                // Keyed by the CIDR (destination_cidr_block forces a new route, docs/site-links.md): adding or removing a
                // route touches that route only. The alias takes over a route deployed under its position.
                new aws.ec2.VpnConnectionRoute(
                    `${site}-route-${cidr.replace("/", "-")}`,
                    { vpnConnectionId: connection.id, destinationCidrBlock: cidr },
                    { ...child, aliases: [{ name: `${site}-route-${i + 1}` }] },
                );
            });
            this.connectionIds[link.name] = connection.id;
            for (const [tunnel, address] of [
                [1, connection.tunnel1Address],
                [2, connection.tunnel2Address],
            ] as const) {
                const alarmName = `${site}-tunnel${tunnel}-down`;
                const alarm = new aws.cloudwatch.MetricAlarm(
                    alarmName,
                    {
                        name: alarmName, // known at preview, so the alarm targets can be wired before the first deploy
                        alarmDescription: `IPsec tunnel ${tunnel} of the ${link.name} link is down for more than 15 minutes`,
                        namespace: "AWS/VPN",
                        metricName: "TunnelState",
                        // One tunnel's series is keyed by its outside address alone; the VpnId series averages both tunnels
                        // (0.5 with one down) and cannot say which tunnel failed.
                        dimensions: { TunnelIpAddress: address },
                        statistic: "Maximum",
                        period: PERIOD_SECONDS,
                        evaluationPeriods: PERIODS_DOWN,
                        datapointsToAlarm: PERIODS_DOWN,
                        comparisonOperator: "LessThanThreshold",
                        threshold: 1,
                        // A tunnel that stops reporting is not known to be up: alarm rather than stay silent.
                        treatMissingData: "breaching",
                        alarmActions: actions,
                        okActions: actions,
                        tags: tags(`${link.name}-tunnel${tunnel}-down`),
                    },
                    child,
                );
                this.alarms.push({ name: alarm.name, arn: alarm.arn });
            }
        }

        this.vpnGatewayId = gateway.id;
        this.registerOutputs({
            vpnGatewayId: this.vpnGatewayId,
            connectionIds: this.connectionIds,
            alarms: this.alarms,
        });
    }
}
