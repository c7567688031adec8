// Rundeck's "Deploy Magento <stack>" job (the estate's one-button deploy), as code: Rundeck's job YAML
// (https://docs.rundeck.com/docs/manual/document-format-reference/job-yaml-v12.html: a sequence of jobs, each a map
// with name, group, description, loglevel, options and a sequence of commands), whose one step runs the same
// scripts/release an operator and the release workflow run, installed on the server, against this stack's runner. The
// server's boot loads it into its project (deploy-job-loader.ts).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { RELEASE_VERSION, rundeckDeployJobName } from "../../../model/release";
import { WriteFile } from "../../compute/cloud-init";

/** Where scripts/release and the checks it sources are installed on Rundeck. */
export const RELEASE_TOOL_DIR = "/usr/local/libexec/magento-release";
export const RELEASE_TOOL = `${RELEASE_TOOL_DIR}/release`;
/** The Rundeck project the release jobs live in, one per stack's Rundeck. */
export const rundeckProject = (stack: string) => `magento-${stack}`;
export const DEPLOY_JOB_GROUP = "release";

export interface DeployJobArgs {
    readonly stack: string;
    readonly region: string;
    /** The stack's release runner (model/release.ts releaseRunnerArn). */
    readonly runnerArn: string;
}

const SCRIPTS = path.resolve(__dirname, "../../../scripts");

/** scripts/release and the checks it sources, as Rundeck's server installs them: the job runs the operators' tool. */
export function releaseToolFiles(): WriteFile[] {
    return [
        { path: RELEASE_TOOL, permissions: "0755", content: fs.readFileSync(path.join(SCRIPTS, "release"), "utf8") },
        {
            path: `${RELEASE_TOOL_DIR}/release-checks.sh`,
            permissions: "0644",
            content: fs.readFileSync(path.join(SCRIPTS, "release-checks.sh"), "utf8"),
        },
    ];
}

/** The job's step: Rundeck passes options to a script step as RD_OPTION_<NAME> environment variables (an option left
 *  empty may be absent, hence the defaults; scripts/release then says what is missing). */
export function deployStepScript(args: DeployJobArgs): string {
    return [
        "#!/bin/bash",
        "set -euo pipefail",
        `runner=(${RELEASE_TOOL} --stack ${args.stack} --region ${args.region} --runner-arn ${args.runnerArn})`,
        'if [ "${RD_OPTION_ROLLBACK:-no}" = yes ]; then',
        '  exec "${runner[@]}" --rollback',
        "fi",
        `exec "\${runner[@]}" --version "\${RD_OPTION_VERSION:-}" --commit "\${RD_OPTION_COMMIT:-}" --image-id "\${RD_OPTION_IMAGE_ID:-}"`,
        "",
    ].join("\n");
}

/** A UUID fixed by the stack: re-importing the same job updates it (uuidOption preserve) instead of adding one. */
function jobUuid(stack: string): string {
    const h = crypto.createHash("sha256").update(`rundeck-deploy-job:${stack}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The job YAML document (a sequence of one job). */
export function deployJobYaml(args: DeployJobArgs): string {
    const job = {
        name: rundeckDeployJobName(args.stack),
        group: DEPLOY_JOB_GROUP,
        uuid: jobUuid(args.stack),
        description: [
            `Rolls out a release on ${args.stack}: starts its release runner ${args.runnerArn} and waits for it.`,
            "",
            "An image the stack already has (image_id, with its version and commit), or rollback: yes for the previous " +
                "release. Builds come from the release workflow (docs/releasing.md).",
        ].join("\n"),
        loglevel: "INFO",
        executionEnabled: true,
        scheduleEnabled: false,
        // One release per stack at a time: the runner's rollout is not re-entrant.
        multipleExecutions: false,
        options: [
            {
                name: "version",
                description: "Release version (ignored with rollback).",
                regex: RELEASE_VERSION.source,
            },
            { name: "commit", description: "The shop's commit (ignored with rollback).", regex: "^[0-9a-f]{7,40}$" },
            {
                name: "image_id",
                description: "AMI to roll out (ignored with rollback).",
                regex: "^ami-[0-9a-f]{8,17}$",
            },
            {
                name: "rollback",
                description: "yes: roll back to the previous release's image (no schema step, no maintenance).",
                required: true,
                enforced: true,
                values: ["no", "yes"],
                value: "no",
            },
        ],
        sequence: {
            keepgoing: false,
            strategy: "node-first",
            commands: [{ description: `Start ${args.runnerArn}`, script: deployStepScript(args) }],
        },
    };
    return YAML.stringify([job]);
}
