// The text of a server's user data, when the preview knows it: an instance takes it as text (userData) or base64
// (userDataBase64); a launch template only as base64. cloud-init also accepts it gzip-compressed.
import { gunzipSync } from "zlib";
import { EC2_INSTANCE, LAUNCH_TEMPLATE } from "./types";
import { knownString } from "./values";

const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

function decode(base64: string): string {
    if (!BASE64.test(base64)) {
        return base64; // not base64 at all (AWS would refuse it): scan the text as given
    }
    const bytes = Buffer.from(base64, "base64");
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    try {
        return (gzipped ? gunzipSync(bytes) : bytes).toString("utf8");
    } catch {
        return bytes.toString("utf8");
    }
}

/** The user data of an EC2 instance or launch template as text; undefined when there is none or it is not known yet. */
export function userDataOf(type: string, props: unknown): string | undefined {
    if (type === EC2_INSTANCE) {
        const base64 = knownString(props, "userDataBase64");
        return knownString(props, "userData") ?? (base64 === undefined ? undefined : decode(base64));
    }
    if (type === LAUNCH_TEMPLATE) {
        const base64 = knownString(props, "userData");
        return base64 === undefined ? undefined : decode(base64);
    }
    return undefined;
}
