// The plan check: refuses a plan that replaces or deletes a protected or stateful resource that `magento:allowReplace`
// does not name, says which steps `pulumi up` would already have run when the engine stops, and refuses an instance
// type of another architecture on a kept image, and a web tier falling back to no release image (docs/day-two.md, "The
// check"). Used by `preview:offline --against` and by `plan:check` on a real `pulumi preview --json`.
import { architectureOf } from "../../model/architecture";
import { LAUNCH_IMAGE_TAG } from "../../policies/lib/contracts";
import * as stateful from "./stateful.json";
import { PlanStep } from "./plan";

export const STATEFUL: Readonly<Record<string, string>> = stateful.types;

export interface Refusal {
    readonly step: PlanStep;
    readonly kind: "stateful" | "architecture" | "release";
    readonly reason: string;
    /** The steps that would have run when `up` stops at this one (empty when the engine would not stop: data lost). */
    readonly alreadyRun: readonly PlanStep[];
}

export interface CheckResult {
    readonly refusals: readonly Refusal[];
    /** Allowed steps that still need an operator's hand (a protected resource the program no longer declares). */
    readonly notes: readonly string[];
}

const acting = (s: PlanStep) => s.op !== "same" && s.op !== "delete";

/** Whether the engine itself refuses the step (pulumi/pulumi step_generator.go: a replacement when the old and the new
 *  state are both protected; step.go: a delete of a resource protected in state). */
export function engineStops(s: PlanStep): boolean {
    return s.op === "replace" ? s.protectedBefore && s.protectedAfter : s.op === "delete" && s.protectedBefore;
}

/** The engine's order: registrations in program order (a protected replacement bails at its step), then deletes. */
function runBefore(steps: readonly PlanStep[], at: PlanStep): PlanStep[] {
    const i = steps.indexOf(at);
    if (!engineStops(at)) {
        return [];
    }
    // A protected delete fails when it is applied, after every create, update and replacement.
    return at.op === "replace"
        ? steps.slice(0, i).filter(acting)
        : [...steps.filter(acting), ...steps.slice(0, i).filter((s) => s.op === "delete")];
}

function architectureRefusal(s: PlanStep): string | undefined {
    if (s.type !== "aws:ec2/instance:Instance" || (s.op !== "update" && s.op !== "replace")) {
        return undefined;
    }
    const [from, to] = [s.oldInputs?.instanceType, s.newInputs?.instanceType];
    if (
        typeof from !== "string" ||
        typeof to !== "string" ||
        architectureOf(from) === architectureOf(to) ||
        s.oldInputs?.ami !== s.newInputs?.ami
    ) {
        return undefined;
    }
    return (
        `instanceType ${from} -> ${to} changes the architecture (${architectureOf(from)} -> ${architectureOf(to)}) but the image stays ` +
        `${String(s.newInputs?.ami)} (ignoreChanges keeps the old AMI): EC2 refuses an ${architectureOf(to)} type on an ${architectureOf(from)} image; ` +
        `pin magento:opsAmiId to an image of the new architecture in the same change`
    );
}

const imageSource = (inputs: Record<string, unknown> | undefined): unknown =>
    (inputs?.tags as Record<string, unknown> | undefined)?.[LAUNCH_IMAGE_TAG];

/** A web tier's launch template that booted a release image and would boot none: the program found no release
 *  record (deleted, renamed, unreadable), and the `up` would take the tier's groups to zero servers. */
function releaseRefusal(s: PlanStep): string | undefined {
    if (s.type !== "aws:ec2/launchTemplate:LaunchTemplate" || (s.op !== "update" && s.op !== "replace")) {
        return undefined;
    }
    const [from, to] = [imageSource(s.oldInputs), imageSource(s.newInputs)];
    if (to !== "none" || from === undefined || from === "none") {
        return undefined;
    }
    return (
        `${LAUNCH_IMAGE_TAG} ${String(from)} -> none: the program found no release image, so this up would leave the tier's ` +
        `groups no server; restore the release record ${String(from)} (the release runner writes it, its previous ` +
        `value is beside it: docs/release-image.md), or add '${s.name}' to magento:allowReplace if emptying the tier is what you mean`
    );
}

export function checkPlan(steps: readonly PlanStep[], allowReplace: readonly string[]): CheckResult {
    const allowed = new Set(allowReplace);
    const refusals: Refusal[] = [];
    const notes: string[] = [];
    for (const s of steps) {
        const arch = architectureRefusal(s);
        if (arch) {
            refusals.push({ step: s, kind: "architecture", reason: arch, alreadyRun: [] });
        }
        const release = allowed.has(s.name) ? undefined : releaseRefusal(s);
        if (release) {
            refusals.push({ step: s, kind: "release", reason: release, alreadyRun: [] });
        }
        const protectedWhy = s.protectedBefore ? "protected in the stack's state" : undefined;
        // A retained delete leaves the cloud resource (its data too), but the engine still refuses it when protected.
        const why = s.op === "delete" && s.retained ? protectedWhy : (STATEFUL[s.type] ?? protectedWhy);
        if ((s.op !== "replace" && s.op !== "delete") || !why) {
            continue;
        }
        if (!allowed.has(s.name)) {
            refusals.push({
                step: s,
                kind: "stateful",
                reason: `${why}; if this is the migration you mean, add '${s.name}' to magento:allowReplace`,
                alreadyRun: runBefore(steps, s),
            });
        } else if (
            s.op === "replace" &&
            s.protectedBefore &&
            s.causes.some((c) => c.includes("delete-before-replace"))
        ) {
            // Replaced as a dependent of a resource deleted first: the engine checks the old state's protect there
            // (step_generator.go, "as part of replacing"), which allowReplace cannot lift.
            notes.push(
                `${s.name}: run \`pulumi state unprotect '${s.urn}'\` before \`pulumi up\`: it is replaced because a resource it depends on is deleted first, and the engine refuses that for a resource protected in state`,
            );
        } else if (s.op === "delete" && s.protectedBefore) {
            // The program no longer declares it, so allowReplace cannot lift its protect: the state must.
            notes.push(
                `${s.name}: run \`pulumi state unprotect '${s.urn}'\` before \`pulumi up\`, or the delete fails after every other step`,
            );
        }
    }
    return { refusals, notes };
}
