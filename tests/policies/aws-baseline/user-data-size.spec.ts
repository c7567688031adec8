// user-data-size, asked over the analyzer protocol: EC2 counts user data raw, before base64, so gzip counts compressed.
import * as assert from "assert";
import { gzipSync } from "zlib";
import { StateResource } from "../../../offline/state";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

/** A cloud-config of `bytes` bytes (ASCII). */
const document = (bytes: number) => `#cloud-config\n${"#".repeat(bytes - 15)}\n`;
const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

function server(type: string, props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(type, type === EC2_INSTANCE ? "rundeck-server-instance" : "frontend-lt", props);
    return b.resources;
}

describe("aws-baseline / user-data-size", () => {
    it("keeps: 16384 bytes as text or base64, a larger document gzip-compressed under the limit, unknown user data", async () => {
        assert.strictEqual(document(16384).length, 16384);
        assert.deepStrictEqual(
            await violations("user-data-size", server(EC2_INSTANCE, { userData: document(16384) })),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "user-data-size",
                server(EC2_INSTANCE, { userDataBase64: base64(gzipSync(document(40000))) }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations("user-data-size", server(EC2_LAUNCH_TEMPLATE, { userData: base64(document(16384)) })),
            [],
        );
        assert.deepStrictEqual(await violations("user-data-size", server(EC2_INSTANCE, { userData: UNKNOWN })), []);
    });

    it("breaks: one byte over the limit, as text, as base64 on an instance or on a launch template", async () => {
        const message = (kind: string, name: string) =>
            `mandatory: ${kind} ${name} has 16385 bytes of user data; EC2 accepts at most 16384 ` +
            "(raw, before base64): send it gzip-compressed (cloud-init decompresses it) or shorten it.";
        assert.deepStrictEqual(
            await violations("user-data-size", server(EC2_INSTANCE, { userData: document(16385) })),
            [message("Instance", "rundeck-server-instance")],
        );
        assert.deepStrictEqual(
            await violations("user-data-size", server(EC2_INSTANCE, { userDataBase64: base64(document(16385)) })),
            [message("Instance", "rundeck-server-instance")],
        );
        assert.deepStrictEqual(
            await violations("user-data-size", server(EC2_LAUNCH_TEMPLATE, { userData: base64(document(16385)) })),
            [message("Launch template", "frontend-lt")],
        );
    });
});
