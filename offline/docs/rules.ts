// Every rule of every pack, read from the rule modules themselves (one rule per file): the policy object and the
// `metadata` exported next to it. The README's policy table and docs/policies.md are generated from these.
import * as fs from "fs";
import * as path from "path";
import type { RuleMetadata } from "../../policies/lib/metadata";

export const PACKS = ["magento", "aws-baseline"] as const;

/** The parts of a @pulumi/policy policy object the docs show. */
export interface PolicyInfo {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel?: string;
    /** A resource rule (ResourceValidationPolicy) or a stack rule (StackValidationPolicy). */
    readonly validateResource?: unknown;
    readonly validateStack?: unknown;
    readonly configSchema?: { properties?: Record<string, { type?: string; default?: unknown; description?: string }> };
}

export interface RuleEntry {
    readonly pack: (typeof PACKS)[number];
    readonly file: string;
    readonly policy: PolicyInfo;
    readonly metadata: RuleMetadata | undefined;
}

export function ruleEntries(root: string): RuleEntry[] {
    return PACKS.flatMap((pack) => {
        const dir = path.join(root, "policies", pack, "rules");
        return fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".ts"))
            .sort()
            .flatMap((file) => {
                const module = require(path.join(dir, file)) as Record<string, unknown>;
                const metadata = module.metadata as RuleMetadata | undefined;
                return Object.values(module)
                    .filter((v): v is PolicyInfo => typeof (v as PolicyInfo | undefined)?.name === "string")
                    .map((policy) => ({ pack, file: `policies/${pack}/rules/${file}`, policy, metadata }));
            });
    });
}
