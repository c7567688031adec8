// The policy SDK's own metadata (severity, compliance framework, tags, remediation steps, URL), which the CLI and Pulumi Cloud show with
// each policy, filled from the rule metadata each rule file exports beside its policy (policies/lib/metadata.ts), so
// the two cannot disagree. Rule files are named for their rule (a test checks), which is how each policy finds its
// metadata, in the pack's TypeScript sources as in its build.
import * as path from "path";
import { Policy, PolicyComplianceFramework, Severity } from "@pulumi/policy";
import { RuleMetadata } from "./metadata";

/** Until a rule states its own severity: a rule that stops a deployment is high, one that only warns medium. */
const SEVERITY: Readonly<Record<string, Severity>> = { mandatory: "high", advisory: "medium" };

/** The one framework the rules map to throughout: AWS Security Hub's Foundational Security Best Practices. */
function framework(metadata: RuleMetadata): PolicyComplianceFramework | undefined {
    const ids = metadata.controls.securityHub;
    return ids.length === 0
        ? undefined
        : {
              name: "AWS Foundational Security Best Practices",
              version: "1.0.0",
              reference: ids.join(", "),
              specification: "https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html",
          };
}

export function sdkMetadata(
    policy: { readonly enforcementLevel?: string },
    metadata: RuleMetadata,
): Pick<Policy, "severity" | "framework" | "tags" | "remediationSteps" | "url"> {
    const { controls } = metadata;
    return {
        severity: SEVERITY[policy.enforcementLevel ?? "advisory"],
        framework: framework(metadata),
        tags: [
            ...controls.securityHub.map((id) => `securityhub:${id}`),
            ...controls.awsConfig.map((id) => `awsconfig:${id}`),
            ...controls.checkov.map((id) => `checkov:${id}`),
            ...controls.trivy.map((id) => `trivy:${id}`),
        ],
        remediationSteps: metadata.remediation,
        url: metadata.sources?.[0],
    };
}

/** Each policy with its SDK metadata, read from `<packDir>/rules/<policy name>`'s `metadata` export. */
export function withSdkMetadata<P extends Policy>(packDir: string, policies: readonly P[]): P[] {
    return policies.map((policy) => {
        const { metadata } = require(path.join(packDir, "rules", policy.name)) as { metadata: RuleMetadata };
        return { ...policy, ...sdkMetadata(policy, metadata) };
    });
}
