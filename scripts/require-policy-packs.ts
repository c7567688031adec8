// Before production's `pulumi up`: the packs must also come from Pulumi Cloud, as published versions enforced by a
// preventative policy group holding the stack, not only from the commit under deploy (whose packs a change may have
// weakened). Exits 1 naming what is missing; the up does not start. docs/ci-trust.md, "Packs as an independent control".
// Usage: PULUMI_ACCESS_TOKEN=... ts-node scripts/require-policy-packs.ts <org> <project> <stack> <pack>...

const API = "https://api.pulumi.com";

/** A policy group as Pulumi Cloud's REST API returns it (schema PolicyGroup; only the fields read here). */
export interface PolicyGroup {
    readonly name: string;
    readonly mode?: string;
    readonly appliedPolicyPacks?: readonly {
        readonly name: string;
        readonly version?: number;
        readonly config?: Record<string, unknown>;
    }[];
}

/** What stops the required packs being enforced from the policy groups: one line per pack, empty when all are. */
export function missingPacks(groups: readonly PolicyGroup[], required: readonly string[]): string[] {
    const preventative = groups.filter((g) => g.mode === "preventative");
    return required.flatMap((pack) => {
        const applied = preventative.flatMap((g) =>
            (g.appliedPolicyPacks ?? []).filter((p) => p.name === pack).map((p) => ({ group: g.name, p })),
        );
        if (applied.length === 0) {
            return [
                `${pack}: in no preventative policy group of the stack (groups: ${groups.map((g) => `${g.name} (${g.mode ?? "no mode"})`).join(", ") || "none"})`,
            ];
        }
        // A pack configured all-advisory or disabled reports and never stops an update ("all" is a level or {enforcementLevel}).
        const level = (all: unknown) =>
            typeof all === "object" && all !== null ? (all as { enforcementLevel?: unknown }).enforcementLevel : all;
        const enforcing = applied.filter(
            ({ p }) => !["advisory", "disabled"].includes(String(level(p.config?.all) ?? "")),
        );
        return enforcing.length > 0
            ? []
            : [`${pack}: applied in ${applied.map((a) => a.group).join(", ")} with every rule advisory or disabled`];
    });
}

async function get<T>(path: string, token: string): Promise<T> {
    const response = await fetch(`${API}${path}`, {
        headers: { Accept: "application/vnd.pulumi+8", Authorization: `token ${token}` },
    });
    if (!response.ok) {
        throw new Error(`GET ${path}: ${response.status} ${response.statusText}`);
    }
    return (await response.json()) as T;
}

async function main(): Promise<number> {
    const [org, project, stack, ...required] = process.argv.slice(2);
    const token = process.env.PULUMI_ACCESS_TOKEN ?? "";
    if (!org || !project || !stack || required.length === 0 || token === "") {
        console.error("usage: PULUMI_ACCESS_TOKEN=... require-policy-packs <org> <project> <stack> <pack>...");
        return 2;
    }
    const e = encodeURIComponent;
    // The stack's groups (https://www.pulumi.com/docs/reference/cloud-rest-api/stack-policy), then each one's packs.
    const summaries = await get<{ policyGroups: PolicyGroup[] }>(
        `/api/stacks/${e(org)}/${e(project)}/${e(stack)}/policygroups`,
        token,
    );
    const groups = await Promise.all(
        summaries.policyGroups.map((g) => get<PolicyGroup>(`/api/orgs/${e(org)}/policygroups/${e(g.name)}`, token)),
    );
    const missing = missingPacks(groups, required);
    for (const line of missing) {
        console.error(
            `${org}/${project}/${stack}: ${line}; publish the pack (pulumi policy publish) and add it to the stack's policy group`,
        );
    }
    return missing.length === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: Error) => {
            console.error(`require-policy-packs: ${err.message}`);
            process.exit(2);
        },
    );
}
