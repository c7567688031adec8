// The user data text of an instance or launch template in a stack export: plain, base64 or gzip-compressed (a
// cloud-config over EC2's 16 KB goes gzip-compressed, components/compute/server.ts), read as the policy packs read it.
import { userDataOf } from "../../policies/lib/user-data";
import { StateResource } from "../../offline/state";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE } from "../../policies/lib/types";
import { PREPROD_NFS } from "../fixtures/stacks";
import { ofType, stackResources } from "./stacks";

export function userDataText(r: StateResource): string {
    const text = userDataOf(r.type, r.inputs);
    if (text === undefined) {
        throw new Error(`${r.urn} has no known user data`);
    }
    return text;
}

/** Every Linux server's cloud-config and every launch template's, in NFS mode (preview knows it all) and in EFS mode
 *  (after create); the Windows host boots EC2Launch, not cloud-init. Callers prefetch both captures:
 *  ["preprod", { changes: PREPROD_NFS }] and ["prod", { preview: false }]. */
export async function linuxUserData(): Promise<{ urn: string; text: string }[]> {
    const stacks = [
        await stackResources("preprod", { changes: PREPROD_NFS }),
        await stackResources("prod", { preview: false }),
    ];
    const documents = new Map(
        stacks
            .flatMap((resources) => [
                // The Windows host's user data waits for the gateway's address during a preview: known by its tier, not its text.
                ...ofType(resources, EC2_INSTANCE)
                    .filter((i) => (i.inputs!.tags as Record<string, string>).Tier !== "windows")
                    .map((i) => [i.urn, userDataText(i)] as const),
                ...ofType(resources, EC2_LAUNCH_TEMPLATE).map((t) => [t.urn, userDataText(t)] as const),
            ])
            .filter(([, text]) => !text.startsWith("<powershell>")),
    );
    return [...documents].map(([urn, text]) => ({ urn, text }));
}
