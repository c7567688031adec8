// The one place that reads Pulumi configuration: decode the stack's keys, validate them, hand back a StackConfig.
import * as pulumi from "@pulumi/pulumi";
import { decodeKey, PROJECT } from "./keys";
import { StackConfig } from "./stack-config";
import { parseStackConfig } from "./validate";

export { ConfigError } from "./errors";
export type { StackConfig, NetworkConfig } from "./stack-config";
export { parseStackConfig } from "./validate";

/** Reads and validates the current stack's configuration; throws a ConfigError naming every bad key. */
export function readStackConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, key] = fullKey.split(":", 2);
        if (namespace === PROJECT) {
            raw[key] = decodeKey(key, text);
        }
    }
    return parseStackConfig(raw, { stack: pulumi.getStack(), region: all["aws:region"] });
}
