// The edge's keys together: imported certificates in the right regions and in pairs, DNS at a registrar with the
// storefronts it validated, storefronts' names within AWS's limits; and StackConfig's edge part.
import { EdgePlan, limitProblems, planEdge, PublicDns, Storefront, storefrontProblems } from "../../model/edge-plan";
import type { ConfigProblem } from "../errors";
import { ConfigKey, qualified, Settings } from "../keys";
import { ACM_CERTIFICATE_ARN } from "../schema";
import type { Concern, StackContext } from "./concern";

/** The public side: storefronts, where their names are published, the certificates and the CDN's origin paths. */
export interface EdgeConfig {
    readonly storefronts: readonly Storefront[];
    readonly publicDns: PublicDns;
    /** The shop's imported certificates; undefined: ACM issues them, validated in Route 53. */
    readonly importedCertificates: { readonly loadBalancerArn: string; readonly cdnArn: string } | undefined;
    readonly namesPerCertificate: number;
    readonly originPaths: { readonly media: string; readonly static: string };
    /** How many times the origin-verify secret has been rotated (components/edge/origin-verify.ts). */
    readonly originVerifyRotation: number;
    /** Names, certificates and zones, checked against AWS's limits. */
    readonly plan: EdgePlan;
}

export interface EdgeSettings {
    readonly domain: string;
    readonly edge: EdgeConfig;
}

export function edge(v: Settings, ctx: StackContext): Concern<EdgeSettings> {
    const problems: ConfigProblem[] = [];
    const config = checkEdge(v, ctx.region, problems);
    return { problems, config: () => ({ domain: v.domain!, edge: config! }) };
}

/** Certificates, storefronts and AWS's limits; undefined (with problems added) when the edge cannot be planned. */
function checkEdge(v: Settings, region: string | undefined, problems: ConfigProblem[]): EdgeConfig | undefined {
    const before = problems.length;
    const arns = { loadBalancer: v.loadBalancerCertificateArn, cdn: v.cdnCertificateArn };
    const checkRegion = (key: ConfigKey, arn: string | undefined, expected: string | undefined, use: string) => {
        const found = arn === undefined ? undefined : ACM_CERTIFICATE_ARN.exec(arn)?.[1];
        if (found !== undefined && expected !== undefined && found !== expected) {
            problems.push({
                path: qualified(key),
                message: `is a certificate in ${found}; ${use} only uses ACM certificates in ${expected}`,
            });
        }
    };
    checkRegion("loadBalancerCertificateArn", arns.loadBalancer, region, "the load balancer");
    checkRegion("cdnCertificateArn", arns.cdn, "us-east-1", "CloudFront");
    if ((arns.loadBalancer === undefined) !== (arns.cdn === undefined)) {
        const missing = arns.loadBalancer === undefined ? "loadBalancerCertificateArn" : "cdnCertificateArn";
        problems.push({
            path: qualified(missing),
            message:
                "is required with its pair: the shop's certificates are either both imported or both issued by ACM",
        });
    } else if (arns.loadBalancer === undefined && v.publicDns === "registrar") {
        problems.push({
            path: qualified("loadBalancerCertificateArn"),
            message:
                "is required when magento:publicDns is registrar: without a Route 53 zone ACM cannot validate the shop's domain, so its certificates are imported (with magento:cdnCertificateArn)",
        });
    }
    const validated = v.validatedStorefronts;
    if (validated !== undefined && v.publicDns !== "registrar") {
        problems.push({
            path: qualified("validatedStorefronts"),
            message: `applies to magento:publicDns registrar only: in Route 53 (${v.publicDns}) the stack creates the validation records itself and always waits`,
        });
    }

    const domain = v.domain;
    const storefronts: readonly Storefront[] = v.storefronts ?? [];
    if (domain !== undefined) {
        problems.push(
            ...storefrontProblems(domain, storefronts).map((p) => ({
                path: qualified("storefronts") + p.path,
                message: p.message,
            })),
        );
    }
    (validated ?? []).forEach((code, i) => {
        if (!storefronts.some((s) => s.code === code)) {
            problems.push({
                path: `${qualified("validatedStorefronts")}[${i}]`,
                message: `'${code}' is not the code of a storefront in magento:storefronts (${storefronts.map((s) => s.code).join(", ") || "none"})`,
            });
        }
    });
    // At a registrar a certificate waits only once the operator says its records exist: they are outputs, seen only
    // after the up. A storefront not listed (a new one) is pending, and is packed apart from the listed ones.
    const pendingStorefronts =
        v.publicDns === "registrar"
            ? new Set(storefronts.map((s) => s.code).filter((c) => !(validated ?? []).includes(c)))
            : new Set<string>();
    if (domain === undefined || problems.length > before) {
        return undefined;
    }
    const plan = planEdge({
        domain,
        storefronts,
        namesPerCertificate: v.acmNamesPerCertificate,
        importedShopCertificates: arns.loadBalancer !== undefined,
        pendingStorefronts,
    });
    problems.push(
        ...limitProblems(plan, v.acmNamesPerCertificate).map((message) => ({
            path: qualified("storefronts"),
            message,
        })),
    );
    return {
        storefronts,
        publicDns: v.publicDns,
        importedCertificates:
            arns.loadBalancer === undefined ? undefined : { loadBalancerArn: arns.loadBalancer, cdnArn: arns.cdn! },
        namesPerCertificate: v.acmNamesPerCertificate,
        originPaths: { media: v.cdnMediaOriginPath, static: v.cdnStaticOriginPath },
        originVerifyRotation: v.originVerifyRotation,
        plan,
    };
}
