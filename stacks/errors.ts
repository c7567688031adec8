/** One problem with the stack configuration: the key path as written in the stack file, and what is allowed. */
export interface ConfigProblem {
    readonly path: string;
    readonly message: string;
}

/** Every problem found in a stack's configuration, raised before any resource is registered. */
export class ConfigError extends Error {
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
    ) {
        super(
            `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** What an encrypted (`secure:`) value reads as when it cannot be decrypted: offline, without the stack's backend.
 *  Its value is unknown, so it is not validated (the real CLI decrypts every secret before the program runs). */
export const UNDECRYPTED_SECRET = "offline-secret-placeholder";
