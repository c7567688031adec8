// EC2 refuses a security group or a rule whose description holds a character outside its set (an apostrophe, an
// accent, a dash other than "-"), with InvalidParameterValue, and a group's description forces a new group when it
// changes: a typo in prose stops the first `up` half-way or replaces a group later. Caught before either.
// Group: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html (a-z, A-Z, 0-9, spaces,
// ._-:/()#,@[]+=&;{}!$*); rules referencing a group or prefix list allow the same without "&"
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html), so rules are held to that one.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import {
    EC2_SECURITY_GROUP,
    EC2_SECURITY_GROUP_RULE,
    VPC_SECURITY_GROUP_EGRESS_RULE,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../lib/types";
import { indices, knownString } from "../../lib/values";

const RULES = [VPC_SECURITY_GROUP_INGRESS_RULE, VPC_SECURITY_GROUP_EGRESS_RULE, EC2_SECURITY_GROUP_RULE];
const MAX = 255;
const GROUP_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const RULE_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;

function problem(text: string | undefined, allowed: RegExp, set: string): string | undefined {
    if (text === undefined) {
        return undefined; // unknown in a preview, or absent
    }
    if (text.length > MAX) {
        return `is ${text.length} characters long; EC2 takes up to ${MAX}`;
    }
    const bad = [...new Set([...text].filter((c) => !allowed.test(c)))];
    return bad.length === 0
        ? undefined
        : `holds ${bad.map((c) => JSON.stringify(c)).join(", ")}, which EC2 refuses: use only letters, digits, spaces and ${set}`;
}

export const securityGroupDescriptions: ResourceValidationPolicy = {
    name: "security-group-descriptions",
    description:
        "Security group and rule descriptions use only the characters EC2 accepts, up to 255: an apostrophe fails the create.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const found: string[] = [];
        if (args.type === EC2_SECURITY_GROUP) {
            const p = problem(knownString(args.props, "description"), GROUP_CHARS, "._-:/()#,@[]+=&;{}!$*");
            if (p) found.push(`Security group ${args.name}'s description ${p}`);
            for (const kind of ["ingress", "egress"]) {
                indices(args.props[kind]).forEach((i) => {
                    const q = problem(
                        knownString(args.props, kind, i, "description"),
                        RULE_CHARS,
                        "._-:/()#,@[]+=;{}!$*",
                    );
                    if (q) found.push(`Security group ${args.name}'s ${kind}[${i}] description ${q}`);
                });
            }
        } else if (RULES.includes(args.type)) {
            const p = problem(knownString(args.props, "description"), RULE_CHARS, "._-:/()#,@[]+=;{}!$*");
            if (p) found.push(`Security group rule ${args.name}'s description ${p}`);
        }
        found.forEach((f) =>
            reportViolation(`${f} (CreateSecurityGroup / AuthorizeSecurityGroup* fail with InvalidParameterValue).`),
        );
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_SECURITY_GROUP, ...RULES],
    decides: "Decides during preview from the literal descriptions of groups and rules (unknown ones are left alone).",
    remediation:
        "Rewrite the description with the characters EC2 accepts (letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*) and at most 255 of them.",
    controls: controls({}),
};
