// Loads the deploy job (deploy-job.ts) into Rundeck at every boot, idempotently: reads the job YAML from its parameter,
// waits until Rundeck answers, logs in as its one user (the password the boot wrote into realm.properties, read from
// Secrets Manager as login.ts reads it), creates the project if absent, and imports the job, updating the one of the
// same name and group. Rundeck's API over its own HTTPS port on loopback: the RPM has no `rd` CLI (it is a separate
// package, https://docs.rundeck.com/docs/rd-cli/), so curl and jq.
import { WriteFile } from "../../compute/cloud-init";
import { RUNDECK_PORT } from "./login";

export const LOAD_JOBS = "/usr/local/sbin/load-rundeck-jobs";
export const LOAD_JOBS_UNIT = "magento-rundeck-jobs.service";
/** An API version Rundeck 5.x serves (https://docs.rundeck.com/docs/api/: the version is part of every path). */
export const RUNDECK_API_VERSION = 41;

/** Where a stack's job YAML lives: beside the stack's path, not under /magento/<stack>, which the web servers read. */
export const deployJobParameter = (stack: string) => `/magento-rundeck/${stack}/deploy-job.yaml`;

/** Arguments: the admin secret's name, the region, the project, the job YAML's parameter. */
export function loadJobsScript(): string {
    return [
        "#!/bin/bash",
        "# Imports the jobs kept in this repository into Rundeck; safe to run again (dupeOption update, fixed UUIDs).",
        "set -euo pipefail",
        'secret="$1"; region="$2"; project="$3"; parameter="$4"',
        `base=https://localhost:${RUNDECK_PORT}`,
        `api="$base/api/${RUNDECK_API_VERSION}"`,
        "work=$(mktemp -d)",
        "trap 'rm -rf \"$work\"' EXIT",
        "umask 077",
        // The self-signed keystore names the server's internal name, not localhost: -k on loopback only.
        'http() { curl -sk -b "$work/cookies" -c "$work/cookies" -H "Accept: application/json" "$@"; }',
        "",
        'aws ssm get-parameter --region "$region" --name "$parameter" --query Parameter.Value --output text > "$work/jobs.yaml"',
        "",
        "for _ in $(seq 120); do",
        '  [ "$(http -o /dev/null -w "%{http_code}" "$base/")" = 000 ] || break',
        "  sleep 5",
        "done",
        "",
        // j_security_check's password form: Rundeck redirects to /user/error on a bad login. The password goes
        // through stdin, never a command line.
        'aws secretsmanager get-secret-value --region "$region" --secret-id "$secret" --query SecretString --output text |',
        '  http -o /dev/null -w "%{redirect_url}" --data-urlencode j_username=admin --data-urlencode j_password@- \\',
        '    "$base/j_security_check" > "$work/login"',
        'if grep -q /user/error "$work/login"; then echo "Rundeck refused the admin login" >&2; exit 1; fi',
        "",
        'if [ "$(http -o /dev/null -w "%{http_code}" "$api/project/$project")" = 404 ]; then',
        "  jq -n --arg name \"$project\" '{name: $name}' |",
        '    http -f -o /dev/null -H "Content-Type: application/json" --data-binary @- "$api/projects"',
        "fi",
        "",
        'http -f -H "Content-Type: application/yaml" --data-binary @"$work/jobs.yaml" \\',
        '  "$api/project/$project/jobs/import?fileformat=yaml&dupeOption=update&uuidOption=preserve" > "$work/result"',
        'if [ "$(jq \'.failed | length\' "$work/result")" != 0 ]; then',
        '  echo "Rundeck refused a job: $(jq -c .failed "$work/result")" >&2',
        "  exit 1",
        "fi",
        'jq -r \'(.succeeded // [])[] | "loaded \\(.group)/\\(.name)"\' "$work/result"',
        "",
    ].join("\n");
}

/** The script, and a unit that runs it at every boot once Rundeck has started. */
export function loadJobsFiles(args: {
    adminSecretName: string;
    region: string;
    project: string;
    parameter: string;
}): WriteFile[] {
    return [
        { path: LOAD_JOBS, permissions: "0700", content: loadJobsScript() },
        {
            path: `/etc/systemd/system/${LOAD_JOBS_UNIT}`,
            permissions: "0644",
            content: [
                "[Unit]",
                "Description=Load this stack's Rundeck jobs (the deploy job) from its parameter",
                "After=rundeckd.service network-online.target",
                "Wants=network-online.target",
                "Requires=rundeckd.service",
                "",
                "[Service]",
                "Type=oneshot",
                `ExecStart=${LOAD_JOBS} ${args.adminSecretName} ${args.region} ${args.project} ${args.parameter}`,
                "TimeoutStartSec=900",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "",
            ].join("\n"),
        },
    ];
}
