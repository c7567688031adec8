// Runs a state machine definition offline with aws-local-stepfunctions: every Task answered by a stub (per state name
// and input), every Wait and retry made instant; returns the states visited, the calls made and how the execution ended.
import { allStates, type AslDefinition } from "../../model/release-runner";

// aws-local-stepfunctions 3 needs Node 22's Promise.withResolvers; the project runs on Node 20.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= () => {
    let resolve!: (value: unknown) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
};
// Loaded after the polyfill above.
const { StateMachine } = require("aws-local-stepfunctions") as typeof import("aws-local-stepfunctions");

/** The ARN the offline execution's context says it runs in. */
export const STATE_MACHINE_ARN = "arn:aws:states:eu-west-3:123456789012:stateMachine:runner";
/** And the execution's own ARN ($$.Execution.Id). */
export const EXECUTION_ARN = "arn:aws:states:eu-west-3:123456789012:execution:runner:this-run";

export interface Call {
    readonly state: string;
    /** service:action, e.g. ssm:sendCommand, or sns:publish. */
    readonly action: string;
    readonly parameters: Record<string, unknown>;
}

/** What a stub answers a Task with; throwing an Error whose name is set fails the Task with that error. */
export type Stub = (state: string, action: string, parameters: Record<string, unknown>) => unknown;

export interface Run {
    readonly visited: string[];
    readonly calls: Call[];
    readonly output?: unknown;
    readonly error?: { readonly name: string; readonly cause: string };
}

/** An error as an AWS SDK integration raises it (ServiceName.ErrorName). */
export function awsError(name: string, message = name): Error {
    const error = new Error(message);
    error.name = name;
    return error;
}

export async function runStateMachine(definition: AslDefinition, input: unknown, stub: Stub): Promise<Run> {
    const calls: Call[] = [];
    const handlers: Record<string, (input: unknown) => unknown> = {};
    const waits: Record<string, number> = {};
    const retries: Record<string, number> = {};
    for (const [name, state] of allStates(definition.States)) {
        if (state.Type === "Wait") waits[name] = 0;
        if (state.Retry) retries[name] = 0; // retried at once: the retriers' choice is tested, not their pace
        if (state.Type !== "Task") continue;
        const action = String(state.Resource).replace("arn:aws:states:::aws-sdk:", "").replace("arn:aws:states:::", "");
        handlers[name] = (parameters) => {
            calls.push({ state: name, action, parameters: parameters as Record<string, unknown> });
            return stub(name, action, parameters as Record<string, unknown>) ?? {};
        };
    }
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
    const execution = machine.run(input as never, {
        overrides: {
            taskResourceLocalHandlers: handlers as never,
            waitTimeOverrides: waits,
            retryIntervalOverrides: retries,
        },
        // The context object as AWS gives it (what a definition reads of itself: $$.StateMachine.Id, $$.Execution.Id).
        context: {
            StateMachine: { Id: STATE_MACHINE_ARN, Name: "runner" },
            Execution: { Id: EXECUTION_ARN, Name: "this-run" },
        },
    });
    const visited: string[] = [];
    const events = (async () => {
        for await (const event of execution.eventLogs) {
            if (event.type === "StateEntered") visited.push(event.state.name);
        }
    })();
    try {
        const output = await execution.result;
        await events;
        return { visited, calls, output };
    } catch (e) {
        await events.catch(() => undefined);
        // ExecutionError wraps the state's error: a Fail state's Error is its name, its Cause the message.
        const failure = ((e as Error).cause ?? e) as { name?: string; message?: string; cause?: unknown };
        return {
            visited,
            calls,
            error: { name: String(failure.name), cause: String(failure.message ?? failure.cause) },
        };
    }
}
