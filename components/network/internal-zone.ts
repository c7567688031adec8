// The private hosted zone of the internal domain, visible only inside the VPC (docs/estate.md: nfs., rundeck.,
// windows. ...). Components add their own records through `InternalDns`, so each name is created with its server.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What a component needs to add a name under the internal domain. */
export interface InternalDns {
    readonly zoneId: pulumi.Input<string>;
    readonly domain: string;
}

export interface InternalZoneArgs {
    readonly domain: string;
    readonly vpcId: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

export class InternalZone extends pulumi.ComponentResource {
    public readonly zoneId: pulumi.Output<string>;
    public readonly dns: InternalDns;

    constructor(name: string, args: InternalZoneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:dns:InternalZone", name, {}, opts);
        const zone = new aws.route53.Zone(
            `${name}-zone`,
            {
                name: args.domain,
                comment: "Internal names of the Magento estate; resolvable only inside the VPC",
                vpcs: [{ vpcId: args.vpcId }],
                tags: { ...args.tags, Name: args.domain },
            },
            { parent: this },
        );
        this.zoneId = zone.zoneId;
        this.dns = { zoneId: zone.zoneId, domain: args.domain };
        this.registerOutputs({ zoneId: this.zoneId });
    }
}

/**
 * An A record `host.<internal domain>` for one address, created as a child of the component that owns the host;
 * `after`: what must be in place before the name points at the address (a server's volume attachments).
 */
export function internalRecord(
    parent: pulumi.Resource,
    name: string,
    dns: InternalDns,
    host: string,
    address: pulumi.Input<string>,
    after: pulumi.Resource[] = [],
): string {
    const fqdn = `${host}.${dns.domain}`;
    new aws.route53.Record(
        `${name}-dns`,
        { zoneId: dns.zoneId, name: fqdn, type: "A", ttl: 300, records: [address] },
        { parent, dependsOn: after },
    );
    return fqdn;
}
