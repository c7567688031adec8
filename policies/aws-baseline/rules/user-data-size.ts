// EC2 refuses user data over 16 KB, counted raw before base64 (EC2 user guide, "Work with instance user data":
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html; RunInstances and launch
// template data: "User data is limited to 16 KB"). The mock runtime accepts any size, so only this rule shows that
// an `up` creating or rebuilding the server would fail. gzip is counted compressed, as EC2 stores it.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { USER_DATA_LIMIT, userDataBytes } from "../../lib/user-data";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../lib/types";
import { controls, RuleMetadata } from "../../lib/metadata";

export const userDataSize: ResourceValidationPolicy = {
    name: "user-data-size",
    description: `EC2 instance and launch template user data at most ${USER_DATA_LIMIT} bytes (raw, before base64), as EC2 accepts.`,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const bytes = userDataBytes(args.type, args.props);
        if (bytes !== undefined && bytes > USER_DATA_LIMIT) {
            const kind = args.type === EC2_INSTANCE ? "Instance" : "Launch template";
            reportViolation(
                `${kind} ${args.name} has ${bytes} bytes of user data; EC2 accepts at most ${USER_DATA_LIMIT} ` +
                    "(raw, before base64): send it gzip-compressed (cloud-init decompresses it) or shorten it.",
            );
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [EC2_INSTANCE, EC2_LAUNCH_TEMPLATE],
    decides:
        "Decides during preview from userData (bytes) or decoded userDataBase64 of instances and decoded userData of launch templates; unknown user data passes.",
    remediation:
        "Move what the user data carries (scripts, files) into the image or a bucket the server reads at boot, until the raw user data is within the limit.",
    controls: controls({}),
    sources: ["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html"],
};
