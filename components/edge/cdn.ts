// The estate's two CloudFront distributions (docs/estate.md): media. (product images from the shared pub/media) and
// static. (each release's pub/static), both in front of the load balancer. Viewers get HTTPS only (TLS 1.2+, HTTP/2
// and HTTP/3, compression); CloudFront reaches the load balancer over HTTPS as `origin.<domain>` and proves itself
// with a secret header the load balancer requires on these paths. Access logs: CloudFront standard logging v2
// (CloudWatch Logs vended delivery) into the logs bucket. The legacy S3 logging writes through bucket ACLs, which the
// stack's buckets disable (BucketOwnerEnforced); v2 delivers as the bucket policy allows (components/storage/buckets.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cloudFrontRegionProvider } from "./us-east-1";

/** Header CloudFront adds to every origin request; the load balancer serves the CDN paths only with its secret value. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/**
 * Magento's docroot pub/ serves pub/media and pub/static at /media and /static as well (its nginx.conf.sample:
 * `location /media/`, `location /static/`): the same files as the origin paths, guarded alike (docs/edge.md, "CDN paths").
 */
export const MAGENTO_CDN_ALIASES = ["/media", "/static"] as const;

/** What the load balancer and the WAF accept as proof that a request is CloudFront's (components/edge/origin-verify.ts). */
export interface OriginVerify {
    readonly headerName: string;
    /** Every accepted value: the one CloudFront sends and the one it will send after the next rotation. */
    readonly values: readonly pulumi.Input<string>[];
    /** The distributions sending the header: a value is dropped only after they have deployed the next one. */
    readonly after: readonly pulumi.Resource[];
}

/**
 * AWS's managed cache policy "Managed-CachingOptimized" (its id is the same in every account): query strings, cookies
 * and headers stay out of the cache key, gzip and brotli are cached, TTL from the origin's Cache-Control (default one
 * day). Magento versions its static URLs and media URLs change with the image, so nothing else belongs in the key.
 */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";

export const CDN_KINDS = ["media", "static"] as const;
export type CdnKind = (typeof CDN_KINDS)[number];

export interface CdnArgs {
    /** The shop's domain: the distributions answer on media.<domain> and static.<domain>. */
    readonly domain: string;
    /** Host CloudFront connects to: a name the load balancer's certificate covers, pointing at the load balancer. */
    readonly originDomainName: string;
    /** Path on the origin of each distribution, such as /pub/media. */
    readonly originPaths: Readonly<Record<CdnKind, string>>;
    /** Secret value of the ORIGIN_VERIFY_HEADER. */
    readonly originVerifyValue: pulumi.Input<string>;
    /** ACM certificate in us-east-1 covering media. and static. of the domain. */
    readonly certificateArn: pulumi.Input<string>;
    /** Page origins (https://<name>) allowed to read the static distribution's responses cross-origin (CORS). */
    readonly staticCorsOrigins: readonly string[];
    /** The logs bucket (access logs land under AWSLogs/<account>/CloudFront/). */
    readonly logsBucketArn: pulumi.Input<string>;
    /** What must exist before delivery starts: the bucket's policy granting it, or CloudWatch Logs appends its own. */
    readonly logsDependsOn: pulumi.Resource[];
    readonly tags: Readonly<Record<string, string>>;
}

export class Cdn extends pulumi.ComponentResource {
    /** CloudFront domain name and alias zone id of each distribution, for DNS. */
    public readonly endpoints: Readonly<
        Record<CdnKind, { domainName: pulumi.Output<string>; hostedZoneId: pulumi.Output<string> }>
    >;
    public readonly distributionIds: Readonly<Record<CdnKind, pulumi.Output<string>>>;

    constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:edge:Cdn", name, {}, opts);
        const child = { parent: this };
        // CloudFront's delivery sources must be created in us-east-1; the bucket may be in any region.
        const usEast1 = { parent: this, provider: cloudFrontRegionProvider(name, this) };
        const delivering = { ...usEast1, dependsOn: args.logsDependsOn };
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            `${name}-logs`,
            {
                name: `${name}-logs`,
                outputFormat: "w3c", // the layout of CloudFront's legacy logs, which existing log tools read
                deliveryDestinationConfiguration: { destinationResourceArn: args.logsBucketArn },
                tags: args.tags,
            },
            delivering,
        );

        // Pages load fonts and RequireJS `text!` templates from static. by XHR: CloudFront answers CORS for exactly the
        // page origins, on cached responses too (docs/edge.md, "CORS on static"). Credentials are never needed there.
        const staticCors = new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-static-cors`,
            {
                comment: `CORS for the pages of ${args.domain} and its storefronts`,
                corsConfig: {
                    accessControlAllowCredentials: false,
                    accessControlAllowHeaders: { items: ["*"] },
                    accessControlAllowMethods: { items: ["GET", "HEAD", "OPTIONS"] },
                    accessControlAllowOrigins: { items: [...args.staticCorsOrigins] },
                    accessControlMaxAgeSec: 86400,
                    originOverride: true,
                },
            },
            child,
        );

        const distributions = Object.fromEntries(
            CDN_KINDS.map((kind) => {
                const alias = `${kind}.${args.domain}`;
                const distribution = new aws.cloudfront.Distribution(
                    `${name}-${kind}`,
                    {
                        enabled: true,
                        comment: `Magento ${kind}: ${alias}`,
                        aliases: [alias],
                        httpVersion: "http2and3",
                        isIpv6Enabled: true,
                        priceClass: "PriceClass_100", // North America and Europe edges: where the shop's customers are
                        origins: [
                            {
                                originId: "load-balancer",
                                domainName: args.originDomainName,
                                originPath: args.originPaths[kind],
                                customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: args.originVerifyValue }],
                                customOriginConfig: {
                                    httpPort: 80,
                                    httpsPort: 443,
                                    originProtocolPolicy: "https-only",
                                    originSslProtocols: ["TLSv1.2"],
                                },
                            },
                        ],
                        defaultCacheBehavior: {
                            targetOriginId: "load-balancer",
                            viewerProtocolPolicy: "redirect-to-https",
                            allowedMethods: ["GET", "HEAD", "OPTIONS"],
                            cachedMethods: ["GET", "HEAD"],
                            compress: true,
                            cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
                            ...(kind === "static" ? { responseHeadersPolicyId: staticCors.id } : {}),
                        },
                        restrictions: { geoRestriction: { restrictionType: "none" } },
                        viewerCertificate: {
                            acmCertificateArn: args.certificateArn,
                            sslSupportMethod: "sni-only",
                            minimumProtocolVersion: "TLSv1.2_2021",
                        },
                        tags: { ...args.tags, Name: alias },
                    },
                    child,
                );
                const source = new aws.cloudwatch.LogDeliverySource(
                    `${name}-${kind}-logs`,
                    {
                        name: `${name}-${kind}`,
                        logType: "ACCESS_LOGS",
                        resourceArn: distribution.arn,
                        tags: args.tags,
                    },
                    usEast1,
                );
                new aws.cloudwatch.LogDelivery(
                    `${name}-${kind}-logs`,
                    {
                        deliverySourceName: source.name,
                        deliveryDestinationArn: destination.arn,
                        s3DeliveryConfigurations: [
                            {
                                suffixPath: `${kind}/{DistributionId}/{yyyy}/{MM}/{dd}/{HH}`,
                                enableHiveCompatiblePath: false,
                            },
                        ],
                        tags: args.tags,
                    },
                    delivering,
                );
                return [kind, distribution];
            }),
        ) as Record<CdnKind, aws.cloudfront.Distribution>;

        this.endpoints = {
            media: { domainName: distributions.media.domainName, hostedZoneId: distributions.media.hostedZoneId },
            static: { domainName: distributions.static.domainName, hostedZoneId: distributions.static.hostedZoneId },
        };
        this.distributionIds = { media: distributions.media.id, static: distributions.static.id };
        this.registerOutputs({ distributionIds: this.distributionIds });
    }
}
