// ec2-hardening, asked over the analyzer protocol: the Server component's instance settings and a web launch
// template pass; each one property flipped fails with its message.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const IMDSV2 = { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 };
const SERVER = {
    ami: "ami-0123456789abcdef0",
    instanceType: "t3.small",
    subnetId: UNKNOWN,
    associatePublicIpAddress: false,
    metadataOptions: IMDSV2,
    rootBlockDevice: { encrypted: true, kmsKeyId: UNKNOWN, volumeType: "gp3", volumeSize: 20 },
};
const WEB = {
    imageId: "ami-0123456789abcdef0",
    metadataOptions: IMDSV2,
    userData: UNKNOWN,
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: UNKNOWN, volumeSize: 30 } }],
    networkInterfaces: [{ associatePublicIpAddress: "false", securityGroups: [UNKNOWN] }],
};

/** The props without one key (the wire has no undefined). */
function without(props: Record<string, unknown>, key: string): Record<string, unknown> {
    return Object.fromEntries(Object.entries(props).filter(([k]) => k !== key));
}

function server(type: string, props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(type, type === EC2_INSTANCE ? "rundeck" : "web-lt", props);
    return b.resources;
}

describe("aws-baseline / ec2-hardening", () => {
    it("keeps: an instance and a launch template with IMDSv2, encrypted volumes and no public IP, decided while keys are unknown", async () => {
        assert.deepStrictEqual(
            await violations(
                "ec2-hardening",
                server(EC2_INSTANCE, { ...SERVER, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] }),
            ),
            [],
        );
        assert.deepStrictEqual(await violations("ec2-hardening", server(EC2_LAUNCH_TEMPLATE, WEB)), []);
    });

    it("breaks: IMDSv1 left allowed on either", async () => {
        assert.deepStrictEqual(
            await violations(
                "ec2-hardening",
                server(EC2_INSTANCE, { ...SERVER, metadataOptions: { httpTokens: "optional" } }),
            ),
            ['mandatory: Instance rundeck allows IMDSv1; set metadataOptions.httpTokens: "required".'],
        );
        assert.deepStrictEqual(
            await violations("ec2-hardening", server(EC2_LAUNCH_TEMPLATE, without(WEB, "metadataOptions"))),
            ['mandatory: Launch template web-lt allows IMDSv1; set metadataOptions.httpTokens: "required".'],
        );
    });

    it("breaks: an unencrypted or undeclared root volume, and an unencrypted extra device", async () => {
        assert.deepStrictEqual(
            await violations("ec2-hardening", server(EC2_INSTANCE, { ...SERVER, rootBlockDevice: { volumeSize: 20 } })),
            ["mandatory: Instance rundeck leaves its root volume unencrypted; set rootBlockDevice.encrypted: true."],
        );
        assert.deepStrictEqual(
            await violations(
                "ec2-hardening",
                server(EC2_INSTANCE, { ...SERVER, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] }),
            ),
            ["mandatory: Instance rundeck leaves EBS device 0 unencrypted; set ebsBlockDevices[0].encrypted: true."],
        );
        assert.match(
            (await violations("ec2-hardening", server(EC2_LAUNCH_TEMPLATE, without(WEB, "blockDeviceMappings"))))[0],
            /declares no block device mapping/,
        );
        assert.deepStrictEqual(
            await violations(
                "ec2-hardening",
                server(EC2_LAUNCH_TEMPLATE, {
                    ...WEB,
                    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30 } }],
                }),
            ),
            ['mandatory: Launch template web-lt leaves block device mapping 0 unencrypted; set ebs.encrypted: "true".'],
        );
    });

    it("breaks: a launch template that gives its instances public IPs", async () => {
        assert.deepStrictEqual(
            await violations(
                "ec2-hardening",
                server(EC2_LAUNCH_TEMPLATE, { ...WEB, networkInterfaces: [{ associatePublicIpAddress: "true" }] }),
            ),
            [
                "mandatory: Launch template web-lt gives its instances a public IP (networkInterfaces[0]); servers take no public address: reach them through a load balancer, the VPN or SSM Session Manager.",
            ],
        );
    });
});
