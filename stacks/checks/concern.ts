// What each file of checks/ gives the validator: the problems across its keys, and its part of StackConfig.
import type { ConfigProblem } from "../errors";

export interface StackContext {
    readonly stack: string;
    /** `aws:region` of the stack, if set. */
    readonly region: string | undefined;
}

export interface Concern<Part> {
    readonly problems: readonly ConfigProblem[];
    /** Called only once no key has a problem: required keys are set and every value is valid. */
    readonly config: () => Part;
}
