// The plan's rules, each as pulumi/pulumi's step generator applies it (docs/day-two.md, "How the plan is made"), on
// small hand-made states: no program runs here.
import * as assert from "assert";
import { LoadedDeployment } from "../../offline/export";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPlan } from "../../offline/plan/check";
import { readPreviewDigest } from "../../offline/plan/preview-json";
import { planChange, PlanStep } from "../../offline/plan/plan";
import { SECRET_SIG, SIG_KEY, StateResource, UNKNOWN } from "../../offline/state";
import {
    EC2_DEFAULT_VPC,
    EC2_INSTANCE,
    EC2_SUBNET,
    EC2_VPC,
    RDS_INSTANCE,
    RDS_PARAMETER_GROUP,
    SSM_PARAMETER,
} from "../../policies/lib/types";

const AWS = "urn:pulumi:prod::magento::pulumi:providers:aws::default_7_0_0";
const urn = (type: string, name: string, stack = "prod") => `urn:pulumi:${stack}::magento::${type}::${name}`;

function res(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<StateResource> = {},
    stack = "prod",
): StateResource {
    return {
        urn: urn(type, name, stack),
        custom: true,
        type,
        id: `${name}-id-0123456789`,
        inputs,
        outputs: { ...inputs, arn: `arn:aws:x:${name}-0123456789` },
        provider: `${AWS.replace("prod", stack)}::p1`,
        protect: false,
        dependencies: [],
        propertyDependencies: {},
        ...extra,
    };
}
const state = (resources: StateResource[], stack = "prod"): LoadedDeployment => ({
    resources,
    stack,
    project: "magento",
    pending: [],
});
const only = (steps: PlanStep[], name: string) => steps.find((s) => s.name === name)!;

describe("offline plan: the step generator's rules", () => {
    const vpc = res(EC2_VPC, "vpc", { cidrBlock: "10.20.0.0/16" });
    const subnet = (vpcId: string, extra: Partial<StateResource> = {}) =>
        res(
            EC2_SUBNET,
            "subnet-a",
            { vpcId, cidrBlock: "10.20.1.0/24" },
            { propertyDependencies: { vpcId: [vpc.urn] }, ...extra },
        );

    it("an export's provider defaults (__defaults) and ciphertext secrets are no change; plaintext secrets compare", () => {
        const old = res(SSM_PARAMETER, "p", {
            name: "p",
            tier: "Standard",
            __defaults: ["tier"],
            value: { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" },
        });
        const same = res(SSM_PARAMETER, "p", { name: "p", value: { [SIG_KEY]: SECRET_SIG, plaintext: '"s3cret"' } });
        assert.strictEqual(planChange(state([old]), [same], "prod")[0].op, "same");
        const plain = { ...old, inputs: { name: "p", value: { [SIG_KEY]: SECRET_SIG, plaintext: '"old"' } } };
        assert.deepStrictEqual(planChange(state([plain]), [same], "prod")[0].changed, ["value"]);
    });

    it("ignoreChanges keeps the old value; a matched resource's real id replaces the fake one in its dependents", () => {
        const real = { ...vpc, id: "vpc-0a1b2c3d4e5f67890" };
        const oldSubnet = subnet(real.id, { ignoreChanges: [] });
        const steps = planChange(
            state([real, oldSubnet]),
            [
                vpc,
                {
                    ...subnet(vpc.id!),
                    inputs: { vpcId: vpc.id, cidrBlock: "10.20.9.0/24" },
                    ignoreChanges: ["cidrBlock"],
                },
            ],
            "prod",
        );
        assert.deepStrictEqual(
            steps.map((s) => s.op),
            ["same", "same"],
        );
    });

    it("an ignored input the old state lacks is left out, as the engine does: adding it later changes nothing", () => {
        const old = res(RDS_INSTANCE, "db", { instanceClass: "db.r6g.large" });
        const next = {
            ...old,
            inputs: { instanceClass: "db.r6g.large", username: "admin", dbName: "magento" },
            ignoreChanges: ["username", "dbName"],
        };
        const [step] = planChange(state([old]), [next], "prod");
        assert.deepStrictEqual([step.op, step.newInputs?.username], ["same", undefined]);
    });

    it("a replaced resource's computed outputs are unknown in its dependents, and replace them where they force it (the cascade)", () => {
        const steps = planChange(
            state([vpc, subnet(vpc.id!)]),
            [{ ...vpc, inputs: { cidrBlock: "10.30.0.0/16" } }, subnet(vpc.id!)],
            "prod",
        );
        assert.strictEqual(only(steps, "vpc").op, "replace");
        assert.deepStrictEqual([only(steps, "subnet-a").op, only(steps, "subnet-a").forcing], ["replace", ["vpcId"]]);
        assert.strictEqual(only(steps, "subnet-a").newInputs?.vpcId, UNKNOWN);
    });

    it("delete-before-replace also replaces a dependent whose forcing input references the condemned resource", () => {
        const instance = res(EC2_INSTANCE, "server", { ami: "ami-1", subnetId: "sn" }, { deleteBeforeReplace: true });
        // The dependent takes the instance's name (an input, known), not its id: only delete-before-replace replaces it.
        const dependent = res(
            EC2_INSTANCE,
            "peer",
            { ami: "ami-9", subnetId: "server" },
            { propertyDependencies: { subnetId: [instance.urn] } },
        );
        const steps = planChange(
            state([instance, dependent]),
            [{ ...instance, inputs: { ami: "ami-2", subnetId: "sn" } }, dependent],
            "prod",
        );
        assert.deepStrictEqual(only(steps, "peer").causes, [
            "subnetId depends on server, deleted before its replacement (delete-before-replace)",
        ]);
        const createFirst = planChange(
            state([instance, dependent]),
            [{ ...instance, deleteBeforeReplace: false, inputs: { ami: "ami-2", subnetId: "sn" } }, dependent],
            "prod",
        );
        assert.strictEqual(only(createFirst, "peer").op, "same");
        // A dependent protected in state: the engine refuses it in the cascade whatever the program says now, so
        // allowReplace is not enough and the check says to unprotect it in state first.
        const guarded = { ...dependent, protect: true };
        const cascade = planChange(
            state([instance, guarded]),
            [
                { ...instance, inputs: { ami: "ami-2", subnetId: "sn" } },
                { ...guarded, protect: false },
            ],
            "prod",
        );
        assert.ok(checkPlan(cascade, ["peer"]).notes.some((n) => n.startsWith("peer: run `pulumi state unprotect")));
    });

    it("aliases match a renamed resource; a stack rename compares under the new stack's name", () => {
        const renamed = { ...vpc, urn: urn(EC2_VPC, "network-vpc"), aliases: [vpc.urn] };
        assert.deepStrictEqual(
            planChange(state([vpc]), [renamed], "prod").map((s) => s.op),
            ["same"],
        );
        const shop = res(EC2_VPC, "vpc", vpc.inputs!, {}, "shop");
        assert.deepStrictEqual(
            planChange(state([vpc]), [shop], "shop").map((s) => s.op),
            ["same"],
        );
        assert.deepStrictEqual(
            planChange(state([vpc]), [{ ...vpc, urn: urn(EC2_VPC, "other") }], "prod").map((s) => s.op),
            ["create", "delete"],
        );
    });

    it("new user data replaces an instance that says userDataReplaceOnChange (the provider's CustomizeDiff), updates one that does not", () => {
        const server = (userData: string, replace: boolean) =>
            res(EC2_INSTANCE, "server", { ami: "ami-0123456789abcdef0", userData, userDataReplaceOnChange: replace });
        for (const replace of [true, false]) {
            const step = planChange(
                state([server("#cloud-config\n", replace)]),
                [server("#cloud-config\nruncmd: []\n", replace)],
                "prod",
            )[0];
            assert.deepStrictEqual([step.op, step.forcing], replace ? ["replace", ["userData"]] : ["update", []]);
        }
    });

    it("a changed type or explicit provider replaces; replaceOnChanges forces; a retained delete leaves the resource", () => {
        const typed = { ...vpc, type: EC2_DEFAULT_VPC, aliases: [vpc.urn], urn: urn(EC2_DEFAULT_VPC, "vpc") };
        assert.deepStrictEqual(planChange(state([vpc]), [typed], "prod")[0].causes, [`type changed from ${EC2_VPC}`]);
        const moved = { ...vpc, provider: "urn:pulumi:prod::magento::pulumi:providers:aws::us-east-1::p2" };
        assert.strictEqual(planChange(state([vpc]), [moved], "prod")[0].op, "replace");
        const tagged = { ...vpc, inputs: { ...vpc.inputs, tags: { a: "b" } }, replaceOnChanges: ["tags"] };
        assert.deepStrictEqual(planChange(state([vpc]), [tagged], "prod")[0].forcing, ["tags"]);
        const kept = res(RDS_PARAMETER_GROUP, "params", { family: "mysql8.0" }, { retainOnDelete: true });
        assert.strictEqual(planChange(state([kept]), [], "prod")[0].retained, true);
    });

    it("the check refuses a stateful or protected replacement or delete unless allowReplace names it, and an architecture change on a kept image", () => {
        const db = res(RDS_INSTANCE, "db", { identifier: "db" }, { protect: true });
        const steps = planChange(state([db]), [{ ...db, inputs: { identifier: "db2" } }], "prod");
        const refused = checkPlan(steps, []);
        assert.match(refused.refusals[0].reason, /empty database.*add 'db' to magento:allowReplace/);
        assert.deepStrictEqual(checkPlan(steps, ["db"]).refusals, []);
        const server = res(
            EC2_INSTANCE,
            "rundeck",
            { ami: "ami-x86", instanceType: "t3.small" },
            { ignoreChanges: ["ami"] },
        );
        const arm = planChange(
            state([server]),
            [{ ...server, inputs: { ami: "ami-arm", instanceType: "t4g.small" } }],
            "prod",
        );
        assert.match(checkPlan(arm, []).refusals[0].reason, /x86_64 -> arm64.*pin magento:opsAmiId/);
        const pinned = { ...server, ignoreChanges: [], inputs: { ami: "ami-arm", instanceType: "t4g.small" } };
        assert.deepStrictEqual(
            checkPlan(planChange(state([server]), [pinned], "prod"), []).refusals.map((r) => r.kind),
            [],
        );
    });

    it("a real preview's delete-before-replace halves read as one step, with the old state's protect and the new inputs", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "digest-")), "preview.json");
        const server = (instanceType: string, protect: boolean) =>
            res(EC2_INSTANCE, "server", { ami: "ami-1", instanceType }, { protect });
        fs.writeFileSync(
            file,
            JSON.stringify({
                steps: [
                    { op: "delete-replaced", urn: server("t3.small", true).urn, oldState: server("t3.small", true) },
                    {
                        op: "replace",
                        urn: server("t3.small", true).urn,
                        oldState: server("t3.small", true),
                        newState: server("t4g.small", true),
                        replaceReasons: ["userData"],
                    },
                    {
                        op: "create-replacement",
                        urn: server("t3.small", true).urn,
                        oldState: server("t3.small", true),
                        newState: server("t4g.small", true),
                    },
                ],
            }),
        );
        const [step] = readPreviewDigest(file);
        assert.deepStrictEqual(
            [
                step.op,
                step.deleteBeforeReplace,
                step.protectedBefore,
                step.protectedAfter,
                step.newInputs?.instanceType,
            ],
            ["replace", true, true, true, "t4g.small"],
        );
        assert.ok(checkPlan([step], []).refusals.some((r) => r.kind === "architecture"));
    });
});
