// The plan of the changes operators make to a deployed prod, against the export of the stack as it is: what would be
// replaced or deleted, whether the check refuses it and names magento:allowReplace, and that naming them passes.
// Assertions marked "today" describe the program on this branch; each says what changes when the network (keyed by
// AZ), the edge (certificates keyed by certificate), the name prefix or the regenerated forces-new table lands.
import * as assert from "assert";
import { createHash } from "crypto";
import { LoadedDeployment } from "../../offline/export";
import { substitute } from "../../offline/plan/values";
import { EBS_VOLUME, EC2_INSTANCE, EC2_SUBNET, EC2_VPC, ELASTICACHE_REPLICATION_GROUP } from "../../policies/lib/types";
import { asExport, plan, refusedNames, stepsOf } from "../helpers/plan";
import { prefetch, stackResources } from "../helpers/stacks";

const SCENARIOS = {
    swappedAzs: { "magento:availabilityZones": ["eu-west-3b", "eu-west-3a", "eu-west-3c"] },
    // The same, the operations AZ kept where the stack was built (docs/network.md).
    swappedAzsPinned: {
        "magento:availabilityZones": ["eu-west-3c", "eu-west-3a", "eu-west-3b"],
        "magento:operationsAz": "eu-west-3a",
    },
    newCidr: { "magento:vpcCidr": "10.30.0.0/16" },
    sharedCache: { "magento:cacheLayout": "shared" },
    // prod's second storefront removed (and from the validated list, which must name only storefronts).
    removedStorefront: {
        "magento:storefronts": [
            { code: "brand_a", domains: ["brand-a.example", "www.brand-a.example"] },
            { code: "brand_c", domains: ["brand-c.example", "www.brand-c.example", "shop.brand-c.example"] },
            { code: "outlet", domains: ["outlet.example.com"] },
        ],
        "magento:validatedStorefronts": ["brand_a", "brand_c", "outlet"],
    },
    newOpsAmi: { "magento:opsAmiId": "ami-0fedcba9876543210" },
};
type Scenario = keyof typeof SCENARIOS;

prefetch(
    ["prod", { preview: false }],
    ...Object.values(SCENARIOS).map(
        (changes) =>
            ["prod", { preview: false, changes }] as [string, { preview: boolean; changes: Record<string, unknown> }],
    ),
);
// `pulumi stack rename prod shop`: the same configuration under the new stack name, and with magento:estate keeping
// the names it was built with (docs/naming.md).
const renamed = stackResources("prod", { as: "shop", preview: false });
const renamedKept = stackResources("prod", { as: "shop", preview: false, changes: { "magento:estate": "prod" } });

/** The export as a real stack's would read: AWS's ids (not our fakes) wherever they appear, provider defaults in the
 *  inputs listed under `__defaults`, secrets as ciphertext (asExport already). */
function realShaped(exported: LoadedDeployment): LoadedDeployment {
    // EC2-style ids (vpc-..., sg-...) and UUIDs: distinctive, so rewritten wherever a reference holds them.
    const generated = /^([a-z]+-[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
    const ids = new Map(
        exported.resources
            .filter((r) => r.custom && r.id && generated.test(r.id))
            .map((r) => {
                const hash = createHash("sha256").update(r.urn).digest("hex");
                return [
                    r.id!,
                    r.id!.includes("-") && r.id!.split("-").length === 2
                        ? `${r.id!.split("-")[0]}-0${hash.slice(0, 16)}`
                        : `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`,
                ];
            }),
    );
    // Wherever AWS's ids would be: in every value, user data's base64 text included.
    const rewrite = <T>(v: T): T => substitute(v, ids) as T;
    const resources = exported.resources.map((r) => ({
        ...r,
        id: r.id && rewrite(r.id),
        outputs: rewrite(r.outputs),
        inputs:
            r.custom && r.inputs
                ? {
                      ...rewrite(r.inputs),
                      providerDefaulted: "as the provider set it",
                      __defaults: ["providerDefaulted"],
                  }
                : r.inputs,
    }));
    return { ...exported, resources };
}

describe("offline plan: changes to a deployed prod", function () {
    this.timeout(300_000);
    const before = stackResources("prod", { preview: false }).then(asExport);
    const planOf = async (s: Scenario) =>
        plan(await before, await stackResources("prod", { preview: false, changes: SCENARIOS[s] }), "prod");

    it("prod against its own export: every resource unchanged, and the check passes", async () => {
        const p = plan(await before, await stackResources("prod", { preview: false }), "prod");
        assert.deepStrictEqual(
            p.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
            [],
        );
        assert.deepStrictEqual(p.check().refusals, []);
    });

    it("against a real-shaped export (AWS ids, provider defaults, ciphertext secrets): no spurious change", async () => {
        const real = realShaped(await before);
        assert.notDeepStrictEqual(
            real.resources.map((r) => r.id),
            (await before).resources.map((r) => r.id),
        );
        const p = plan(real, await stackResources("prod", { preview: false }), "prod");
        assert.deepStrictEqual(
            p.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name} ${s.changed.join(",")}`),
            [],
        );
    });

    it("swapped AZs with the operations AZ kept: nothing changes", async () => {
        const p = await planOf("swappedAzsPinned");
        assert.deepStrictEqual(
            p.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
            [],
        );
        assert.deepStrictEqual(p.check().refusals, []);
    });

    it("swapped AZs moving the first entry: the single servers' volumes would leave their AZ, refused until allowReplace names them", async () => {
        const p = await planOf("swappedAzs");
        // Subnets are keyed by AZ and keep their CIDRs; only what lives in the operations AZ (the first entry) moves.
        assert.deepStrictEqual(stepsOf(p, "replace", EC2_SUBNET), []);
        const volumes = stepsOf(p, "replace", EBS_VOLUME);
        assert.ok(
            volumes.length > 0 && volumes.every((v) => v.forcing.includes("availabilityZone")),
            volumes.map((v) => v.name).join(", "),
        );
        const result = p.check();
        assert.ok(
            volumes.every((v) => refusedNames(result).includes(v.name)),
            refusedNames(result).join(", "),
        );
        assert.ok(result.refusals.every((r) => r.reason.includes(`add '${r.step.name}' to magento:allowReplace`)));
        assert.deepStrictEqual(p.check(refusedNames(result)).refusals, []);
    });

    it("a new VPC CIDR replaces the VPC and every subnet: refused, naming each", async () => {
        const p = await planOf("newCidr");
        assert.deepStrictEqual(
            stepsOf(p, "replace", EC2_VPC).map((s) => s.name),
            ["magento-prod-vpc"],
        );
        assert.strictEqual(stepsOf(p, "replace", EC2_SUBNET).length, 6);
        const refused = refusedNames(p.check());
        assert.ok(
            refused.includes("magento-prod-vpc") &&
                refused.filter((n) => /-(public|private)-[abc]$/.test(n)).length === 6,
            refused.join(", "),
        );
    });

    it("cacheLayout split -> shared deletes the sessions and cache groups after the new shared group is created: refused, with the steps already run", async () => {
        const p = await planOf("sharedCache");
        const groups = ELASTICACHE_REPLICATION_GROUP;
        assert.deepStrictEqual(
            stepsOf(p, "create", groups).map((s) => s.name),
            ["magento-prod-shared-redis"],
        );
        assert.deepStrictEqual(
            stepsOf(p, "delete", groups)
                .map((s) => s.name)
                .sort(),
            ["magento-prod-cache-redis", "magento-prod-sessions-redis"],
        );
        const result = p.check();
        const sessions = result.refusals.find((r) => r.step.name === "magento-prod-sessions-redis")!;
        assert.ok(sessions, refusedNames(result).join(", "));
        // Protected: `up` fails at the delete, after it created the empty shared group and moved the servers' settings.
        assert.ok(sessions.alreadyRun.some((s) => s.op === "create" && s.name === "magento-prod-shared-redis"));
        // Deleted, no longer declared: allowReplace lets the check pass but cannot lift protect; the note says so.
        const allowed = p.check(refusedNames(result));
        assert.deepStrictEqual(allowed.refusals, []);
        assert.ok(
            allowed.notes.some((n) => n.startsWith("magento-prod-sessions-redis: run `pulumi state unprotect")),
            allowed.notes.join("\n"),
        );
    });

    it("a removed storefront: only its own certificate and listener certificate go, refused until allowReplace names them", async () => {
        const p = await planOf("removedStorefront");
        const moved = p.steps.filter((s) => s.op !== "same" && /acm\/certificate:|listenerCertificate:/.test(s.type));
        // Certificates are keyed by storefront (docs/edge.md): the others' certificates and SNI entries stay as they are.
        assert.deepStrictEqual(moved.map((s) => `${s.op} ${s.name}`).sort(), [
            "delete magento-prod-certificates-brand_b",
            "delete magento-prod-shop-cert-brand_b",
        ]);
        const refused = refusedNames(p.check());
        assert.deepStrictEqual(refused, ["magento-prod-certificates-brand_b"]);
        assert.deepStrictEqual(p.check(refused).refusals, []);
    });

    it("a new ops AMI replaces the ops servers (delete before replace) but not their data volumes or Elastic IPs", async () => {
        const p = await planOf("newOpsAmi");
        const servers = stepsOf(p, "replace", EC2_INSTANCE);
        assert.ok(
            servers.length >= 3 && servers.every((s) => s.forcing.includes("ami") && s.deleteBeforeReplace),
            servers.map((s) => s.name).join(", "),
        );
        const lost = p.steps.filter(
            (s) => (s.op === "replace" || s.op === "delete") && /ebs\/volume:|ec2\/eip:Eip$/.test(s.type),
        );
        assert.deepStrictEqual(
            lost.map((s) => s.name),
            [],
        );
        assert.deepStrictEqual(p.check().refusals, []);
    });

    it("a stack rename rewrites every URN, but names derived from the stack change: everything is recreated, refused for each stateful resource", async () => {
        const p = plan(await before, await renamed, "shop");
        // Names derive from the stack's name unless magento:estate keeps the old one.
        assert.ok(stepsOf(p, "delete").length > 400 && stepsOf(p, "create").length > 400);
        const refused = refusedNames(p.check());
        for (const name of [
            "magento-prod-mysql-db",
            "magento-prod-shared-fs",
            "magento-prod-search-domain",
            "magento-prod-vpc",
        ]) {
            assert.ok(refused.includes(name), name);
        }
    });

    it("a stack rename with magento:estate set to the old name: every resource unchanged", async () => {
        const p = plan(await before, await renamedKept, "shop");
        assert.deepStrictEqual(
            p.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name} ${s.changed.join(",")}`),
            [],
        );
        assert.deepStrictEqual(p.check().refusals, []);
    });
});
