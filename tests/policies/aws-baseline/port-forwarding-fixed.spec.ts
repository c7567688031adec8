// port-forwarding-fixed, asked over the analyzer protocol: a Port session document that fixes its host and port
// passes; one that leaves either to the session's user, or names no host (any port of the server), is refused.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { SSM_DOCUMENT } from "../../../policies/lib/types";
import { portForwardingDocument } from "../../../components/operations/database-access";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

function documents(...contents: unknown[]): StateResource[] {
    const b = new StackBuilder("prod");
    contents.forEach((content, i) =>
        b.add(SSM_DOCUMENT, `doc-${i}`, {
            documentType: "Session",
            content: content === UNKNOWN ? UNKNOWN : JSON.stringify(content),
        }),
    );
    return b.resources;
}

const FIXED = portForwardingDocument("the shop", "magento-prod-mysql.c1.eu-west-3.rds.amazonaws.com", 3306);
/** As AWS-StartPortForwardingSessionToRemoteHost: host and ports are the session's parameters. */
const OPEN = {
    schemaVersion: "1.0",
    sessionType: "Port",
    parameters: { host: { type: "String" }, portNumber: { type: "String" }, localPortNumber: { type: "String" } },
    properties: {
        type: "LocalPortForwarding",
        host: "{{ host }}",
        portNumber: "{{ portNumber }}",
        localPortNumber: "{{ localPortNumber }}",
    },
};

describe("aws-baseline / port-forwarding-fixed", () => {
    it("keeps: a fixed host and port with the local port a parameter, a shell document, content not known yet", async () => {
        const shell = { schemaVersion: "1.0", sessionType: "Standard_Stream", inputs: {} };
        assert.deepStrictEqual(await violations("port-forwarding-fixed", documents(FIXED, shell, UNKNOWN)), []);
    });

    it("breaks: host and port left to the user, or no host at all (any port of the server)", async () => {
        const noHost = { ...FIXED, properties: { type: "LocalPortForwarding", portNumber: "{{ portNumber }}" } };
        const found = await violations("port-forwarding-fixed", documents(OPEN, noHost));
        assert.strictEqual(found.length, 2);
        assert.match(
            found[0],
            /^mandatory: Session document doc-0 forwards ports with properties.host and properties.portNumber missing or left to the session's user/,
        );
        assert.match(found[1], /doc-1 forwards ports with properties.host and properties.portNumber/);
    });

    it("the real prod stack keeps it", async () => {
        assert.deepStrictEqual(await violations("port-forwarding-fixed", await stackResources("prod")), []);
    });
});
