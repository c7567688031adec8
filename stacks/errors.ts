/** One problem with the stack configuration: the key path as written in the stack file, and what is allowed. */
export interface ConfigProblem {
    readonly path: string;
    readonly message: string;
}

/** Every problem found in a stack's configuration, raised before any resource is registered. */
export class ConfigError extends Error {
    constructor(readonly stack: string, readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
