// The credentials Magento's servers connect with, instead of the data services' master users: a MySQL user with only
// Magento's privileges and an OpenSearch internal user limited to Magento's indices, each a pair that alternates
// (AWS's alternating-users rotation: the user just replaced keeps working until the next rotation). Pulumi creates
// the secrets only; the release's setup step on Rundeck (operations/rundeck/data-users.ts) creates the users, writes the values
// and rotates them, so an update never puts back a password that a rotation replaced (docs/data-access.md).
import * as pulumi from "@pulumi/pulumi";
import { keptSecret } from "../security/generated-secret";

export interface AppCredentialsArgs {
    /** The stack: the secrets' names hold it, for the setup job that finds them by name. */
    readonly stack: string;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** Magento's default search index prefix (setup:install --opensearch-index-prefix); the release keeps it. */
export const MAGENTO_INDEX_PREFIX = "magento2";

/** The secrets' names (user data is plain text: the setup job cannot be handed their ARNs). */
export function appSecretNames(stack: string): { readonly database: string; readonly search: string } {
    return { database: `magento/${stack}/mysql-app`, search: `magento/${stack}/search-app` };
}

export class AppCredentials extends pulumi.ComponentResource {
    /** {username, password} of the MySQL user Magento connects as. */
    public readonly databaseSecretArn: pulumi.Output<string>;
    /** {username, password} of the OpenSearch internal user Magento connects as (HTTP basic auth). */
    public readonly searchSecretArn: pulumi.Output<string>;

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
        this.registerOutputs({ databaseSecretArn: this.databaseSecretArn, searchSecretArn: this.searchSecretArn });
    }
}
