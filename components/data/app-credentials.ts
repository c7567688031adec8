// The credentials Magento's servers connect with, instead of the data services' master users: a MySQL user with only
// Magento's privileges and an OpenSearch internal user limited to Magento's indices, each a pair that alternates
// (AWS's alternating-users rotation: the user just replaced keeps working until the next rotation). Pulumi creates
// the secrets only; the release's setup step on Rundeck (operations/rundeck/data-users.ts) creates the users, writes the values
// and rotates them, so an update never puts back a password that a rotation replaced (docs/data-access.md).
// And Magento's crypt key (env.php's crypt.key), which encrypts what Magento stores encrypted (payment and integration
// credentials, config values): generated once by Pulumi, so it exists before any server or the setup job needs it,
// and never rotated, by Pulumi (no generation to raise) or by AWS (no rotation): a new key leaves everything encrypted
// with the old one unreadable. Written by the setup job instead, it would have to be there before the first server
// boots, and a job run twice could overwrite it.
import * as pulumi from "@pulumi/pulumi";
import { GeneratedSecret, keptSecret } from "../security/generated-secret";

export interface AppCredentialsArgs {
    /** The stack: the secrets' names hold it, for the setup job that finds them by name. */
    readonly stack: string;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** Magento's default search index prefix (setup:install --opensearch-index-prefix); the release keeps it. */
export const MAGENTO_INDEX_PREFIX = "magento2";

/** The secrets' names (user data is plain text: the setup job cannot be handed their ARNs). */
export function appSecretNames(stack: string): {
    readonly database: string;
    readonly search: string;
    readonly cryptKey: string;
} {
    return {
        database: `magento/${stack}/mysql-app`,
        search: `magento/${stack}/search-app`,
        cryptKey: `magento/${stack}/crypt-key`,
    };
}

/** Magento's key: 32 characters without white space (Encryptor::validateKey,
 *  https://github.com/magento/magento2/blob/2.4-develop/lib/internal/Magento/Framework/Encryption/Encryptor.php);
 *  letters and digits only, which boot's env files carry as written. */
export const CRYPT_KEY_LENGTH = 32;

export class AppCredentials extends pulumi.ComponentResource {
    /** {username, password} of the MySQL user Magento connects as. */
    public readonly databaseSecretArn: pulumi.Output<string>;
    /** {username, password} of the OpenSearch internal user Magento connects as (HTTP basic auth). */
    public readonly searchSecretArn: pulumi.Output<string>;
    /** Magento's crypt key, plain (env.php's crypt.key). */
    public readonly cryptKeySecretArn: pulumi.Output<string>;

    constructor(name: string, args: AppCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:data:AppCredentials", name, {}, opts);
        const names = appSecretNames(args.stack);
        const kept = (suffix: string, secretName: string, description: string) =>
            keptSecret(this, `${name}-${suffix}`, {
                description,
                secretName,
                kmsKeyArn: args.kmsKeyArn,
                tags: args.tags,
            }).arn;
        this.databaseSecretArn = kept(
            "mysql",
            names.database,
            "MySQL user Magento connects as; written and rotated by the setup job on Rundeck",
        );
        this.searchSecretArn = kept(
            "search",
            names.search,
            "OpenSearch user Magento connects as; written and rotated by the setup job on Rundeck",
        );
        this.cryptKeySecretArn = new GeneratedSecret(
            `${name}-crypt-key`,
            {
                description:
                    "Magento's crypt key (env.php crypt.key); never rotate it: data encrypted with it would be lost",
                secretName: names.cryptKey,
                length: CRYPT_KEY_LENGTH,
                specials: "",
                encryptsData: true,
                kmsKeyArn: args.kmsKeyArn,
                tags: args.tags,
            },
            { parent: this },
        ).secretArn;
        this.registerOutputs({
            databaseSecretArn: this.databaseSecretArn,
            searchSecretArn: this.searchSecretArn,
            cryptKeySecretArn: this.cryptKeySecretArn,
        });
    }
}
