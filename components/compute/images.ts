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

/** Which image a web tier's launch template boots, as its LAUNCH_IMAGE_TAG says: the release parameter's name,
 *  `pinned`, or `none` (no release yet). */
export interface ReleaseImageChoice extends ImageChoice {
    readonly source: Promise<string>;
    /** A release image exists: false on a fresh stack, whose web groups then keep no server. */
    readonly released: Promise<boolean>;
}

/**
 * The release image, read at deploy time into the launch templates as an image id (never `resolve:ssm:`: AWS cannot
 * roll back an instance refresh whose template resolves its image from a parameter,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html), so a new image in the
 * parameter is a new template version and an instance refresh on the next `pulumi up`, reviewed in the preview.
 * The stack's own parameter is looked up by its path: absent (a fresh stack, before the first image), the lookup
 * answers an empty list rather than failing (https://www.pulumi.com/registry/packages/aws/api-docs/ssm/getparametersbypath/),
 * and the template takes the stock Amazon Linux 2023 image of the instance's architecture, for a group of no server.
 * Another parameter named in magento:webImage is the operator's and must exist.
 */
export function releaseImage(source: ImageSource, ownParameter: string, instanceType: string): ReleaseImageChoice {
    if ("amiId" in source) {
        return { ...pinned(source.amiId), source: Promise.resolve("pinned"), released: Promise.resolve(true) };
    }
    const name = source.parameterName;
    if (name !== ownParameter) {
        return {
            ...pinned(aws.ssm.getParameterOutput({ name }).value),
            source: Promise.resolve(name),
            released: Promise.resolve(true),
        };
    }
    const path = name.slice(0, name.lastIndexOf("/"));
    const found = aws.ssm
        .getParametersByPath({ path })
        .then((r) => (r.names.includes(name) ? r.values[r.names.indexOf(name)] : undefined));
    const stock = amazonLinuxOrPinned(undefined, instanceType).imageId;
    return {
        imageId: pulumi.all([found, stock]).apply(([id, stockId]) => id ?? stockId),
        ignoreImageDrift: false, // followed, never held: a new release image rolls out by instance refresh
        source: found.then((id) => (id === undefined ? "none" : name)),
        released: found.then((id) => id !== undefined),
    };
}

function pinned(imageId: pulumi.Input<string>): ImageChoice {
    return { imageId, ignoreImageDrift: false };
}
