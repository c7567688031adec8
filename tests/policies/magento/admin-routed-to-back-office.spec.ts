// admin-routed-to-back-office, asked over the analyzer protocol: a load balancer whose HTTPS listener forwards to the
// front end by default, with admin rules to the back office from an allow-list and a refusal for everyone else (ARNs
// unknown, as in a preview), and each way that leaves the admin on the front end or open to the internet.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    AUTOSCALING_GROUP,
    LB_LISTENER,
    LB_LISTENER_RULE,
    LB_LOAD_BALANCER,
    LB_TARGET_GROUP,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

interface Shape {
    adminTo?: "backoffice" | "frontend" | "none";
    name?: string;
    /** The allow rules' source-ip values; null: no source-ip condition. */
    sources?: string[] | null;
    indexPhp?: boolean;
    /** The refusal of admin paths from elsewhere: after the allow rules, before them, or none. */
    deny?: "after" | "before" | "none";
    /** Whether the refusal also covers the admin behind repeated slashes (patterns ending in /<admin> and /<admin>/*). */
    slashes?: boolean;
    internal?: boolean;
    magento?: boolean;
}

const paths = (base: string) => [base, `${base}/*`];

function stack(shape: Shape): StateResource[] {
    const b = new StackBuilder("prod");
    // Magento's web servers, as the web group component tags them; without them the stack is not a Magento estate.
    if (shape.magento ?? true) {
        b.add(AUTOSCALING_GROUP, "shop-web", { tags: [{ key: "Tier", value: "web", propagateAtLaunch: true }] });
    }
    const lb = b.add(LB_LOAD_BALANCER, "shop-alb", {
        internal: shape.internal ?? false,
        loadBalancerType: "application",
    });
    const frontend = b.add(LB_TARGET_GROUP, "shop-fe", { port: 80, protocol: "HTTP" });
    const backoffice = b.add(LB_TARGET_GROUP, "shop-bo", { port: 80, protocol: "HTTP" });
    const https = b.add(
        LB_LISTENER,
        "shop-https",
        {
            loadBalancerArn: UNKNOWN,
            port: 443,
            protocol: "HTTPS",
            defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
        },
        { loadBalancerArn: [lb], defaultActions: [frontend] },
    );
    const name = shape.name ?? "ops_7f3k";
    const variants = [paths(`/${name}`), ...((shape.indexPhp ?? true) ? [paths(`/index.php/${name}`)] : [])];
    if (shape.adminTo !== "none") {
        const sources = shape.sources === undefined ? ["203.0.113.0/24", "198.51.100.17/32"] : shape.sources;
        variants.forEach((values, i) =>
            b.add(
                LB_LISTENER_RULE,
                `shop-admin-${i}`,
                {
                    listenerArn: UNKNOWN,
                    priority: 100 + i,
                    conditions: [
                        { pathPattern: { values } },
                        ...(sources === null ? [] : [{ sourceIp: { values: sources } }]),
                    ],
                    actions: [{ type: "forward", targetGroupArn: UNKNOWN }],
                },
                { listenerArn: [https], actions: [shape.adminTo === "frontend" ? frontend : backoffice] },
            ),
        );
    }
    if ((shape.deny ?? "after") !== "none") {
        variants.forEach((values, i) =>
            b.add(
                LB_LISTENER_RULE,
                `shop-admin-refused-${i}`,
                {
                    listenerArn: UNKNOWN,
                    priority: (shape.deny === "before" ? 10 : 900) + i,
                    conditions: [{ pathPattern: { values } }],
                    actions: [
                        { type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain" } },
                    ],
                },
                { listenerArn: [https] },
            ),
        );
    }
    if ((shape.deny ?? "after") === "after" && (shape.slashes ?? true)) {
        b.add(
            LB_LISTENER_RULE,
            "shop-admin-refused-slashes",
            {
                listenerArn: UNKNOWN,
                priority: 902,
                conditions: [{ pathPattern: { values: [`*${name}`, `*${name}/*`] } }],
                actions: [{ type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain" } }],
            },
            { listenerArn: [https] },
        );
    }
    return b.resources;
}

describe("magento / admin-routed-to-back-office", () => {
    it("keeps: both admin variants forwarded to the back office from the allow-list only, refused to everyone else", async () => {
        assert.deepStrictEqual(await violations("admin-routed-to-back-office", stack({})), []);
    });

    it("keeps: a stack with no Magento web tier (a plain ECS or EKS stack), whose listener has no admin to route", async () => {
        assert.deepStrictEqual(
            await violations("admin-routed-to-back-office", stack({ adminTo: "none", deny: "none", magento: false })),
            [],
        );
    });

    it("breaks: no admin rule, so the admin runs on the shop's front end", async () => {
        assert.deepStrictEqual(
            await violations("admin-routed-to-back-office", stack({ adminTo: "none", deny: "none" })),
            [
                "mandatory: HTTPS listener shop-https sends the admin to the shop's front end: no rule forwards to another target group than its default. " +
                    "Add listener rules forwarding /<adminPath>, /<adminPath>/* and their /index.php/ variants to the back-office target group, " +
                    "so that admin sessions, imports and cron share one server and never take PHP workers from shoppers.",
            ],
        );
    });

    it("breaks: the admin rule forwards to the default (front-end) target group", async () => {
        const found = await violations("admin-routed-to-back-office", stack({ adminTo: "frontend" }));
        assert.strictEqual(found.length, 1);
        assert.match(found[0], /no rule forwards to another target group than its default/);
    });

    it("breaks: the admin open to the whole internet, with no source-ip condition or one covering every address", async () => {
        for (const sources of [null, ["0.0.0.0/0"], ["0.0.0.0/1", "128.0.0.0/1"]]) {
            const found = await violations("admin-routed-to-back-office", stack({ sources }));
            assert.deepStrictEqual(
                found.map((f) => f.replace(/ \(.*?\)/, "")),
                [
                    "mandatory: Listener rule shop-admin-0 forwards /ops_7f3k to the back office from any internet address: add a source-ip condition listing the operators' ranges only.",
                    "mandatory: Listener rule shop-admin-1 forwards /index.php/ops_7f3k to the back office from any internet address: add a source-ip condition listing the operators' ranges only.",
                ],
                String(sources),
            );
        }
    });

    it("breaks: /index.php/<adminPath> not routed, so it reaches the front end's Magento and its admin", async () => {
        const found = await violations("admin-routed-to-back-office", stack({ indexPhp: false }));
        assert.strictEqual(
            found[0],
            "mandatory: HTTPS listener shop-https routes /ops_7f3k but not /index.php/ops_7f3k and /index.php/ops_7f3k/*, " +
                "which Magento also serves as its admin: route and restrict them like /ops_7f3k.",
        );
        assert.match(
            found[1],
            /sends \/index.php\/ops_7f3k and \/index.php\/ops_7f3k\/\* from outside the allow-list to the front end/,
        );
        assert.strictEqual(found.length, 2);
    });

    it("breaks: admin paths from elsewhere not refused, or refused only before the allow rules", async () => {
        for (const deny of ["none", "before"] as const) {
            const found = await violations("admin-routed-to-back-office", stack({ deny }));
            assert.strictEqual(found.length, 3, found.join("\n")); // both variants, and the repeated slashes
            assert.match(
                found[1],
                /HTTPS listener shop-https sends \/ops_7f3k and \/ops_7f3k\/\* from outside the allow-list to the front end: add a rule after the allow rules \(priority above 101\) answering them with a fixed response/,
            );
        }
    });

    it("breaks: the admin respelled (//<admin>/, /index.php//<admin>/, /index.php<admin>/) not refused: ELB compares the path as sent, Magento drops the extra slashes and the base", async () => {
        assert.deepStrictEqual(await violations("admin-routed-to-back-office", stack({ slashes: false })), [
            "mandatory: HTTPS listener shop-https sends //ops_7f3k, //ops_7f3k/x, /index.php//ops_7f3k/x, ///ops_7f3k/, /index.phpops_7f3k/x from anywhere to the front end, which Magento serves as its admin " +
                "(it drops repeated slashes and a base /index.php; the load balancer compares the path as sent): refuse *ops_7f3k and *ops_7f3k/* after the allow rules too.",
        ]);
    });

    it("breaks: admin or backend as the admin path, the first paths scanners try", async () => {
        for (const name of ["backend", "Admin"]) {
            const found = await violations("admin-routed-to-back-office", stack({ name }));
            assert.deepStrictEqual(found, [
                `mandatory: HTTPS listener shop-https serves the admin at /${name}, a path Adobe's security best practices say to avoid: set magento:adminPath to a name of the stack's own.`,
            ]);
        }
    });

    it("does not apply to an internal load balancer", async () => {
        assert.deepStrictEqual(
            await violations("admin-routed-to-back-office", stack({ adminTo: "none", deny: "none", internal: true })),
            [],
        );
    });

    for (const name of ["prod", "preprod"]) {
        it(`passes on the real ${name} stack during preview`, async () => {
            assert.deepStrictEqual(await violations("admin-routed-to-back-office", await stackResources(name)), []);
        });
    }
});
