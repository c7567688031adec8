// The certificates of the shop's public names: the shop's own pair (load balancer in the stack's region, CloudFront
// in us-east-1), imported or issued by ACM, and the storefronts' certificates the plan packs for the listener.
// ACM validates by DNS: records in the Route 53 zone of each name, created here, or (DNS at a registrar) records the
// operator creates there from the stack output. `CertificateValidation` waits for issuance (up to 75 minutes) so the
// listener never gets a pending certificate, which ELB and CloudFront refuse (docs/edge.md): at a registrar it waits
// only for the certificates whose records the operator has said exist (the plan's `pending`, from
// magento:validatedStorefronts), since outputs are seen only after the up.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgePlan, PlannedCertificate, RegistrarRecord, validationNames, zoneOf } from "../../model/edge-plan";
import { cloudFrontRegionProvider } from "./us-east-1";

export interface CertificatesArgs {
    /** Which names go on which certificate (model/edge-plan.ts). */
    readonly plan: Pick<EdgePlan, "shopCertificate" | "cdnCertificate" | "storefrontCertificates" | "zones" | "former">;
    /** The shop's imported certificates, used instead of the plan's shop and CDN certificates. */
    readonly imported: { readonly loadBalancerArn: string; readonly cdnArn: string } | undefined;
    /** Route 53 zone id by zone name for validation records; undefined: DNS is at a registrar. */
    readonly zoneIds: Readonly<Record<string, pulumi.Input<string>>> | undefined;
    readonly tags: Readonly<Record<string, string>>;
}

export class Certificates extends pulumi.ComponentResource {
    /** The load balancer's default certificate (stack's region). */
    public readonly loadBalancerCertificateArn: pulumi.Output<string>;
    /** The distributions' certificate (us-east-1). */
    public readonly cdnCertificateArn: pulumi.Output<string>;
    /** Listener certificates for the storefront domains by planned key, each issued; none while their validation is only published. */
    public readonly extraCertificateArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** Validation records to create at the registrar; empty when Route 53 holds the zones. */
    public readonly validationRecords: pulumi.Output<RegistrarRecord[]>;

    constructor(name: string, args: CertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:edge:Certificates", name, {}, opts);
        const { plan, imported, zoneIds, tags } = args;
        const usEast1 = imported ? undefined : cloudFrontRegionProvider(name, this);
        const requested: aws.acm.Certificate[] = [];
        // ACM validates a name by one CNAME per account, whatever the certificate (and `x` and `*.x` share it:
        // https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), so the record is named by its name
        // alone: a name moving to another certificate keeps its record, and two certificates never create it twice.
        const records = new Map<string, pulumi.Output<string>>();
        const validationRecord = (n: string, key: string, certificate: aws.acm.Certificate): pulumi.Output<string> => {
            const base = n.replace(/^\*\./, "");
            if (!records.has(base)) {
                const option = certificate.domainValidationOptions.apply((options) =>
                    options.find((o) => o.domainName === n)!,
                );
                const formerKey = plan.former.certificateKeyOf[n] ?? key;
                records.set(
                    base,
                    new aws.route53.Record(
                        `${name}-${base}-validation`,
                        {
                            zoneId: zoneIds![zoneOf(base, plan.zones)!],
                            name: option.resourceRecordName,
                            type: option.resourceRecordType,
                            records: [option.resourceRecordValue],
                            ttl: 300,
                        },
                        {
                            parent: this,
                            aliases: [{ name: `${name}-${formerKey}-${n.replace(/^\*\./, "wildcard.")}-validation` }],
                        },
                    ).fqdn,
                );
            }
            return records.get(base)!;
        };

        const issue = (planned: PlannedCertificate, provider?: aws.Provider): pulumi.Output<string> | undefined => {
            const child = { parent: this, ...(provider ? { provider } : {}) };
            const wait = zoneIds !== undefined || !planned.pending;
            const certificate = new aws.acm.Certificate(
                `${name}-${planned.key}`,
                {
                    domainName: planned.names[0],
                    subjectAlternativeNames: planned.names.slice(1),
                    validationMethod: "DNS",
                    // What CertificateValidation waits on: records this stack publishes, or the operator's at the registrar.
                    tags: {
                        ...tags,
                        Name: planned.names[0],
                        [VALIDATION_RECORDS_TAG]:
                            zoneIds !== undefined ? "route53" : wait ? "registrar-created" : "registrar-pending",
                    },
                },
                child,
            );
            requested.push(certificate);
            const fqdns =
                zoneIds === undefined
                    ? undefined
                    : validationNames(planned.names).map((n) => validationRecord(n, planned.key, certificate));
            if (!wait) {
                return undefined;
            }
            return new aws.acm.CertificateValidation(
                `${name}-${planned.key}`,
                {
                    certificateArn: certificate.arn,
                    validationRecordFqdns: fqdns,
                },
                child,
            ).certificateArn;
        };

        // Shop certificates are imported wherever the stack may not wait (stacks/checks/edge.ts), so these always wait.
        this.loadBalancerCertificateArn = imported
            ? pulumi.output(imported.loadBalancerArn)
            : issue(plan.shopCertificate!)!;
        this.cdnCertificateArn = imported ? pulumi.output(imported.cdnArn) : issue(plan.cdnCertificate!, usEast1)!;
        this.extraCertificateArns = Object.fromEntries(
            plan.storefrontCertificates.flatMap((c) => {
                const arn = issue(c);
                return arn ? [[c.key, arn]] : [];
            }),
        );
        this.validationRecords =
            zoneIds !== undefined
                ? pulumi.output([])
                : pulumi.all(requested.map((c) => c.domainValidationOptions)).apply((all) =>
                      dedupe(
                          all.flat().map((o) => ({
                              name: o.resourceRecordName,
                              type: "CNAME" as const,
                              target: o.resourceRecordValue,
                          })),
                      ),
                  );
        this.registerOutputs({
            loadBalancerCertificateArn: this.loadBalancerCertificateArn,
            cdnCertificateArn: this.cdnCertificateArn,
            extraCertificateArns: this.extraCertificateArns,
            validationRecords: this.validationRecords,
        });
    }
}

/**
 * Tag on each requested certificate saying where its validation records are: "route53" (created by this stack),
 * "registrar-pending" (an output still to be created) or "registrar-created" (the operator says they exist). The
 * certificate-validation-satisfiable rule reads it.
 */
export const VALIDATION_RECORDS_TAG = "ValidationRecords";

/** ACM gives `x` and `*.x` the same validation record: list it once. */
function dedupe(records: RegistrarRecord[]): RegistrarRecord[] {
    return records.filter((r, i) => records.findIndex((o) => o.name === r.name) === i);
}
