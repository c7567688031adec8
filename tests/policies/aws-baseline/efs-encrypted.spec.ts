// efs-encrypted, asked over the analyzer protocol.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { EFS_FILE_SYSTEM } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

function fileSystem(props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("preprod");
    b.add(EFS_FILE_SYSTEM, "media-fs", props);
    return b.resources;
}

describe("aws-baseline / efs-encrypted", () => {
    it("keeps: an encrypted file system, decided while its KMS key is unknown", async () => {
        assert.deepStrictEqual(
            await violations(
                "efs-encrypted",
                fileSystem({ encrypted: true, kmsKeyId: UNKNOWN, throughputMode: "elastic" }),
            ),
            [],
        );
    });

    it("breaks: encryption left out", async () => {
        assert.deepStrictEqual(await violations("efs-encrypted", fileSystem({ throughputMode: "elastic" })), [
            "mandatory: EFS file system media-fs is not encrypted at rest; set encrypted: true " +
                "(EFS encrypts only at creation: later it takes a new file system and a copy).",
        ]);
    });
});
