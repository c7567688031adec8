// The user data text of an instance or launch template in a stack export: plain, base64 or gzip-compressed (a
// cloud-config over EC2's 16 KB goes gzip-compressed, components/compute/server.ts), read as the policy packs read it.
import { userDataOf } from "../../policies/lib/user-data";
import { StateResource } from "../../offline/state";

export function userDataText(r: StateResource): string {
    const text = userDataOf(r.type, r.inputs);
    if (text === undefined) {
        throw new Error(`${r.urn} has no known user data`);
    }
    return text;
}
