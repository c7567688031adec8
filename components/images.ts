// Which image a server boots: a pinned AMI id, or the latest Amazon Linux 2023 for the instance's architecture
// from AWS's public SSM parameter (then held, see ServerArgs.ignoreImageDrift, until an operator pins one).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Graviton families carry a "g" after the generation digit: t4g, m7g, c6gn, r6gd, g5g (not g5, a GPU family). */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
    return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType) ? "arm64" : "x86_64";
}

export interface ImageChoice {
    readonly imageId: pulumi.Input<string>;
    readonly ignoreImageDrift: boolean;
}

export function amazonLinuxOrPinned(pinned: string | undefined, instanceType: string): ImageChoice {
    if (pinned) {
        return { imageId: pinned, ignoreImageDrift: false };
    }
    const parameter = `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architectureOf(instanceType)}`;
    return { imageId: aws.ssm.getParameterOutput({ name: parameter }).value, ignoreImageDrift: true };
}

/** Where the release's image id comes from: pinned in the stack, or the SSM parameter the image pipeline writes. */
export type ImageSource = { readonly amiId: string } | { readonly parameterName: string };

/**
 * The release image. A parameter is read at deploy time, so a new image in it becomes a new launch template version
 * (and an instance refresh) on the next `pulumi up`, reviewed in the preview like any other change.
 */
export function releaseImage(source: ImageSource): pulumi.Input<string> {
    return "amiId" in source ? source.amiId : aws.ssm.getParameterOutput({ name: source.parameterName }).value;
}
