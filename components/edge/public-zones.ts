// The public hosted zones of the shop's domain and of each storefront's top domain, when Route 53 holds them:
// either found in the account by name (they exist already) or created here, with the name servers the registrar
// must delegate to.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PublicZonesArgs {
    /** Zone names, such as example.com and brand-a.example. */
    readonly zones: readonly string[];
    /** Create the zones (true), or find existing public zones of these names in the account (false). */
    readonly create: boolean;
    readonly tags: Readonly<Record<string, string>>;
}

export class PublicZones extends pulumi.ComponentResource {
    /** Zone id by zone name. */
    public readonly zoneIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Name servers by zone name, for the NS delegation at the parent (created zones only; empty otherwise). */
    public readonly nameServers: Readonly<Record<string, pulumi.Output<string[]>>>;

    constructor(name: string, args: PublicZonesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:dns:PublicZones", name, {}, opts);
        const child = { parent: this };
        const zoneIds: Record<string, pulumi.Output<string>> = {};
        const nameServers: Record<string, pulumi.Output<string[]>> = {};
        for (const zoneName of args.zones) {
            if (args.create) {
                // Protected: deleting a public zone loses its name servers, and every delegation to them breaks.
                const zone = new aws.route53.Zone(
                    `${name}-${zoneName}`,
                    {
                        name: zoneName,
                        comment: "Public names of the Magento shop",
                        tags: { ...args.tags, Name: zoneName },
                    },
                    { ...child, protect: true },
                );
                zoneIds[zoneName] = zone.zoneId;
                nameServers[zoneName] = zone.nameServers;
            } else {
                zoneIds[zoneName] = aws.route53.getZoneOutput({ name: zoneName, privateZone: false }, child).zoneId;
            }
        }
        this.zoneIds = zoneIds;
        this.nameServers = nameServers;
        this.registerOutputs({ zoneIds, nameServers });
    }
}
