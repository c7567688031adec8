// certificate-validation-satisfiable, asked over the analyzer protocol: a validation waiting on the stack's Route 53
// records, or on a certificate the stack says has its records at the registrar, passes; one waiting on records that
// exist only as an output (the first up at a registrar) fails.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { ACM_CERTIFICATE, ACM_CERTIFICATE_VALIDATION, ROUTE53_RECORD } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

function stack(opts: { record?: boolean; tag?: string }): StateResource[] {
    const b = new StackBuilder("prod");
    const certificate = b.add(ACM_CERTIFICATE, "brand-a", {
        domainName: "brand-a.example",
        validationMethod: "DNS",
        tags: opts.tag ? { ValidationRecords: opts.tag } : {},
    });
    const record = opts.record
        ? b.add(ROUTE53_RECORD, "brand-a-validation", {
              zoneId: UNKNOWN,
              type: "CNAME",
              name: UNKNOWN,
              records: [UNKNOWN],
          })
        : undefined;
    b.add(
        ACM_CERTIFICATE_VALIDATION,
        "brand-a",
        { certificateArn: UNKNOWN, ...(record ? { validationRecordFqdns: [UNKNOWN] } : {}) },
        { certificateArn: [certificate], ...(record ? { validationRecordFqdns: [record] } : {}) },
    );
    return b.resources;
}

describe("aws-baseline / certificate-validation-satisfiable", () => {
    it("keeps: validation records created in Route 53 by the stack; records the stack says the registrar holds", async () => {
        assert.deepStrictEqual(
            await violations("certificate-validation-satisfiable", stack({ record: true, tag: "route53" })),
            [],
        );
        assert.deepStrictEqual(
            await violations("certificate-validation-satisfiable", stack({ tag: "registrar-created" })),
            [],
        );
    });

    it("breaks: a validation waiting on records that are only an output (untagged, or still pending at the registrar)", async () => {
        const expected = [
            "mandatory: Certificate validation brand-a waits on DNS records this stack does not create, and nothing says they exist: the up waits " +
                "up to 75 minutes for ACM and fails. Create the records in Route 53 here (validationRecordFqdns), or request the certificate without " +
                "waiting until the operator has created them, then tag it ValidationRecords: registrar-created and wait.",
        ];
        assert.deepStrictEqual(await violations("certificate-validation-satisfiable", stack({})), expected);
        assert.deepStrictEqual(
            await violations("certificate-validation-satisfiable", stack({ tag: "registrar-pending" })),
            expected,
        );
    });
});
