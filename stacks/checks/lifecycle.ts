// The keys that change how an update treats what exists: replacements allowed, teardown and its confirmation; and
// StackConfig's part infra/lifecycle.ts reads.
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import type { Concern, StackContext } from "./concern";

export interface LifecycleSettings {
    /** Logical names this update may replace or delete though protected or stateful (infra/lifecycle.ts). */
    readonly allowReplace: readonly string[];
    /** This update prepares the stack for `pulumi destroy` (infra/lifecycle.ts, docs/teardown.md). */
    readonly teardown: boolean;
}

export function lifecycle(v: Settings, ctx: StackContext): Concern<LifecycleSettings> {
    return {
        problems: checkTeardown(v, ctx.stack),
        config: () => ({ allowReplace: v.allowReplace ?? [], teardown: v.teardown ?? false }),
    };
}

/** Teardown (docs/teardown.md): a production stack only with its own name repeated in teardownConfirm. */
function checkTeardown(v: Settings, stack: string): ConfigProblem[] {
    const confirm = v.teardownConfirm;
    if (v.teardown !== true) {
        return confirm === undefined
            ? []
            : [
                  {
                      path: qualified("teardownConfirm"),
                      message: `applies only with ${qualified("teardown")} true; remove it`,
                  },
              ];
    }
    if (v.profile === "production" && confirm !== stack) {
        return [
            {
                path: qualified("teardownConfirm"),
                message: `must be ${stack} (this stack's name) to prepare a production stack for destruction with ${qualified("teardown")} true${confirm === undefined ? "" : ` (got ${confirm})`}; or set ${qualified("teardown")} false`,
            },
        ];
    }
    return confirm !== undefined && confirm !== stack
        ? [{ path: qualified("teardownConfirm"), message: `must be ${stack} (this stack's name), got ${confirm}` }]
        : [];
}
