// The side applications as an operator checks them: one server each that comes back in another AZ, reached only through
// the load balancer on its own host name (HTTPS, the admin from the operators' ranges only), reaching only its
// database, and deploying its release at boot as its own user; the cash-out's job on one server at a time.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { WriteFile } from "../../../components/compute/cloud-init";
import { covers, planEdge } from "../../../model/edge-plan";
import {
    SHOP_FIRST_PRIORITY,
    SIDE_APPS,
    SideAppSpec,
    sideAppPriorityProblems,
    sideAppRules,
    sideAppSourceCapacity,
} from "../../../model/side-apps";
import { ESTATE_NAME } from "../../../stacks/schema";
import { StateResource } from "../../../offline/state";
import {
    ACM_CERTIFICATE,
    AUTOSCALING_GROUP,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_SECURITY_GROUP,
    EC2_SUBNET,
    IAM_INSTANCE_PROFILE,
    LB_LISTENER,
    LB_LISTENER_RULE,
    ROUTE53_RECORD,
    RDS_INSTANCE,
    VPC_SECURITY_GROUP_EGRESS_RULE,
} from "../../../policies/lib/types";
import { named, reachability } from "../../helpers/reachability";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

const APPS = SIDE_APPS.map((a) => a.name);
const OPERATORS = ["203.0.113.0/24", "198.51.100.17/32"]; // both stacks' magento:operatorCidrs

const userData = (template: StateResource) =>
    YAML.parse(userDataText(template)) as {
        write_files: WriteFile[];
        runcmd: string[][];
    };

describe("side applications", () => {
    prefetch(["prod", { preview: false }], ["preprod"]);

    it("each is one server over the private subnets of every AZ, replaced when the load balancer finds it failing", async () => {
        const r = await stackResources("prod", { preview: false });
        for (const app of APPS) {
            const group = named(r, AUTOSCALING_GROUP, `-${app}-asg`);
            assert.deepStrictEqual([group.inputs!.minSize, group.inputs!.maxSize], [1, 1], app);
            assert.strictEqual(group.inputs!.healthCheckType, "ELB");
            const subnets = via(r, group, "vpcZoneIdentifiers").filter((s) => s.type === EC2_SUBNET);
            assert.deepStrictEqual(
                subnets.map((s) => [s.inputs!.availabilityZone, s.inputs!.mapPublicIpOnLaunch ?? false]).sort(),
                [
                    ["eu-west-3a", false],
                    ["eu-west-3b", false],
                    ["eu-west-3c", false],
                ],
            );
            assert.deepStrictEqual(
                via(r, group, "targetGroupArns").map((t) => t.urn.split("::").pop()),
                [`magento-prod-${app}`],
            );
        }
    });

    it("they boot the stock Amazon Linux 2023 image of the ops servers, each as its own tier: IMDSv2, encrypted root, no public address", async () => {
        const r = await stackResources("prod", { preview: false });
        const rundeck = ofType(r, EC2_INSTANCE).find((i) => i.urn.endsWith("rundeck-server-instance"))!;
        for (const { name: app, tier } of SIDE_APPS) {
            const template = named(r, EC2_LAUNCH_TEMPLATE, `-${app}-lt`);
            assert.strictEqual(template.inputs!.imageId, rundeck.inputs!.ami);
            assert.strictEqual((template.inputs!.metadataOptions as { httpTokens: string }).httpTokens, "required");
            const [nic] = template.inputs!.networkInterfaces as { associatePublicIpAddress: string }[];
            assert.strictEqual(nic.associatePublicIpAddress, "false");
            const [root] = template.inputs!.blockDeviceMappings as { ebs: { encrypted: string } }[];
            assert.strictEqual(root.ebs.encrypted, "true");
            assert.deepStrictEqual(
                via(r, template, "iamInstanceProfile")
                    .filter((p) => p.type === IAM_INSTANCE_PROFILE)
                    .map((p) => p.urn.split("::").pop()),
                [`magento-prod-${tier.name}-profile`],
            );
        }
    });

    it("the load balancer alone reaches them, on 80 (and VPN clients the order connector's FTP); they reach the side applications' database and no other data service", async () => {
        const r = await stackResources("prod", { preview: false });
        for (const app of APPS) {
            const ftp = app === "orders" ? ["vpn -> tcp/5021", "vpn -> tcp/5100-5199"] : []; // ftp.spec.ts
            assert.deepStrictEqual(reachability(r, named(r, EC2_LAUNCH_TEMPLATE, `-${app}-lt`), "networkInterfaces"), [
                "shop -> tcp/80",
                ...ftp,
            ]);
        }
        // Each application's tier (the PIM's kept the name the three shared), its user's grants its own schema only.
        assert.deepStrictEqual(reachability(r, named(r, RDS_INSTANCE, "sideapps-db"), "vpcSecurityGroupIds"), [
            "sideapps -> tcp/3306",
            "sideapps-cashout -> tcp/3306",
            "sideapps-orders -> tcp/3306",
        ]);
        // Each its own way out: its database, the endpoints, S3 and HTTPS to the partners' APIs.
        for (const { name: app, tier } of SIDE_APPS) {
            const [group] = via(r, named(r, EC2_LAUNCH_TEMPLATE, `-${app}-lt`), "networkInterfaces").filter(
                (g) => g.type === EC2_SECURITY_GROUP,
            );
            const egress = ofType(r, VPC_SECURITY_GROUP_EGRESS_RULE)
                .filter((e) => via(r, e, "securityGroupId").includes(group))
                .map((e) => e.urn.split("::").pop())
                .sort();
            assert.deepStrictEqual(
                egress,
                [
                    `magento-prod-sideapps-from-${tier.name}-out`,
                    `magento-prod-${tier.name}-internet-443`,
                    `magento-prod-${tier.name}-to-endpoints`,
                    `magento-prod-${tier.name}-to-s3`,
                ].sort(),
            );
        }
    });

    it("each host is routed before the shop's rules: its admin from the operators' ranges only, a 403 for anyone else, the rest to it (the PIM is all admin)", async () => {
        const r = await stackResources("prod", { preview: false });
        const rules = ofType(r, LB_LISTENER_RULE);
        const shopFirst = Math.min(
            ...rules.filter((x) => !x.urn.includes("SideApp$")).map((x) => x.inputs!.priority as number),
        );
        assert.ok(SHOP_FIRST_PRIORITY <= shopFirst, "the model's bound is the shop's first rule");
        const routes = (app: string) =>
            rules
                .filter((x) => x.urn.includes(`::magento-prod-${app}-`))
                .sort((a, b) => (a.inputs!.priority as number) - (b.inputs!.priority as number))
                .map((x) => {
                    const conditions = x.inputs!.conditions as Record<string, { values: string[] }>[];
                    const [action] = x.inputs!.actions as { type: string; fixedResponse?: { statusCode: string } }[];
                    assert.ok((x.inputs!.priority as number) < shopFirst, `${x.urn} after the shop's rules`);
                    return [
                        conditions
                            .map((c) => Object.entries(c).map(([k, v]) => `${k}=${v.values.join(",")}`))
                            .join(" "),
                        action.type === "forward"
                            ? via(r, x, "actions")[0].urn.split("::").pop()
                            : action.fixedResponse!.statusCode,
                    ];
                });
        assert.deepStrictEqual(routes("pim"), [
            [`hostHeader=pim.example.com sourceIp=${OPERATORS.join(",")}`, "magento-prod-pim"],
            ["hostHeader=pim.example.com", "403"],
        ]);
        for (const app of ["orders", "cashout"]) {
            assert.deepStrictEqual(routes(app), [
                [
                    `hostHeader=${app}.example.com pathPattern=/admin,/admin/* sourceIp=${OPERATORS.join(",")}`,
                    `magento-prod-${app}`,
                ],
                [`hostHeader=${app}.example.com pathPattern=/admin,/admin/*`, "403"],
                [`hostHeader=${app}.example.com`, `magento-prod-${app}`],
            ]);
        }
        // Each on the HTTPS listener, where TLS ends (HTTP only redirects).
        const https = ofType(r, LB_LISTENER).find((l) => l.inputs!.protocol === "HTTPS")!;
        assert.ok(rules.filter((x) => x.urn.includes("SideApp$")).every((x) => via(r, x, "listenerArn")[0] === https));
    });

    it("a longer allow-list only adds rules, within ELB's 3 values a condition and 5 a rule, and each application's block", () => {
        const sources = Array.from({ length: sideAppSourceCapacity() }, (_, i) => `192.0.2.${i}/32`);
        const blocks = SIDE_APPS.map((app) => sideAppRules(app, sources));
        for (const rules of blocks) {
            for (const rule of rules) {
                assert.ok((rule.sources?.length ?? 0) <= 3 && 1 + (rule.paths?.length ?? 0) <= 4);
                assert.ok(1 + (rule.paths?.length ?? 0) + (rule.sources?.length ?? 0) <= 5);
            }
            assert.deepStrictEqual(rules.flatMap((x) => x.sources ?? []).sort(), [...sources].sort());
        }
        const priorities = blocks.flat().map((x) => x.priority);
        assert.strictEqual(new Set(priorities).size, priorities.length);
        assert.ok(Math.max(...priorities) < SHOP_FIRST_PRIORITY, "before the CDN's rules, which match any host");
        // The first rules keep their names and priorities as the list grows.
        const orders = SIDE_APPS[1];
        assert.deepStrictEqual(sideAppRules(orders, OPERATORS)[0], {
            ...sideAppRules(orders, sources)[0],
            sources: OPERATORS,
        });
    });

    it("each application keeps its priorities when another is removed or the list reordered; blocks that overlap or reach the shop's are refused", () => {
        // Priorities that followed the list's order moved on a removal, and ELB refuses a priority another rule still
        // holds (PriorityInUse) while the update runs: the up stopped half-way.
        const rulesOf = (apps: readonly SideAppSpec[]) =>
            Object.fromEntries(apps.map((app) => [app.name, sideAppRules(app, OPERATORS)]));
        const all = rulesOf(SIDE_APPS);
        const withoutPim = rulesOf(SIDE_APPS.filter((a) => a.name !== "pim"));
        const reordered = rulesOf([...SIDE_APPS].reverse());
        for (const app of ["orders", "cashout"]) {
            assert.deepStrictEqual(withoutPim[app], all[app], app);
        }
        assert.deepStrictEqual(reordered, all);
        // As deployed: the PIM's from 1, the order connector's from 7, the cash-out's from 13.
        assert.deepStrictEqual(Object.fromEntries(SIDE_APPS.map((a) => [a.name, all[a.name].map((x) => x.priority)])), {
            pim: [1, 5],
            orders: [7, 11, 12],
            cashout: [13, 17, 18],
        });
        assert.deepStrictEqual(sideAppPriorityProblems(SIDE_APPS), []);
        const [pim, orders, cashout] = SIDE_APPS;
        assert.deepStrictEqual(sideAppPriorityProblems([pim, { ...orders, priorityBase: 4 }, cashout]), [
            "pim's and orders's priorities overlap (bases 1 and 4: 6 apart at least)",
        ]);
        assert.deepStrictEqual(sideAppPriorityProblems([pim, { ...orders, priorityBase: 1 }]), [
            "pim's and orders's priorities overlap (bases 1 and 1: 6 apart at least)",
        ]);
        assert.deepStrictEqual(sideAppPriorityProblems([{ ...cashout, priorityBase: 16 }]), [
            "cashout's priorityBase 16 is not within 1 to 14 (its 6 priorities end before the shop's rules at 20)",
        ]);
    });

    it("each target group's name leaves room for Pulumi's suffix at the longest estate name AWS allows (7 characters)", () => {
        // ELB: at most 32 characters; Pulumi adds 8 (a dash and 7 random); stacks/schema.ts bounds the estate at 7.
        const longest = "a".repeat(7);
        assert.match(longest, ESTATE_NAME);
        for (const app of SIDE_APPS) {
            assert.ok(`magento-${longest}-${app.name}`.length + 8 <= 32, app.name);
        }
    });

    it("the shop's certificate covers every side application's name, and each name is published on the load balancer", async () => {
        const plan = planEdge({
            domain: "example.com",
            storefronts: [],
            namesPerCertificate: 10,
            importedShopCertificates: false,
        });
        const r = await stackResources("preprod");
        const shop = ofType(r, ACM_CERTIFICATE).find((c) => c.urn.endsWith("certificates-shop"))!;
        const names = [shop.inputs!.domainName as string, ...(shop.inputs!.subjectAlternativeNames as string[])];
        const domain = names[0];
        assert.deepStrictEqual(plan.shopCertificate!.names, ["example.com", "*.example.com"]);
        for (const spec of SIDE_APPS) {
            const host = `${spec.hostLabel}.${domain}`;
            assert.ok(
                names.some((n) => covers(n, host)),
                `${host} not on ${names.join(", ")}`,
            );
            assert.ok(
                ofType(r, ROUTE53_RECORD).some((x) => x.inputs!.name === host && x.inputs!.type === "A"),
                `no record for ${host}`,
            );
        }
    });

    it("at boot: the release the parameter names, checked; code owned by root, readable by the app's group; nothing world-readable or -writable", async () => {
        const r = await stackResources("prod", { preview: false });
        for (const app of APPS) {
            const config = userData(named(r, EC2_LAUNCH_TEMPLATE, `-${app}-lt`));
            const deploy = config.write_files.find((f) => f.path === "/usr/local/sbin/sideapp-deploy")!.content;
            assert.match(deploy, /^umask 027$/m);
            assert.match(deploy, /sha256sum --check/);
            assert.match(deploy, /chmod -R u=rwX,g=rX,o= "\$release"/);
            assert.match(deploy, /runuser -u "\$app" -- .*bin\/migrate"/);
            assert.doesNotMatch(deploy, /chmod [0-7]*[2367]\b|o\+w|a\+w/);
            for (const f of config.write_files) {
                assert.ok(!/[2367]$/.test(f.permissions ?? ""), `${f.path} is world-writable`);
            }
            // The job only on the cash-out, through its lock; the others have none.
            const timers = config.write_files.filter((f) => f.path.endsWith("-cron.timer")).map((f) => f.path);
            assert.deepStrictEqual(timers, app === "cashout" ? ["/etc/systemd/system/cashout-cron.timer"] : []);
            if (app === "cashout") {
                const service = config.write_files.find((f) => f.path.endsWith("cashout-cron.service"))!.content;
                assert.match(service, /ExecStart=\/usr\/local\/sbin\/sideapp-locked \S+my\.cnf cashout-cron /);
            }
        }
    });

    it("the cash-out's job runs while its server holds the MySQL lock, and is skipped (exit 0) while another server does", async () => {
        const r = await stackResources("prod", { preview: false });
        const config = userData(named(r, EC2_LAUNCH_TEMPLATE, "-cashout-lt"));
        const locked = config.write_files.find((f) => f.path === "/usr/local/sbin/sideapp-locked")!.content;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sideapp-locked-"));
        try {
            // A MySQL client that logs the statement it is sent and answers GET_LOCK with $HELD.
            fs.writeFileSync(
                path.join(dir, "mysql"),
                '#!/bin/bash\nread -r statement\necho "$statement" >"$LOG"\necho "$HELD"\ncat >/dev/null\n',
                { mode: 0o755 },
            );
            fs.writeFileSync(path.join(dir, "locked"), locked, { mode: 0o755 });
            const run = (held: string) => {
                fs.rmSync(path.join(dir, "ran"), { force: true });
                const result = spawnSync(
                    "bash",
                    [
                        path.join(dir, "locked"),
                        "/etc/sideapps/cashout/my.cnf",
                        "cashout-cron",
                        "touch",
                        path.join(dir, "ran"),
                    ],
                    {
                        encoding: "utf8",
                        env: {
                            ...process.env,
                            PATH: `${dir}:${process.env.PATH}`,
                            HELD: held,
                            LOG: path.join(dir, "log"),
                        },
                    },
                );
                return { status: result.status, ran: fs.existsSync(path.join(dir, "ran")), stdout: result.stdout };
            };
            assert.deepStrictEqual(run("1"), { status: 0, ran: true, stdout: "" });
            assert.strictEqual(fs.readFileSync(path.join(dir, "log"), "utf8"), "SELECT GET_LOCK('cashout-cron', 0);\n");
            const skipped = run("0");
            assert.deepStrictEqual([skipped.status, skipped.ran], [0, false]);
            assert.match(skipped.stdout, /lock cashout-cron is held by another server/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
