// The public side of the program, in the two steps the load balancer sits between: zones and certificates before it
// (its listener needs them), then CloudFront and the public records once it exists (they point at it).
import * as pulumi from "@pulumi/pulumi";
import { Cdn } from "../components/cdn";
import { Certificates } from "../components/certificates";
import { PublicRecords } from "../components/public-records";
import { PublicZones } from "../components/public-zones";
import { StackConfig } from "../stacks";

export interface EdgeCertificates {
    readonly zones: PublicZones | undefined;
    readonly certificates: Certificates;
}

/** Route 53 zones (unless DNS is at a registrar) and every certificate the plan calls for. */
export function edgeCertificates(prefix: string, config: StackConfig): EdgeCertificates {
    const { edge, tags } = config;
    const zones = edge.publicDns === "registrar"
        ? undefined
        : new PublicZones(`${prefix}-public`, { zones: edge.plan.zones, create: edge.publicDns === "managed", tags });
    const certificates = new Certificates(`${prefix}-certificates`, {
        plan: edge.plan, imported: edge.importedCertificates, zoneIds: zones?.zoneIds, tags,
    });
    return { zones, certificates };
}

export interface PublicEdgeArgs extends EdgeCertificates {
    /** The load balancer's DNS name and canonical hosted zone id. */
    readonly loadBalancer: { readonly dnsName: pulumi.Input<string>; readonly zoneId: pulumi.Input<string> };
    readonly originVerifyValue: pulumi.Input<string>;
    readonly logsBucketArn: pulumi.Input<string>;
    /** The logs bucket's policy (or what holds it): log delivery starts after it. */
    readonly logsDependsOn: pulumi.Resource[];
}

/** The media and static distributions in front of the load balancer, and every public name pointed at its target. */
export function publicEdge(prefix: string, config: StackConfig, args: PublicEdgeArgs) {
    const { edge, tags, domain } = config;
    const cdn = new Cdn(`${prefix}-cdn`, {
        domain,
        originDomainName: `origin.${domain}`,
        originPaths: edge.originPaths,
        originVerifyValue: args.originVerifyValue,
        staticCorsOrigins: edge.plan.pageOrigins,
        certificateArn: args.certificates.cdnCertificateArn,
        logsBucketArn: args.logsBucketArn,
        logsDependsOn: args.logsDependsOn,
        tags,
    });
    const cloudFront = (kind: "media" | "static") => ({ dnsName: cdn.endpoints[kind].domainName, zoneId: cdn.endpoints[kind].hostedZoneId, ipv6: true });
    const records = new PublicRecords(`${prefix}-records`, {
        names: edge.plan.names,
        zoneIds: args.zones?.zoneIds,
        nameServers: args.zones?.nameServers ?? {},
        targets: { loadBalancer: { ...args.loadBalancer, ipv6: false }, media: cloudFront("media"), static: cloudFront("static") },
    });
    return {
        cdnDistributionIds: cdn.distributionIds,
        registrarRecords: records.registrarRecords,
        /** ACM's validation records for the registrar (empty when Route 53 holds the zones). */
        certificateValidationRecords: args.certificates.validationRecords,
        publicNames: edge.plan.names.map((n) => n.name),
    };
}
