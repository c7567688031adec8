// required-access, asked over the analyzer protocol on the real stacks' update exports (every ARN known): the stacks
// keep it; a key policy without Auto Scaling's role, a GetParametersByPath grant on path/* only, an EFS policy with
// only its Deny, and a log group under a key that does not name CloudWatch Logs are each rejected; a preview, where
// those ARNs are unknown, is left to the update without a crash.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { CLOUDWATCH_LOG_GROUP, KMS_KEY } from "../../../policies/lib/types";
import { violations } from "../../helpers/packs";
import { prefetch, stackResources } from "../../helpers/stacks";

prefetch(["prod", { preview: false }], ["preprod", { preview: false }], ["prod"]);

/** The update export of `stack` with `edit` applied to the resource named magento-<stack>-<name>'s policy statements. */
async function withPolicy(
    stack: string,
    name: string,
    edit: (statements: Record<string, unknown>[]) => Record<string, unknown>[],
): Promise<StateResource[]> {
    const resources = structuredClone(await stackResources(stack, { preview: false }));
    const r = resources.find((x) => x.urn.endsWith(`::magento-${stack}-${name}`) && x.outputs?.policy !== undefined)!;
    const policy = JSON.parse(String(r.outputs!.policy));
    const text = JSON.stringify({ ...policy, Statement: edit(policy.Statement) });
    r.inputs = { ...r.inputs, policy: text };
    r.outputs = { ...r.outputs, policy: text };
    return resources;
}

describe("magento / required-access", () => {
    it("keeps: both stacks' boot reads, EFS mounts and Auto Scaling's use of the key are allowed", async function () {
        this.timeout(180_000); // waits for two update captures
        assert.deepStrictEqual(
            await violations("required-access", await stackResources("prod", { preview: false }), { dryRun: false }),
            [],
        );
        assert.deepStrictEqual(
            await violations("required-access", await stackResources("preprod", { preview: false }), { dryRun: false }),
            [],
        );
    });

    it("breaks: the data key's policy forgets Auto Scaling's service-linked role", async () => {
        const found = await violations(
            "required-access",
            await withPolicy("prod", "data-key", (st) => st.filter((s) => !String(s.Sid).startsWith("AutoScaling"))),
            { dryRun: false },
        );
        // 6 calls for each of the five groups: front end, back office and the three side applications.
        assert.strictEqual(found.length, 30, found.join("\n"));
        assert.match(
            found.find((f) => f.includes("frontend-asg"))!,
            /^mandatory: Auto Scaling launches magento-prod-frontend-asg with volumes encrypted by arn:aws:kms:.*, but arn:aws:iam::\d+:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling may not kms:Encrypt/,
        );
    });

    it("breaks: GetParametersByPath granted on path/* only (the path itself is what it is authorised against)", async () => {
        const found = await violations(
            "required-access",
            await withPolicy("prod", "web-boot-reads", (st) =>
                st.map((s) => (s.Action === "ssm:GetParametersByPath" ? { ...s, Resource: `${s.Resource}/*` } : s)),
            ),
            { dryRun: false },
        );
        assert.strictEqual(found.length, 1, found.join("\n"));
        assert.match(
            found[0],
            /^mandatory: magento-prod-frontend-lt boots by reading \/magento\/prod, but arn:aws:iam::\d+:role\/magento-prod-web-role-[0-9a-f]+ may not ssm:GetParametersByPath on arn:aws:ssm:eu-west-3:\d+:parameter\/magento\/prod \(ImplicitlyDenied\)/,
        );
    });

    it("breaks: an EFS policy holding only the TLS deny refuses every mount", async () => {
        const found = await violations(
            "required-access",
            await withPolicy("preprod", "shared-tls", (st) => st.filter((s) => s.Effect === "Deny")),
            { dryRun: false },
        );
        assert.strictEqual(found.length, 10, found.join("\n")); // (mount, write) x (front end's 2 shares + back office's 3)
        assert.match(
            found[0],
            /^mandatory: magento-preprod-(frontend|backoffice)-lt mounts fs-[0-9a-f]+ through fsap-[0-9a-f]+, but arn:aws:iam::\d+:role\/magento-preprod-(web|backoffice)-role-\w+ may not elasticfilesystem:ClientMount/,
        );
    });

    it("breaks: the telemetry key's policy back to the account's kms:* alone (no deny of administration to the servers)", async () => {
        const found = await violations(
            "required-access",
            await withPolicy("prod", "telemetry-key", (st) => [
                {
                    Sid: "AccountThroughIam",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::123456789012:root" },
                    Action: "kms:*",
                    Resource: "*",
                },
                ...st.filter((s) => s.Principal && !("AWS" in (s.Principal as Record<string, unknown>))),
            ]),
            { dryRun: false },
        );
        assert.ok(
            found.length > 0 && found.every((f) => f.includes("magento-prod-telemetry-key's policy")),
            found.join("\n"),
        );
        assert.ok(
            found.some((f) => f.includes("may kms:PutKeyPolicy")) &&
                found.some((f) => f.includes("may kms:CreateGrant")),
            found.join("\n"),
        );
    });

    it("breaks: kms:Create* back in the data key's administration (it covers CreateGrant)", async () => {
        const found = await violations(
            "required-access",
            await withPolicy("prod", "data-key", (st) =>
                st.map((s) =>
                    s.Sid === "AdministrationThroughIam"
                        ? { ...s, Action: ["kms:Create*", ...(s.Action as string[])] }
                        : s,
                ),
            ),
            { dryRun: false },
        );
        assert.ok(
            found.length > 0 &&
                found.every((f) =>
                    /magento-prod-data-key's policy must allow grants only for AWS resources, but .* may kms:CreateGrant/.test(
                        f,
                    ),
                ),
            found.join("\n"),
        );
    });

    it("breaks: the front end's agent grant widened to every tier's namespace: it could redraw their dashboard lines", async () => {
        const found = await violations(
            "required-access",
            await withPolicy("prod", "web-telemetry", (st) =>
                st.map((s) =>
                    s.Action === "cloudwatch:PutMetricData"
                        ? { ...s, Condition: { StringLike: { "cloudwatch:namespace": "Magento/prod/Servers/*" } } }
                        : s,
                ),
            ),
            { dryRun: false },
        );
        // Every other Linux server's: the back office, the three side applications, Rundeck, the gateway, the VPN.
        assert.strictEqual(found.length, 7, found.join("\n"));
        assert.match(
            found.find((f) => f.includes("backoffice-lt"))!,
            /^mandatory: magento-prod-frontend-lt's servers must not draw magento-prod-backoffice-lt's metrics \(its namespace Magento\/prod\/Servers\/backoffice\), but arn:aws:iam::\d+:role\/magento-prod-web-role-\w+ may cloudwatch:PutMetricData on \*\. Give each tier a namespace of its own/,
        );
    });

    it("breaks: the agent's grant naming another namespace than the one its configuration publishes into", async () => {
        const found = await violations(
            "required-access",
            await withPolicy("prod", "web-telemetry", (st) =>
                st.map((s) =>
                    s.Action === "cloudwatch:PutMetricData"
                        ? { ...s, Condition: { StringEquals: { "cloudwatch:namespace": "Magento/prod/Servers" } } }
                        : s,
                ),
            ),
            { dryRun: false },
        );
        assert.deepStrictEqual(
            found.map((f) => f.replace(/\d{12}/g, "ACCOUNT").replace(/role-\w+/, "role-ID")),
            [
                "mandatory: magento-prod-frontend-lt's CloudWatch agent publishes its metrics into Magento/prod/Servers/web, but arn:aws:iam::ACCOUNT:role/magento-prod-web-role-ID may not cloudwatch:PutMetricData on * (ImplicitlyDenied). Grant it in the role's policy or the resource's policy (a KMS key's own policy for a service-linked role).",
            ],
        );
    });

    it("breaks: a log group encrypted with a key whose policy does not name CloudWatch Logs", async () => {
        const resources = structuredClone(await stackResources("preprod", { preview: false }));
        const key = resources.find((r) => r.type === KMS_KEY && r.urn.endsWith("-data-key"))!; // the data key names no logs service
        const group = resources.find((r) => r.type === CLOUDWATCH_LOG_GROUP)!;
        group.outputs = { ...group.outputs, kmsKeyId: key.outputs!.arn };
        const found = await violations("required-access", resources, { dryRun: false });
        assert.ok(
            found.length > 0 &&
                found.every(
                    (f) => f.includes("CloudWatch Logs encrypts") && f.includes("logs.eu-west-3.amazonaws.com"),
                ),
            found.join("\n"),
        );
    });

    it("leaves a preview, where ARNs and policies are still unknown, to the update", async () => {
        assert.deepStrictEqual(
            await violations("required-access", await stackResources("prod"), { dryRun: false }),
            [],
        );
    });
});
