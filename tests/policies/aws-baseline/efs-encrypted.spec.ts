// efs-encrypted, asked over the analyzer protocol.
import * as assert from "assert";
import { check, StackBuilder, UNKNOWN } from "../../helpers/packs";

async function violations(props: Record<string, unknown>): Promise<string[]> {
    const b = new StackBuilder("preprod");
    b.add("aws:efs/fileSystem:FileSystem", "media-fs", props);
    return (await check("aws-baseline", b.resources)).filter((d) => d.policy === "efs-encrypted").map((d) => `${d.level}: ${d.message.replace(`${d.description}\n`, "")}`);
}

describe("aws-baseline / efs-encrypted", () => {
    it("keeps: an encrypted file system, decided while its KMS key is unknown", async () => {
        assert.deepStrictEqual(await violations({ encrypted: true, kmsKeyId: UNKNOWN, throughputMode: "elastic" }), []);
    });

    it("breaks: encryption left out", async () => {
        assert.deepStrictEqual(await violations({ throughputMode: "elastic" }), [
            "mandatory: EFS file system media-fs is not encrypted at rest; set encrypted: true " +
            "(EFS encrypts only at creation: later it takes a new file system and a copy).",
        ]);
    });
});
