// Which image a server boots: a pinned AMI id, or the latest Amazon Linux 2023 for the instance's architecture (or
// Windows Server 2022 for the Windows host) from AWS's public SSM parameter (then held, see
// ServerArgs.ignoreImageDrift, until an operator pins one).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { architectureOf } from "../../model/architecture";
import type { ImageSource } from "../../model/images";

export { architectureOf };

export interface ImageChoice {
    readonly imageId: pulumi.Input<string>;
    readonly ignoreImageDrift: boolean;
}

export function amazonLinuxOrPinned(pinned: string | undefined, instanceType: string): ImageChoice {
    return latestOrPinned(
        pinned,
        `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architectureOf(instanceType)}`,
    );
}

/** Windows Server 2022 Base (English) exists for x86_64 only; validation refuses a Graviton type for it. */
export function windowsServerOrPinned(pinned: string | undefined): ImageChoice {
    return latestOrPinned(pinned, "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base");
}

function latestOrPinned(pinned: string | undefined, parameter: string): ImageChoice {
    if (pinned) {
        return { imageId: pinned, ignoreImageDrift: false };
    }
    return { imageId: aws.ssm.getParameterOutput({ name: parameter }).value, ignoreImageDrift: true };
}

/**
 * The release image. A parameter is read at deploy time, so a new image in it becomes a new launch template version
 * (and an instance refresh) on the next `pulumi up`, reviewed in the preview like any other change.
 */
export function releaseImage(source: ImageSource): pulumi.Input<string> {
    return "amiId" in source ? source.amiId : aws.ssm.getParameterOutput({ name: source.parameterName }).value;
}
