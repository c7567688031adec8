// An ACM CertificateValidation waits (up to 75 minutes) until ACM has issued the certificate, which needs its DNS
// validation records to resolve. A validation that waits on records nobody can have created yet times the `up` out:
// records that are only a stack output exist for the operator after the `up`, not during it. Each validation
// therefore waits on Route 53 records of the stack (matched by property dependency, so a preview decides), or on a
// certificate tagged `ValidationRecords: registrar-created`, the stack's statement that the registrar holds them.
import { StackValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType } from "../../lib/stack";
import { ACM_CERTIFICATE, ACM_CERTIFICATE_VALIDATION, ROUTE53_RECORD } from "../../lib/types";
import { NOT_KNOWN, read } from "../../lib/values";

const TAG = "ValidationRecords";
const CREATED = "registrar-created";

export const certificateValidationSatisfiable: StackValidationPolicy = {
    name: "certificate-validation-satisfiable",
    description:
        "Every ACM CertificateValidation waits on Route 53 validation records of the stack, or on a certificate tagged ValidationRecords: registrar-created.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const v of ofType(args.resources, ACM_CERTIFICATE_VALIDATION)) {
            if (dependsOn(v, "validationRecordFqdns", ROUTE53_RECORD).length > 0) {
                continue;
            }
            const certificates = dependsOn(v, "certificateArn", ACM_CERTIFICATE);
            // Tags not known yet (a preview computing them) decide nothing: the update does.
            if (
                !certificates.some((c) => [CREATED, NOT_KNOWN].includes(read(c.props, "tags", TAG) as string | symbol))
            ) {
                reportViolation(
                    `Certificate validation ${v.name} waits on DNS records this stack does not create, and nothing says they exist: the up waits ` +
                        `up to 75 minutes for ACM and fails. Create the records in Route 53 here (validationRecordFqdns), or request the certificate without ` +
                        `waiting until the operator has created them, then tag it ${TAG}: ${CREATED} and wait.`,
                    v.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [ACM_CERTIFICATE_VALIDATION, ACM_CERTIFICATE, ROUTE53_RECORD],
    decides:
        "Decides during preview from each validation's property dependencies (validationRecordFqdns on Route 53 records, certificateArn on a certificate) and that certificate's ValidationRecords tag.",
    remediation:
        "Create the certificate's DNS validation records in a Route 53 zone of the stack and pass their fqdns to the CertificateValidation, or, where the records live at a registrar, tag the certificate ValidationRecords=registrar-created once they exist.",
    controls: controls({}),
};
