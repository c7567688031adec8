// What every layer of the program is built from: the validated configuration, the prefix of every name, the account.
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../stacks";

export interface StackContext {
    readonly config: StackConfig;
    /** magento-<stack>: the first part of every resource's name. */
    readonly prefix: string;
    readonly accountId: pulumi.Output<string>;
}
