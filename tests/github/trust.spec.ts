// Who can get which credential from CI (docs/ci-trust.md): a pull request's jobs may assume only the read-only
// preview role; deploy credentials exist only in the preproduction/production environments; the IAM trust
// policies an operator copies match those subjects exactly; changes to CI, policies and the program need a code
// owner's review; every action is a commit a person checked.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { AccessModel, defaultKeyPolicy } from "../../policies/lib/access/model";
import { decide } from "../../policies/lib/access/simulate";
import { VALUE_IN_STATE_TAG } from "../../policies/lib/contracts";
import { SECRETSMANAGER_SECRET, SECRETSMANAGER_SECRET_VERSION } from "../../policies/lib/types";
import { urnName } from "../../offline/state";
import { ROOT, stackResources } from "../helpers/stacks";
import {
    ACTION,
    GITHUB,
    Job,
    PR_EVENTS,
    PULUMI_STACK,
    Step,
    Workflow,
    action,
    allSteps,
    environmentOf,
    events,
    load,
    workflowFiles,
} from "./github";

const DEPLOY_ENVIRONMENTS = ["preproduction", "production"];
const PREVIEW_ROLE = "${{ vars.AWS_PREVIEW_ROLE_ARN }}";
const DEPLOY_ROLE = "${{ vars.AWS_ROLE_ARN }}";
const PINNED = JSON.parse(fs.readFileSync(path.join(__dirname, "pinned-actions.json"), "utf8")) as Record<
    string,
    Record<string, { inputs: string[]; required: string[] }>
>;

const workflows = () => workflowFiles().map((file) => ({ file, w: load<Workflow>(file) }));
const prWorkflows = () => workflows().filter(({ w }) => events(w).some((e) => PR_EVENTS.includes(e)));
/** The AWS roles a job can assume: the shared action's role-arn, or configure-aws-credentials' own. */
const rolesOf = (job: Job) =>
    job.steps.flatMap((s: Step) =>
        s.uses === PULUMI_STACK
            ? [s.with?.["role-arn"]]
            : s.uses?.startsWith("aws-actions/configure-aws-credentials@")
              ? [s.with?.["role-to-assume"]]
              : [],
    );

/** What a job that a pull request can start must not hold: an environment (its secrets and its OIDC subject), the
 * deploy role, or any stored secret (the Pulumi token of an environment included). */
function deployCredentials(w: Workflow, job: Job): string[] {
    const text = YAML.stringify({ env: w.env, job });
    return [
        ...(job.environment !== undefined ? [`environment: ${environmentOf(job)}`] : []),
        ...(text.match(/AWS_ROLE_ARN|secrets\.(?!GITHUB_TOKEN\b)\w+/g) ?? []),
    ];
}

describe("CI trust: what a pull request can reach", () => {
    it("no job a pull request can start holds a deploy credential: no environment, no AWS_ROLE_ARN, no stored secret", () => {
        // Nor does any workflow run on the events that carry the base repository's secrets next to PR-controlled code.
        for (const { file, w } of workflows()) {
            assert.deepStrictEqual(
                events(w).filter((e) => ["pull_request_target", "workflow_run", "issue_comment"].includes(e)),
                [],
                file,
            );
        }
        const prs = prWorkflows();
        assert.ok(prs.length > 0);
        for (const { file, w } of prs) {
            for (const [name, job] of Object.entries(w.jobs)) {
                assert.deepStrictEqual(deployCredentials(w, job), [], `${path.basename(file)} ${name}`);
            }
        }
    });

    it("a pull request's real preview never reads production: Stack Read decrypts the state's secrets (docs/ci-trust.md)", () => {
        for (const { file, w } of prWorkflows()) {
            for (const [name, job] of Object.entries(w.jobs).filter(([, j]) =>
                j.steps.some((s) => s.uses === PULUMI_STACK),
            )) {
                const stacks = job.steps
                    .filter((s) => s.uses === PULUMI_STACK)
                    .map((s) => s.with?.stack ?? "")
                    .flatMap((s) => (s === "${{ matrix.stack }}" ? (job.strategy?.matrix.stack ?? []) : [s]));
                assert.deepStrictEqual(
                    stacks.filter((s) => s !== "preprod"),
                    [],
                    `${path.basename(file)} ${name}`,
                );
            }
        }
    });

    it("a pull request's job asks for an OIDC token only to assume the preview role, for a preview", () => {
        for (const { file, w } of prWorkflows()) {
            for (const [name, job] of Object.entries(w.jobs).filter(
                ([, j]) => j.permissions?.["id-token"] === "write",
            )) {
                const roles = rolesOf(job);
                assert.ok(roles.length > 0, `${path.basename(file)} ${name}: id-token: write without a role to assume`);
                assert.deepStrictEqual([...new Set(roles)], [PREVIEW_ROLE], `${path.basename(file)} ${name}`);
                const commands = job.steps.filter((s) => s.uses === PULUMI_STACK).map((s) => s.with?.command);
                assert.deepStrictEqual([...new Set(commands)], ["preview"], `${path.basename(file)} ${name}`);
            }
        }
    });
});

describe("CI trust: deploy jobs and permissions", () => {
    it("every workflow reads by default, and every job states its permissions, with id-token: write exactly where a role is assumed", () => {
        for (const { file, w } of workflows()) {
            assert.deepStrictEqual(w.permissions, { contents: "read" }, file);
            for (const [name, job] of Object.entries(w.jobs)) {
                assert.ok(job.permissions, `${path.basename(file)} ${name}: no permissions`);
                assert.strictEqual(
                    job.permissions["id-token"] === "write",
                    rolesOf(job).length > 0,
                    `${path.basename(file)} ${name}`,
                );
                assert.deepStrictEqual(
                    Object.values(job.permissions).filter((p) => !["read", "write", "none"].includes(p)),
                    [],
                    name,
                );
            }
        }
    });

    it("the deploy role is assumed only in the preproduction and production environments, each job in its own", () => {
        for (const { file, w } of workflows()) {
            for (const [name, job] of Object.entries(w.jobs).filter(([, j]) => rolesOf(j).includes(DEPLOY_ROLE))) {
                assert.ok(!events(w).some((e) => PR_EVENTS.includes(e)), `${path.basename(file)} ${name}`);
                assert.ok(
                    DEPLOY_ENVIRONMENTS.includes(environmentOf(job) ?? ""),
                    `${path.basename(file)} ${name}: environment ${environmentOf(job)}`,
                );
                assert.deepStrictEqual([...new Set(rolesOf(job))], [DEPLOY_ROLE], name);
            }
        }
        const deploy = load<Workflow>(path.join(GITHUB, "workflows", "deploy.yml"));
        assert.deepStrictEqual(
            Object.values(deploy.jobs)
                .filter((j) => rolesOf(j).length > 0)
                .map(environmentOf),
            DEPLOY_ENVIRONMENTS,
        );
    });

    it("every job that runs the shared action asks for a team token of its own team, never an organisation token (admin over every stack)", () => {
        const uses = workflows().flatMap(({ file, w }) =>
            Object.entries(w.jobs).flatMap(([name, job]) =>
                (job.steps ?? [])
                    .filter((st) => st.uses === "./.github/actions/pulumi-stack")
                    .map((st) => ({ at: `${path.basename(file)} ${name}`, with: st.with ?? {} })),
            ),
        );
        assert.ok(uses.length >= 3);
        for (const u of uses) {
            assert.strictEqual(u.with["pulumi-token-type"], "urn:pulumi:token-type:access_token:team", u.at);
            assert.match(
                String(u.with["pulumi-scope"]),
                /^team:\$\{\{ vars\.PULUMI_(PREVIEW|DEPLOY|DRIFT)_TEAM \}\}$/,
                u.at,
            );
        }
    });

    it("the shared action gets its Pulumi token from Pulumi's OIDC exchange unless a job passes the stored one", () => {
        const steps = action().runs.steps;
        const exchange = steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"))!;
        assert.strictEqual(exchange.if, "inputs.pulumi-token == ''");
        assert.strictEqual(action().inputs["pulumi-token"].required, false);
        const pulumi = steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
        assert.ok(steps.indexOf(exchange) < steps.indexOf(pulumi));
        // Stored token only where a job passes one; otherwise the exchange's PULUMI_ACCESS_TOKEN stays in force.
        assert.strictEqual(
            pulumi.env?.PULUMI_ACCESS_TOKEN,
            "${{ inputs.pulumi-token != '' && inputs.pulumi-token || env.PULUMI_ACCESS_TOKEN }}",
        );
    });
});

describe("CI trust: review and pinning", () => {
    it("CODEOWNERS names an owner for .github/, policies/, infra/, components/, model/, stacks/, offline/, scripts/, what ts-node and npm read in credentialed jobs, and itself", () => {
        const rules = fs
            .readFileSync(path.join(GITHUB, "CODEOWNERS"), "utf8")
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => l && !l.startsWith("#"))
            .map((l) => l.split(/\s+/));
        const owners = (p: string) => rules.filter(([pattern]) => pattern === p).flatMap(([, ...o]) => o);
        // scripts/ holds the policy-group check production's up runs (scripts/require-policy-packs.ts); model/ is part
        // of the program a deploy applies; offline/ the plan check each deploy runs before its up.
        // tsconfig.json and .npmrc: ts-node and npm read them in the deploy jobs (a preload or a registry would run with the role).
        for (const p of [
            "/.github/",
            "/policies/",
            "/infra/",
            "/components/",
            "/model/",
            "/stacks/",
            "/offline/",
            "/scripts/",
            "/tsconfig.json",
            "/.npmrc",
            "/.ci/",
            "/.github/CODEOWNERS",
        ]) {
            assert.ok(
                owners(p).length > 0 && owners(p).every((o) => /^@[\w-]+\/[\w-]+$/.test(o)),
                `${p}: ${owners(p)}`,
            );
        }
    });

    it("Dependabot keeps the pinned actions (workflows and the shared action) and the npm packages current", () => {
        const updates = load<{
            updates: { "package-ecosystem": string; directories?: string[]; directory?: string }[];
        }>(path.join(GITHUB, "dependabot.yml")).updates;
        const dirs = (eco: string) =>
            updates.filter((u) => u["package-ecosystem"] === eco).flatMap((u) => u.directories ?? [u.directory!]);
        assert.deepStrictEqual(dirs("github-actions"), ["/", "/.github/actions/*"]);
        assert.ok(dirs("npm").includes("/"));
    });

    it("every action is pinned to a commit with its release tag beside it, and given only the inputs that release has", () => {
        const files = [...workflowFiles(), ACTION];
        const lines = files.flatMap((f) =>
            fs
                .readFileSync(f, "utf8")
                .split("\n")
                .filter((l) => /^\s*(- )?uses:/.test(l))
                .map((l) => ({ f, l })),
        );
        assert.ok(lines.length > 0);
        for (const { f, l } of lines.filter(({ l }) => !l.includes(PULUMI_STACK))) {
            const m = /uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40}) # (v\d+)\.\d+\.\d+$/.exec(l);
            assert.ok(m, `${path.basename(f)}: ${l.trim()}`);
            assert.ok(PINNED[m[1]]?.[m[3]], `${m[1]} ${m[3]}: record its inputs in tests/github/pinned-actions.json`);
        }
        for (const { file, step } of allSteps().filter(({ step }) => step.uses && !step.uses.startsWith("./"))) {
            const [name] = step.uses!.split("@");
            const major = lines.find(({ l }) => l.includes(step.uses!))!.l.replace(/.*# (v\d+).*/, "$1");
            const { inputs, required } = PINNED[name][major];
            const given = Object.keys(step.with ?? {});
            assert.deepStrictEqual(
                given.filter((k) => !inputs.includes(k)),
                [],
                `${path.basename(file)} ${name}: unknown inputs`,
            );
            assert.deepStrictEqual(
                required.filter((k) => !given.includes(k)),
                [],
                `${path.basename(file)} ${name}: missing inputs`,
            );
        }
    });
});

describe("CI trust: the documented IAM trust policies", () => {
    const doc = () => fs.readFileSync(path.join(ROOT, "docs", "ci-trust.md"), "utf8");
    /** Every ```json block of docs/ci-trust.md, parsed (a block that is not JSON fails here). */
    const blocks = () =>
        [...doc().matchAll(/```json\n([^]*?)```/g)].map(
            (m) => JSON.parse(m[1]) as { Statement: Record<string, any>[] },
        );
    const isTrust = (b: { Statement: Record<string, any>[] }) =>
        b.Statement.some((s) => s.Action === "sts:AssumeRoleWithWebIdentity");
    const trustPolicies = () => blocks().filter(isTrust);

    it("six roles trust GitHub's OIDC provider, each for exactly one subject: pull requests, the two environments' deploys, the main branch's drift check, then the environments' releases", () => {
        const subjects = trustPolicies().map((p) => {
            assert.strictEqual(p.Statement.length, 1);
            const [s] = p.Statement;
            assert.deepStrictEqual(
                Object.keys(s.Condition),
                ["StringEquals"],
                "no StringLike: a wildcard subject matches pull requests",
            );
            assert.strictEqual(
                s.Condition.StringEquals["token.actions.githubusercontent.com:aud"],
                "sts.amazonaws.com",
            );
            assert.match(
                s.Principal.Federated,
                /^arn:aws:iam::<account-id>:oidc-provider\/token\.actions\.githubusercontent\.com$/,
            );
            return s.Condition.StringEquals["token.actions.githubusercontent.com:sub"];
        });
        assert.deepStrictEqual(
            subjects,
            [
                "pull_request",
                "environment:preproduction",
                "environment:production",
                "ref:refs/heads/main",
                "environment:preproduction",
                "environment:production",
            ].map((s) => `repo:<owner>/<repo>:${s}`),
        );
    });

    /** The release roles' permission blocks: every statement's Sid starts with Release. */
    const isRelease = (b: { Statement: Record<string, any>[] }) =>
        b.Statement.every((st) => String(st.Sid).startsWith("Release"));

    it("the preview and drift roles may read, never write: ReadOnlyAccess, no object, no secret value but those the state holds, decrypted through Secrets Manager only", async () => {
        const permissions = blocks().filter((b) => !isTrust(b) && !isRelease(b));
        assert.strictEqual(
            permissions.length,
            1,
            "one permissions document, the preview role's, which the drift role shares",
        );
        assert.match(doc(), /arn:aws:iam::aws:policy\/ReadOnlyAccess/);
        const role = "arn:aws:iam::123456789012:role/preview";
        const key = "arn:aws:kms:eu-west-3:123456789012:key/0f3a9e2c-1b4d-4c6e-8a7f-2d5b9c1e3f40";
        const model: AccessModel = {
            account: "123456789012",
            region: "eu-west-3",
            roles: new Map([[role, [{ name: "inline", policy: permissions[0] }]]]),
            // A key whose policy delegates to IAM, as the stack's keys do: the role's own policy decides.
            resources: new Map([[key, defaultKeyPolicy("123456789012")]]),
        };
        const ask = (action: string, resource: string, context: Record<string, string> = {}) =>
            decide(model, { principal: role, action, resource, context });
        const secret = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:magento-prod-redis-sessions-AbCdEf";
        const inState = { [`aws:ResourceTag/${VALUE_IN_STATE_TAG}`]: "true" };
        // A refresh reads each SecretVersion's value (GetSecretValue): the program's generated secrets, in the state anyway.
        assert.strictEqual(await ask("secretsmanager:GetSecretValue", secret, inState), "Allowed");
        assert.strictEqual(
            await ask("kms:Decrypt", key, { "kms:ViaService": "secretsmanager.eu-west-3.amazonaws.com" }),
            "Allowed",
        );
        // Not RDS's master, not Magento's users (no tag), not a key used directly or through S3, no object.
        const master = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds!db-0f3a9e2c-AbCdEf";
        assert.strictEqual(await ask("secretsmanager:GetSecretValue", master), "ExplicitlyDenied");
        assert.strictEqual(
            await ask("secretsmanager:GetSecretValue", master, {
                [`aws:ResourceTag/${VALUE_IN_STATE_TAG}`]: "false",
            }),
            "ExplicitlyDenied",
        );
        // A tag anyone who may tag a secret can set: outside the program's names, a tagged secret stays denied.
        assert.strictEqual(await ask("secretsmanager:GetSecretValue", master, inState), "ExplicitlyDenied");
        assert.strictEqual(await ask("kms:Decrypt", key), "ExplicitlyDenied");
        assert.strictEqual(
            await ask("kms:Decrypt", key, { "kms:ViaService": "s3.eu-west-3.amazonaws.com" }),
            "ExplicitlyDenied",
        );
        assert.strictEqual(await ask("s3:GetObject", "arn:aws:s3:::magento-prod-config/env.php"), "ExplicitlyDenied");
    });

    it("the secrets a refresh reads are tagged so, and only those: every SecretVersion's secret, no other, each under the program's names", async () => {
        for (const name of ["prod", "preprod"]) {
            const resources = await stackResources(name);
            const secrets = resources.filter((r) => r.type === SECRETSMANAGER_SECRET);
            const versioned = new Set(
                resources
                    .filter((r) => r.type === SECRETSMANAGER_SECRET_VERSION)
                    .flatMap((v) => v.propertyDependencies?.secretId ?? []),
            );
            assert.ok(versioned.size > 0);
            for (const secret of secrets) {
                const tagged =
                    (secret.inputs?.tags as Record<string, string> | undefined)?.[VALUE_IN_STATE_TAG] === "true";
                assert.strictEqual(tagged, versioned.has(secret.urn), `${name} ${secret.urn}`);
                if (tagged) {
                    // The preview policy also limits the reads to the program's names: its own, or the resource's
                    // name that Pulumi's auto-naming starts it with.
                    const named = (secret.inputs?.name as string | undefined) ?? urnName(secret.urn);
                    assert.match(named, /^magento[-/]/, `${name} ${secret.urn}`);
                }
            }
        }
    });

    it("the release roles may start their own stack's runner and follow it; preproduction's also uploads releases and reads what preprod runs", () => {
        const [preprod, prod] = blocks().filter(isRelease);
        const grants = (b: { Statement: Record<string, any>[] }) =>
            b.Statement.map((st) => [st.Action, st.Resource] as [string | string[], string]);
        assert.deepStrictEqual(grants(prod), [
            ["states:StartExecution", "arn:aws:states:<region>:<account-id>:stateMachine:magento-prod-release-runner"],
            [
                "states:DescribeExecution",
                "arn:aws:states:<region>:<account-id>:execution:magento-prod-release-runner:*",
            ],
        ]);
        assert.deepStrictEqual(grants(preprod), [
            ["s3:PutObject", "arn:aws:s3:::<artifacts-bucket>/releases/*"],
            [["kms:GenerateDataKey", "kms:Decrypt"], "<storage-key-arn>"],
            [
                "states:StartExecution",
                "arn:aws:states:<region>:<account-id>:stateMachine:magento-preprod-release-runner",
            ],
            [
                "states:DescribeExecution",
                "arn:aws:states:<region>:<account-id>:execution:magento-preprod-release-runner:*",
            ],
            ["ssm:GetParameter", "arn:aws:ssm:<region>:<account-id>:parameter/magento-release/preprod/current"],
        ]);
        assert.deepStrictEqual(preprod.Statement[1].Condition, {
            StringEquals: { "kms:ViaService": "s3.<region>.amazonaws.com" },
        });
        // The workflow's jobs assume these, each in its environment.
        const release = load<Workflow>(path.join(GITHUB, "workflows", "release.yml"));
        for (const [name, env] of [
            ["preprod", "preproduction"],
            ["prod", "production"],
        ]) {
            assert.deepStrictEqual(rolesOf(release.jobs[name]), ["${{ vars.AWS_RELEASE_ROLE_ARN }}"]);
            assert.strictEqual(environmentOf(release.jobs[name]), env);
        }
    });

    it("the README no longer tells operators to trust every subject of the repository", () => {
        assert.doesNotMatch(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), /repo:<owner>\/<repo>:\*/);
    });
});
