// ebs-volumes-protected, asked over the analyzer protocol (the protect option travels in the request's options).
import * as assert from "assert";
import { check, StackBuilder, UNKNOWN } from "../../helpers/packs";

async function violations(props: Record<string, unknown>, protect: boolean): Promise<string[]> {
    const b = new StackBuilder("preprod");
    b.add("aws:ebs/volume:Volume", "rundeck-data", { availabilityZone: "eu-west-3a", size: 50, type: "gp3", ...props }).protect = protect;
    return (await check("aws-baseline", b.resources)).filter((d) => d.policy === "ebs-volumes-protected").map((d) => d.message.replace(`${d.description}\n`, ""));
}

describe("aws-baseline / ebs-volumes-protected", () => {
    it("keeps: an encrypted, protected data volume, decided while its KMS key is unknown", async () => {
        assert.deepStrictEqual(await violations({ encrypted: true, kmsKeyId: UNKNOWN }, true), []);
    });

    it("breaks: a volume without the protect option", async () => {
        assert.deepStrictEqual(await violations({ encrypted: true, kmsKeyId: UNKNOWN }, false),
            ["EBS volume rundeck-data is not protected; create it with the protect option so no destroy or replaced component deletes its data."]);
    });

    it("breaks: a volume left unencrypted", async () => {
        assert.deepStrictEqual(await violations({}, true),
            ["EBS volume rundeck-data is not encrypted; set encrypted: true (EBS encrypts only at creation: later it takes a snapshot copy)."]);
    });
});
