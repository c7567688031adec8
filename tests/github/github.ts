// The repository's GitHub Actions files, parsed: workflows, the shared Pulumi action, and what triggers each job.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ROOT } from "../helpers/stacks";

export const GITHUB = path.join(ROOT, ".github");
export const WORKFLOWS = path.join(GITHUB, "workflows");
export const ACTION = path.join(GITHUB, "actions", "pulumi-stack", "action.yml");
export const PULUMI_STACK = "./.github/actions/pulumi-stack";

export type Step = {
    uses?: string;
    run?: string;
    with?: Record<string, string>;
    env?: Record<string, string>;
    shell?: string;
    if?: string;
};
export type Job = {
    if?: string;
    needs?: string | string[];
    environment?: string | { name: string };
    permissions?: Record<string, string>;
    strategy?: { matrix: Record<string, string[]> & { include?: Record<string, string>[] } };
    steps: Step[];
};
export type Workflow = {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    jobs: Record<string, Job>;
};
export type Action = {
    inputs: Record<string, { required?: boolean; default?: string }>;
    runs: { using: string; steps: Step[] };
};

/** Events whose runs a pull request's author can start or steer: they run the PR's code, or run with the base
 * repository's secrets next to PR-controlled data. https://docs.github.com/en/actions/reference/security/securely-using-pull_request_target */
export const PR_EVENTS = [
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issue_comment",
    "workflow_run",
    "merge_group",
];

export const workflowFiles = () =>
    fs
        .readdirSync(WORKFLOWS)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(WORKFLOWS, f));
export const load = <T>(file: string): T => YAML.parse(fs.readFileSync(file, "utf8")) as T;
export const workflow = (name: string) => load<Workflow>(path.join(WORKFLOWS, name));
export const action = () => load<Action>(ACTION);
export const events = (w: Workflow): string[] =>
    typeof w.on === "string" ? [w.on] : Array.isArray(w.on) ? w.on : Object.keys(w.on);
export const environmentOf = (job: Job): string | undefined =>
    typeof job.environment === "object" ? job.environment.name : job.environment;
/** Every `uses:` of the workflows and the shared action, with the file it is in. */
export const allSteps = (): { file: string; step: Step }[] => [
    ...workflowFiles().flatMap((file) =>
        Object.values(load<Workflow>(file).jobs).flatMap((j) => j.steps.map((step) => ({ file, step }))),
    ),
    ...action().runs.steps.map((step) => ({ file: ACTION, step })),
];
