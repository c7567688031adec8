// efs-in-every-compute-az, asked over the analyzer protocol: a file system whose mount targets miss an AZ where a
// group or a server runs is rejected, and the real stacks (every subnet id unknown at preview) keep it.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import {
    AUTOSCALING_GROUP,
    EC2_INSTANCE,
    EC2_SUBNET,
    EC2_VPC,
    EFS_FILE_SYSTEM,
    EFS_MOUNT_TARGET,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { stackResources } from "../../helpers/stacks";

const THREE = ["eu-west-3a", "eu-west-3b", "eu-west-3c"];

/** A VPC with a private subnet per AZ of `THREE`, a web group over all of them, a server in the last one, and an
 *  EFS file system with mount targets in `mountAzs`. */
function stack(mountAzs: string[]): StateResource[] {
    const b = new StackBuilder("preprod");
    const vpc = b.add(EC2_VPC, "vpc", { cidrBlock: "10.20.0.0/16" });
    const subnets = new Map(
        THREE.map((az) => [
            az,
            b.add(EC2_SUBNET, `private-${az}`, { availabilityZone: az, vpcId: UNKNOWN }, { vpcId: [vpc] }),
        ]),
    );
    b.add(
        AUTOSCALING_GROUP,
        "web",
        { vpcZoneIdentifiers: [UNKNOWN, UNKNOWN] },
        { vpcZoneIdentifiers: [subnets.get("eu-west-3a")!, subnets.get("eu-west-3b")!] },
    );
    b.add(EC2_INSTANCE, "rundeck", { subnetId: UNKNOWN }, { subnetId: [subnets.get("eu-west-3c")!] });
    const fs = b.add(EFS_FILE_SYSTEM, "shared", { encrypted: true });
    for (const az of mountAzs) {
        b.add(
            EFS_MOUNT_TARGET,
            `mount-${az}`,
            { fileSystemId: UNKNOWN, subnetId: UNKNOWN },
            { fileSystemId: [fs], subnetId: [subnets.get(az)!] },
        );
    }
    return b.resources;
}

describe("magento / efs-in-every-compute-az", () => {
    it("keeps: a mount target in every AZ that has a group or a server", async () => {
        assert.deepStrictEqual(await violations("efs-in-every-compute-az", stack(THREE)), []);
    });

    it("breaks: the AZ of a server and of one of the web group's subnets have no mount target", async () => {
        assert.deepStrictEqual(await violations("efs-in-every-compute-az", stack(["eu-west-3a"])), [
            "mandatory: EFS file system shared has no mount target in eu-west-3b, where web runs: a server there cannot mount the shared folders. Add a mount target in a subnet of each AZ that has compute.",
            "mandatory: EFS file system shared has no mount target in eu-west-3c, where rundeck runs: a server there cannot mount the shared folders. Add a mount target in a subnet of each AZ that has compute.",
        ]);
    });

    it("decides during preview on the real stacks, where every subnet id is still unknown", async () => {
        assert.deepStrictEqual(await violations("efs-in-every-compute-az", await stackResources("prod")), []);
        assert.deepStrictEqual(await violations("efs-in-every-compute-az", await stackResources("preprod")), []);
    });
});
