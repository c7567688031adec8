// Plans of changes to a deployed stack, offline: a capture as an update writes it, read back as its export.
import { LoadedDeployment } from "../../offline/export";
import { asLoadedDeployment } from "../../offline/engine";
import { checkPlan, CheckResult } from "../../offline/plan/check";
import { planChange, PlanStep } from "../../offline/plan/plan";
import { StateResource } from "../../offline/state";

/** The resources as `pulumi stack export` would give them back (secrets as ciphertext). */
export function asExport(resources: readonly StateResource[]): LoadedDeployment {
    return asLoadedDeployment(resources, "magento");
}

export interface Planned {
    readonly steps: PlanStep[];
    readonly check: (allow?: readonly string[]) => CheckResult;
}

export function plan(before: LoadedDeployment, after: readonly StateResource[], stack: string): Planned {
    const steps = planChange(before, after, stack);
    return { steps, check: (allow = []) => checkPlan(steps, allow) };
}

/** The steps of an operation, optionally of one type. */
export function stepsOf(p: Planned, op: PlanStep["op"], type?: string): PlanStep[] {
    return p.steps.filter((s) => s.op === op && (!type || s.type === type));
}

export function refusedNames(result: CheckResult): string[] {
    return result.refusals.map((r) => r.step.name).sort();
}
