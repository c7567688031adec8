// Operators' way into the databases without the VPN and without a password (docs/database-access.md): Session
// Manager port forwarding through a server the database already admits (Rundeck), with a Session document per
// database that fixes the host and port (only the local port is the operator's), and IAM database authentication as
// a read-only user. The role is assumed with MFA, and may start sessions only with these documents, only on that
// tier's servers of this stack, and connect only as that user.
// - Port documents: sessionType Port, properties type LocalPortForwarding, host, portNumber, localPortNumber
//   (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html); a host or port left as
//   a parameter would let the document's user reach anything the server reaches (rule port-forwarding-fixed).
// - IAM authentication: rds-db:connect on arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>
//   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrdsiamauthentication.html); the
//   user is created by the setup job (components/operations/rundeck/data-users.ts) with AWSAuthenticationPlugin.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TIER_TAG } from "../../policies/lib/contracts";
import { operatorRole, ownSessions } from "./session-manager";

/** The database user operators sign in as: SELECT and SHOW VIEW on Magento's schema, nothing else (data-users.ts). */
export const OPERATOR_DB_USER = "operator_ro";

export interface ForwardedDatabase {
    /** Short name, in the document's name: `magento-<stack>-db-<name>`. */
    readonly name: string;
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    /** The instance's DbiResourceId, which IAM database authentication names. */
    readonly resourceId: pulumi.Input<string>;
}

export interface DatabaseAccessArgs {
    readonly stack: string;
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** The tier whose servers forward: one every database here admits (its Tier tag). */
    readonly throughTier: string;
    readonly databases: readonly ForwardedDatabase[];
    readonly tags: Readonly<Record<string, string>>;
}

/** A Port session document to one host and port; the local port a parameter, 3306 unless the operator's is busy. */
export function portForwardingDocument(description: string, host: string, port: number): object {
    return {
        schemaVersion: "1.0",
        description,
        sessionType: "Port",
        parameters: {
            localPortNumber: {
                type: "String",
                description: "Port to open on the operator's computer",
                allowedPattern: "^[1-9][0-9]{0,4}$",
                default: "3306",
            },
        },
        properties: {
            type: "LocalPortForwarding",
            host,
            portNumber: String(port),
            localPortNumber: "{{ localPortNumber }}",
        },
    };
}

export class DatabaseAccess extends pulumi.ComponentResource {
    /** The role operators assume (with MFA) to forward a port to a database and sign in. */
    public readonly operatorRoleArn: pulumi.Output<string>;
    /** The document to start each database's session with, by database name. */
    public readonly documentNames: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: DatabaseAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:operations:DatabaseAccess", name, {}, opts);
        const child = { parent: this };
        const documents = args.databases.map(
            (db) =>
                [
                    db,
                    new aws.ssm.Document(
                        `${name}-${db.name}`,
                        {
                            name: `magento-${args.stack}-db-${db.name}`,
                            documentType: "Session",
                            documentFormat: "JSON",
                            content: pulumi
                                .all([db.host, db.port])
                                .apply(([host, port]) =>
                                    JSON.stringify(
                                        portForwardingDocument(
                                            `Port forwarding to ${args.stack}'s ${db.name} database`,
                                            host,
                                            port,
                                        ),
                                    ),
                                ),
                            tags: { ...args.tags, Name: `${name}-${db.name}` },
                        },
                        child,
                    ),
                ] as const,
        );

        const role = operatorRole(
            `${name}-operator`,
            `Operators' read-only database sessions on ${args.stack} (MFA required)`,
            args,
            {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "SessionsOnTheForwardingTier",
                        Effect: "Allow",
                        Action: "ssm:StartSession",
                        Resource: pulumi.interpolate`arn:aws:ec2:${args.region}:${args.accountId}:instance/*`,
                        Condition: {
                            StringEquals: {
                                "ssm:resourceTag/Stack": args.stack,
                                [`ssm:resourceTag/${TIER_TAG}`]: args.throughTier,
                            },
                            BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" },
                        },
                    },
                    {
                        Sid: "WithThePortForwardingDocuments",
                        Effect: "Allow",
                        Action: "ssm:StartSession",
                        Resource: documents.map(([, d]) => d.arn),
                    },
                    ...ownSessions(args.region, args.accountId),
                    {
                        Sid: "SignInAsTheReadOnlyUser",
                        Effect: "Allow",
                        Action: "rds-db:connect",
                        Resource: args.databases.map(
                            (db) =>
                                pulumi.interpolate`arn:aws:rds-db:${args.region}:${args.accountId}:dbuser:${db.resourceId}/${OPERATOR_DB_USER}`,
                        ),
                    },
                ],
            },
            child,
        );

        this.operatorRoleArn = role.arn;
        this.documentNames = Object.fromEntries(documents.map(([db, d]) => [db.name, d.name]));
        this.registerOutputs({ operatorRoleArn: this.operatorRoleArn, documentNames: this.documentNames });
    }
}
