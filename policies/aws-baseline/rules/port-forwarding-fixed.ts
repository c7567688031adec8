// A Session Manager document of session type Port lets whoever may use it open a tunnel from the target server: with
// its host or port left as a parameter ({{ host }}, as AWS's AWS-StartPortForwardingSessionToRemoteHost leaves them),
// anyone allowed the document reaches every address and port the server reaches (the databases, the search domain,
// other stacks' peers), and a document with no host forwards to any port of the server itself. So each of the stack's
// Port documents names one host and one port as literals; only the local port may be the operator's
// (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html: properties of a Port
// session). Decides during preview where the content is known; content computed from an endpoint not known yet
// (a first preview) passes, and the update decides.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, RuleMetadata } from "../../lib/metadata";
import { SSM_DOCUMENT } from "../../lib/types";
import { knownString } from "../../lib/values";

/** A value the session's user fills in: a {{ parameter }} reference. */
const PARAMETER = /\{\{.*\}\}/;

export const portForwardingFixed: ResourceValidationPolicy = {
    name: "port-forwarding-fixed",
    description:
        "Session Manager Port documents forward to one literal host and port; only the local port may be a parameter.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== SSM_DOCUMENT || knownString(args.props, "documentType") !== "Session") {
            return;
        }
        const content = knownString(args.props, "content");
        let document: { sessionType?: unknown; properties?: Record<string, unknown> };
        try {
            document = content === undefined ? {} : JSON.parse(content);
        } catch {
            return; // YAML documents are not written by this program; SSM validates the syntax
        }
        if (document.sessionType !== "Port") {
            return;
        }
        const loose = ["host", "portNumber"].filter((key) => {
            const value = document.properties?.[key];
            return typeof value !== "string" || value === "" || PARAMETER.test(value);
        });
        if (loose.length > 0) {
            reportViolation(
                `Session document ${args.name} forwards ports with ${loose.map((k) => `properties.${k}`).join(" and ")} ` +
                    "missing or left to the session's user: whoever may use it reaches any address or port its target " +
                    "server reaches. Name the one host and port it is for (components/operations/database-access.ts).",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [SSM_DOCUMENT],
    decides:
        "Decides during preview from the document's JSON content (sessionType Port, properties.host and portNumber); content not known yet passes.",
    remediation:
        "Write the document's host and portNumber as literal values (the database's endpoint and port) and leave only localPortNumber as a parameter.",
    controls: controls({}),
    sources: ["https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html"],
};
