// A credential nobody types: generated once by the random provider (kept, secret, in state), stored in Secrets
// Manager under the stack's key, and handed to servers by ARN only.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { VALUE_IN_STATE_TAG } from "../../policies/lib/contracts";

export interface GeneratedSecretArgs {
    /** What the credential opens, for the secret's description. */
    readonly description: string;
    /** The secret's name, for a server that must find it from its user data (a plain string); generated when absent. */
    readonly secretName?: string;
    /** Password length. */
    readonly length: number;
    /** Special characters allowed; none when the consumer rejects them (Redis AUTH forbids @, " and /). */
    readonly specials: string;
    /** JSON document stored in the secret around the password; the password alone when absent. */
    readonly document?: (password: string) => Record<string, string>;
    /** Raising it replaces the value (the random provider's keepers); 0 or absent: the first value. */
    readonly generation?: number;
    /** The value encrypts data (Magento's crypt key): a new one would leave that data unreadable, so the value and its
     *  version are protected, and the plan check refuses their replacement (docs/day-two.md, "The check"). */
    readonly encryptsData?: boolean;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** What a kept secret is: its description, its name (generated when absent), its key and tags. */
export type KeptSecretArgs = Pick<GeneratedSecretArgs, "description" | "secretName" | "kmsKeyArn" | "tags">;

/** A Secrets Manager secret under the stack's key, protected: the running service holds this credential, and deleting
 *  the secret locks out its clients. Its value is written by whoever owns the credential. */
export function keptSecret(
    parent: pulumi.Resource,
    name: string,
    args: KeptSecretArgs,
    extraTags: Readonly<Record<string, string>> = {},
): aws.secretsmanager.Secret {
    return new aws.secretsmanager.Secret(
        `${name}-secret`,
        {
            name: args.secretName,
            description: args.description,
            kmsKeyId: args.kmsKeyArn,
            recoveryWindowInDays: 7,
            tags: { ...args.tags, ...extraTags, Name: name },
        },
        { parent, protect: true },
    );
}

export class GeneratedSecret extends pulumi.ComponentResource {
    /** The value, for the one resource that must be configured with it (a secret output). */
    public readonly value: pulumi.Output<string>;
    public readonly secretArn: pulumi.Output<string>;

    constructor(name: string, args: GeneratedSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:security:GeneratedSecret", name, {}, opts);
        const child = { parent: this };
        const password = new random.RandomPassword(
            `${name}-value`,
            {
                length: args.length,
                special: args.specials.length > 0,
                overrideSpecial: args.specials || undefined,
                minUpper: 1,
                minLower: 1,
                minNumeric: 1,
                minSpecial: args.specials.length > 0 ? 1 : 0,
                // Changed keepers recreate the password (https://www.pulumi.com/registry/packages/random/api-docs/randompassword/).
                keepers: args.generation ? { generation: String(args.generation) } : undefined,
            },
            { ...child, protect: args.encryptsData },
        );
        // Its value is in the state (the SecretVersion's input): the read-only CI roles may read it, as a refresh does.
        const secret = keptSecret(this, name, args, { [VALUE_IN_STATE_TAG]: "true" });
        new aws.secretsmanager.SecretVersion(
            `${name}-version`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(
                    password.result.apply((p) => (args.document ? JSON.stringify(args.document(p)) : p)),
                ),
            },
            { ...child, protect: args.encryptsData },
        );
        this.value = pulumi.secret(password.result);
        this.secretArn = secret.arn;
        this.registerOutputs({ secretArn: this.secretArn });
    }
}
