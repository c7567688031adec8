// Minimal flag parsing for the two commands: --flag value, repeatable flags, positional arguments.
export interface Parsed {
    readonly positional: string[];
    readonly flags: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], known: readonly string[]): Parsed {
    const positional: string[] = [];
    const flags = new Map<string, string[]>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("--")) {
            positional.push(arg);
            continue;
        }
        const [flag, inline] = arg.slice(2).split("=", 2);
        if (!known.includes(flag)) {
            throw new Error(`unknown flag --${flag}; allowed: ${known.map((k) => `--${k}`).join(", ")}`);
        }
        const value = inline ?? argv[++i];
        if (value === undefined) {
            throw new Error(`--${flag} needs a value`);
        }
        flags.set(flag, [...(flags.get(flag) ?? []), value]);
    }
    return { positional, flags };
}

/** Exit codes shared by both commands. */
export const EXIT = { ok: 0, violation: 1, failure: 2 } as const;

export function fail(error: unknown): never {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(EXIT.failure);
}

/** Runs a command: its result is the exit code; any failure, even one nothing awaited, exits 2 with its message
 *  (Node's default for an unhandled rejection is exit 1, the code of a mandatory violation). */
export function runCommand(main: () => Promise<number>): void {
    process.on("unhandledRejection", fail);
    process.on("uncaughtException", fail);
    main().then((code) => process.exit(code), fail);
}
