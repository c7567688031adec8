// Storefronts changed on a deployed stack: removing or inserting one touches its own certificate, validation records
// and listener certificate only; every other storefront's keep their names and inputs (docs/edge.md, "Changing storefronts").
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    ACM_CERTIFICATE,
    ACM_CERTIFICATE_VALIDATION,
    LB_LISTENER_CERTIFICATE,
    ROUTE53_RECORD,
} from "../../../policies/lib/types";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";

const A = { code: "brand_a", domains: ["preprod.brand-a.example"] };
const B = { code: "brand_b", domains: ["preprod.brand-b.example", "www.preprod.brand-b.example"] };
const X = { code: "brand_x", domains: ["preprod.brand-x.example"] };
const LISTS = { both: [A, B], removed: [B], inserted: [X, A, B] };
const capture = (list: keyof typeof LISTS) =>
    stackResources("preprod", { changes: { "magento:storefronts": LISTS[list] } });
prefetch(
    ...Object.keys(LISTS).map((l): [string, { changes: Record<string, unknown> }] => [
        "preprod",
        { changes: { "magento:storefronts": LISTS[l as keyof typeof LISTS] } },
    ]),
);

/** What serves `domain`: its certificate, the validation awaiting it, the records validating it, the listener's attachment. */
function servedBy(resources: readonly StateResource[], domain: string): Map<string, unknown> {
    const certificates = ofType(resources, ACM_CERTIFICATE).filter((c) =>
        [c.inputs?.domainName, ...((c.inputs?.subjectAlternativeNames as string[]) ?? [])].includes(domain),
    );
    const validations = resources.filter(
        (r) =>
            r.type === ACM_CERTIFICATE_VALIDATION &&
            certificates.some((c) => via(resources, r, "certificateArn").includes(c)),
    );
    const records = validations.flatMap((v) => via(resources, v, "validationRecordFqdns"));
    const attached = resources.filter(
        (r) =>
            r.type === LB_LISTENER_CERTIFICATE &&
            validations.some((v) => via(resources, r, "certificateArn").includes(v)),
    );
    return new Map([...certificates, ...validations, ...records, ...attached].map((r) => [r.urn, r.inputs]));
}

describe("edge: storefronts added and removed on a deployed stack", () => {
    it("removing the first storefront, or inserting one in front, changes no name or input of what serves another storefront", async () => {
        const before = servedBy(await capture("both"), B.domains[0]);
        for (const list of ["removed", "inserted"] as const) {
            assert.deepStrictEqual(servedBy(await capture(list), B.domains[0]), before, list);
        }
        assert.deepStrictEqual(
            [...before.keys()].map((u) => u.split("$").pop()!.split("::")[0]).sort(),
            [ACM_CERTIFICATE, ACM_CERTIFICATE_VALIDATION, LB_LISTENER_CERTIFICATE, ROUTE53_RECORD, ROUTE53_RECORD],
            "brand_b: a certificate, its validation, a record per name, the listener's attachment",
        );
    });
});
