// What AWS Backup's role may do, and who may delete a recovery point, by the IAM evaluator over the stack's own
// policies (the update capture): the role uses the storage key (the vault's, and the volumes' and databases') for
// backups and restores, and no other key; no role of the stack, nor an administrator allowed backup:*, deletes a
// recovery point, shortens its lifecycle, or lifts that protection by rewriting or removing the vault's policy; the
// break-glass role can, once given an IAM policy for the occasion.
import * as assert from "assert";
import { accessModel, AccessModel } from "../../policies/lib/access/model";
import { AccessRequest, decide, Decision } from "../../policies/lib/access/simulate";
import { StackResource } from "../../policies/lib/stack";
import { BACKUP_VAULT, IAM_ROLE, KMS_KEY } from "../../policies/lib/types";
import { knownString } from "../../policies/lib/values";
import { stackView } from "../../offline/stack-view";
import { PROTECTED_RECOVERY_POINT_ACTIONS, PROTECTED_VAULT_POLICY_ACTIONS } from "../../components/data/backups";
import { prefetch, stackResources } from "../helpers/stacks";

const STACKS = ["prod", "preprod"] as const;
prefetch(
    ...STACKS.flatMap(
        (s) =>
            [
                [s, { preview: false }],
                [s, { preview: true }],
            ] as [string, { preview: boolean }][],
    ),
);

/** Any backup:* in the caller's own IAM policies: an administrator's, say. */
const ALL_OF_BACKUP = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "backup:*", Resource: "*" }] };

for (const name of STACKS) {
    describe(`backups access: ${name}`, () => {
        let model: AccessModel;
        let arn: (type: string, short: string) => string;
        /** A recovery point of the vault: the vault's access policy governs it
         *  (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html). */
        let recoveryPoint: string;
        let inVault: AccessModel;
        let vault: string;

        before(async function () {
            this.timeout(300_000);
            const resources: StackResource[] = stackView(await stackResources(name, { preview: false }));
            model = accessModel(resources);
            arn = (type, short) => {
                const r = resources.find((x) => x.type === type && x.name === `magento-${name}-${short}`);
                const value = r && knownString(r.props, "arn");
                assert.ok(value, `no ${type} magento-${name}-${short} with a known ARN`);
                return value;
            };
            vault = arn(BACKUP_VAULT, "backups-vault");
            const policy = model.resources.get(vault);
            assert.ok(policy, `the vault ${vault} has no access policy in the model`);
            recoveryPoint = `arn:aws:backup:${model.region}:${model.account}:recovery-point:0f3a9e2c-1b4d-4c6e-8a7f-2d5b9c1e3f40`;
            inVault = { ...model, resources: new Map([...model.resources, [recoveryPoint, policy]]) };
        });

        const ask = (m: AccessModel, request: AccessRequest): Promise<Decision> => decide(m, request);

        it("AWS Backup's role uses the storage key to back up and restore, and no other key", async () => {
            const role = arn(IAM_ROLE, "backups-role");
            const storage = arn(KMS_KEY, "data-key");
            for (const action of [
                "kms:GenerateDataKey",
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:ReEncryptFrom",
                "kms:DescribeKey",
            ]) {
                assert.strictEqual(await ask(model, { principal: role, action, resource: storage }), "Allowed", action);
            }
            const grant = { "kms:GrantIsForAWSResource": "true" };
            assert.strictEqual(
                await ask(model, { principal: role, action: "kms:CreateGrant", resource: storage, context: grant }),
                "Allowed",
            );
            assert.notStrictEqual(
                await ask(model, { principal: role, action: "kms:CreateGrant", resource: storage }),
                "Allowed",
                "a grant for a principal rather than an AWS resource",
            );
            assert.notStrictEqual(
                await ask(model, { principal: role, action: "kms:Decrypt", resource: arn(KMS_KEY, "secrets-key") }),
                "Allowed",
            );
            assert.notStrictEqual(
                await ask(model, { principal: role, action: "kms:ScheduleKeyDeletion", resource: storage }),
                "Allowed",
            );
        });

        it("no role of the stack deletes a recovery point or shortens its lifecycle", async () => {
            for (const principal of model.roles.keys()) {
                for (const action of PROTECTED_RECOVERY_POINT_ACTIONS) {
                    const decision = await ask(inVault, { principal, action, resource: recoveryPoint });
                    assert.notStrictEqual(decision, "Allowed", `${principal} ${action}`);
                    assert.ok(!decision.startsWith("invalid"), decision);
                }
            }
        });

        it("an administrator allowed backup:* is refused by the vault, its policy included; the break-glass role, given the permission, is not", async () => {
            const admin = `arn:aws:iam::${model.account}:role/administrator`;
            const asked = [
                ...PROTECTED_RECOVERY_POINT_ACTIONS.map((action) => [action, recoveryPoint]),
                ...PROTECTED_VAULT_POLICY_ACTIONS.map((action) => [action, vault]),
            ];
            for (const [action, resource] of asked) {
                assert.strictEqual(
                    await ask(inVault, {
                        principal: admin,
                        action,
                        resource,
                        identityPolicies: [ALL_OF_BACKUP],
                    }),
                    "ExplicitlyDenied",
                    action,
                );
                assert.strictEqual(
                    await ask(inVault, {
                        principal: arn(IAM_ROLE, "break-glass-role"),
                        action,
                        resource,
                        identityPolicies: [ALL_OF_BACKUP],
                    }),
                    "Allowed",
                    action,
                );
            }
        });
    });
}
