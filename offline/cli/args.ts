// Minimal flag parsing for the commands (--flag value, repeatable flags, positional arguments), and how they run.
import { Engine, processEngine } from "../engine";

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

/** The one line a failed command prints. */
const errorLine = (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`;

export function fail(error: unknown): never {
    console.error(errorLine(error));
    process.exit(EXIT.failure);
}

/** What a command reads and writes: its arguments and folder, its two outputs, and the engine it runs its packs and
 *  captures on. */
export interface CommandContext {
    readonly argv: readonly string[];
    readonly cwd: string;
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
    readonly engine: Engine;
}

/** A command: its result is the exit code. */
export type Command = (cmd: CommandContext) => Promise<number>;

/** Runs `main` when `entry` is the process's main module (an operator's npm script); imported, it does nothing (the
 *  tests call `invoke`). Any failure, even one nothing awaited, exits 2 with its message (Node's default for an
 *  unhandled rejection is exit 1, the code of a mandatory violation). */
export function runCommand(entry: NodeModule, main: Command): void {
    if (require.main !== entry) {
        return;
    }
    process.on("unhandledRejection", fail);
    process.on("uncaughtException", fail);
    const engine = processEngine(process.cwd());
    const cmd = { argv: process.argv.slice(2), cwd: process.cwd(), out: console.log, err: console.error, engine };
    main(cmd)
        .finally(() => engine.close())
        .then((code) => process.exit(code), fail);
}

/** A command run in this process: as `runCommand` ends it, a thrown error is exit 2 with its message. */
export async function invoke(main: Command, cmd: CommandContext): Promise<number> {
    try {
        return await main(cmd);
    } catch (error) {
        cmd.err(errorLine(error));
        return EXIT.failure;
    }
}
