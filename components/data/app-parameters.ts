// The application settings servers read at boot, as SSM parameters under /magento/<stack>/ (platform lesson: nothing
// hard-coded in the application). Plain String parameters only: a secret is referenced by its Secrets Manager ARN,
// which is not itself secret, so the values are readable in previews and diffs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AppParametersArgs {
    /** The stack; parameters live under /magento/<stack>/. */
    readonly stack: string;
    /** Parameter name below the prefix (e.g. "database/host") to its value; never a secret. */
    readonly values: Readonly<Record<string, pulumi.Input<string>>>;
    /** The stack's region, for the parameters' ARN pattern. */
    readonly region: string;
    /** The account the parameters live in, for their ARN pattern. */
    readonly accountId: pulumi.Input<string>;
    /** Tags for every parameter. */
    readonly tags: Readonly<Record<string, string>>;
}

/** Segments of a parameter path: letters, digits, '-' and '_'. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** SSM allows at most 15 levels in a parameter name; /magento/<stack>/ takes two. */
const MAX_NAME_LEVELS = 13;

/** Why `name` cannot be a parameter name below /magento/<stack>/, or undefined when it can. */
export function parameterNameProblem(name: string): string | undefined {
    const segments = name.split("/");
    if (!segments.every((s) => SEGMENT.test(s))) {
        return (
            `parameter name '${name}' is not allowed: use letters, digits, '-', '_' and '/' between non-empty parts ` +
            `(e.g. 'database/host'), with no leading, trailing or doubled '/'`
        );
    }
    if (segments.length > MAX_NAME_LEVELS) {
        return `parameter name '${name}' has ${segments.length} levels; SSM allows ${MAX_NAME_LEVELS} below /magento/<stack>/`;
    }
    return undefined;
}

/** Every problem with the stack name and the parameter names, each naming the offending value. */
export function appParametersProblems(stack: string, names: readonly string[]): string[] {
    const problems: string[] = [];
    if (!SEGMENT.test(stack)) {
        problems.push(`stack '${stack}' cannot be part of a parameter name: use letters, digits, '-' and '_'`);
    }
    for (const name of names) {
        const problem = parameterNameProblem(name);
        if (problem) {
            problems.push(problem);
        }
    }
    return problems;
}

/** The value, unless it is a secret Output: then registering the parameter fails with `message`. */
function refuseSecret(value: pulumi.Input<string>, message: string): pulumi.Input<string> {
    if (!pulumi.Output.isInstance(value)) {
        return value; // plain strings and promises cannot be secret
    }
    const output = pulumi.output(value);
    return pulumi.output(pulumi.isSecret(output)).apply((secret) => {
        if (secret) {
            throw new Error(message);
        }
        return output;
    });
}

/** The parameters' path of a stack, /magento/<stack>. */
export const parameterPrefix = (stack: string) => `/magento/${stack}`;

/**
 * ARN of the path itself: GetParametersByPath is authorised against the path in the request, not against the
 * parameters it returns, so `path/*` does not allow it
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-retrieval-authorization.html).
 */
export function parameterPathArn(
    stack: string,
    region: string,
    accountId: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi.interpolate`arn:aws:ssm:${region}:${accountId}:parameter${parameterPrefix(stack)}`;
}

export class AppParameters extends pulumi.ComponentResource {
    /** The path the servers read, e.g. `aws ssm get-parameters-by-path --path /magento/prod --recursive`. */
    public readonly prefix: string;
    /** ARN of the path, for ssm:GetParametersByPath. */
    public readonly pathArn: pulumi.Output<string>;
    /** ARN pattern of every parameter below the path, for ssm:GetParameter(s). */
    public readonly parameterArns: pulumi.Output<string>;

    constructor(name: string, args: AppParametersArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = appParametersProblems(args.stack, Object.keys(args.values));
        if (problems.length > 0) {
            throw new Error(`AppParameters ${name}: ${problems.join("; ")}`);
        }
        super("magento:config:AppParameters", name, {}, opts);
        const prefix = parameterPrefix(args.stack);

        for (const [key, value] of Object.entries(args.values)) {
            new aws.ssm.Parameter(
                `${name}-${key}`,
                {
                    name: `${prefix}/${key}`,
                    type: "String",
                    // insecureValue: `value` would hide it in previews and diffs although it is not secret
                    insecureValue: refuseSecret(
                        value,
                        `AppParameters ${name}: '${key}' is a secret, which a String parameter ` +
                            `would store in clear text; keep it in Secrets Manager and pass its ARN instead`,
                    ),
                    tags: args.tags,
                },
                { parent: this },
            );
        }

        this.prefix = prefix;
        this.pathArn = parameterPathArn(args.stack, args.region, args.accountId);
        this.parameterArns = pulumi.interpolate`${this.pathArn}/*`;
        this.registerOutputs({ prefix: this.prefix, pathArn: this.pathArn, parameterArns: this.parameterArns });
    }
}
