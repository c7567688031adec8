// Magento's crypt key is data, not a credential: a new value leaves everything Magento encrypted with the old one
// unreadable. Its value and the secret version holding it are protected, so a later change that would generate a new
// one (a new length, say) is refused by the plan check instead of reaching the servers within 15 minutes.
import * as assert from "assert";
import { CRYPT_KEY_LENGTH } from "../../../components/data/app-credentials";
import { StateResource } from "../../../offline/state";
import { asExport, plan } from "../../helpers/plan";
import { prefetch, stackResources } from "../../helpers/stacks";

const DEPLOYED = { preview: false };
prefetch(["prod", DEPLOYED]);

const cryptKeyParts = (r: StateResource[]) => r.filter((x) => x.urn.includes("app-credentials-crypt-key"));

describe("Magento's crypt key", () => {
    it("is protected with its value and version, and never rotated", async () => {
        const parts = cryptKeyParts(await stackResources("prod", DEPLOYED));
        const byType = Object.fromEntries(parts.map((p) => [p.type, p]));
        for (const type of [
            "random:index/randomPassword:RandomPassword",
            "aws:secretsmanager/secretVersion:SecretVersion",
            "aws:secretsmanager/secret:Secret",
        ]) {
            assert.strictEqual(byType[type]?.protect, true, type);
        }
        assert.ok(!parts.some((p) => p.type === "aws:secretsmanager/secretRotation:SecretRotation"));
    });

    it("a change that would generate a new value is refused by the plan check", async () => {
        const deployed = await stackResources("prod", DEPLOYED);
        // As if the key had been generated with another length: the program's own length now replaces it.
        const before = deployed.map((r) =>
            r.type === "random:index/randomPassword:RandomPassword" && r.urn.includes("crypt-key")
                ? { ...r, inputs: { ...r.inputs, length: CRYPT_KEY_LENGTH + 8 } }
                : r,
        );
        const refused = plan(asExport(before), deployed, "prod")
            .check()
            .refusals.map((x) => [x.step.op, x.step.name]);
        assert.deepStrictEqual(refused, [["replace", "magento-prod-app-credentials-crypt-key-value"]]);
    });
});
