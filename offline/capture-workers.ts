// Processes that run the program under the mock runtime (offline/capture.ts), each one capture at a time. A worker
// that succeeded takes the next job: the SDK and provider packages are loaded once, and only the program's own modules
// run again, which makes a capture about twice as fast as a fresh process. One that failed is never reused.
import { ChildProcess, fork } from "child_process";
import * as path from "path";
import { CaptureJob, CaptureResult } from "./capture";

interface Pending {
    readonly job: CaptureJob;
    readonly resolve: (result: CaptureResult) => void;
    /** Queued before it is needed: waits behind every job that is. */
    ahead: boolean;
}

/** How a process of ours runs TypeScript: transpiled by ts-node, each file's output cached by content, ts-node itself
 *  loaded only for a file the cache lacks (offline/ts-loader.cjs). */
export const TYPESCRIPT_EXEC_ARGV = ["-r", path.join(__dirname, "ts-loader.cjs")];

/** A job queued ahead of need; `hurry` puts it before the others queued ahead, once something waits for it. */
export interface QueuedCapture {
    readonly result: Promise<CaptureResult>;
    hurry(): void;
}

export class CaptureWorkers {
    private readonly idle: ChildProcess[] = [];
    private readonly all = new Set<ChildProcess>();
    private readonly queue: Pending[] = [];
    private busy = 0;

    /** At most `size` captures run at once; the rest wait their turn. */
    constructor(
        private readonly root: string,
        private readonly size: number,
    ) {}

    run(job: CaptureJob): Promise<CaptureResult> {
        return this.queued(job, false).result;
    }

    /** Queues a job behind every job needed now (`run`), until `hurry` says it is needed too. */
    runAhead(job: CaptureJob): QueuedCapture {
        return this.queued(job, true);
    }

    /** Ends every worker; captures still running or waiting resolve as failed. */
    close(): void {
        this.queue.splice(0).forEach((p) => p.resolve({ ok: false, error: "the capture was stopped before it ran" }));
        this.all.forEach((w) => w.kill());
    }

    private queued(job: CaptureJob, ahead: boolean): QueuedCapture {
        let resolve: (result: CaptureResult) => void = () => undefined;
        const result = new Promise<CaptureResult>((r) => (resolve = r));
        const pending: Pending = { job, resolve, ahead };
        this.enqueue(pending);
        const hurry = () => {
            const i = this.queue.indexOf(pending);
            if (i >= 0 && pending.ahead) {
                this.queue.splice(i, 1);
                pending.ahead = false;
                this.enqueue(pending);
            }
        };
        return { result, hurry };
    }

    private enqueue(pending: Pending): void {
        const firstAhead = pending.ahead ? -1 : this.queue.findIndex((p) => p.ahead);
        this.queue.splice(firstAhead < 0 ? this.queue.length : firstAhead, 0, pending);
        this.next();
    }

    private next(): void {
        if (this.queue.length === 0 || this.busy >= this.size) {
            return;
        }
        const { job, resolve } = this.queue.shift()!;
        this.busy++;
        const worker = this.idle.pop() ?? this.spawn();
        let stderr = "";
        const onStderr = (d: Buffer) => (stderr += d.toString());
        const done = (result: CaptureResult, reusable: boolean) => {
            worker.stderr!.off("data", onStderr);
            worker.off("message", onMessage);
            worker.off("close", onExit);
            if (reusable) {
                this.idle.push(worker);
            } else {
                worker.kill();
            }
            this.busy--;
            resolve(result);
            this.next();
        };
        const onMessage = (result: CaptureResult) => done(result, result.ok);
        const onExit = () =>
            done({ ok: false, error: `the program's process ended without a result:\n${stderr}` }, false);
        worker.stderr!.on("data", onStderr);
        worker.on("message", onMessage);
        // "close", not "exit": a failed run sends its result and exits at once, and "exit" can come before the parent
        // has read that last message; "close" waits for the process's stdio, the IPC channel among them.
        worker.on("close", onExit);
        worker.send(job);
    }

    private spawn(): ChildProcess {
        const worker = fork(path.join(__dirname, "capture.ts"), [], {
            cwd: this.root,
            execArgv: TYPESCRIPT_EXEC_ARGV,
            stdio: ["ignore", "inherit", "pipe", "ipc"],
            env: { ...process.env, TS_NODE_PROJECT: path.join(this.root, "tsconfig.json") },
        });
        this.all.add(worker);
        worker.on("exit", () => {
            this.all.delete(worker);
            const i = this.idle.indexOf(worker);
            if (i >= 0) {
                this.idle.splice(i, 1);
            }
        });
        return worker;
    }
}
