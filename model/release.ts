// The contract between a release image and the boot of the servers that run it (docs/release-image.md): names both
// sides use, so the image pipeline's component documents, the web tiers' user data and the policies agree.

/** Where the release image installs Magento (the release's tarball unpacked here). */
export const MAGENTO_ROOT = "/var/www/magento";
/** What the image says of itself: `<version> <commit>` on one line, written when the release is unpacked. */
export const RELEASE_FILE = `${MAGENTO_ROOT}/RELEASE`;
/** The Unix user owning the code and running PHP-FPM's pool and cron; nginx runs as its own user. */
export const MAGENTO_USER = "magento";
/** PHP-FPM's pool socket, which nginx passes PHP requests to. */
export const FPM_SOCKET = "/run/php-fpm/magento.sock";
/** The systemd units of the image that serve the shop (Amazon Linux 2023's names). */
export const WEB_UNITS = ["php-fpm", "nginx"] as const;
/** The image's cron service (bin/magento cron:run) and its timer: installed disabled, the timer enabled by boot on the
 *  back office only (one server runs cron), which also ties the service to its shared folders. */
export const CRON_SERVICE = "magento-cron";
export const CRON_TIMER = `${CRON_SERVICE}.timer`;

/** An optional environment file boot writes where a server needs memory beyond PHP-FPM's pool: FPM_RESERVED_EXTRA_MIB,
 *  which the image's pool sizing keeps free (the back office, whose cron runs indexers and queue consumers). */
export const FPM_SIZING_FILE = "/etc/magento/fpm-sizing.env";
export const FPM_RESERVED_EXTRA = "FPM_RESERVED_EXTRA_MIB";

/** The environment file boot writes from the stack's parameters (systemd EnvironmentFile= syntax). */
export const PARAMETERS_FILE = "/etc/magento/parameters.env";
/** The environment file boot writes from the secrets the parameters name (root only). */
export const SECRETS_FILE = "/etc/magento/secrets.env";

/**
 * The release image parameter of a stack, /imagebuilder/magento/<stack>/web-ami: written by the image pipeline's
 * distribution or by a promotion, read by the program at deploy time. Below /imagebuilder/ because Image Builder's
 * service-linked role, which writes it, may put parameters there only (AWSServiceRoleForImageBuilder:
 * ssm:PutParameter on parameter/imagebuilder/*,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSServiceRoleForImageBuilder.html).
 */
export const releaseImageParameter = (stack: string) => `/imagebuilder/magento/${stack}/web-ami`;

// The tags release images and the web tiers' launch templates carry are in policies/lib/contracts.ts (the policies
// read them).

/** A release in the artifacts bucket: the tarball, its sha256sum line beside it. */
export const releaseArtifactKey = (version: string) => `releases/${version}.tar.gz`;
export const releaseChecksumKey = (version: string) => `releases/${version}.tar.gz.sha256`;
/** The release the next build bakes: JSON {"version": ..., "commit": ...}, written by the release workflow before it
 *  starts the pipeline (Image Builder pipelines take no per-run input). */
export const NEXT_RELEASE_KEY = "releases/next.json";
/** What a version may be: it names S3 keys and tags, and reaches shell steps. */
export const RELEASE_VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/;

/** A storefront theme and the locales its static content is deployed for. */
export interface ThemeLocales {
    /** Vendor/theme, as Magento names it (e.g. Magento/luma). */
    readonly theme: string;
    /** Locales, e.g. fr_FR. */
    readonly locales: readonly string[];
}

/** What a release image deploys static content for: the storefront themes and the admin's locales. */
export interface StaticContent {
    readonly themes: readonly ThemeLocales[];
    /** The admin theme (Magento/backend) is deployed in these locales. */
    readonly adminLocales: readonly string[];
}

/** Magento's theme and locale spellings, as setup:static-content:deploy takes them. */
export const THEME_NAME = /^[A-Z][A-Za-z0-9_]*\/[a-z0-9_-]+$/;
export const LOCALE = /^[a-z]{2,3}_[A-Z][a-zA-Z]{1,3}$/;

// The release runner (docs/releasing.md): one Step Functions state machine per stack that every trigger starts (the
// release workflow, Rundeck's "Deploy Magento <stack>" job, an operator's `aws stepfunctions start-execution`).

/** The runner's name, from the stack's resource prefix: `<prefix>-release-runner` (stack output `releaseRunnerArn`). */
export const releaseRunnerName = (prefix: string) => `${prefix}-release-runner`;

/** What a run is asked to do. One of imageId (roll out an image the stack already has: a rollback, or a re-run),
 *  sourceImageId (promote: copy another stack's image with this stack's key) or neither (build: the stack's pipeline
 *  bakes releases/next.json, which the caller uploaded). */
export interface RunnerInput {
    /** RELEASE_VERSION; names the release in tags, records and notifications. */
    readonly version: string;
    /** The shop's commit (hex, 7 to 40 characters). */
    readonly commit: string;
    readonly imageId?: string;
    readonly sourceImageId?: string;
    /** Roll back to the image and version of the previous record: no schema step, no maintenance (a schema is never
     *  rolled back automatically). version and commit are then those of the previous record. */
    readonly rollback?: boolean;
}

/** Where the runner records what a stack runs, written only after a rollout succeeded: JSON
 *  {"version","commit","imageId"} (String parameters). `current` is what the web tiers' launch templates boot (the
 *  program reads it at deploy time, so an `up` never rolls out an image the runner has not released, nor undoes a
 *  rollback); `previous` is the rollback target. */
export const releaseRecordParameter = (stack: string, which: "current" | "previous") =>
    `/magento-release/${stack}/${which}`;

/** Magento's exit code of `bin/magento setup:db:status` when the schema or data needs `setup:upgrade`
 *  (Magento\Setup\Console\Command\DbStatusCommand::EXIT_CODE_UPGRADE_REQUIRED); 0 when up to date, 1 on error. */
export const DB_STATUS_UPGRADE_REQUIRED = 2;

/** The Rundeck job that starts the runner, one per stack (the estate's one-button deploy). */
export const rundeckDeployJobName = (stack: string) => `Deploy Magento ${stack}`;
/** The runner's ARN, known before it exists (Rundeck's job and grant name it; Rundeck is built before the web tiers
 *  the runner drives). */
export const releaseRunnerArn = (region: string, accountId: string, prefix: string) =>
    `arn:aws:states:${region}:${accountId}:stateMachine:${releaseRunnerName(prefix)}`;
