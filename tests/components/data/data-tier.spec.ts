// The data tier as an operator checks it: who reaches each service, how it survives an AZ, what is encrypted and
// protected, and that rebuilding a server never touches the data it serves.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PARAMETERS_FILE, SECRETS_FILE, secretsScript } from "../../../components/web/web-boot";
import {
    DATA_USERS_CONFIG,
    dataUsersConfigFile,
    dataUsersScript,
} from "../../../components/operations/rundeck/data-users";
import { MAGENTO_SHARES, planShares } from "../../../components/storage/shares";
import { replacementPaths } from "../../../offline/plan/forces-new";
import { SECRET_SIG, SIG_KEY, StateResource, UNKNOWN } from "../../../offline/state";
import { ACCOUNT_SERVICE_LINKED_ROLES } from "../../../offline/invokes";
import {
    CLOUDWATCH_LOG_GROUP,
    CLOUDWATCH_LOG_RESOURCE_POLICY,
    EBS_VOLUME,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_VOLUME_ATTACHMENT,
    EFS_ACCESS_POINT,
    EFS_FILE_SYSTEM,
    EFS_MOUNT_TARGET,
    ELASTICACHE_REPLICATION_GROUP,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_SERVICE_LINKED_ROLE,
    KMS_KEY,
    OPENSEARCH_DOMAIN,
    RANDOM_ID,
    RDS_INSTANCE,
    ROUTE53_RECORD,
    ROUTE53_ZONE,
    SECRETSMANAGER_SECRET,
    SECRETSMANAGER_SECRET_VERSION,
    SSM_PARAMETER,
} from "../../../policies/lib/types";
import { PREPROD_NFS, PREPROD_NFS_REBUILT } from "../../fixtures/stacks";
import { named, reachability } from "../../helpers/reachability";
import { changedTypes, ofType, prefetch, stackResources, via, webOfType } from "../../helpers/stacks";

const NFS = { changes: PREPROD_NFS };

describe("data tier", () => {
    prefetch(
        ["prod"],
        ["preprod"],
        ["prod", { preview: false }],
        ["preprod", { changes: { "magento:applyImmediately": true } }],
        [
            "preprod",
            { changes: { "magento:opsAmiId": PREPROD_NFS["magento:opsAmiId"], "magento:sharedStorageTarget": "nfs" } },
        ],
        ["preprod", NFS],
        ["preprod", { changes: PREPROD_NFS_REBUILT }],
    );

    it("service-linked roles: the account's are adopted, missing ones created, neither deleted with the stack; what needs one waits for it", async function () {
        this.timeout(300_000); // the spec's first read: its captures queue behind those every spec started at load
        // The offline account holds Auto Scaling's role (any account that ran a group) and not OpenSearch's
        // (offline/invokes.ts). IAM refuses to create a role the account has: adopting it is what lets an up succeed.
        assert.deepStrictEqual(ACCOUNT_SERVICE_LINKED_ROLES, ["autoscaling.amazonaws.com"]);
        for (const stack of ["prod", "preprod"]) {
            const r = await stackResources(stack);
            const role = (service: string) =>
                ofType(r, IAM_SERVICE_LINKED_ROLE).find((x) => x.inputs!.awsServiceName === service)!;
            const adopted = role("autoscaling.amazonaws.com");
            assert.strictEqual(
                adopted.importID,
                "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
            );
            // The import must match what AWS has: its description and tags are left as they are.
            assert.deepStrictEqual([adopted.inputs!.tags, adopted.ignoreChanges], [undefined, ["description", "tags"]]);
            const created = role("opensearchservice.amazonaws.com");
            assert.strictEqual(created.importID, undefined);
            assert.ok(
                adopted.retainOnDelete && created.retainOnDelete,
                "a destroyed stack keeps the account's service-linked roles",
            );
            // The key's policy names Auto Scaling's role (data); the domain waits for OpenSearch's (an order only: a
            // value computed from a role being created is unknown in preview, and the domain's key forces a new domain).
            assert.ok(via(r, named(r, KMS_KEY, "data-key"), "policy").some((x) => x.urn === adopted.urn));
            const domain = ofType(r, OPENSEARCH_DOMAIN)[0];
            assert.ok(domain.dependencies!.includes(created.urn));
            assert.ok(!(domain.propertyDependencies!.encryptAtRest ?? []).includes(created.urn));
        }
    });

    it("each service is reachable only from the tiers that use it, on its one port", async () => {
        const r = await stackResources("prod");
        assert.deepStrictEqual(reachability(r, named(r, RDS_INSTANCE, "mysql-db"), "vpcSecurityGroupIds"), [
            "backoffice -> tcp/3306",
            "rundeck -> tcp/3306",
            "web -> tcp/3306",
        ]);
        assert.deepStrictEqual(reachability(r, named(r, RDS_INSTANCE, "sideapps-db"), "vpcSecurityGroupIds"), [
            "sideapps -> tcp/3306",
            "sideapps-cashout -> tcp/3306",
            "sideapps-orders -> tcp/3306",
        ]);
        for (const usage of ["sessions", "cache"]) {
            assert.deepStrictEqual(
                reachability(r, named(r, ELASTICACHE_REPLICATION_GROUP, `${usage}-redis`), "securityGroupIds"),
                ["backoffice -> tcp/6379", "web -> tcp/6379"],
            );
        }
        // Rundeck: the release's setup job creates Magento's search users with the master user.
        assert.deepStrictEqual(reachability(r, ofType(r, OPENSEARCH_DOMAIN)[0], "vpcOptions"), [
            "backoffice -> tcp/443",
            "rundeck -> tcp/443",
            "web -> tcp/443",
        ]);
        const mountTarget = ofType(r, EFS_MOUNT_TARGET)[0];
        assert.deepStrictEqual(reachability(r, mountTarget, "securityGroups"), [
            "backoffice -> tcp/2049",
            "web -> tcp/2049",
        ]);
    });

    it("search: the master is an IAM role Rundeck and the break-glass role assume; the password in state is never pushed again", async () => {
        for (const stack of ["prod", "preprod"]) {
            const r = await stackResources(stack, { preview: false });
            const domain = ofType(r, OPENSEARCH_DOMAIN)[0];
            // Magento speaks basic auth only, and AWS takes a master ARN only without the internal user database: the
            // internal master stays, the setup job maps the admin role to all_access and security_manager and then
            // changes the internal master's password to one nobody keeps (docs/data-access.md).
            assert.strictEqual(
                (domain.inputs!.advancedSecurityOptions as Record<string, unknown>).internalUserDatabaseEnabled,
                true,
            );
            assert.deepStrictEqual(
                domain.ignoreChanges,
                ["advancedSecurityOptions.masterUserOptions"],
                `${stack}: an update would set the retired password again`,
            );
            const admin = named(r, IAM_ROLE, "search-admin");
            const trust = JSON.parse(String(admin.inputs!.assumeRolePolicy));
            const role = (suffix: string) => named(r, IAM_ROLE, suffix).outputs!.arn;
            assert.deepStrictEqual(
                trust.Statement.map((s: { Principal: { AWS: string[] } }) => s.Principal.AWS),
                [[role("rundeck-role"), role("break-glass-role")]],
            );
            const policy = JSON.parse(
                String(ofType(r, IAM_ROLE_POLICY).find((p) => via(r, p, "role").includes(admin))!.inputs!.policy),
            );
            assert.deepStrictEqual(
                policy.Statement.map((s: { Action: string; Resource: string }) => [s.Action, s.Resource]),
                [["es:ESHttp*", `${domain.outputs!.arn}/*`]],
            );
        }
    });

    it("search setup: maps the admin role as master once (keeping the mappings' users), retires the bootstrap password, and retires it again if an update restored it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-users-"));
        try {
            const bootstrap = "bootstrap-password-from-state";
            fs.writeFileSync(`${dir}/master-password`, bootstrap);
            fs.writeFileSync(`${dir}/search-master.json`, JSON.stringify({ username: "magento", password: bootstrap }));
            // aws: the answers the job asks for; put-secret-value records which secret was written.
            fs.writeFileSync(
                `${dir}/aws`,
                [
                    "#!/bin/bash",
                    'case "$*" in',
                    `  *describe-db-instances*) echo "db.internal 3306 arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds-master" ;;`,
                    `  *"get-secret-value --secret-id arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds-master"*) echo '{"username":"admin","password":"x"}' ;;`,
                    `  *"get-secret-value --secret-id arn:aws:secretsmanager:eu-west-3:123456789012:secret:search-master"*) cat ${dir}/search-master.json ;;`,
                    "  *get-secret-value*) exit 254 ;;",
                    `  *put-secret-value*) echo "put $*" | grep -o 'secret-id [^ ]*' >> ${dir}/puts.log ;;`,
                    "  *list-secrets*) echo arn:aws:secretsmanager:eu-west-3:123456789012:secret:search-master ;;",
                    "  *describe-domain*) echo vpc-search.eu-west-3.es.amazonaws.com ;;",
                    "  *get-caller-identity*) echo 123456789012 ;;",
                    "  *assume-role*) echo AKIAEXAMPLE secretkey sessiontoken ;;",
                    '  *) echo "unexpected aws $*" >&2; exit 1 ;;',
                    "esac",
                ].join("\n"),
                { mode: 0o755 },
            );
            fs.writeFileSync(`${dir}/mysql`, "#!/bin/sh\ncat > /dev/null\n", { mode: 0o755 });
            // curl: the security plugin. The admin role (a SigV4 config) works once mapped; the internal master while its
            // password is the current one. Every call is logged as <who> <method> <path>.
            fs.writeFileSync(
                `${dir}/curl`,
                [
                    "#!/bin/bash",
                    'while [ $# -gt 0 ]; do case "$1" in --config) cfg=$2; shift ;; -X) m=$2; shift ;; --data-binary) body=${2#@}; shift ;; -o) : > "$2"; exit 0 ;; -H) shift ;; https://*) url=$1 ;; esac; shift; done',
                    "p=${url#*/_plugins/_security/}",
                    'if grep -q aws-sigv4 "$cfg"; then who=admin; [ -f ' + dir + "/mapped ] || exit 22",
                    'else who=master; grep -qF "magento:$(cat ' + dir + '/master-password)\\"" "$cfg" || exit 22; fi',
                    'echo "$who $m $p" >> ' + dir + "/calls.log",
                    'case "$m $p" in',
                    '  "GET api/rolesmapping/"*) r=${p##*/}; echo "{\\"$r\\": {\\"backend_roles\\": [], \\"hosts\\": [], \\"users\\": [\\"magento\\"], \\"reserved\\": false}}" ;;',
                    '  "PUT api/rolesmapping/security_manager") cp "$body" ' +
                        dir +
                        "/security_manager.json; touch " +
                        dir +
                        "/mapped ;;",
                    '  "PUT api/account") jq -e --arg c "$(cat ' +
                        dir +
                        '/master-password)" \'.current_password == $c\' "$body" > /dev/null || exit 22; jq -j .password "$body" > ' +
                        dir +
                        "/master-password ;;",
                    '  "GET api/internalusers/"*) exit 22 ;;',
                    "esac",
                ].join("\n"),
                { mode: 0o755 },
            );
            const config = dataUsersConfigFile({
                region: "eu-west-3",
                databaseNameTag: "magento-prod-mysql",
                schema: "magento",
                databaseSecretName: "magento/prod/mysql-app",
                searchDomain: "magento-prod",
                searchMasterTag: "magento-prod-search-master",
                searchAdminRole: "magento-prod-search-admin",
                searchSecretName: "magento/prod/search-app",
                indexPrefix: "magento2",
            });
            fs.writeFileSync(`${dir}/users.conf`, config.content);
            const script = dataUsersScript()
                .replace(`. ${DATA_USERS_CONFIG}`, `. ${dir}/users.conf`)
                .replace("ca=/etc/pki/rds/", `ca=${dir}/`);
            const run = () => {
                fs.rmSync(`${dir}/calls.log`, { force: true });
                const result = spawnSync("bash", ["-c", script, "magento-data-users", "setup"], {
                    encoding: "utf8",
                    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
                });
                assert.strictEqual(result.status, 0, result.stderr);
                return fs
                    .readFileSync(`${dir}/calls.log`, "utf8")
                    .split("\n")
                    .filter((l) => l.startsWith("master"));
            };
            // First run: the master maps the admin role (keeping its own mapping), then its password becomes one nobody keeps.
            assert.deepStrictEqual(run(), [
                "master GET api/rolesmapping/all_access",
                "master PUT api/rolesmapping/all_access",
                "master GET api/rolesmapping/security_manager",
                "master PUT api/rolesmapping/security_manager",
                "master GET authinfo",
                "master PUT api/account",
            ]);
            assert.deepStrictEqual(JSON.parse(fs.readFileSync(`${dir}/security_manager.json`, "utf8")), {
                backend_roles: ["arn:aws:iam::123456789012:role/magento-prod-search-admin"],
                hosts: [],
                users: ["magento"],
            });
            const retired = fs.readFileSync(`${dir}/master-password`, "utf8");
            assert.notStrictEqual(retired, bootstrap);
            assert.ok(
                !fs.readFileSync(`${dir}/puts.log`, "utf8").includes("search-master"),
                "the new master password is stored nowhere",
            );
            // Second run: everything as the admin role; the state's password no longer signs in.
            assert.deepStrictEqual(run(), []);
            // An update set the state's password again: the next run retires it again, without remapping.
            fs.writeFileSync(`${dir}/master-password`, bootstrap);
            assert.deepStrictEqual(run(), ["master GET authinfo", "master PUT api/account"]);
            assert.notStrictEqual(fs.readFileSync(`${dir}/master-password`, "utf8"), bootstrap);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("no database is public and no password is set by the program: RDS keeps it in Secrets Manager", async () => {
        for (const db of ofType(await stackResources("prod"), RDS_INSTANCE)) {
            assert.strictEqual(db.inputs!.publiclyAccessible, false);
            assert.strictEqual(db.inputs!.manageMasterUserPassword, true);
            assert.ok(!("password" in db.inputs!), `${db.urn} sets a password`);
        }
    });

    it("prod survives an AZ: Multi-AZ databases, Redis failover to a replica, zone-aware search over 3 AZs", async () => {
        const r = await stackResources("prod");
        for (const db of ofType(r, RDS_INSTANCE)) {
            assert.strictEqual(db.inputs!.multiAz, true, db.urn);
        }
        for (const redis of ofType(r, ELASTICACHE_REPLICATION_GROUP)) {
            assert.deepStrictEqual(
                [redis.inputs!.numCacheClusters, redis.inputs!.automaticFailoverEnabled, redis.inputs!.multiAzEnabled],
                [2, true, true],
            );
        }
        const cluster = ofType(r, OPENSEARCH_DOMAIN)[0].inputs!.clusterConfig as Record<string, unknown>;
        assert.deepStrictEqual(
            [cluster.instanceCount, cluster.zoneAwarenessEnabled, cluster.dedicatedMasterCount],
            [3, true, 3],
        );
        assert.deepStrictEqual(cluster.zoneAwarenessConfig, { availabilityZoneCount: 3 });
    });

    it("preprod is the same shape, smaller: single-AZ database, one Redis node for sessions and cache, one search node", async () => {
        const r = await stackResources("preprod");
        assert.deepStrictEqual(
            ofType(r, RDS_INSTANCE).map((db) => [db.inputs!.multiAz, db.inputs!.instanceClass]),
            [
                [false, "db.t4g.medium"],
                [false, "db.t4g.medium"],
            ],
        );
        const redis = ofType(r, ELASTICACHE_REPLICATION_GROUP);
        assert.strictEqual(redis.length, 1);
        assert.deepStrictEqual(
            [redis[0].inputs!.numCacheClusters, redis[0].inputs!.automaticFailoverEnabled],
            [1, false],
        );
        const domain = ofType(r, OPENSEARCH_DOMAIN)[0].inputs!;
        assert.strictEqual((domain.clusterConfig as Record<string, unknown>).instanceCount, 1);
        assert.strictEqual(((domain.vpcOptions as Record<string, unknown>).subnetIds as unknown[]).length, 1);
    });

    it("Magento's sessions are never evicted; its cache is", async () => {
        const r = await stackResources("prod");
        const policy = (usage: string) => {
            const group = named(r, ELASTICACHE_REPLICATION_GROUP, `${usage}-redis`);
            const params = via(r, group, "parameterGroupName")[0].inputs!.parameters as {
                name: string;
                value: string;
            }[];
            return params.find((p) => p.name === "maxmemory-policy")!.value;
        };
        assert.deepStrictEqual([policy("sessions"), policy("cache")], ["noeviction", "allkeys-lru"]);
    });

    it("the database runs Magento's MySQL settings, keeps 14 days of backups in prod and exports its logs", async () => {
        const r = await stackResources("prod");
        const db = named(r, RDS_INSTANCE, "mysql-db");
        const params = Object.fromEntries(
            (via(r, db, "parameterGroupName")[0].inputs!.parameters as { name: string; value: string }[]).map((p) => [
                p.name,
                p.value,
            ]),
        );
        assert.strictEqual(params.character_set_server, "utf8mb4");
        assert.strictEqual(params.log_bin_trust_function_creators, "1");
        assert.strictEqual(
            params.log_output,
            "FILE",
            "the slow query log is published from its file; TABLE would publish nothing",
        );
        assert.match(params.max_connections, /^LEAST\(/);
        const i = db.inputs!;
        assert.deepStrictEqual(
            [i.backupRetentionPeriod, i.deletionProtection, i.skipFinalSnapshot, i.storageType],
            [14, true, false, "gp3"],
        );
        assert.ok((i.maxAllocatedStorage as number) > (i.allocatedStorage as number));
        assert.deepStrictEqual(
            [i.performanceInsightsEnabled, i.monitoringInterval, i.autoMinorVersionUpgrade],
            [true, 60, true],
        );
        assert.deepStrictEqual(i.enabledCloudwatchLogsExports, ["error", "slowquery", "audit"]);
    });

    it("every database refuses connections without TLS, from the next reboot on (the release switches to TLS first)", async () => {
        const r = await stackResources("prod");
        for (const db of ofType(r, RDS_INSTANCE)) {
            const params = via(r, db, "parameterGroupName")[0].inputs!.parameters as {
                name: string;
                value: string;
                applyMethod: string;
            }[];
            assert.deepStrictEqual(
                params.find((p) => p.name === "require_secure_transport"),
                { name: "require_secure_transport", value: "1", applyMethod: "pending-reboot" },
                db.urn,
            );
        }
        const ca = ofType(r, SSM_PARAMETER).find((p) => p.inputs!.name === "/magento/prod/db/ssl-ca")!;
        assert.strictEqual(ca.inputs!.value ?? ca.inputs!.insecureValue, "/etc/pki/rds/eu-west-3-bundle.pem");
    });

    it("audit: MySQL's plugin records logins, DDL and DCL to the group RDS creates; the domain its security events, kept a year under a key of their own", async () => {
        const r = await stackResources("prod", { preview: false });
        const auditKey = named(r, KMS_KEY, "data-audit-key");
        for (const db of ofType(r, RDS_INSTANCE)) {
            const [options] = via(r, db, "optionGroupName");
            assert.deepStrictEqual((options.inputs!.options as unknown[])[0], {
                optionName: "MARIADB_AUDIT_PLUGIN",
                optionSettings: [{ name: "SERVER_AUDIT_EVENTS", value: "CONNECT,QUERY_DDL,QUERY_DCL" }],
            });
        }
        const groups = ofType(r, CLOUDWATCH_LOG_GROUP).filter((g) => /audit-logs$/.test(g.urn));
        // RDS creates /aws/rds/instance/<id>/<log> itself when the instance first publishes (never expiring, encrypted
        // by CloudWatch Logs): a group the program made after the instance would fail its create as already existing.
        assert.deepStrictEqual(
            groups.map((g) => g.inputs!.name),
            ["/aws/opensearch/magento-prod/audit"],
        );
        assert.deepStrictEqual(
            ofType(r, CLOUDWATCH_LOG_GROUP)
                .filter((g) => via(r, g, "name").some((x) => x.type === RDS_INSTANCE))
                .map((g) => g.urn),
            [],
        );
        for (const g of groups) {
            assert.deepStrictEqual(
                [g.inputs!.kmsKeyId, g.inputs!.retentionInDays],
                [auditKey.outputs!.arn, 365],
                g.urn,
            );
        }
        const domain = ofType(r, OPENSEARCH_DOMAIN)[0];
        const search = groups.find((g) => g.inputs!.name === "/aws/opensearch/magento-prod/audit")!;
        assert.deepStrictEqual(domain.inputs!.logPublishingOptions, [
            { logType: "AUDIT_LOGS", cloudwatchLogGroupArn: search.outputs!.arn, enabled: true },
        ]);
        // OpenSearch may write that group, for this domain of this account only.
        const policy = JSON.parse(
            String(
                ofType(r, CLOUDWATCH_LOG_RESOURCE_POLICY).find((p) => p.urn.endsWith("search-audit-logs"))!.inputs!
                    .policyDocument,
            ),
        );
        assert.deepStrictEqual(policy.Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:es:eu-west-3:123456789012:domain/magento-prod" },
        });
        assert.strictEqual(policy.Statement[0].Resource, `${search.outputs!.arn}:*`);
    });

    it("a new database's master secret is on the secrets key; a deployed one's keeps its key, which RDS cannot change", async () => {
        const r = await stackResources("prod");
        const secretsKey = named(r, KMS_KEY, "secrets-key");
        for (const db of ofType(r, RDS_INSTANCE)) {
            assert.ok(via(r, db, "masterUserSecretKmsKeyId").includes(secretsKey), db.urn);
            assert.ok(db.ignoreChanges?.includes("masterUserSecretKmsKeyId"), db.urn);
        }
    });

    it("everything at rest is encrypted with the stack's own KMS key, and Redis and search also in transit", async () => {
        const r = await stackResources("prod");
        const key = named(r, KMS_KEY, "data-key");
        const usesKey = (x: StateResource, property: string) =>
            assert.ok(via(r, x, property).includes(key), `${x.urn} ${property}`);
        for (const db of ofType(r, RDS_INSTANCE)) {
            assert.strictEqual(db.inputs!.storageEncrypted, true);
            usesKey(db, "kmsKeyId");
        }
        for (const redis of ofType(r, ELASTICACHE_REPLICATION_GROUP)) {
            assert.deepStrictEqual(
                [redis.inputs!.atRestEncryptionEnabled, redis.inputs!.transitEncryptionEnabled],
                [true, true],
            );
            // The generated token: secret, and not known before it is generated.
            assert.deepStrictEqual(redis.inputs!.authToken, {
                [SIG_KEY]: SECRET_SIG,
                plaintext: JSON.stringify(UNKNOWN),
            });
            usesKey(redis, "kmsKeyId");
        }
        const domain = ofType(r, OPENSEARCH_DOMAIN)[0];
        assert.deepStrictEqual((domain.inputs!.domainEndpointOptions as Record<string, unknown>).enforceHttps, true);
        assert.deepStrictEqual((domain.inputs!.nodeToNodeEncryption as Record<string, unknown>).enabled, true);
        usesKey(domain, "encryptAtRest");
        const efs = ofType(r, EFS_FILE_SYSTEM)[0];
        assert.strictEqual(efs.inputs!.encrypted, true);
        usesKey(efs, "kmsKeyId");
        assert.strictEqual(key.inputs!.enableKeyRotation, true);
    });

    it("generated credentials stay secret in state", async () => {
        const r = await stackResources("prod", { preview: false });
        for (const redis of ofType(r, ELASTICACHE_REPLICATION_GROUP)) {
            assert.ok("plaintext" in (redis.inputs!.authToken as object), `${redis.urn} AUTH token is not a secret`);
        }
        for (const version of ofType(r, SECRETSMANAGER_SECRET_VERSION)) {
            assert.ok("plaintext" in (version.inputs!.secretString as object), `${version.urn} is not a secret`);
        }
    });

    it("EFS: elastic throughput, a mount target in every private subnet, one access point per share with its owner, none for pub/static", async () => {
        const r = await stackResources("prod");
        const efs = ofType(r, EFS_FILE_SYSTEM)[0];
        assert.strictEqual(efs.inputs!.throughputMode, "elastic");
        const subnets = ofType(r, EFS_MOUNT_TARGET).flatMap((m) => via(r, m, "subnetId"));
        assert.deepStrictEqual(subnets.map((s) => s.inputs!.cidrBlock).sort(), [
            "10.20.101.0/24",
            "10.20.102.0/24",
            "10.20.103.0/24",
        ]);
        const points = ofType(r, EFS_ACCESS_POINT).map((p) => ({
            path: (p.inputs!.rootDirectory as Record<string, unknown>).path,
            uid: (p.inputs!.posixUser as Record<string, unknown>).uid,
            mount: (p.inputs!.tags as Record<string, string>).MountPath,
        }));
        assert.deepStrictEqual(points, [
            { path: "/magento/media", uid: 1001, mount: "pub/media" },
            { path: "/magento/sitemap", uid: 1001, mount: "pub/sitemap" },
            { path: "/magento/exports", uid: 1002, mount: "var/export" },
        ]);
    });

    it("a share of pub/static is refused before anything is created, with the reason", () => {
        assert.throws(
            () => planShares([...MAGENTO_SHARES, { name: "static", mountPath: "pub/static", uid: 1001, gid: 1001 }]),
            /share 'static' \(pub\/static\) would put pub\/static on shared storage: a static-content deploy on one server would wipe every other server's assets/,
        );
        assert.throws(
            () => planShares([{ name: "assets", mountPath: "pub/static/frontend", uid: 1, gid: 1 }]),
            /would put pub\/static on shared storage/,
        );
    });

    it("every stateful resource is protected, generated credentials included; deleting Redis leaves a final snapshot", async () => {
        for (const stack of ["prod", "preprod"]) {
            const r = await stackResources(stack);
            for (const type of [
                RDS_INSTANCE,
                ELASTICACHE_REPLICATION_GROUP,
                OPENSEARCH_DOMAIN,
                EFS_FILE_SYSTEM,
                KMS_KEY,
                SECRETSMANAGER_SECRET,
            ]) {
                for (const x of ofType(r, type)) {
                    assert.strictEqual(x.protect, true, `${x.urn} is not protected`);
                }
            }
            // Set on every group (its name per life of the group: "final snapshots are named per life", below).
            assert.ok(
                ofType(r, ELASTICACHE_REPLICATION_GROUP).every(
                    (x) =>
                        typeof x.inputs!.finalSnapshotIdentifier === "string" &&
                        x.inputs!.finalSnapshotIdentifier !== "",
                ),
            );
        }
    });

    it("NFS mode: each share on its own protected, encrypted EBS volume in the server's AZ, exported to the VPC only", async () => {
        const r = await stackResources("preprod", NFS);
        assert.strictEqual(ofType(r, EFS_FILE_SYSTEM).length, 0);
        const server = named(r, EC2_INSTANCE, "shared-server-instance");
        assert.strictEqual(
            (server.inputs!.tags as Record<string, string>).NfsExports,
            "/srv/nfs/media,/srv/nfs/sitemap,/srv/nfs/exports",
        );
        assert.deepStrictEqual(server.inputs!.metadataOptions, {
            httpEndpoint: "enabled",
            httpPutResponseHopLimit: 1,
            httpTokens: "required",
        });
        assert.match(server.inputs!.userData as string, /^#cloud-config\n/);
        assert.match(
            server.inputs!.userData as string,
            /\/srv\/nfs\/media 10\.30\.0\.0\/16\(rw,sync,no_subtree_check,root_squash,insecure\)/,
        );
        const volumes = ofType(r, EBS_VOLUME).filter((v) => v.urn.includes("-shared-"));
        assert.deepStrictEqual(
            volumes.map((v) => [v.inputs!.size, v.inputs!.availabilityZone, v.inputs!.encrypted, v.protect]),
            [
                [200, "eu-west-3a", true, true],
                [5, "eu-west-3a", true, true],
                [20, "eu-west-3a", true, true],
            ],
        );
        assert.strictEqual(via(r, server, "subnetId")[0].inputs!.availabilityZone, "eu-west-3a");
    });

    it("NFS mode: the server is nfs.<internal domain> in the VPC's private zone, the name clients mount", async () => {
        const r = await stackResources("preprod", NFS);
        const [zone] = ofType(r, ROUTE53_ZONE).filter((z) => z.inputs!.vpcs);
        const record = ofType(r, ROUTE53_RECORD).find((x) => String(x.inputs!.name).startsWith("nfs."))!;
        assert.strictEqual(record.inputs!.name, `nfs.${zone.inputs!.name}`);
        assert.deepStrictEqual(via(r, record, "zoneId"), [zone]);
        assert.deepStrictEqual(
            via(r, record, "records").map((x) => x.type),
            [EC2_INSTANCE],
        );
        assert.strictEqual(
            ofType(r, SSM_PARAMETER).find((p) => String(p.inputs!.name).endsWith("/shared/nfs-host"))!.inputs!
                .insecureValue,
            record.inputs!.name,
        );
    });

    it("a new image or instance type replaces the NFS server but leaves its volumes and every data service as they were", async () => {
        const before = await stackResources("preprod", NFS);
        const after = await stackResources("preprod", { changes: PREPROD_NFS_REBUILT });
        // The instance changes (replaced: new ami, new type); its volume attachments follow it; nothing else moves.
        // The side applications boot the ops image too: their templates take it (their groups roll out by refresh).
        assert.deepStrictEqual(changedTypes(before, after), [EC2_INSTANCE, EC2_LAUNCH_TEMPLATE]);
        assert.deepStrictEqual(
            changedTypes(webOfType(before, EC2_LAUNCH_TEMPLATE), webOfType(after, EC2_LAUNCH_TEMPLATE)),
            [],
        );
        const server = named(after, EC2_INSTANCE, "shared-server-instance");
        assert.deepStrictEqual(
            [server.inputs!.ami, server.inputs!.instanceType],
            ["ami-0fedcba9876543210", "m6i.large"],
        );
        for (const attachment of ofType(after, EC2_VOLUME_ATTACHMENT)) {
            assert.strictEqual(via(after, attachment, "volumeId")[0].protect, true);
            assert.strictEqual(attachment.inputs!.stopInstanceBeforeDetaching, true);
        }
    });
    it("servers re-read rotated secrets: a new password reaches the env file and restarts PHP-FPM; an unchanged one restarts nothing; one not written yet waits", () => {
        // (A re-read that cannot read a named secret leaves the file as it was: tests/components/web/env-php.spec.ts.)
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secrets-"));
        try {
            const db = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:magento/prod/mysql-app-AbCdEf";
            const search = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:magento/prod/search-app-AbCdEf";
            fs.writeFileSync(
                `${dir}/parameters.env`,
                `DB_HOST=db.internal\nDB_SECRET_ARN=${db}\nSEARCH_CREDENTIALS_SECRET_ARN=${search}\n`,
            );
            // aws answers from <dir>/<secret name>.json, failing like Secrets Manager for a secret with no value yet.
            fs.writeFileSync(
                `${dir}/aws`,
                `#!/bin/bash\nfor a in "$@"; do case "$a" in arn:*) n=\${a##*:secret:};; esac; done\nf="${dir}/\${n//\\//_}.json"\n[ -f "$f" ] || exit 254\ncat "$f"\n`,
                { mode: 0o755 },
            );
            // systemctl logs its calls; PHP-FPM is enabled (boot ran `systemctl enable --now`).
            fs.writeFileSync(`${dir}/systemctl`, `#!/bin/sh\necho "$*" >> ${dir}/systemctl.log\n`, { mode: 0o755 });
            const secret = (name: string, value: object) =>
                fs.writeFileSync(`${dir}/${name.replace(/\//g, "_")}-AbCdEf.json`, JSON.stringify(value));
            const script = secretsScript("eu-west-3")
                .replace(`in=${PARAMETERS_FILE}`, `in=${dir}/parameters.env`)
                .replace(`out=${SECRETS_FILE}`, `out=${dir}/secrets.env`);
            const run = (...mode: string[]) => {
                fs.rmSync(`${dir}/systemctl.log`, { force: true });
                const result = spawnSync("bash", ["-c", script, "magento-secrets", ...mode], {
                    encoding: "utf8",
                    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
                });
                assert.strictEqual(result.status, 0, result.stderr);
                return {
                    env: fs.readFileSync(`${dir}/secrets.env`, "utf8"),
                    restarts: fs.existsSync(`${dir}/systemctl.log`)
                        ? fs.readFileSync(`${dir}/systemctl.log`, "utf8")
                        : "",
                    stderr: result.stderr,
                };
            };
            secret("magento/prod/mysql-app", { username: "magento_a", password: "0123abcd-Aa1" });
            const first = run(); // at boot, the search user's secret is not written yet: the setup job has not run
            assert.strictEqual(first.env, "DB_USERNAME=magento_a\nDB_PASSWORD=0123abcd-Aa1\n");
            assert.match(first.stderr, /secret SEARCH_CREDENTIALS_SECRET_ARN: no value readable yet/);
            assert.strictEqual(first.restarts, "", "boot starts PHP-FPM itself");
            secret("magento/prod/search-app", { username: "magento_a", password: "89ab0123-Aa1" });
            const written = run("restart"); // the setup job wrote it: the next re-read completes the file
            assert.strictEqual(written.restarts, "is-enabled -q php-fpm\nrestart php-fpm\n");
            assert.strictEqual(run("restart").restarts, "", "nothing changed: no restart");
            // The rotation made magento_b current; magento_a keeps working until the next one (alternating users).
            secret("magento/prod/mysql-app", { username: "magento_b", password: "4567cdef-Aa1" });
            const rotated = run("restart");
            assert.strictEqual(
                rotated.env,
                "DB_USERNAME=magento_b\nDB_PASSWORD=4567cdef-Aa1\nSEARCH_CREDENTIALS_USERNAME=magento_a\nSEARCH_CREDENTIALS_PASSWORD=89ab0123-Aa1\n",
            );
            assert.strictEqual(rotated.restarts, "is-enabled -q php-fpm\nrestart php-fpm\n");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
    it("final snapshots are named per life: a random suffix kept in state, so a second teardown does not collide with the first's", async () => {
        const r = await stackResources("prod");
        for (const x of [...ofType(r, RDS_INSTANCE), ...ofType(r, ELASTICACHE_REPLICATION_GROUP)]) {
            const suffix = via(r, x, "finalSnapshotIdentifier");
            // A random id in state: the same name on every update, a new one for a stack created again after a destroy.
            assert.deepStrictEqual(
                suffix.map((s) => s.type),
                [RANDOM_ID],
                x.urn,
            );
            assert.notStrictEqual(
                x.inputs!.finalSnapshotIdentifier,
                `${x.urn
                    .split("::")
                    .pop()!
                    .replace(/-(db|redis)$/, "")}-final`,
            );
        }
    });

    it("a final snapshot's suffix lives as long as its database or Redis group: what replaces it renews the suffix, nothing else does", async () => {
        const [r, resized] = [
            await stackResources("prod"),
            await stackResources("prod", { changes: { "magento:dbInstanceClass": "db.r6g.2xlarge" } }),
        ];
        const suffixOf = (all: StateResource[], x: StateResource) =>
            via(all, x, "finalSnapshotIdentifier").find((s) => s.type === RANDOM_ID)!;
        for (const x of [...ofType(r, RDS_INSTANCE), ...ofType(r, ELASTICACHE_REPLICATION_GROUP)]) {
            // Its keepers are exactly the inputs of the resource whose change replaces it: a change of any of them replaces
            // the RandomId with the resource, so the next life's final snapshot gets a name of its own.
            const forcing = replacementPaths(x.type)!.filter((p) => !p.includes(".") && x.inputs![p] !== undefined);
            assert.deepStrictEqual(
                suffixOf(r, x).inputs!.keepers,
                Object.fromEntries(forcing.map((p) => [p, String(x.inputs![p])])),
                x.urn,
            );
        }
        // An in-place change (the instance class) leaves the suffix's inputs, and so the snapshot's name, as they were.
        const shop = (all: StateResource[]) => ofType(all, RDS_INSTANCE).find((x) => x.urn.endsWith("mysql-db"))!;
        assert.notStrictEqual(shop(resized).inputs!.instanceClass, shop(r).inputs!.instanceClass);
        assert.deepStrictEqual(suffixOf(resized, shop(resized)).inputs, suffixOf(r, shop(r)).inputs);
    });

    it("database and Redis changes wait for the maintenance window unless magento:applyImmediately says now", async () => {
        const [windowed, now] = [
            await stackResources("preprod"),
            await stackResources("preprod", { changes: { "magento:applyImmediately": true } }),
        ];
        for (const [r, expected] of [
            [windowed, false],
            [now, true],
        ] as const) {
            for (const x of [...ofType(r, RDS_INSTANCE), ...ofType(r, ELASTICACHE_REPLICATION_GROUP)]) {
                assert.strictEqual(x.inputs!.applyImmediately, expected, x.urn);
            }
        }
    });
    it("a sharedStorage switch in two phases: the target is built beside the current storage, servers stay on it, and the switch keeps the target's URNs", async () => {
        const { "magento:sharedStorage": _, ...ami } = PREPROD_NFS;
        const phaseOne = await stackResources("preprod", { changes: { ...ami, "magento:sharedStorageTarget": "nfs" } });
        const switched = await stackResources("preprod", NFS);
        const nfs = switched.filter((x) => x.urn.includes("magento:storage:NfsStorage"));
        assert.ok(nfs.length > 0);
        const built = new Set(phaseOne.map((x) => x.urn));
        assert.deepStrictEqual(
            nfs.filter((x) => !built.has(x.urn)).map((x) => x.urn),
            [],
        ); // the switch creates no storage
        assert.strictEqual(ofType(phaseOne, EFS_FILE_SYSTEM).length, 1);
        const parameters = ofType(phaseOne, SSM_PARAMETER).map((p) => String(p.inputs!.name));
        assert.ok(
            parameters.some((n) => n.endsWith("/shared/efs-id")) &&
                !parameters.some((n) => n.endsWith("/shared/nfs-host")),
            "servers keep the current storage",
        );
    });
});
