// Every EC2 instance and launch template: instance metadata only through IMDSv2 sessions (an SSRF in PHP cannot read
// the role's credentials with a plain GET), every volume encrypted (root included: left out, it follows the image
// and the account's default, which a preview cannot see), and launch templates never hand out public IPs.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../lib/types";
import { fails, indices, known, NOT_KNOWN, read } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

/** Launch templates take EC2's API strings ("true"); instances take booleans. */
const isTrue = (value: unknown) => value === true || value === "true";

export const ec2Hardening: ResourceValidationPolicy = {
    name: "ec2-hardening",
    description:
        "EC2 instances and launch templates require IMDSv2 and encrypt every volume; launch templates associate no public IP.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== EC2_INSTANCE && args.type !== EC2_LAUNCH_TEMPLATE) {
            return;
        }
        const what = `${args.type === EC2_INSTANCE ? "Instance" : "Launch template"} ${args.name}`;
        const props = args.props;
        if (fails(read(props, "metadataOptions", "httpTokens"), (v) => v === "required")) {
            reportViolation(`${what} allows IMDSv1; set metadataOptions.httpTokens: "required".`);
        }
        const unencrypted = (value: unknown) => value !== NOT_KNOWN && !isTrue(value);
        if (args.type === EC2_INSTANCE) {
            if (unencrypted(read(props, "rootBlockDevice", "encrypted"))) {
                reportViolation(`${what} leaves its root volume unencrypted; set rootBlockDevice.encrypted: true.`);
            }
            for (const i of indices(known(props, "ebsBlockDevices"))) {
                if (unencrypted(read(props, "ebsBlockDevices", i, "encrypted"))) {
                    reportViolation(
                        `${what} leaves EBS device ${i} unencrypted; set ebsBlockDevices[${i}].encrypted: true.`,
                    );
                }
            }
            return;
        }
        const mappings = indices(known(props, "blockDeviceMappings"));
        if (fails(read(props, "blockDeviceMappings"), () => mappings.length > 0)) {
            reportViolation(
                `${what} declares no block device mapping, so its root volume is encrypted only if the image is; ` +
                    'map the root device with ebs.encrypted: "true".',
            );
        }
        for (const i of mappings.filter((m) => known(props, "blockDeviceMappings", m, "ebs") !== undefined)) {
            if (unencrypted(read(props, "blockDeviceMappings", i, "ebs", "encrypted"))) {
                reportViolation(`${what} leaves block device mapping ${i} unencrypted; set ebs.encrypted: "true".`);
            }
        }
        for (const i of indices(known(props, "networkInterfaces"))) {
            if (isTrue(known(props, "networkInterfaces", i, "associatePublicIpAddress"))) {
                reportViolation(
                    `${what} gives its instances a public IP (networkInterfaces[${i}]); servers take no public address: reach them through a load balancer, the VPN or SSM Session Manager.`,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_INSTANCE, EC2_LAUNCH_TEMPLATE],
    decides:
        "Decides during preview from metadataOptions.httpTokens, block device encrypted flags and network interfaces as written; an unknown flag waits for the update.",
    remediation:
        "Set metadataOptions httpTokens to required, encrypt every block device mapping, and set associatePublicIpAddress false on the launch template's network interfaces.",
    controls: controls({
        securityHub: ["EC2.8", "EC2.25"],
        awsConfig: ["ec2-imdsv2-check", "ec2-launch-template-imdsv2-check", "ec2-launch-template-public-ip-disabled"],
        checkov: ["CKV_AWS_79", "CKV_AWS_8"],
        trivy: ["AVD-AWS-0028", "AVD-AWS-0131"],
    }),
};
