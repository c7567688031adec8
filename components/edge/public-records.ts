// Every public name of the shop pointed at what serves it: alias records in Route 53 when it holds the zones, and
// otherwise the list of records for the operator to create at the registrar (stack output). Either way the output
// also lists what the registrar must hold: the delegation of zones created here, or ACM's validation records.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    delegationRecords,
    PublicName,
    RegistrarRecord,
    RegistrarRecordOf,
    registrarRecords,
    Target,
} from "../../model/edge-plan";

/** Where an alias record points: an AWS endpoint's DNS name and its canonical hosted zone. */
export interface AliasTarget {
    readonly dnsName: pulumi.Input<string>;
    readonly zoneId: pulumi.Input<string>;
    /** The endpoint answers over IPv6 too (AAAA alias). */
    readonly ipv6: boolean;
}

export interface PublicRecordsArgs {
    /** Every public name, its target and zone (model/edge-plan.ts). */
    readonly names: readonly PublicName[];
    /** Route 53 zone id by zone name; undefined: DNS is at a registrar. */
    readonly zoneIds: Readonly<Record<string, pulumi.Input<string>>> | undefined;
    /** Name servers of zones created here, by zone name (for their delegation). */
    readonly nameServers: Readonly<Record<string, pulumi.Input<string[]>>>;
    /** The load balancer and the two distributions. */
    readonly targets: Readonly<Record<Target, AliasTarget>>;
}

export class PublicRecords extends pulumi.ComponentResource {
    /**
     * What to create at the registrar: every record when DNS is outside AWS (names and types known during a preview,
     * targets once AWS has named the endpoints), or the NS delegations of zones created here.
     */
    public readonly registrarRecords: pulumi.Input<
        pulumi.Input<RegistrarRecord | RegistrarRecordOf<pulumi.Input<string>>>[]
    >;
    /** Fully qualified names now published in Route 53 (empty when DNS is at a registrar). */
    public readonly publishedNames: string[];

    constructor(name: string, args: PublicRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:dns:PublicRecords", name, {}, opts);
        const { zoneIds, targets } = args;
        if (zoneIds !== undefined) {
            for (const n of args.names) {
                const target = targets[n.target];
                for (const type of target.ipv6 ? ["A", "AAAA"] : ["A"]) {
                    new aws.route53.Record(
                        `${name}-${n.name}-${type}`,
                        {
                            zoneId: zoneIds[n.zone],
                            name: n.name,
                            type,
                            // CloudFront aliases cannot evaluate target health; a load balancer's can.
                            aliases: [
                                {
                                    name: target.dnsName,
                                    zoneId: target.zoneId,
                                    evaluateTargetHealth: n.target === "loadBalancer",
                                },
                            ],
                        },
                        { parent: this },
                    );
                }
            }
        }
        this.registrarRecords =
            zoneIds === undefined
                ? registrarRecords(args.names, {
                      loadBalancer: targets.loadBalancer.dnsName,
                      media: targets.media.dnsName,
                      static: targets.static.dnsName,
                  })
                : pulumi.output(args.nameServers).apply((servers) => delegationRecords(servers));
        this.publishedNames = zoneIds === undefined ? [] : args.names.map((n) => n.name);
        this.registerOutputs({ registrarRecords: this.registrarRecords, publishedNames: this.publishedNames });
    }
}
