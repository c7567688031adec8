// Secrets were found hard-coded in the estate's applications; they belong in a parameter/secret store that servers
// read at boot. User data, tags, Lambda environment variables and String parameters are plain text to anyone who can
// describe the resource, so no credential may be written there.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { credentialsInEntries, credentialsInText } from "../../lib/credentials";
import { userDataOf } from "../../lib/user-data";
import { known, knownEntries, knownString, knownTags } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, LAMBDA_FUNCTION, SSM_PARAMETER } from "../../lib/types";

/** SecureString is the only parameter type SSM encrypts; String and StringList are stored and shown as plain text. */
const PLAIN_PARAMETER_TYPES = ["String", "StringList"];
const MIN_LENGTH = 8;

interface Config {
    minSecretLength?: number;
}

/** Where a resource holds plain text, each with the credentials found there (values not known yet are skipped). */
function findings(
    type: string,
    name: string,
    props: Record<string, unknown>,
    minLength: number,
): Map<string, string[]> {
    const found = new Map<string, string[]>();
    const userData = userDataOf(type, props);
    if (userData !== undefined) {
        found.set("user data", credentialsInText(userData, minLength));
    }
    found.set("tags", credentialsInEntries(knownTags(props), "tag", minLength));
    if (type === LAMBDA_FUNCTION) {
        found.set(
            "environment",
            credentialsInEntries(knownEntries(known(props, "environment", "variables")), "variable", minLength),
        );
    }
    const parameterType = knownString(props, "type");
    if (type === SSM_PARAMETER && parameterType !== undefined && PLAIN_PARAMETER_TYPES.includes(parameterType)) {
        const value = knownString(props, "value") ?? knownString(props, "insecureValue");
        const parameter = knownString(props, "name") ?? name;
        found.set(
            "value",
            value === undefined ? [] : credentialsInEntries([[parameter, value]], "parameter", minLength),
        );
    }
    return new Map([...found].filter(([, list]) => list.length > 0));
}

export const noPlaintextCredentials: ResourceValidationPolicy = {
    name: "no-plaintext-credentials",
    description:
        "No credential in plain text in EC2 user data, tags, Lambda environment variables or String SSM parameters.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minSecretLength: {
                type: "integer",
                default: MIN_LENGTH,
                minimum: 1,
                description:
                    "Shortest literal value that counts as a secret when assigned to a password/secret/token/api_key name.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const minLength = args.getConfig<Config>().minSecretLength ?? MIN_LENGTH;
        const kind = args.type.slice(args.type.lastIndexOf(":") + 1); // Instance, LaunchTemplate, Function, Parameter...
        for (const [where, list] of findings(args.type, args.name, args.props, minLength)) {
            reportViolation(
                `${kind} ${args.name} has a plain-text credential in its ${where} (${list.join("; ")}). ` +
                    "Anyone who can describe the resource can read it: keep the secret in SSM Parameter Store (SecureString) or " +
                    "Secrets Manager and read it at run time with the resource's role, passing only its name or ARN.",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, LAMBDA_FUNCTION, SSM_PARAMETER],
    decides:
        "Decides during preview from literal user data, tags, environment variables and parameter values (tags of any resource type are read too); values not known yet are not literals.",
    remediation:
        "Move the value into Secrets Manager or a SecureString parameter and have the server, function or reader fetch it at run time; keep only its name or ARN in user data, tags or environment.",
    controls: controls({ checkov: ["CKV_AWS_46", "CKV_AWS_45"], trivy: ["AVD-AWS-0029"] }),
};
