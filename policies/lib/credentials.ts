// Credential patterns in the style of secret scanners (Checkov CKV_AWS_46, gitleaks, trufflehog): AWS keys, private
// key blocks, passwords in connection strings, and secret-looking names assigned a literal value. References to a
// secret store, a variable or a file are not credentials: they are what we want instead.

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
const SECRET_ACCESS_KEY =
    /(?<![\w-])(?:aws_?)?secret_?access_?key["']?[ \t]*(?:=>|:=|=|:)[ \t]*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/i;
const CONNECTION_STRING = /\b([a-z][a-z0-9+.-]*):\/\/[^\s:/@'"]*:([^\s@/'"]+)@/gi;
const SECRET_WORD = /password|passwd|pwd|secret|token|api[_-]?key/i;
/** name=value, name := value, name => value, "name": value, name: value (YAML wants the space: not arn:...:secret:x). */
const ASSIGNMENT =
    /(?<![\w.-])([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key)[\w.-]*)(?:["'][ \t]*(?:=>|:=|=|:)|[ \t]*(?:=>|:=|=)|:(?=[ \t]))[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',;]+))/gi;

/** A name that holds where the secret is, not the secret: DB_PASSWORD_PARAM, secret_arn, TOKEN_TTL... */
const REFERENCE_NAME = /(?:arn|param|parameter|path|file|name|id|ref|ttl|seconds|length|url|uri|endpoint|host|type)$/i;
const REFERENCES = [
    /\$\{|\$\(|\{\{|`|\$[A-Za-z_]|%[A-Za-z_]\w*%/, // ${VAR}, $(command), {{resolve:secretsmanager:...}}, $VAR, %VAR%
    /^arn:aws[\w-]*:/, // an ARN (Secrets Manager secret, SSM parameter, KMS key)
    /^(?:ssm|secretsmanager|resolve):/i, // ssm:/magento/db-password, resolve:secretsmanager:...
    /^\/[\w./-]*$/, // an SSM parameter name or a file path
    /^[a-z][a-z0-9+.-]*:\/\//i, // a URL (one with a password in it is caught as a connection string)
    /^[A-Z][A-Z0-9_]*$/, // an environment variable's name
    /^<[^>]*>$|^\*+$/, // a placeholder or a mask
];
/** AWS documentation's sample key ids end in EXAMPLE; scanners allow them, and so do we. */
const SAMPLE_KEY = /EXAMPLE$/;

function isReference(value: string): boolean {
    return REFERENCES.some((pattern) => pattern.test(value));
}

/** True when `value`, assigned to `name`, is a literal secret: a secret-looking name, a long enough non-reference. */
function isLiteralSecret(name: string, value: string, minLength: number): boolean {
    return SECRET_WORD.test(name) && !REFERENCE_NAME.test(name) && value.length >= minLength && !isReference(value);
}

/** What credential `text` holds (the first found), described without repeating its value; undefined if none. */
function credentialIn(text: string, minLength: number): string | undefined {
    if (PRIVATE_KEY.test(text)) {
        return "a private key";
    }
    if ([...text.matchAll(ACCESS_KEY_ID)].some((m) => !SAMPLE_KEY.test(m[0]))) {
        return "an AWS access key id";
    }
    if (SECRET_ACCESS_KEY.test(text)) {
        return "an AWS secret access key";
    }
    const connection = [...text.matchAll(CONNECTION_STRING)].find((m) => !isReference(m[2]));
    if (connection) {
        return `a password inside a ${connection[1]}:// connection string`;
    }
    const assignment = [...text.matchAll(ASSIGNMENT)].find((m) =>
        isLiteralSecret(m[1], m[2] ?? m[3] ?? m[4], minLength),
    );
    return assignment && `a literal value assigned to ${assignment[1]}`;
}

/** Credentials in a script or document (user data), one finding per line: "line 4: an AWS access key id". */
export function credentialsInText(text: string, minLength: number): string[] {
    return text.split(/\r?\n/).flatMap((line, i) => {
        const found = credentialIn(line, minLength);
        return found ? [`line ${i + 1}: ${found}`] : [];
    });
}

/** Credentials in name/value pairs (tags, environment variables): the name says what the value is. */
export function credentialsInEntries(entries: [string, string][], label: string, minLength: number): string[] {
    return entries.flatMap(([name, value]) => {
        const found = isLiteralSecret(name, value, minLength) ? "a literal secret" : credentialIn(value, minLength);
        return found ? [`${label} ${name}: ${found}`] : [];
    });
}
