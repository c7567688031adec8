// The public side of the program, around the load balancer: zones and certificates, the origin-verify secrets and
// CloudFront before it (its listener needs the certificates; its header rules change only after CloudFront has
// deployed a rotation), then the public records once it exists (they point at it).
import * as pulumi from "@pulumi/pulumi";
import { Cdn, MAGENTO_CDN_ALIASES, ORIGIN_VERIFY_HEADER, OriginVerify } from "../components/edge/cdn";
import { Certificates } from "../components/edge/certificates";
import { GeneratedSecret } from "../components/security/generated-secret";
import { ORIGIN_VERIFY_SLOTS, originVerifyPlan } from "../components/edge/origin-verify";
import { PublicRecords } from "../components/edge/public-records";
import { PublicZones } from "../components/edge/public-zones";
import { sideAppNames } from "../model/side-apps";
import { StackConfig } from "../stacks";

export interface EdgeCertificates {
    readonly zones: PublicZones | undefined;
    readonly certificates: Certificates;
}

/** Route 53 zones (unless DNS is at a registrar) and every certificate the plan calls for. */
export function edgeCertificates(prefix: string, config: StackConfig): EdgeCertificates {
    const { edge, tags } = config;
    const zones =
        edge.publicDns === "registrar"
            ? undefined
            : new PublicZones(`${prefix}-public`, {
                  zones: edge.plan.zones,
                  create: edge.publicDns === "managed",
                  tags,
              });
    const certificates = new Certificates(`${prefix}-certificates`, {
        plan: edge.plan,
        imported: edge.importedCertificates,
        zoneIds: zones?.zoneIds,
        tags,
    });
    return { zones, certificates };
}

export interface CdnEdgeArgs extends EdgeCertificates {
    /** The stack's KMS key, for the origin-verify secrets. */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly logsBucketArn: pulumi.Input<string>;
    /** The logs bucket's policy (or what holds it): log delivery starts after it. */
    readonly logsDependsOn: pulumi.Resource[];
}

/**
 * The two origin-verify secrets and the media and static distributions sending one of them; `originVerify` is what
 * the load balancer and the WAF accept. Slot a keeps the name of the single secret that came before rotation.
 */
export function cdnEdge(prefix: string, config: StackConfig, args: CdnEdgeArgs) {
    const { edge, tags, domain } = config;
    const plan = originVerifyPlan(edge.originVerifyRotation);
    const secrets = Object.fromEntries(
        ORIGIN_VERIFY_SLOTS.map((slot) => [
            slot,
            new GeneratedSecret(`${prefix}-origin-verify${slot === "a" ? "" : `-${slot}`}`, {
                description: `Header value CloudFront adds to origin requests (slot ${slot}); the ALB serves CDN paths only with it`,
                length: 32,
                specials: "",
                generation: plan.generations[slot],
                kmsKeyArn: args.kmsKeyArn,
                tags,
            }),
        ]),
    ) as Record<(typeof ORIGIN_VERIFY_SLOTS)[number], GeneratedSecret>;
    const cdn = new Cdn(`${prefix}-cdn`, {
        domain,
        originDomainName: `origin.${domain}`,
        originPaths: edge.originPaths,
        originVerifyValue: secrets[plan.sent].value,
        staticCorsOrigins: edge.plan.pageOrigins,
        certificateArn: args.certificates.cdnCertificateArn,
        logsBucketArn: args.logsBucketArn,
        logsDependsOn: args.logsDependsOn,
        tags,
    });
    const originVerify: OriginVerify = {
        headerName: ORIGIN_VERIFY_HEADER,
        values: ORIGIN_VERIFY_SLOTS.map((s) => secrets[s].value),
        after: [cdn],
    };
    return {
        cdn,
        originVerify,
        /** The origin paths and Magento's aliases of them: every path the servers serve the CDN's files under. */
        cdnPaths: [...new Set([...Object.values(edge.originPaths), ...MAGENTO_CDN_ALIASES])],
        /** The secret CloudFront sends now. */
        originVerifySecretArn: secrets[plan.sent].secretArn,
    };
}

export type CdnEdge = ReturnType<typeof cdnEdge>;

export interface PublicEdgeArgs extends EdgeCertificates {
    /** The load balancer's DNS name and canonical hosted zone id. */
    readonly loadBalancer: { readonly dnsName: pulumi.Input<string>; readonly zoneId: pulumi.Input<string> };
    readonly cdn: Cdn;
}

/** Every public name pointed at its target: the load balancer or a distribution. */
export function publicEdge(prefix: string, config: StackConfig, args: PublicEdgeArgs) {
    const { edge } = config;
    const { cdn } = args;
    const cloudFront = (kind: "media" | "static") => ({
        dnsName: cdn.endpoints[kind].domainName,
        zoneId: cdn.endpoints[kind].hostedZoneId,
        ipv6: true,
    });
    const names = [...edge.plan.names, ...sideAppNames(config.domain)]; // the shop's, and the side applications' (infra/sideapps.ts)
    const records = new PublicRecords(`${prefix}-records`, {
        names,
        zoneIds: args.zones?.zoneIds,
        nameServers: args.zones?.nameServers ?? {},
        targets: {
            loadBalancer: { ...args.loadBalancer, ipv6: false },
            media: cloudFront("media"),
            static: cloudFront("static"),
        },
    });
    return {
        cdnDistributionIds: cdn.distributionIds,
        registrarRecords: records.registrarRecords,
        /** ACM's validation records for the registrar (empty when Route 53 holds the zones). */
        certificateValidationRecords: args.certificates.validationRecords,
        publicNames: names.map((n) => n.name),
    };
}
