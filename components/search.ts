// Amazon OpenSearch for Magento 2.4's catalog search: inside the VPC, encrypted at rest and between nodes, HTTPS
// only. Magento's client does not sign requests with SigV4 (its OpenSearch settings offer HTTP basic auth only), so a
// resource policy naming IAM roles would lock it out; access is fine-grained access control: a generated internal
// master user, read only by the release's setup job and the break-glass role, which creates the users Magento connects
// as (rundeck-data-users.ts), and a security group that admits only the tiers that search. Audit logs are published.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Client, serviceSecurityGroup } from "./clients";
import { auditLogGroup } from "./audit-logs";
import { GeneratedSecret } from "./generated-secret";

export interface SearchArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ; a single-node domain uses the first. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly clients: readonly Client[];
    /** Domain name: lower case, 3-28 characters. */
    readonly domainName: string;
    readonly instanceType: string;
    /** Dedicated master type; masters and zone awareness across every subnet's AZ come together (production). */
    readonly masterInstanceType: string | undefined;
    readonly volumeGb: number;
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The key of its secrets (docs/access.md, "Keys"): apart from its data's. */
    readonly secretsKmsKeyArn: pulumi.Input<string>;
    /** The key of the audit log group (audit-logs.ts). */
    readonly auditLogKeyArn: pulumi.Input<string>;
    /** What the domain must wait for but reads nothing of: OpenSearch's service-linked role, which CreateDomain needs in a VPC. */
    readonly requires: pulumi.Input<pulumi.Resource>[];
    readonly tags: Readonly<Record<string, string>>;
}

/** Magento 2.4.8 is tested with OpenSearch 2.19, which OpenSearch Service supports (docs/engine-versions.md). */
const ENGINE_VERSION = "OpenSearch_2.19";
const TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

export class Search extends pulumi.ComponentResource {
    public readonly endpoint: pulumi.Output<string>;
    /** Secrets Manager secret with {username, password} of the internal master user: never a server's. */
    public readonly masterSecretArn: pulumi.Output<string>;
    /** The master secret's Name tag, by which the setup job finds it. */
    public readonly masterSecretTag: string;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly domainName: string;
    /** arn:aws:es:<region>:<account>:domain/<name>: the AWS/ES metrics' DomainName and ClientId (account) come from it. */
    public readonly domainArn: pulumi.Output<string>;

    constructor(name: string, args: SearchArgs, opts?: pulumi.ComponentResourceOptions) {
        super("magento:data:Search", name, {}, opts);
        if (!/^[a-z][a-z0-9-]{2,27}$/.test(args.domainName)) {
            throw new Error(`Search ${name}: domainName '${args.domainName}' must be 3-28 lower-case letters, digits or hyphens, starting with a letter`);
        }
        const zoneAware = args.masterInstanceType !== undefined;
        const group = serviceSecurityGroup(this, name, {
            vpcId: args.vpcId, port: 443, clients: args.clients, description: `OpenSearch ${name}`, tags: args.tags,
        });
        const masterUser = new GeneratedSecret(`${name}-master`, {
            description: `OpenSearch master user of ${args.domainName}: the setup job and the break-glass role only`,
            length: 32,
            specials: "!#%^*-_+=",
            document: (password) => ({ username: "magento", password }),
            kmsKeyArn: args.secretsKmsKeyArn,
            tags: args.tags,
        }, { parent: this });
        const domainArn = pulumi.interpolate`arn:aws:es:${args.region}:${args.accountId}:domain/${args.domainName}`;
        // Audit logs need fine-grained access control (on) and a log group policy letting the service write, for this
        // domain only (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html).
        const auditLogs = auditLogGroup(this, `${name}-audit-logs`, `/aws/opensearch/${args.domainName}/audit`, args.auditLogKeyArn, args.tags);
        const auditWrite = new aws.cloudwatch.LogResourcePolicy(`${name}-audit-logs`, {
            policyName: `${args.domainName}-audit-logs`,
            policyDocument: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                    Resource: pulumi.interpolate`${auditLogs.arn}:*`,
                    Condition: { StringEquals: { "aws:SourceAccount": args.accountId }, ArnLike: { "aws:SourceArn": domainArn } },
                }],
            }),
        }, { parent: this });

        const domain = new aws.opensearch.Domain(`${name}-domain`, {
            domainName: args.domainName,
            engineVersion: ENGINE_VERSION,
            clusterConfig: {
                instanceType: args.instanceType,
                instanceCount: zoneAware ? args.subnetIds.length : 1,
                zoneAwarenessEnabled: zoneAware,
                zoneAwarenessConfig: zoneAware ? { availabilityZoneCount: args.subnetIds.length } : undefined,
                dedicatedMasterEnabled: zoneAware,
                dedicatedMasterType: args.masterInstanceType,
                dedicatedMasterCount: zoneAware ? 3 : undefined,
            },
            ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeGb },
            vpcOptions: { subnetIds: zoneAware ? args.subnetIds : args.subnetIds.slice(0, 1), securityGroupIds: [group.id] },
            encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
            nodeToNodeEncryption: { enabled: true },
            domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_POLICY },
            advancedSecurityOptions: {
                enabled: true,
                anonymousAuthEnabled: false,
                internalUserDatabaseEnabled: true,
                masterUserOptions: { masterUserName: "magento", masterUserPassword: masterUser.value },
            },
            // With fine-grained access control, the domain policy opens HTTP to the VPC and the internal users decide.
            accessPolicies: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: pulumi.interpolate`${domainArn}/*` }],
            }),
            logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: auditLogs.arn, enabled: true }],
            tags: { ...args.tags, Name: name },
        }, { parent: this, protect: true, dependsOn: [...args.requires, auditWrite] });

        this.endpoint = domain.endpoint;
        this.masterSecretArn = masterUser.secretArn;
        this.masterSecretTag = `${name}-master`; // GeneratedSecret tags its secret Name=<its name>
        this.securityGroupId = group.id;
        this.domainName = args.domainName;
        this.domainArn = domain.arn;
        this.registerOutputs({ endpoint: this.endpoint, masterSecretArn: this.masterSecretArn });
    }
}
