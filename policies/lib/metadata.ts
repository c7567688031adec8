// What each rule covers, next to the rule itself: docs/policies.md is generated from it (npm run docs), so the
// coverage table cannot drift from the code. Kept apart from the policy object, which stays what @pulumi/policy expects.

/** Ids of the same check in other tools; an empty list means no equivalent (written "none" in the docs, never guessed). */
export interface Controls {
    /** AWS Security Hub Foundational Security Best Practices control ids, such as RDS.5 or ELB.4. */
    readonly securityHub: readonly string[];
    /** AWS Config managed rule names, such as rds-multi-az-support. */
    readonly awsConfig: readonly string[];
    /** Checkov check ids (CKV_AWS_*, CKV2_AWS_*). */
    readonly checkov: readonly string[];
    /** Trivy (formerly tfsec) check ids (AVD-AWS-*). */
    readonly trivy: readonly string[];
}

export interface RuleMetadata {
    /** The Pulumi resource type tokens the rule reads (@pulumi/aws 7.x). */
    readonly resourceTypes: readonly string[];
    /** One line: the inputs it decides from during preview ("Decides during preview from ..."), or why it cannot. */
    readonly decides: string;
    /**
     * True for a stack rule that reads values a preview does not know (ARNs, ids, policy texts built from them): a
     * preview reports what it cannot decide as advisory ("can't run policy during preview", @pulumi/policy's
     * server.js), so the planned preview before an up cannot stop that part; the up decides it after the changes.
     */
    readonly partlyAfterTheUp?: boolean;
    /** What to change so the resource or stack passes: the policy SDK's remediationSteps, shown by the CLI and Pulumi Cloud. */
    readonly remediation: string;
    readonly controls: Controls;
    /** Vendor pages the rule's facts (dates, versions, defaults) come from, for a rule that depends on them. */
    readonly sources?: readonly string[];
}

/** Controls with every tool not listed left empty. */
export function controls(given: Partial<Controls>): Controls {
    return { securityHub: [], awsConfig: [], checkov: [], trivy: [], ...given };
}
