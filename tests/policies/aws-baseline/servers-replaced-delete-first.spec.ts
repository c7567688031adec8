// servers-replaced-delete-first, asked over the analyzer protocol (deleteBeforeReplace travels in the request's options).
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { EBS_VOLUME, EC2_EIP_ASSOCIATION, EC2_INSTANCE, EC2_VOLUME_ATTACHMENT } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

/** Rundeck's instance with its data volume attached and, for a public server, an Elastic IP associated. */
function rundeck(instanceFirst: boolean, linksFirst: boolean): StateResource[] {
    const b = new StackBuilder("preprod");
    const vm = b.add(EC2_INSTANCE, "rundeck-instance", { ami: "ami-0123456789abcdef0", subnetId: UNKNOWN });
    const volume = b.add(EBS_VOLUME, "rundeck-data", { availabilityZone: "eu-west-3a", size: 50, encrypted: true });
    const attachment = b.add(
        EC2_VOLUME_ATTACHMENT,
        "rundeck-data",
        { deviceName: "/dev/sdf", volumeId: UNKNOWN, instanceId: UNKNOWN },
        { volumeId: [volume], instanceId: [vm] },
    );
    const eip = b.add(
        EC2_EIP_ASSOCIATION,
        "rundeck-eip-assoc",
        { allocationId: "eipalloc-0123456789abcdef0", instanceId: UNKNOWN },
        { instanceId: [vm] },
    );
    vm.deleteBeforeReplace = instanceFirst;
    attachment.deleteBeforeReplace = linksFirst;
    eip.deleteBeforeReplace = linksFirst;
    return b.resources;
}

describe("aws-baseline / servers-replaced-delete-first", () => {
    it("keeps: the instance and its attachments replaced delete-first", async () => {
        assert.deepStrictEqual(await violations("servers-replaced-delete-first", rundeck(true, true)), []);
    });

    it("breaks: an instance replaced create-first while a volume and an address move with it", async () => {
        assert.deepStrictEqual(await violations("servers-replaced-delete-first", rundeck(false, true)), [
            "mandatory: instance rundeck-instance has the volume attachment rundeck-data but is replaced create-first: its replacement would ask for what the old instance still holds (VolumeInUse); set deleteBeforeReplace: true on the instance.",
            "mandatory: instance rundeck-instance has the Elastic IP association rundeck-eip-assoc but is replaced create-first: its replacement would ask for what the old instance still holds (and boot without the address); set deleteBeforeReplace: true on the instance.",
        ]);
    });

    it("breaks: attachments replaced create-first", async () => {
        assert.deepStrictEqual(await violations("servers-replaced-delete-first", rundeck(true, false)), [
            "mandatory: volume attachment rundeck-data is replaced create-first: set deleteBeforeReplace: true so it detaches before it attaches again.",
            "mandatory: Elastic IP association rundeck-eip-assoc is replaced create-first: set deleteBeforeReplace: true so it detaches before it attaches again.",
        ]);
    });
});
