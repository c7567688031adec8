// cloudfront-https-logged, asked over the analyzer protocol, on distributions shaped like components/edge/cdn.ts's.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    CLOUDFRONT_DISTRIBUTION,
    CLOUDWATCH_LOG_DELIVERY,
    CLOUDWATCH_LOG_DELIVERY_DESTINATION,
    CLOUDWATCH_LOG_DELIVERY_SOURCE,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const COMPLIANT = {
    aliases: ["media.example.com"],
    origins: [
        {
            originId: "load-balancer",
            domainName: "origin.example.com",
            originPath: "/pub/media",
            customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: "https-only",
                originSslProtocols: ["TLSv1.2"],
            },
        },
    ],
    defaultCacheBehavior: { targetOriginId: "load-balancer", viewerProtocolPolicy: "redirect-to-https" },
    orderedCacheBehaviors: [
        { pathPattern: "/catalog/*", targetOriginId: "load-balancer", viewerProtocolPolicy: "https-only" },
    ],
    viewerCertificate: {
        acmCertificateArn: UNKNOWN,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
    },
};

type Logging = "v2" | "legacy" | "source-only" | "none";

function distribution(props: Record<string, unknown>, logging: Logging = "v2"): StateResource[] {
    const b = new StackBuilder("prod");
    const d = b.add(
        CLOUDFRONT_DISTRIBUTION,
        "magento-prod-cdn-media",
        logging === "legacy" ? { ...props, loggingConfig: { bucket: "logs.s3.amazonaws.com" } } : props,
    );
    if (logging === "v2" || logging === "source-only") {
        const source = b.add(
            CLOUDWATCH_LOG_DELIVERY_SOURCE,
            "media-logs",
            { logType: "ACCESS_LOGS", name: "media", resourceArn: UNKNOWN },
            { resourceArn: [d] },
        );
        const destination = b.add(CLOUDWATCH_LOG_DELIVERY_DESTINATION, "logs", { name: "logs" });
        if (logging === "v2") {
            b.add(
                CLOUDWATCH_LOG_DELIVERY,
                "media-logs",
                { deliverySourceName: UNKNOWN, deliveryDestinationArn: UNKNOWN },
                { deliverySourceName: [source], deliveryDestinationArn: [destination] },
            );
        }
    }
    return b.resources;
}

describe("aws-baseline / cloudfront-https-logged", () => {
    it("keeps: HTTPS viewers, TLS 1.2, HTTPS origin, v2 logging, decided while the certificate and ARNs are unknown", async () => {
        assert.deepStrictEqual(await violations("cloudfront-https-logged", distribution(COMPLIANT)), []);
        assert.deepStrictEqual(await violations("cloudfront-https-logged", distribution(COMPLIANT, "legacy")), []);
    });

    it("breaks: a cache behaviour that serves plain HTTP", async () => {
        const ordered = [{ ...COMPLIANT.orderedCacheBehaviors[0], viewerProtocolPolicy: "allow-all" }];
        assert.deepStrictEqual(
            await violations("cloudfront-https-logged", distribution({ ...COMPLIANT, orderedCacheBehaviors: ordered })),
            [
                "mandatory: Distribution magento-prod-cdn-media: orderedCacheBehaviors[0].viewerProtocolPolicy must be redirect-to-https or https-only.",
            ],
        );
    });

    it("breaks: TLS 1.0/1.1 for viewers, or the default certificate", async () => {
        assert.deepStrictEqual(
            await violations(
                "cloudfront-https-logged",
                distribution({
                    ...COMPLIANT,
                    viewerCertificate: { ...COMPLIANT.viewerCertificate, minimumProtocolVersion: "TLSv1.1_2016" },
                }),
            ),
            [
                "mandatory: Distribution magento-prod-cdn-media: viewerCertificate.minimumProtocolVersion must be TLSv1.2_2021 or later (TLS 1.2 at least).",
            ],
        );
        assert.match(
            (
                await violations(
                    "cloudfront-https-logged",
                    distribution({ ...COMPLIANT, viewerCertificate: { cloudfrontDefaultCertificate: true } }),
                )
            )[0],
            /default \*\.cloudfront\.net certificate allows TLS 1\.0/,
        );
    });

    it("breaks: the load balancer reached over HTTP, or with TLS 1.0 allowed", async () => {
        const origin = (config: Record<string, unknown>) => ({
            ...COMPLIANT,
            origins: [
                {
                    ...COMPLIANT.origins[0],
                    customOriginConfig: { ...COMPLIANT.origins[0].customOriginConfig, ...config },
                },
            ],
        });
        assert.deepStrictEqual(
            await violations("cloudfront-https-logged", distribution(origin({ originProtocolPolicy: "match-viewer" }))),
            [
                "mandatory: Distribution magento-prod-cdn-media: origin load-balancer must be reached with originProtocolPolicy https-only.",
            ],
        );
        assert.deepStrictEqual(
            await violations(
                "cloudfront-https-logged",
                distribution(origin({ originSslProtocols: ["TLSv1", "TLSv1.2"] })),
            ),
            [
                "mandatory: Distribution magento-prod-cdn-media: origin load-balancer must allow only TLSv1.2 in originSslProtocols.",
            ],
        );
    });

    it("breaks: no access logs, or a delivery source that nothing delivers", async () => {
        const message =
            "mandatory: Distribution magento-prod-cdn-media: no access logs: add standard logging v2 (a LogDeliverySource of type ACCESS_LOGS on its ARN and a LogDelivery from it) or loggingConfig.";
        assert.deepStrictEqual(await violations("cloudfront-https-logged", distribution(COMPLIANT, "none")), [message]);
        assert.deepStrictEqual(await violations("cloudfront-https-logged", distribution(COMPLIANT, "source-only")), [
            message,
        ]);
    });
});
