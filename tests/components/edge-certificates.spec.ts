// The first `pulumi up` of each stack must not wait on certificate validation records nobody can have created yet:
// ACM's CertificateValidation waits up to 75 minutes, and records that are only stack outputs are seen after the up.
// Here: every CertificateValidation of the edge waits only on Route 53 records the stack itself creates, unless the
// stack says the registrar already holds the records (magento:certificateValidation: wait).
import * as assert from "assert";
import * as path from "path";
import { capturedResources } from "../../offline/engine";
import { loadStackSettings } from "../../offline/project";
import { StateResource } from "../../offline/state";
import { captureProgram, ofType, project, via } from "../helpers/stacks";

const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const RECORD = "aws:route53/record:Record";

/** The edge program of a stack file with some keys changed (undefined removes a key), as an update. */
function edge(stack: string, changes: Record<string, string | undefined> = {}): Promise<StateResource[]> {
    const settings = loadStackSettings(project, stack);
    const config: Record<string, string> = { ...settings.config };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) {
            delete config[key];
        } else {
            config[key] = value;
        }
    }
    return captureProgram(stack, { ...settings, config }, false, path.join(__dirname, "../fixtures/programs/edge.ts")).then(capturedResources);
}

const outputs = (resources: StateResource[]) => resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs as Record<string, unknown>;

/** Validations that wait on something other than Route 53 records of this stack. */
function waitingOnOthers(resources: StateResource[]): string[] {
    return ofType(resources, VALIDATION).filter((v) => {
        const records = via(resources, v, "validationRecordFqdns");
        return records.length === 0 || records.some((r) => r.type !== RECORD);
    }).map((v) => v.urn.split("::").pop()!);
}

describe("edge: the first up never waits on validation records the stack does not create", () => {
    const firstAtRegistrar = edge("prod", { "magento:certificateValidation": undefined });
    const secondAtRegistrar = edge("prod");
    const managed = edge("preprod");
    for (const p of [firstAtRegistrar, secondAtRegistrar, managed]) {
        p.catch(() => undefined);
    }

    it("DNS at a registrar, first up (key unset): certificates requested, their records output, nothing waits, none on the listener", async () => {
        const resources = await firstAtRegistrar;
        assert.deepStrictEqual(waitingOnOthers(resources), []);
        assert.deepStrictEqual(ofType(resources, VALIDATION), []);
        assert.deepStrictEqual(outputs(resources).extraCertificateArns, []);
        const certificates = ofType(resources, CERTIFICATE);
        assert.strictEqual(certificates.length, 1, "the four storefronts' 8 domains fit one storefront certificate");
        const records = outputs(resources).certificateValidationRecords as { name: string; type: string }[];
        const expected = new Set(certificates.flatMap((c) => (c.outputs!.domainValidationOptions as { resourceRecordName: string }[]).map((o) => o.resourceRecordName)));
        assert.deepStrictEqual(new Set(records.map((r) => r.name)), expected);
        assert.ok(records.every((r) => r.type === "CNAME"));
    });

    it("DNS at a registrar, second up (wait): each storefront certificate waits for issuance and is on the listener", async () => {
        const resources = await secondAtRegistrar;
        const validations = ofType(resources, VALIDATION);
        assert.strictEqual(validations.length, 1);
        assert.deepStrictEqual(new Set(outputs(resources).extraCertificateArns as string[]), new Set(validations.map((v) => v.outputs!.certificateArn)));
        for (const v of validations) {
            assert.strictEqual((via(resources, v, "certificateArn")[0].inputs!.tags as Record<string, string>).ValidationRecords, "registrar-created", "the certificate says the operator created its records");
        }
    });

    it("zones in Route 53 (managed): every validation waits on records this stack creates in those zones", async () => {
        const resources = await managed;
        assert.ok(ofType(resources, VALIDATION).length >= 3);
        assert.deepStrictEqual(waitingOnOthers(resources), []);
    });

    it("refuses the key where Route 53 holds the zones: the stack always creates and waits on its records there", async () => {
        await assert.rejects(edge("preprod", { "magento:certificateValidation": "publish" }), /magento:certificateValidation: applies to magento:publicDns registrar only/);
    });
});
