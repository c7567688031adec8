// What the rest of the estate needs of the shared folders, whichever serves them (EFS or the estate's NFS server):
// infra/ composes either through this contract and never asks which one it has.
import * as pulumi from "@pulumi/pulumi";
import { AgentMetrics } from "../compute/cloudwatch-agent";
import { Share } from "./shares";

/** Where a share comes from: an EFS access point (mounted over TLS) or an export of the NFS server. */
export type ShareSource =
    | { readonly kind: "efs"; readonly fileSystemId: string; readonly accessPointId: string }
    | { readonly kind: "nfs"; readonly host: string; readonly exportPath: string };

export interface SharedStorage extends pulumi.Resource {
    readonly shares: readonly Share[];
    /** What the servers mount, by share name. */
    readonly mountSources: Readonly<Record<string, pulumi.Output<ShareSource>>>;
    /** The application parameters that name the storage (under the stack's path: shared/...), in the order they are created. */
    readonly parameters: Readonly<Record<string, pulumi.Input<string>>>;
    /** The file system id, or the NFS server's name: what operators look the storage up by. */
    readonly endpoint: pulumi.Output<string>;
    /** The EFS file systems to alarm on, by label; none on the NFS server (its volumes are EBS). */
    readonly fileSystems: Readonly<Record<string, pulumi.Output<string>>>;
    /** Its own servers by label (the NFS server's); none on EFS: the dashboard draws them. */
    readonly servers: Readonly<Record<string, AgentMetrics>>;
}
