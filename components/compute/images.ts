// Which image a server boots: a pinned AMI id, or the latest Amazon Linux 2023 for the instance's architecture (or
// Windows Server 2022 for the Windows host) from AWS's public SSM parameter (then held, see
// ServerArgs.ignoreImageDrift, until an operator pins one).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { architectureOf } from "../../model/architecture";
import type { ImageSource } from "../../model/images";
import { parseReleaseRecord } from "./release-record";

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

/** Which image a web tier's launch template boots, as its LAUNCH_IMAGE_TAG says: the release record's name, `pinned`,
 *  another parameter's name, or `none` (no release yet). */
export interface ReleaseImageChoice extends ImageChoice {
    readonly source: Promise<string>;
    /** A release image exists: false on a fresh stack, whose web groups then keep no server. */
    readonly released: Promise<boolean>;
    /** What the servers run (RELEASE_VERSION_TAG): the record's version, `none` before one, `unrecorded` for an image
     *  the configuration names (the runner recorded no version of it). */
    readonly version: Promise<string>;
}

/** The stack's own parameters: the candidate the pipeline or a promotion writes (the runner's input), and the
 *  runner's record of the release in service (model/release.ts). */
export interface ReleaseParameters {
    readonly candidate: string;
    readonly record: string;
}

/**
 * The release image, read at deploy time into the launch templates as an image id (never `resolve:ssm:`: AWS cannot
 * roll back an instance refresh whose template resolves its image from a parameter,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html).
 * Unset (the stack's candidate parameter), magento:webImage boots the runner's record, never the candidate: a build
 * reaches the servers only through the runner's rollout, and a `pulumi up --refresh` after it (or after a rollback)
 * finds the template already booting the record, so it changes nothing. The record is looked up by its path: absent
 * (a fresh stack, before the first release), the lookup answers an empty list rather than failing
 * (https://www.pulumi.com/registry/packages/aws/api-docs/ssm/getparametersbypath/), and the template takes the stock
 * Amazon Linux 2023 image of the instance's architecture, for a group of no server.
 * Another parameter named in magento:webImage is the operator's and must exist.
 */
export function releaseImage(source: ImageSource, own: ReleaseParameters, instanceType: string): ReleaseImageChoice {
    if ("amiId" in source) {
        return configured(source.amiId, "pinned");
    }
    const name = source.parameterName;
    if (name !== own.candidate) {
        return configured(aws.ssm.getParameterOutput({ name }).value, name);
    }
    const found = aws.ssm.getParametersByPath({ path: own.record.slice(0, own.record.lastIndexOf("/")) }).then((r) => {
        const i = r.names.indexOf(own.record);
        return i < 0 ? undefined : parseReleaseRecord(own.record, r.values[i]);
    });
    const stock = amazonLinuxOrPinned(undefined, instanceType).imageId;
    return {
        imageId: pulumi.all([found, stock]).apply(([record, stockId]) => record?.imageId ?? stockId),
        ignoreImageDrift: false, // followed, never held: the runner's template version already boots it
        source: found.then((record) => (record === undefined ? "none" : own.record)),
        released: found.then((record) => record !== undefined),
        version: found.then((record) => record?.version ?? "none"),
    };
}

/** The version tag of an image the configuration names: no runner release recorded it. */
const UNRECORDED = "unrecorded";

function configured(imageId: pulumi.Input<string>, source: string): ReleaseImageChoice {
    return {
        imageId,
        ignoreImageDrift: false,
        source: Promise.resolve(source),
        released: Promise.resolve(true),
        version: Promise.resolve(UNRECORDED),
    };
}
