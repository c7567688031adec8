// A server whose EBS volume or Elastic IP moves to its replacement must be replaced delete-first. Pulumi creates a
// replacement before deleting the old resource unless deleteBeforeReplace is set
// (https://www.pulumi.com/docs/iac/concepts/options/deletebeforereplace/): the new attachment would then ask for a
// volume the old instance still holds (VolumeInUse) and every rebuild would fail. The attachment or association carries
// the option too, so its own replacement detaches before it attaches. The option travels in the analyzer request.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { dependsOn, ofType } from "../../lib/stack";
import { EC2_EIP_ASSOCIATION, EC2_INSTANCE, EC2_VOLUME_ATTACHMENT } from "../../lib/types";
import { controls, RuleMetadata } from "../../lib/metadata";

const what = (r: PolicyResource) => (r.type === EC2_VOLUME_ATTACHMENT ? "volume attachment" : "Elastic IP association");

export const serversReplacedDeleteFirst: StackValidationPolicy = {
    name: "servers-replaced-delete-first",
    description:
        "An instance with an EBS volume attachment or Elastic IP association, and that attachment, are replaced delete-first (deleteBeforeReplace).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const link of ofType(args.resources, EC2_VOLUME_ATTACHMENT, EC2_EIP_ASSOCIATION)) {
            const instances = dependsOn(link, "instanceId", EC2_INSTANCE);
            for (const instance of instances.filter((i) => i.opts.deleteBeforeReplace !== true)) {
                reportViolation(
                    `instance ${instance.name} has the ${what(link)} ${link.name} but is replaced create-first: its replacement would ` +
                        `ask for what the old instance still holds (${link.type === EC2_VOLUME_ATTACHMENT ? "VolumeInUse" : "and boot without the address"}); ` +
                        "set deleteBeforeReplace: true on the instance.",
                    instance.urn,
                );
            }
            if (instances.length > 0 && link.opts.deleteBeforeReplace !== true) {
                reportViolation(
                    `${what(link)} ${link.name} is replaced create-first: set deleteBeforeReplace: true so it detaches before it attaches again.`,
                    link.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_INSTANCE, EC2_VOLUME_ATTACHMENT, EC2_EIP_ASSOCIATION],
    decides:
        "Decides during preview from the deleteBeforeReplace resource option of instances and of the attachments and associations whose instanceId depends on them.",
    remediation:
        "Give the instance and its volume attachment or Elastic IP association the deleteBeforeReplace option, so a replacement detaches the volume or address before the new server needs it.",
    controls: controls({}),
};
