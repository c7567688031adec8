// The web tier as an operator checks it: what shoppers reach and how requests are routed, where the servers run and
// how they scale, what they mount and read at boot, and that a release touches nothing but the servers.
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { PARAMETERS_FILE, parametersScript } from "../../../components/web/web-boot";
import { releaseRecordParameter } from "../../../model/release";
import { LAUNCH_IMAGE_TAG } from "../../../policies/lib/contracts";
import { StateResource } from "../../../offline/state";
import {
    AUTOSCALING_GROUP,
    AUTOSCALING_POLICY,
    AUTOSCALING_SCHEDULE,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EFS_ACCESS_POINT,
    IAM_ROLE_POLICY,
    KMS_KEY,
    LB_LISTENER,
    LB_LISTENER_RULE,
    LB_LOAD_BALANCER,
    LB_TARGET_GROUP,
    S3_BUCKET,
    VPC_SECURITY_GROUP_INGRESS_RULE,
    WAFV2_WEB_ACL,
    WAFV2_WEB_ACL_ASSOCIATION,
} from "../../../policies/lib/types";
import { PREPROD_NFS } from "../../fixtures/stacks";
import { named, reachability } from "../../helpers/reachability";
import { changedTypes, ofType, prefetch, stackResources, via, webOfType } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

const NFS = { changes: PREPROD_NFS };
const WAF_ON = { changes: { "magento:waf": "on" } };
const NEW_IMAGE = { preview: false, changes: { "magento:webImage": "ami-0fedcba9876543210" } };

const tg = (r: StateResource[], x: StateResource, property: string) =>
    via(r, x, property)
        .filter((t) => t.type === LB_TARGET_GROUP)
        .map((t) => t.urn.split("::").pop());
const userData = (template: StateResource) => YAML.parse(userDataText(template)); // gzip over 16 KB

describe("web tier", () => {
    prefetch(
        ["prod"],
        ["prod", { preview: false }],
        ["preprod"],
        ["preprod", NFS],
        ["preprod", WAF_ON],
        ["prod", NEW_IMAGE],
    );

    it("shoppers reach only the load balancer, on 80 and 443; the servers only from it, on 80", async () => {
        const r = await stackResources("prod");
        const alb = ofType(r, LB_LOAD_BALANCER)[0];
        assert.deepStrictEqual(reachability(r, alb, "securityGroups"), ["0.0.0.0/0 -> tcp/443", "0.0.0.0/0 -> tcp/80"]);
        for (const name of ["frontend-lt", "backoffice-lt"]) {
            const template = named(r, EC2_LAUNCH_TEMPLATE, name);
            const groups = via(r, template, "networkInterfaces");
            assert.deepStrictEqual(
                ofType(r, VPC_SECURITY_GROUP_INGRESS_RULE)
                    .filter((rule) => via(r, rule, "securityGroupId").some((g) => groups.includes(g)))
                    .filter((rule) => rule.inputs!.fromPort === 80)
                    .map((rule) => [
                        rule.inputs!.cidrIpv4,
                        via(r, rule, "referencedSecurityGroupId")[0].urn.split("::").pop(),
                    ]),
                [[undefined, "magento-prod-shop-sg"]],
                name,
            );
        }
    });

    it("HTTP only redirects; HTTPS routes the admin path to the back office and everything else to the front end", async () => {
        const r = await stackResources("prod");
        const [http] = ofType(r, LB_LISTENER).filter((l) => l.inputs!.protocol === "HTTP");
        assert.deepStrictEqual(http.inputs!.defaultActions, [
            { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ]);
        const [https] = ofType(r, LB_LISTENER).filter((l) => l.inputs!.protocol === "HTTPS");
        assert.strictEqual(https.inputs!.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
        assert.strictEqual(
            https.inputs!.certificateArn,
            "arn:aws:acm:eu-west-3:123456789012:certificate/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        );
        assert.deepStrictEqual(tg(r, https, "defaultActions"), ["magento-prod-shop-fe"]);
        const admin = named(r, LB_LISTENER_RULE, "shop-admin-0-0");
        assert.deepStrictEqual(admin.inputs!.conditions, [
            { pathPattern: { values: ["/ops_7f3k", "/ops_7f3k/*"] } },
            { sourceIp: { values: ["203.0.113.0/24", "198.51.100.17/32"] } },
        ]);
        assert.deepStrictEqual(tg(r, admin, "actions"), ["magento-prod-shop-bo"]);
    });

    it("the admin and /index.php/<admin> reach the back office from the operators' ranges only, in rules ELB accepts; a 403 for anyone else", async () => {
        const operatorCidrs = ["203.0.113.0/24", "198.51.100.17/32", "192.0.2.0/28", "198.51.100.64/27"];
        const r = await stackResources("prod", { changes: { "magento:operatorCidrs": operatorCidrs } });
        const admin = ofType(r, LB_LISTENER_RULE).filter((x) => /::magento-prod-shop-admin-\d-\d$/.test(x.urn));
        type Condition = { pathPattern?: { values: string[] }; sourceIp?: { values: string[] } };
        const rows = admin
            .map((x) => {
                const [paths, sources] = x.inputs!.conditions as Condition[];
                // ELB: at most 3 values per condition and 5 per rule (docs/admin.md).
                assert.ok(
                    sources.sourceIp!.values.length <= 3 &&
                        paths.pathPattern!.values.length + sources.sourceIp!.values.length <= 5,
                    x.urn,
                );
                return [
                    x.inputs!.priority,
                    paths.pathPattern!.values[0],
                    sources.sourceIp!.values,
                    tg(r, x, "actions")[0],
                ];
            })
            .sort((a, b) => (a[0] as number) - (b[0] as number));
        assert.deepStrictEqual(rows, [
            [100, "/ops_7f3k", operatorCidrs.slice(0, 3), "magento-prod-shop-bo"],
            [101, "/index.php/ops_7f3k", operatorCidrs.slice(0, 3), "magento-prod-shop-bo"],
            [102, "/ops_7f3k", operatorCidrs.slice(3), "magento-prod-shop-bo"],
            [103, "/index.php/ops_7f3k", operatorCidrs.slice(3), "magento-prod-shop-bo"],
        ]);
        const refused = ofType(r, LB_LISTENER_RULE)
            .filter((x) => /::magento-prod-shop-admin-refused-\d$/.test(x.urn))
            .map((x) => [
                x.inputs!.priority,
                x.inputs!.conditions,
                (x.inputs!.actions as { fixedResponse?: { statusCode: string } }[])[0].fixedResponse?.statusCode,
            ]);
        assert.deepStrictEqual(refused.sort(), [
            [900, [{ pathPattern: { values: ["/ops_7f3k", "/ops_7f3k/*"] } }], "403"],
            [901, [{ pathPattern: { values: ["/index.php/ops_7f3k", "/index.php/ops_7f3k/*"] } }], "403"],
        ]);
    });

    it("the load balancer checks Magento's health endpoint, 200 only, keeps access logs and drops invalid headers", async () => {
        const r = await stackResources("prod");
        for (const group of webOfType(r, LB_TARGET_GROUP)) {
            assert.deepStrictEqual(
                [group.inputs!.healthCheck],
                [
                    {
                        path: "/health_check.php",
                        matcher: "200",
                        protocol: "HTTP",
                        interval: 15,
                        timeout: 5,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                ],
            );
        }
        const alb = ofType(r, LB_LOAD_BALANCER)[0];
        assert.strictEqual(alb.inputs!.dropInvalidHeaderFields, true);
        assert.strictEqual(alb.inputs!.enableDeletionProtection, true);
        assert.deepStrictEqual(
            via(r, alb, "accessLogs")
                .filter((b) => b.type === S3_BUCKET)
                .map((b) => b.urn.split("::").pop()),
            ["magento-prod-buckets-logs"],
        );
        assert.strictEqual(
            ofType(await stackResources("preprod"), LB_LOAD_BALANCER)[0].inputs!.enableDeletionProtection,
            false,
        );
    });

    it("prod's front end runs 2 to 8 servers over the three AZs' private subnets and never fewer than 2, even at night", async () => {
        const r = await stackResources("prod");
        const front = named(r, AUTOSCALING_GROUP, "frontend-asg");
        assert.deepStrictEqual(
            [front.inputs!.minSize, front.inputs!.maxSize, front.inputs!.healthCheckType],
            [2, 8, "ELB"],
        );
        const subnets = via(r, front, "vpcZoneIdentifiers");
        assert.deepStrictEqual(
            subnets.map((s) => [s.inputs!.availabilityZone, s.inputs!.mapPublicIpOnLaunch ?? false]),
            [
                ["eu-west-3a", false],
                ["eu-west-3b", false],
                ["eu-west-3c", false],
            ],
        );
        const schedules = ofType(r, AUTOSCALING_SCHEDULE).map((s) => [
            s.inputs!.recurrence,
            s.inputs!.timeZone,
            s.inputs!.minSize,
            s.inputs!.maxSize,
        ]);
        assert.deepStrictEqual(schedules, [
            ["0 19 * * *", "Etc/UTC", 2, 4],
            ["30 8 * * *", "Etc/UTC", 2, 8],
        ]);
        const policies = ofType(r, AUTOSCALING_POLICY).map(
            (p) =>
                (
                    p.inputs!.targetTrackingConfiguration as {
                        predefinedMetricSpecification: { predefinedMetricType: string };
                    }
                ).predefinedMetricSpecification.predefinedMetricType,
        );
        assert.deepStrictEqual(policies, ["ASGAverageCPUUtilization", "ALBRequestCountPerTarget"]);
        const back = named(r, AUTOSCALING_GROUP, "backoffice-asg");
        assert.deepStrictEqual(
            [back.inputs!.minSize, back.inputs!.maxSize, via(r, back, "vpcZoneIdentifiers").length],
            [1, 1, 3],
        );
    });

    it("preprod scales to one server at 19:00 UTC and back at 08:30, as the estate's operators did", async () => {
        const r = await stackResources("preprod");
        assert.deepStrictEqual(
            ofType(r, AUTOSCALING_SCHEDULE).map((s) => [
                s.inputs!.recurrence,
                s.inputs!.minSize,
                s.inputs!.maxSize,
                s.inputs!.desiredCapacity,
            ]),
            [
                ["0 19 * * *", 1, 1, -1],
                ["30 8 * * *", 1, 2, -1],
            ],
        );
    });

    it("a release rolls out by instance refresh: new servers pass the health check before old ones leave", async () => {
        const r = await stackResources("prod");
        for (const group of webOfType(r, AUTOSCALING_GROUP)) {
            assert.deepStrictEqual(group.inputs!.instanceRefresh, {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: 100,
                    maxHealthyPercentage: 200,
                    instanceWarmup: "300",
                    skipMatching: true,
                    autoRollback: false,
                },
            });
            assert.deepStrictEqual(
                via(r, group, "launchTemplate").map((t) => t.type),
                [EC2_LAUNCH_TEMPLATE],
            );
            // Scaling owns the desired count; the launch hook of the create call would force a new group (warm-pool.spec.ts).
            assert.deepStrictEqual(group.ignoreChanges ?? [], ["desiredCapacity", "initialLifecycleHooks"]);
        }
    });

    it("servers: IMDSv2 only, no public address, encrypted root with the stack's key, SSM instead of SSH keys", async () => {
        const r = await stackResources("prod");
        const key = named(r, KMS_KEY, "data-key");
        for (const template of webOfType(r, EC2_LAUNCH_TEMPLATE)) {
            assert.strictEqual((template.inputs!.metadataOptions as { httpTokens: string }).httpTokens, "required");
            assert.strictEqual(
                (template.inputs!.networkInterfaces as { associatePublicIpAddress: string }[])[0]
                    .associatePublicIpAddress,
                "false",
            );
            const [root] = template.inputs!.blockDeviceMappings as { ebs: { encrypted: string; volumeType: string } }[];
            assert.deepStrictEqual([root.ebs.encrypted, root.ebs.volumeType], ["true", "gp3"]);
            assert.ok(via(r, template, "blockDeviceMappings").includes(key));
            assert.strictEqual(template.inputs!.keyName, undefined);
            // The image the runner's record names (tests/offline/plan-release-record.spec.ts checks the choice).
            assert.strictEqual(
                (template.inputs!.tags as Record<string, string>)[LAUNCH_IMAGE_TAG],
                releaseRecordParameter("prod", "current"),
            );
        }
    });

    it("at boot the back office mounts media, sitemap and exports, the front end media and sitemap, from EFS access points as its role, never pub/static, and reads the parameters", async () => {
        const r = await stackResources("prod", { preview: false });
        for (const template of webOfType(r, EC2_LAUNCH_TEMPLATE)) {
            // The order exports hold customers' data: the internet-facing front end does not mount them.
            const frontEnd = template.urn.endsWith("frontend-lt");
            const accessPoints = ofType(r, EFS_ACCESS_POINT).filter((ap) => !(frontEnd && ap.urn.endsWith("-exports")));
            assert.strictEqual(
                (template.inputs!.tags as Record<string, string>).SharedMounts,
                frontEnd ? "pub/media,pub/sitemap" : "pub/media,pub/sitemap,var/export",
            );
            const config = userData(template);
            assert.deepStrictEqual(
                config.mounts.map((m: string[]) => [
                    m[1],
                    m[2],
                    accessPoints.find((ap) => m[3].includes(`accesspoint=${ap.id}`))?.inputs!.rootDirectory,
                ]),
                accessPoints.map((ap) => [expect(ap), "efs", ap.inputs!.rootDirectory]),
            );
            assert.ok(
                config.mounts.every((m: string[]) => m[3].split(",").includes("iam")),
                "signed with the instance role: the file system policy names the tiers",
            );
            assert.ok(!JSON.stringify(config).includes("pub/static"));
            assert.match(config.write_files[0].content, /get-parameters-by-path --region eu-west-3 --path "\$path"/);
            assert.match(config.write_files[0].content, /^path=\/magento\/prod$/m);
        }
        function expect(ap: StateResource): string {
            const name = ap.urn.split("-").pop()!;
            return {
                media: "/var/www/magento/pub/media",
                sitemap: "/var/www/magento/pub/sitemap",
                exports: "/var/www/magento/var/export",
            }[name]!;
        }
    });

    it("in NFS mode they mount the exports of nfs.<internal domain> (the order exports the back office only), known already during preview", async () => {
        const r = await stackResources("preprod", NFS);
        const config = userData(named(r, EC2_LAUNCH_TEMPLATE, "frontend-lt"));
        assert.deepStrictEqual(
            config.mounts.map((m: string[]) => `${m[0]} ${m[1]} ${m[2]}`),
            [
                "nfs.preprod.example.internal:/srv/nfs/media /var/www/magento/pub/media nfs4",
                "nfs.preprod.example.internal:/srv/nfs/sitemap /var/www/magento/pub/sitemap nfs4",
            ],
        );
        assert.ok(
            userData(named(r, EC2_LAUNCH_TEMPLATE, "backoffice-lt")).mounts.some(
                (m: string[]) => m[0] === "nfs.preprod.example.internal:/srv/nfs/exports",
            ),
        );
    });

    it("in NFS mode the server admits the clients' mounts: noresvport clients, insecure exports, share roots Magento can write", async () => {
        const r = await stackResources("preprod", NFS);
        const mounts = userData(named(r, EC2_LAUNCH_TEMPLATE, "frontend-lt")).mounts as string[][];
        const server = YAML.parse(named(r, EC2_INSTANCE, "shared-server-instance").inputs!.userData as string);
        const exports = new Map(
            (server.write_files.find((f: { path: string }) => f.path === "/etc/exports").content as string)
                .trim()
                .split("\n")
                .map((line) => line.split(" "))
                .map(([path, client]) => [path, client.replace(/^[^(]*\(|\)$/g, "").split(",")]),
        );
        for (const [source, , , options] of mounts) {
            const exported = exports.get(source.split(":")[1])!;
            // A noresvport client reconnects from a port above 1023, which a `secure` export (the default) refuses.
            assert.ok(options.split(",").includes("noresvport"), options);
            assert.ok(exported.includes("insecure") && !exported.includes("secure"), exported.join(","));
        }
        // A fresh XFS root is 0755 root: each share root gets the share's owner and the access points' mode, 2775.
        const commands = (server.runcmd as string[][]).map((c) => c.join(" "));
        assert.deepStrictEqual(
            commands.filter((c) => /^(chown|chmod) /.test(c)),
            [
                "chown 1001:1001 /srv/nfs/media",
                "chmod 2775 /srv/nfs/media",
                "chown 1001:1001 /srv/nfs/sitemap",
                "chmod 2775 /srv/nfs/sitemap",
                "chown 1002:1001 /srv/nfs/exports",
                "chmod 2775 /srv/nfs/exports",
            ],
        );
    });

    it("the web server starts only on the shared folders: nginx and PHP-FPM require every mount, so a failed mount answers no health check", async () => {
        for (const [stack, opts] of [
            ["prod", { preview: false }],
            ["preprod", NFS],
        ] as const) {
            const config = userData(named(await stackResources(stack, opts), EC2_LAUNCH_TEMPLATE, "backoffice-lt"));
            const targets = (config.mounts as string[][]).map((m) => m[1]).join(" ");
            assert.strictEqual(
                targets,
                "/var/www/magento/pub/media /var/www/magento/pub/sitemap /var/www/magento/var/export",
            );
            const dropIns = (config.write_files as { path: string; content: string }[]).filter((f) =>
                /^\/etc\/systemd\/system\/[^/]+\.service\.d\/mounts\.conf$/.test(f.path),
            );
            // Every mount required and asserted (a mount with no unit is not required), and the parameters read: runcmd
            // goes on after a failed step, so the units themselves refuse to start.
            const guards = [
                `RequiresMountsFor=${targets}`,
                ...targets.split(" ").map((t) => `AssertPathIsMountPoint=${t}`),
                "AssertPathExists=/etc/magento/parameters.env",
                "AssertPathExists=/etc/magento/secrets.env",
            ];
            // PHP-FPM also needs RDS's CA (env.php points MySQL's TLS at it); cron, the same mounts (and PHP-FPM running).
            assert.deepStrictEqual(
                dropIns.map((f) => [f.path, f.content.split("\n").filter((l) => /^(Requires|Assert)/.test(l))]),
                [
                    [
                        "/etc/systemd/system/php-fpm.service.d/mounts.conf",
                        [...guards, "AssertPathExists=/etc/pki/rds/eu-west-3-bundle.pem"],
                    ],
                    ["/etc/systemd/system/nginx.service.d/mounts.conf", guards],
                    ["/etc/systemd/system/magento-cron.service.d/mounts.conf", guards.slice(0, -2)],
                ],
            );
            // The first start, after daemon-reload, applies them on the first boot; a failed mount makes it fail.
            // Enabled there (the image ships both disabled), they start again at a reboot.
            // (After the CloudWatch agent's four steps, which come first, and the parameters, secrets and CA bundle.)
            assert.deepStrictEqual(
                (config.runcmd as string[][]).slice(7).map((c) => c.join(" ")),
                [
                    "systemctl daemon-reload",
                    "systemctl enable --now php-fpm nginx",
                    "systemctl enable --now magento-secrets.timer",
                    "systemctl enable magento-refresh.service", // later starts re-read them before serving
                    "systemctl enable --now magento-cron.timer", // the back office's: it alone runs cron
                ],
            );
        }
    });

    it("the parameters file reads the same to systemd and to a shell: plain KEY=value, and a value either would read differently stops the boot", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parameters-"));
        try {
            const run = (lines: string[]) => {
                fs.writeFileSync(
                    path.join(dir, "aws"),
                    `#!/bin/sh\nprintf '${lines.map((l) => l.replace(/\t/g, "\\t")).join("\\n")}\\n'\n`,
                    { mode: 0o755 },
                );
                const script = parametersScript("/magento/prod", "eu-west-3").replace(
                    `out=${PARAMETERS_FILE}`,
                    `out=${dir}/parameters.env`,
                );
                const result = spawnSync("bash", ["-c", script], {
                    encoding: "utf8",
                    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
                });
                return {
                    status: result.status,
                    stderr: result.stderr,
                    file: fs.existsSync(`${dir}/parameters.env`)
                        ? fs.readFileSync(`${dir}/parameters.env`, "utf8")
                        : "",
                };
            };
            const arn = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds!db-0a1b2c3d-AbCdEf";
            const ok = run([
                `/magento/prod/db/secret-arn\t${arn}`,
                "/magento/prod/db/host\tmagento-prod-mysql.abc.eu-west-3.rds.amazonaws.com",
            ]);
            assert.strictEqual(ok.status, 0, ok.stderr);
            assert.strictEqual(
                ok.file,
                `DB_SECRET_ARN=${arn}\nDB_HOST=magento-prod-mysql.abc.eu-west-3.rds.amazonaws.com\n`,
            );
            // A shell sourcing it reads the ARN as written (systemd takes an unquoted value verbatim).
            assert.strictEqual(
                execFileSync("sh", ["-c", `. ${dir}/parameters.env; printf %s "$DB_SECRET_ARN"`], { encoding: "utf8" }),
                arn,
            );
            fs.rmSync(`${dir}/parameters.env`);
            const bad = run(["/magento/prod/db/name\tmagento shop"]);
            assert.notStrictEqual(bad.status, 0);
            assert.match(bad.stderr, /parameter \/magento\/prod\/db\/name: its value must be made of/);
            assert.strictEqual(bad.file, "", "no file is left for the services to read");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the servers' role reads this stack's parameters and the secrets they need, nothing else", async () => {
        const r = await stackResources("prod", { preview: false });
        for (const tier of ["web", "backoffice"]) {
            const policy = named(r, IAM_ROLE_POLICY, `${tier}-boot-reads`);
            const statements = JSON.parse(policy.inputs!.policy as string).Statement as {
                Action: string | string[];
                Resource: string | string[];
            }[];
            // GetParametersByPath is authorised on the path itself; GetParameter(s) on the parameters below it.
            assert.deepStrictEqual(
                statements.slice(0, 2).map((st) => [st.Action, st.Resource]),
                [
                    ["ssm:GetParametersByPath", "arn:aws:ssm:eu-west-3:123456789012:parameter/magento/prod"],
                    [
                        ["ssm:GetParameters", "ssm:GetParameter"],
                        "arn:aws:ssm:eu-west-3:123456789012:parameter/magento/prod/*",
                    ],
                ],
            );
            const secrets = [statements[2].Resource].flat();
            assert.strictEqual(secrets.length, 5, "database, search, the crypt key and the two Redis groups");
            assert.ok(
                secrets.some((arn) => arn.includes(":secret:magento/prod/crypt-key-")),
                "Magento's crypt key, for env.php",
            );
            assert.ok(
                secrets.every(
                    (arn) =>
                        arn.startsWith("arn:aws:secretsmanager:eu-west-3:123456789012:secret:") ||
                        arn.startsWith("arn:aws:secretsmanager:eu-west-3:"),
                ),
                secrets.join(),
            );
            assert.ok(!JSON.stringify(statements).includes('"*"'), "no wildcard resource");
        }
    });

    it("WAF: AWS managed rules and a per-IP rate limit in prod; none in preprod unless asked", async () => {
        const [acl] = ofType(await stackResources("prod"), WAFV2_WEB_ACL);
        const rules = (acl.inputs!.rules as { name: string }[]).map((x) => x.name);
        assert.deepStrictEqual(rules, [
            "label-cdn-fetch",
            "label-side-app",
            "rate-per-ip",
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesSQLiRuleSet",
            "AWSManagedRulesPHPRuleSet",
            "oversize-body",
            "admin-operators-only",
            "pim-admin-operators-only",
            "orders-admin-operators-only",
            "cashout-admin-operators-only",
        ]);
        assert.deepStrictEqual(ofType(await stackResources("preprod"), WAFV2_WEB_ACL), []);
        const withWaf = await stackResources("preprod", WAF_ON);
        assert.strictEqual(ofType(withWaf, WAFV2_WEB_ACL_ASSOCIATION).length, 1);
    });

    it("a new release image changes the launch templates and nothing else", async () => {
        const before = await stackResources("prod", { preview: false });
        const after = await stackResources("prod", NEW_IMAGE);
        assert.deepStrictEqual(changedTypes(before, after), [EC2_LAUNCH_TEMPLATE]);
        assert.ok(webOfType(after, EC2_LAUNCH_TEMPLATE).every((t) => t.inputs!.imageId === "ami-0fedcba9876543210"));
    });

    it("preprod takes its release image from the parameter the image pipeline writes", async () => {
        const r = await stackResources("preprod");
        const [template] = ofType(r, EC2_LAUNCH_TEMPLATE);
        assert.match(template.inputs!.imageId as string, /^ami-0[0-9a-f]{16}$/);
    });
});
