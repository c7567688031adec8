// ebs-volumes-protected, asked over the analyzer protocol (the protect option travels in the request's options).
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { EBS_VOLUME } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

function volume(props: Record<string, unknown>, protect: boolean): StateResource[] {
    const b = new StackBuilder("preprod");
    b.add(EBS_VOLUME, "rundeck-data", { availabilityZone: "eu-west-3a", size: 50, type: "gp3", ...props }).protect =
        protect;
    return b.resources;
}

describe("aws-baseline / ebs-volumes-protected", () => {
    it("keeps: an encrypted, protected data volume, decided while its KMS key is unknown", async () => {
        assert.deepStrictEqual(
            await violations("ebs-volumes-protected", volume({ encrypted: true, kmsKeyId: UNKNOWN }, true)),
            [],
        );
    });

    it("breaks: a volume without the protect option", async () => {
        assert.deepStrictEqual(
            await violations("ebs-volumes-protected", volume({ encrypted: true, kmsKeyId: UNKNOWN }, false)),
            [
                "mandatory: EBS volume rundeck-data is not protected; create it with the protect option so no destroy or replaced component deletes its data.",
            ],
        );
    });

    it("breaks: a volume left unencrypted", async () => {
        assert.deepStrictEqual(await violations("ebs-volumes-protected", volume({}, true)), [
            "mandatory: EBS volume rundeck-data is not encrypted; set encrypted: true (EBS encrypts only at creation: later it takes a snapshot copy).",
        ]);
    });
});
