// The runner's record of what a stack runs (model/release.ts releaseRecordParameter), as the program reads it at deploy
// time: a value the runner did not write fails the deployment, naming the parameter, rather than boot something else.
import { RELEASE_VERSION } from "../../model/release";

export interface ReleaseRecord {
    readonly version: string;
    readonly commit: string;
    readonly imageId: string;
}

/** EC2's AMI ids: ami- and 8 or 17 hexadecimal digits (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). */
const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const COMMIT = /^[0-9a-f]{7,40}$/;

/** The record a parameter holds, or an error naming it and what is wrong. */
export function parseReleaseRecord(parameter: string, value: string): ReleaseRecord {
    const wrong = (why: string) =>
        new Error(
            `${parameter} holds ${JSON.stringify(value)}, ${why}: the release runner writes {"version","commit","imageId"} there; ` +
                `restore the runner's value (its previous one is beside it) before deploying`,
        );
    let record: unknown;
    try {
        record = JSON.parse(value);
    } catch {
        throw wrong("not JSON");
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
        throw wrong("not a JSON object");
    }
    const { version, commit, imageId } = record as Record<string, unknown>;
    if (typeof imageId !== "string" || !AMI_ID.test(imageId)) {
        throw wrong("whose imageId is not an AMI id (ami- and 8 or 17 hexadecimal digits)");
    }
    if (typeof version !== "string" || !RELEASE_VERSION.test(version)) {
        throw wrong("whose version is not a release version");
    }
    if (typeof commit !== "string" || !COMMIT.test(commit)) {
        throw wrong("whose commit is not a commit (7 to 40 hexadecimal digits)");
    }
    return { version, commit, imageId };
}
