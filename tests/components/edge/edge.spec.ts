// The edge as the program composes it (tests/fixtures/programs/edge.ts, the load balancer given as its endpoint),
// for the two stack files and for 58 generated storefronts: what viewers get, how CloudFront reaches the origin,
// where logs go, that every public name has a certificate and a record, and that no first up waits on validation
// records the stack does not create.
import * as assert from "assert";
import * as path from "path";
import { CaptureResult } from "../../../offline/capture";
import { capturedResources } from "../../../offline/engine";
import { loadStackSettings } from "../../../offline/project";
import { StateResource } from "../../../offline/state";
import {
    ACM_CERTIFICATE,
    ACM_CERTIFICATE_VALIDATION,
    CLOUDFRONT_DISTRIBUTION,
    CLOUDFRONT_RESPONSE_HEADERS_POLICY,
    CLOUDWATCH_LOG_DELIVERY,
    CLOUDWATCH_LOG_DELIVERY_DESTINATION,
    CLOUDWATCH_LOG_DELIVERY_SOURCE,
    ROUTE53_RECORD,
    ROUTE53_ZONE,
} from "../../../policies/lib/types";
import { captureProgram, ofType, project, via } from "../../helpers/stacks";
import { brands } from "../../helpers/storefronts";

const ALB_DNS = "magento-prod-alb-1234567890.eu-west-3.elb.amazonaws.com";
const LOGS_BUCKET = "arn:aws:s3:::magento-prod-buckets-logs-0123abc";

const runs = new Map<string, Promise<CaptureResult>>();

/**
 * The edge program for a stack file, optionally with a generated storefront list and keys changed (undefined removes
 * a key), as a preview or an update.
 */
function run(
    stack: string,
    preview: boolean,
    storefronts?: number,
    changes: Record<string, string | undefined> = {},
): Promise<CaptureResult> {
    const key = `${stack}|${preview}|${storefronts}|${JSON.stringify(Object.entries(changes))}`; // entries keep undefined (removed) keys
    if (!runs.has(key)) {
        const settings = loadStackSettings(project, stack);
        const generated =
            storefronts === undefined ? undefined : brands(storefronts, stack === "preprod" ? "preprod." : "");
        // A generated list replaces the stack's storefronts, each validated where the stack lists validated ones.
        const config: Record<string, string> =
            generated === undefined
                ? { ...settings.config }
                : {
                      ...settings.config,
                      "magento:storefronts": JSON.stringify(generated),
                      ...(JSON.parse(settings.config["magento:validatedStorefronts"] ?? "[]").length > 0
                          ? { "magento:validatedStorefronts": JSON.stringify(generated.map((s) => s.code)) }
                          : {}),
                  };
        for (const [name, value] of Object.entries(changes)) {
            if (value === undefined) {
                delete config[name];
            } else {
                config[name] = value;
            }
        }
        runs.set(
            key,
            captureProgram(
                stack,
                { ...settings, config },
                preview,
                path.join(__dirname, "../../fixtures/programs/edge.ts"),
            ),
        );
    }
    return runs.get(key)!;
}

function edge(
    stack: string,
    preview: boolean,
    storefronts?: number,
    changes?: Record<string, string | undefined>,
): Promise<StateResource[]> {
    return run(stack, preview, storefronts, changes).then(capturedResources);
}

const stackOutputs = (resources: StateResource[]) =>
    resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs as Record<string, unknown>;
const namesOf = (certificate: StateResource) => [
    certificate.inputs!.domainName as string,
    ...(certificate.inputs!.subjectAlternativeNames as string[]),
];
const regionOf = (arn: string) => arn.split(":")[3];

describe("edge: CloudFront, certificates and public names", () => {
    // The captures start when the spec loads, in the shared workers; each test awaits the one it reads.
    for (const [stack, preview, count] of [
        ["prod", true],
        ["prod", false],
        ["preprod", false],
        ["prod", false, 58],
        ["preprod", true, 58],
    ] as const) {
        void run(stack, preview, count);
    }

    it("viewers reach media. and static. over HTTPS only, TLS 1.2 or later, HTTP/2 and HTTP/3, compressed, with the managed CachingOptimized policy", async () => {
        const distributions = ofType(await edge("prod", true), CLOUDFRONT_DISTRIBUTION);
        assert.deepStrictEqual(
            distributions.map((d) => d.inputs!.aliases),
            [["media.example.com"], ["static.example.com"]],
        );
        for (const d of distributions) {
            const behaviour = d.inputs!.defaultCacheBehavior as Record<string, unknown>;
            assert.deepStrictEqual(
                [behaviour.viewerProtocolPolicy, behaviour.compress, behaviour.cachePolicyId, d.inputs!.httpVersion],
                ["redirect-to-https", true, "658327ea-f89d-4fab-a63d-7e88639e58f6", "http2and3"],
            );
            assert.deepStrictEqual(d.inputs!.viewerCertificate, {
                acmCertificateArn:
                    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                minimumProtocolVersion: "TLSv1.2_2021",
                sslSupportMethod: "sni-only",
            });
        }
    });

    it("CloudFront fetches from the load balancer over HTTPS as origin.<domain> (a name its certificate covers), under /pub/media or /pub/static, with the verify header", async () => {
        const origins = ofType(await edge("prod", true), CLOUDFRONT_DISTRIBUTION).map(
            (d) => (d.inputs!.origins as Record<string, unknown>[])[0],
        );
        assert.deepStrictEqual(
            origins.map((o) => [
                o.domainName,
                o.originPath,
                o.customOriginConfig,
                (o.customHeaders as { name: string }[]).map((h) => h.name),
            ]),
            ["/pub/media", "/pub/static"].map((p) => [
                "origin.example.com",
                p,
                { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
                ["X-Origin-Verify"], // its value, a generated secret: tests/components/edge/origin-verify.spec.ts
            ]),
        );
        const registrar = stackOutputs(await edge("prod", false)).registrarRecords as {
            name: string;
            target: string;
        }[];
        assert.strictEqual(registrar.find((r) => r.name === "origin.example.com")!.target, ALB_DNS);
    });

    it("each distribution's access logs are delivered (standard logging v2, from us-east-1) into the logs bucket", async () => {
        const resources = await edge("prod", true);
        const [destination] = ofType(resources, CLOUDWATCH_LOG_DELIVERY_DESTINATION);
        assert.deepStrictEqual(destination.inputs!.deliveryDestinationConfiguration, {
            destinationResourceArn: LOGS_BUCKET,
        });
        for (const d of ofType(resources, CLOUDFRONT_DISTRIBUTION)) {
            const source = ofType(resources, CLOUDWATCH_LOG_DELIVERY_SOURCE).find((s) =>
                via(resources, s, "resourceArn").includes(d),
            )!;
            assert.strictEqual(source.inputs!.logType, "ACCESS_LOGS");
            const delivery = ofType(resources, CLOUDWATCH_LOG_DELIVERY).find((x) =>
                via(resources, x, "deliverySourceName").includes(source),
            )!;
            assert.deepStrictEqual(via(resources, delivery, "deliveryDestinationArn"), [destination]);
            for (const r of [source, delivery, destination]) {
                const provider = resources.find((p) => r.provider!.startsWith(`${p.urn}::`))!;
                assert.strictEqual(provider.inputs!.region, "us-east-1", r.urn);
            }
        }
    });

    it("static. answers CORS for exactly the pages' origins: the shop's apex and www. and every storefront domain, never origin./media./static.", async () => {
        const resources = await edge("prod", true);
        const [policy] = ofType(resources, CLOUDFRONT_RESPONSE_HEADERS_POLICY);
        const cors = policy.inputs!.corsConfig as {
            accessControlAllowOrigins: { items: string[] };
            accessControlAllowCredentials: boolean;
        };
        assert.deepStrictEqual(cors.accessControlAllowOrigins.items, [
            "https://example.com",
            "https://www.example.com",
            ...[
                "brand-a.example",
                "www.brand-a.example",
                "brand-b.example",
                "www.brand-b.example",
                "brand-c.example",
                "www.brand-c.example",
                "shop.brand-c.example",
                "outlet.example.com",
            ].map((d) => `https://${d}`),
        ]);
        assert.strictEqual(cors.accessControlAllowCredentials, false);
        const [media, stat] = ofType(resources, CLOUDFRONT_DISTRIBUTION);
        assert.deepStrictEqual(via(resources, stat, "defaultCacheBehavior"), [policy]);
        assert.strictEqual(
            (media.inputs!.defaultCacheBehavior as Record<string, unknown>).responseHeadersPolicyId,
            undefined,
            "media is loaded by <img>, no CORS needed",
        );
    });

    it("ACM issues preprod's certificates: the load balancer's in eu-west-3, CloudFront's in us-east-1, each validated in its own zone", async () => {
        const resources = await edge("preprod", false);
        const outputs = stackOutputs(resources);
        assert.strictEqual(regionOf(outputs.loadBalancerCertificateArn as string), "eu-west-3");
        const cdnArn = (
            ofType(resources, CLOUDFRONT_DISTRIBUTION)[0].inputs!.viewerCertificate as { acmCertificateArn: string }
        ).acmCertificateArn;
        assert.strictEqual(regionOf(cdnArn), "us-east-1");
        const zones = Object.fromEntries(ofType(resources, ROUTE53_ZONE).map((z) => [z.id!, z.inputs!.name as string]));
        const validation = ofType(resources, ROUTE53_RECORD).filter((r) => r.inputs!.type === "CNAME");
        assert.ok(validation.length > 0);
        for (const r of validation) {
            const zone = zones[r.inputs!.zoneId as string];
            assert.ok((r.inputs!.name as string).endsWith(`.${zone}.`), `${r.inputs!.name} is not in its zone ${zone}`);
        }
        assert.ok(
            ofType(resources, ROUTE53_ZONE).every((z) => z.protect),
            "public zones are protected: their name servers are delegated to",
        );
    });

    it("58 storefronts at a registrar: every domain is on one certificate of the listener (at most 25) and in the records to create", async () => {
        const resources = await edge("prod", false, 58);
        const outputs = stackOutputs(resources);
        const extra = outputs.extraCertificateArns as string[];
        assert.ok(extra.length <= 25, `${extra.length} listener certificates`);
        const certificates = ofType(resources, ACM_CERTIFICATE).filter((c) => extra.includes(c.id!));
        assert.strictEqual(certificates.length, extra.length);
        const records = outputs.registrarRecords as { name: string; type: string; target: string }[];
        for (const domain of brands(58).flatMap((s) => s.domains)) {
            assert.strictEqual(
                certificates.filter((c) => namesOf(c).includes(domain)).length,
                1,
                `${domain} on one listener certificate`,
            );
            assert.ok(
                records.some((r) => r.name === domain && r.target === ALB_DNS),
                `${domain} has no record for the registrar`,
            );
            assert.ok((outputs.publicNames as string[]).includes(domain));
        }
        assert.ok(certificates.every((c) => namesOf(c).length <= 10));
    });

    it("58 storefronts with zones managed here: every domain has an alias record to the load balancer in its own zone", async () => {
        const resources = await edge("preprod", true, 58);
        const zoneOfRecord = (r: StateResource) => via(resources, r, "zoneId")[0]?.inputs!.name as string;
        for (const domain of brands(58, "preprod.").flatMap((s) => s.domains)) {
            const [record] = ofType(resources, ROUTE53_RECORD).filter(
                (r) => r.inputs!.name === domain && r.inputs!.type === "A",
            );
            assert.ok(record, `${domain} has no A record`);
            assert.strictEqual((record.inputs!.aliases as { name: string }[])[0].name, ALB_DNS);
            assert.ok(domain.endsWith(zoneOfRecord(record)), `${domain} recorded in ${zoneOfRecord(record)}`);
        }
    });
});

// The first `pulumi up` of each stack must not wait on certificate validation records nobody can have created yet:
// ACM's CertificateValidation waits up to 75 minutes, and records that are only stack outputs are seen after the up.
// Every CertificateValidation of the edge waits only on Route 53 records the stack itself creates, or on records of
// storefronts the stack says the registrar holds (magento:validatedStorefronts); a storefront added later is pending.
const BRAND_Z = { code: "brand_z", domains: ["brand-z.example", "www.brand-z.example"] };

/** Validations that wait on something other than Route 53 records of this stack. */
function waitingOnOthers(resources: StateResource[]): string[] {
    return ofType(resources, ACM_CERTIFICATE_VALIDATION)
        .filter((v) => {
            const records = via(resources, v, "validationRecordFqdns");
            return records.length === 0 || records.some((r) => r.type !== ROUTE53_RECORD);
        })
        .map((v) => v.urn.split("::").pop()!);
}

/** Each requested certificate by resource name: its names and whether anything waits for it. */
function certificatesOf(resources: StateResource[]): Record<string, { names: string[]; awaited: boolean }> {
    const validated = new Set(
        ofType(resources, ACM_CERTIFICATE_VALIDATION).flatMap((v) =>
            via(resources, v, "certificateArn").map((c) => c.urn),
        ),
    );
    return Object.fromEntries(
        ofType(resources, ACM_CERTIFICATE).map((c) => [
            c.urn.split("::").pop()!,
            {
                names: namesOf(c),
                awaited: validated.has(c.urn),
            },
        ]),
    );
}

describe("edge: the first up never waits on validation records the stack does not create", () => {
    // Started by the tests that read them, not at load: the suite's shared workers are busy enough.
    const firstAtRegistrar = () => edge("prod", false, undefined, { "magento:validatedStorefronts": undefined });
    const secondAtRegistrar = () => edge("prod", false);
    const managed = () => edge("preprod", false);

    it("DNS at a registrar, first up (no storefront validated): certificates requested, their records output, nothing waits, none on the listener", async () => {
        const resources = await firstAtRegistrar();
        assert.deepStrictEqual(waitingOnOthers(resources), []);
        assert.deepStrictEqual(ofType(resources, ACM_CERTIFICATE_VALIDATION), []);
        assert.deepStrictEqual(stackOutputs(resources).extraCertificateArns, []);
        const certificates = ofType(resources, ACM_CERTIFICATE);
        assert.strictEqual(certificates.length, 4, "a certificate per storefront (the shop's are imported)");
        const records = stackOutputs(resources).certificateValidationRecords as { name: string; type: string }[];
        const expected = new Set(
            certificates.flatMap((c) =>
                (c.outputs!.domainValidationOptions as { resourceRecordName: string }[]).map(
                    (o) => o.resourceRecordName,
                ),
            ),
        );
        assert.deepStrictEqual(new Set(records.map((r) => r.name)), expected);
        assert.ok(records.every((r) => r.type === "CNAME"));
    });

    it("DNS at a registrar, once every storefront is validated: each storefront certificate waits for issuance and is on the listener", async () => {
        const resources = await secondAtRegistrar();
        const validations = ofType(resources, ACM_CERTIFICATE_VALIDATION);
        assert.strictEqual(validations.length, 4);
        assert.deepStrictEqual(
            new Set(stackOutputs(resources).extraCertificateArns as string[]),
            new Set(validations.map((v) => v.outputs!.certificateArn)),
        );
        for (const v of validations) {
            assert.strictEqual(
                (via(resources, v, "certificateArn")[0].inputs!.tags as Record<string, string>).ValidationRecords,
                "registrar-created",
                "the certificate says the operator created its records",
            );
        }
    });

    it("DNS at a registrar, a storefront added later: the served certificate is untouched, the new one only requested apart, its records output", async () => {
        const before = certificatesOf(await secondAtRegistrar());
        const prod = JSON.parse(loadStackSettings(project, "prod").config["magento:storefronts"]) as unknown[];
        const after = await edge("prod", false, undefined, {
            "magento:storefronts": JSON.stringify([...prod, BRAND_Z]),
        });
        const certificates = certificatesOf(after);
        // The validated certificates keep their names, so none is replaced by one that waits on records nobody
        // created; brand_z's certificate is requested, never awaited.
        assert.deepStrictEqual(Object.fromEntries(Object.entries(certificates).filter(([k]) => k in before)), before);
        assert.deepStrictEqual(certificates["magento-prod-certificates-brand_z"], {
            names: BRAND_Z.domains,
            awaited: false,
        });
        assert.deepStrictEqual(waitingOnOthers(after).length, 4); // the four validated ones, on the registrar's records that exist
        const records = (stackOutputs(after).certificateValidationRecords as { name: string }[]).map((r) => r.name);
        assert.ok(
            records.some((r) => r.includes("brand-z.example")),
            records.join(", "),
        );
    });

    it("zones in Route 53 (managed): every validation waits on records this stack creates in those zones", async () => {
        const resources = await managed();
        assert.ok(ofType(resources, ACM_CERTIFICATE_VALIDATION).length >= 3);
        assert.deepStrictEqual(waitingOnOthers(resources), []);
    });

    it("refuses the key where Route 53 holds the zones, and a code that is no storefront's", async () => {
        await assert.rejects(
            edge("preprod", false, undefined, { "magento:validatedStorefronts": JSON.stringify(["x"]) }),
            /magento:validatedStorefronts: applies to magento:publicDns registrar only/,
        );
        await assert.rejects(
            edge("prod", false, undefined, { "magento:validatedStorefronts": JSON.stringify(["brand_y"]) }),
            /magento:validatedStorefronts\[0\]: 'brand_y' is not the code of a storefront/,
        );
    });
});
