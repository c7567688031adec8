// A web ACL's own rules replayed on a request as WAF evaluates them (rules by priority; a counting rule adds its labels
// for the rules after it; a block ends the evaluation), so specs can ask what a request meets. AWS's managed groups are
// opaque here and match nothing; a rate rule is reported as counting the request when its scope-down matches.
import { within } from "../../policies/lib/cidr";
import { SIG_KEY, StateResource } from "../../offline/state";
import { WAFV2_IP_SET } from "../../policies/lib/types";

export interface WafRequest {
    readonly host: string;
    readonly path: string;
    readonly source: string;
    readonly bodyBytes?: number;
    /** Other headers, by lowercase name. */
    readonly headers?: Readonly<Record<string, string>>;
}

export interface WafOutcome {
    /** The rule that blocked the request, if one did. */
    readonly blockedBy: string | undefined;
    /** The rate rules whose scope the request is in (counted toward their limit). */
    readonly rateLimitedBy: string[];
}

type Statement = Record<string, any>;
type Rule = { name: string; priority: number; action?: Record<string, unknown>; statement: Statement } & Statement;

/** A value as the program wrote it: a secret in state is matched by its plaintext. */
const plain = (v: unknown): string =>
    typeof v === "object" && v !== null && SIG_KEY in v
        ? (JSON.parse((v as unknown as { plaintext: string }).plaintext) as string)
        : String(v);

/** NORMALIZE_PATH: repeated slashes, `.` and `..` segments resolved (API_TextTransformation.html). */
function normalisePath(path: string): string {
    const out: string[] = [];
    for (const segment of path.replace(/\/{2,}/g, "/").split("/")) {
        if (segment === ".") {
            continue;
        }
        if (segment !== "..") {
            out.push(segment);
        } else if (out.length > 1) {
            out.pop();
        }
    }
    return out.join("/") || "/";
}

const TRANSFORMS: Record<string, (s: string) => string> = {
    NONE: (s) => s,
    URL_DECODE: (s) => s.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    NORMALIZE_PATH: normalisePath,
    LOWERCASE: (s) => s.toLowerCase(),
};

export function evaluate(resources: readonly StateResource[], acl: StateResource, request: WafRequest): WafOutcome {
    const ipSets = resources.filter((r) => r.type === WAFV2_IP_SET);
    const labels = new Set<string>();
    const field = (f: Statement): string => {
        if (f.uriPath) return request.path;
        const name = (f.singleHeader as { name: string }).name.toLowerCase();
        return name === "host" ? request.host : (request.headers?.[name] ?? "");
    };
    const matches = (s: Statement): boolean => {
        if (s.andStatement) return (s.andStatement.statements as Statement[]).every(matches);
        if (s.orStatement) return (s.orStatement.statements as Statement[]).some(matches);
        if (s.notStatement) return !matches(s.notStatement.statement as Statement);
        if (s.labelMatchStatement) return labels.has(s.labelMatchStatement.key as string);
        if (s.sizeConstraintStatement) return (request.bodyBytes ?? 0) > (s.sizeConstraintStatement.size as number);
        if (s.ipSetReferenceStatement) {
            const set = ipSets.find((x) => x.outputs?.arn === s.ipSetReferenceStatement.arn);
            return ((set?.inputs?.addresses as string[]) ?? []).some((cidr) => within(`${request.source}/32`, cidr));
        }
        if (s.byteMatchStatement) {
            const m = s.byteMatchStatement as Statement;
            const value = [...(m.textTransformations as { priority: number; type: string }[])]
                .sort((a, b) => a.priority - b.priority)
                .reduce((v, t) => TRANSFORMS[t.type](v), field(m.fieldToMatch as Statement));
            const search = plain(m.searchString);
            const at = {
                EXACTLY: value === search,
                STARTS_WITH: value.startsWith(search),
                CONTAINS: value.includes(search),
            };
            return at[m.positionalConstraint as keyof typeof at];
        }
        if (s.managedRuleGroupStatement) return false;
        throw new Error(`statement not modelled: ${Object.keys(s).join()}`);
    };
    const rateLimitedBy: string[] = [];
    for (const rule of [...(acl.inputs!.rules as Rule[])].sort((a, b) => a.priority - b.priority)) {
        const rate = rule.statement.rateBasedStatement as Statement | undefined;
        if (rate) {
            if (!rate.scopeDownStatement || matches(rate.scopeDownStatement as Statement))
                rateLimitedBy.push(rule.name);
        } else if (matches(rule.statement)) {
            if (rule.action?.block) return { blockedBy: rule.name, rateLimitedBy };
            for (const label of (rule.ruleLabels as { name: string }[] | undefined) ?? []) labels.add(label.name);
        }
    }
    return { blockedBy: undefined, rateLimitedBy };
}
