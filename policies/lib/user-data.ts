// The text of a server's user data, when the preview knows it: an instance takes it as text (userData) or base64
// (userDataBase64); a launch template only as base64. cloud-init also accepts it gzip-compressed.
import { gunzipSync } from "zlib";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "./types";
import { knownString } from "./values";

/** EC2's limit on user data, in bytes, raw before base64 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html). */
export const USER_DATA_LIMIT = 16384;

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

/** The size in bytes EC2 counts of an instance's or launch template's user data: raw, after base64 decoding, before any
 *  gunzip; undefined when there is none or it is not known yet. */
export function userDataBytes(type: string, props: unknown): number | undefined {
    const base64 =
        type === EC2_INSTANCE
            ? knownString(props, "userDataBase64")
            : type === EC2_LAUNCH_TEMPLATE
              ? knownString(props, "userData")
              : undefined;
    const text = type === EC2_INSTANCE ? knownString(props, "userData") : undefined;
    return text !== undefined
        ? Buffer.byteLength(text, "utf8")
        : base64 === undefined
          ? undefined
          : Buffer.from(base64, "base64").length;
}

/** The user data of an EC2 instance or launch template as text; undefined when there is none or it is not known yet. */
export function userDataOf(type: string, props: unknown): string | undefined {
    if (type === EC2_INSTANCE) {
        const base64 = knownString(props, "userDataBase64");
        return knownString(props, "userData") ?? (base64 === undefined ? undefined : decode(base64));
    }
    if (type === EC2_LAUNCH_TEMPLATE) {
        const base64 = knownString(props, "userData");
        return base64 === undefined ? undefined : decode(base64);
    }
    return undefined;
}

/**
 * The user data as lines that each hold one whole mount: a cloud-config `mounts:` entry written as a block sequence
 * (`- - fs-1:/` then one field per deeper `- ` line, as YAML libraries print it) is joined into one line, as fstab or
 * the flow form `- [fs-1:/, /var/www/magento/pub/media, efs]` writes it, numbered by its first line. Other lines pass unchanged.
 */
export function mountLines(userData: string): { readonly line: number; text: string }[] {
    const lines: { line: number; text: string }[] = [];
    let entryIndent: number | undefined;
    userData.split(/\r?\n/).forEach((text, i) => {
        const start = /^(\s*)- - /.exec(text);
        const field = /^(\s*)- (?!- )(.*)$/.exec(text);
        if (start) {
            entryIndent = start[1].length;
            lines.push({ line: i + 1, text });
        } else if (entryIndent !== undefined && field && field[1].length > entryIndent) {
            lines[lines.length - 1].text += ` ${field[2]}`;
        } else {
            entryIndent = undefined;
            lines.push({ line: i + 1, text });
        }
    });
    return lines;
}
