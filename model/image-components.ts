// The release image's component documents (AWSTOE, schemaVersion 1.0), in the order the recipe runs them: the web
// stack, the release, the web configuration, then the test phase on an instance of the new image
// (docs/release-image.md, "What the image provides"). Pure: the Image Builder resources take `renderComponent`'s YAML.
// Every shell step starts with `set -euo pipefail`: AWSTOE runs a step's commands as one bash file and takes the
// exit code of its last command (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html#action-modules-executebash).
import * as YAML from "yaml";
import {
    CRON_TIMER,
    LOCALE,
    MAGENTO_ROOT,
    MAGENTO_USER,
    NEXT_RELEASE_KEY,
    RELEASE_FILE,
    RELEASE_VERSION,
    releaseArtifactKey,
    releaseChecksumKey,
    StaticContent,
    THEME_NAME,
    WEB_UNITS,
} from "./release";
import {
    cronUnits,
    fpmPool,
    fpmSizeDropIn,
    fpmSizeScript,
    fpmStopDropIn,
    logRotateConfig,
    nginxMainConfig,
    nginxServerConfig,
    NGINX_USER,
    phpIni,
    PHP_INI_SETTINGS,
    WEB_CONFIG_PATHS,
} from "./web-config";

export interface ImageComponentsArgs {
    readonly staticContent: StaticContent;
    readonly region: string;
}

/** The release component's parameter naming the artifacts bucket: the recipe gives its value, so the document stays the
 *  same text (known in a preview, the same digest) whatever the bucket's generated name
 *  (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-user-defined-variables.html, "Parameters"). */
export const ARTIFACTS_BUCKET_PARAMETER = "ArtifactsBucket";

interface ToeStepBase {
    readonly name: string;
    readonly onFailure: "Abort";
    readonly timeoutSeconds?: number;
}
export interface ToeFile {
    readonly path: string;
    readonly content: string;
    readonly owner: string;
    readonly group: string;
    readonly permissions: string;
}
export type ToeStep =
    | (ToeStepBase & { readonly action: "ExecuteBash"; readonly inputs: { readonly commands: readonly string[] } })
    | (ToeStepBase & { readonly action: "CreateFile"; readonly inputs: readonly ToeFile[] });
export interface ToeDocument {
    readonly name: string;
    readonly description: string;
    readonly schemaVersion: "1.0";
    /** The document's parameters, each given a value by the recipe. */
    readonly parameters?: readonly Record<string, { readonly type: "string"; readonly description: string }>[];
    readonly phases: readonly { readonly name: "build" | "validate" | "test"; readonly steps: readonly ToeStep[] }[];
}
export interface ImageComponent {
    readonly name: string;
    readonly description: string;
    readonly document: ToeDocument;
}

/** Magento's file-system owner's ids: the shared folders' access points and exports give their files these
 *  (components/storage/shares.ts), so the image's user must have them. */
export const MAGENTO_UID = 1001;

/** What the release step unpacks from and leaves for the next steps; gone once the release is in place. */
export const RELEASE_WORK_DIR = "/var/tmp/magento-release";

/** The PHP extensions Magento 2.4.8 requires (https://experienceleague.adobe.com/docs/commerce-operations/installation-guide/prerequisites/php-settings.html;
 *  composer.json of 2.4.8 asks the same), as `php -m` names them lower-cased; pcntl for parallel indexers (ibid.). */
export const MAGENTO_PHP_EXTENSIONS = [
    "bcmath",
    "ctype",
    "curl",
    "dom",
    "fileinfo",
    "filter",
    "ftp",
    "gd",
    "hash",
    "iconv",
    "intl",
    "json",
    "libxml",
    "mbstring",
    "openssl",
    "pcntl",
    "pcre",
    "pdo_mysql",
    "reflection",
    "simplexml",
    "soap",
    "sockets",
    "sodium",
    "spl",
    "tokenizer",
    "xmlwriter",
    "xsl",
    "zip",
    "zlib",
    "zend opcache",
] as const;

/**
 * Amazon Linux 2023's packages: PHP 8.3 is namespaced php8.3-* (the others: ctype, curl, ftp, sockets... are in
 * php8.3-common; dom, simplexml, xmlwriter, xsl in php8.3-xml; pcntl in php8.3-process)
 * (https://docs.aws.amazon.com/linux/al2023/release-notes/relnotes-2023.5.20240903.html); the CloudWatch agent,
 * EFS utilities and the AWS CLI v2 (awscli-2) are AL2023 packages
 * (https://docs.aws.amazon.com/linux/al2023/release-notes/vercmp-AL2-AL2023.12.html), and rsyslog, which writes the
 * journal to /var/log/messages for the agent (AL2023 has no syslog daemon by default: components/compute/cloudwatch-agent.ts).
 * jq reads next.json here and the JSON secrets at boot. The build fails on a missing extension whatever package should have brought it.
 */
export const WEB_STACK_PACKAGES = [
    "nginx",
    ...["cli", "fpm", "common", "bcmath", "gd", "intl", "mbstring", "mysqlnd", "pdo", "opcache", "process", "soap"].map(
        (p) => `php8.3-${p}`,
    ),
    ...["sodium", "xml", "zip"].map((p) => `php8.3-${p}`),
    "amazon-efs-utils",
    "amazon-cloudwatch-agent",
    "rsyslog",
    "awscli-2",
    "jq",
    "logrotate",
] as const;

/** The admin theme, deployed in the admin locales. */
export const ADMIN_THEME = "Magento/backend";

/** Image Builder takes at most 16,000 characters of inline component data
 *  (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateComponent.html). */
export const COMPONENT_DATA_MAX = 16000;

const STRICT = "set -euo pipefail";

function bash(name: string, commands: readonly string[], timeoutSeconds?: number): ToeStep {
    return {
        name,
        action: "ExecuteBash",
        onFailure: "Abort",
        ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
        inputs: { commands: [STRICT, ...commands] },
    };
}

function files(name: string, list: readonly { path: string; content: string; permissions: string }[]): ToeStep {
    return {
        name,
        action: "CreateFile",
        onFailure: "Abort",
        inputs: list.map((f) => ({ ...f, owner: "root", group: "root" })),
    };
}

/** A bin/magento command run as Magento's file-system owner, as Adobe asks of every one; with Magento's memory limit
 *  given, since the release is built before web-config writes php.ini. */
const asMagento = (command: string) =>
    `runuser -u ${MAGENTO_USER} -- php -d memory_limit=${PHP_INI_SETTINGS.memory_limit} ${MAGENTO_ROOT}/bin/magento ${command}`;

/** Lines failing the step with a message when `condition` (bash) holds; failUnless when `test` (one command: `!`
 *  binds to it alone) does not. */
const failIf = (condition: string, message: string) => [
    `if ${condition}; then`,
    `  echo "${message}" >&2`,
    "  exit 1",
    "fi",
];
const failUnless = (test: string, message: string) => failIf(`! ${test}`, message);

/** The checks the image's web configuration must pass, in the build's validate phase and again in the test phase. */
function webConfigChecks(): string[] {
    return [
        "nginx -t",
        ...failUnless(
            `runuser -u ${MAGENTO_USER} -- test -w ${WEB_CONFIG_PATHS.logDir}`,
            `${WEB_CONFIG_PATHS.logDir} is not writable by ${MAGENTO_USER}: the pool's error log would go nowhere`,
        ),
        `bash ${WEB_CONFIG_PATHS.fpmSizeScript}`,
        "set -a",
        "# shellcheck source=/dev/null",
        `. ${WEB_CONFIG_PATHS.fpmSizeEnv}`,
        "set +a",
        "php-fpm -t",
    ];
}

function checkArgs(args: ImageComponentsArgs): void {
    const problems: string[] = [];
    const { themes, adminLocales } = args.staticContent;
    if (themes.length === 0) {
        problems.push("staticContent.themes: at least one storefront theme");
    }
    for (const t of themes) {
        if (!THEME_NAME.test(t.theme) || t.theme === ADMIN_THEME) {
            problems.push(`theme '${t.theme}': a storefront theme as Vendor/theme (${THEME_NAME.source})`);
        }
        if (t.locales.length === 0) {
            problems.push(`theme '${t.theme}': at least one locale`);
        }
    }
    for (const l of [...themes.flatMap((t) => t.locales), ...adminLocales]) {
        if (!LOCALE.test(l)) {
            problems.push(`locale '${l}': a Magento locale such as fr_FR (${LOCALE.source})`);
        }
    }
    if (adminLocales.length === 0) {
        problems.push("staticContent.adminLocales: at least one locale for the admin");
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region)) {
        problems.push(`region '${args.region}': an AWS region such as eu-west-3`);
    }
    if (problems.length > 0) {
        throw new Error(`Release image components refused:\n  - ${problems.join("\n  - ")}`);
    }
}

function webStack(): ImageComponent {
    const checkExtensions = [
        "loaded=$(php -m | tr '[:upper:]' '[:lower:]')",
        `required=(${MAGENTO_PHP_EXTENSIONS.map((e) => `'${e}'`).join(" ")})`,
        "missing=()",
        'for ext in "${required[@]}"; do',
        '  grep -qx "$ext" <<<"$loaded" || missing+=("$ext")',
        "done",
        'if [ "${#missing[@]}" -gt 0 ]; then',
        "  printf -v list '%s, ' \"${missing[@]}\"",
        '  echo "PHP lacks extensions Magento 2.4.8 requires: ${list%, }" >&2',
        "  exit 1",
        "fi",
    ];
    return {
        name: "web-stack",
        description: "nginx, PHP-FPM 8.3 with Magento's extensions, EFS utilities, the CloudWatch agent, the AWS CLI",
        document: {
            name: "web-stack",
            description: "Installs the web stack Magento 2.4.8 supports on Amazon Linux 2023 and Magento's user.",
            schemaVersion: "1.0",
            phases: [
                {
                    name: "build",
                    steps: [
                        bash("InstallPackages", [`dnf install -y ${WEB_STACK_PACKAGES.join(" ")}`], 1800),
                        bash("CreateMagentoUser", [
                            `getent group ${MAGENTO_USER} >/dev/null || groupadd --system --gid ${MAGENTO_UID} ${MAGENTO_USER}`,
                            `id -u ${MAGENTO_USER} >/dev/null 2>&1 || useradd --system --uid ${MAGENTO_UID} --gid ${MAGENTO_USER} --home-dir ${MAGENTO_ROOT} --no-create-home --shell /sbin/nologin ${MAGENTO_USER}`,
                            ...failUnless(
                                `[ "$(id -u ${MAGENTO_USER})" = ${MAGENTO_UID} ]`,
                                `user ${MAGENTO_USER} exists with another uid than ${MAGENTO_UID}, which the shared folders' files carry`,
                            ),
                            // nginx reads pub/ as a member of Magento's group: nothing of the release is world-readable.
                            `usermod -a -G ${MAGENTO_USER} ${NGINX_USER}`,
                        ]),
                    ],
                },
                {
                    name: "validate",
                    steps: [
                        bash("CheckPhpExtensions", [
                            ...failUnless(
                                "php -r 'exit(PHP_MAJOR_VERSION === 8 && PHP_MINOR_VERSION === 3 ? 0 : 1);'",
                                "PHP is not 8.3",
                            ),
                            ...checkExtensions,
                        ]),
                        bash("CheckTools", [
                            "nginx -v",
                            ...failUnless("aws --version | grep -q '^aws-cli/2\\.'", "the AWS CLI is not version 2"),
                            "rpm -q amazon-efs-utils amazon-cloudwatch-agent rsyslog",
                        ]),
                    ],
                },
            ],
        },
    };
}

/** Downloads releases/next.json's release and its checksum line, and refuses the build unless they match: nothing is
 *  unpacked from a tarball that is not the one CI uploaded. Leaves RELEASE_WORK_DIR/{release.tar.gz,RELEASE}. */
function fetchRelease(region: string): string[] {
    const s3 = (key: string, to: string) =>
        `aws s3 cp --only-show-errors --region ${region} "s3://$bucket/${key}" "$work/${to}"`;
    return [
        `bucket='{{ ${ARTIFACTS_BUCKET_PARAMETER} }}'`,
        "bucket_pattern='^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$'",
        ...failUnless(
            "[[ $bucket =~ $bucket_pattern ]]",
            `parameter ${ARTIFACTS_BUCKET_PARAMETER} '$bucket' is not a bucket name`,
        ),
        `work=${RELEASE_WORK_DIR}`,
        'rm -rf "$work"',
        'mkdir -p "$work"',
        s3(NEXT_RELEASE_KEY, "next.json"),
        "version=$(jq -er '.version | strings' \"$work/next.json\")",
        "commit=$(jq -er '.commit | strings' \"$work/next.json\")",
        `version_pattern='${RELEASE_VERSION.source}'`,
        ...failUnless(
            "[[ $version =~ $version_pattern ]]",
            `${NEXT_RELEASE_KEY}: version '$version' must be letters, digits and . _ + - (64 at most)`,
        ),
        "commit_pattern='^[0-9a-f]{7,40}$'",
        ...failUnless(
            "[[ $commit =~ $commit_pattern ]]",
            `${NEXT_RELEASE_KEY}: commit '$commit' is not a git commit id`,
        ),
        s3(releaseArtifactKey("$version"), "release.tar.gz"),
        s3(releaseChecksumKey("$version"), "release.tar.gz.sha256"),
        "expected=$(awk '{ print $1; exit }' \"$work/release.tar.gz.sha256\")",
        "sha_pattern='^[0-9a-f]{64}$'",
        ...failUnless("[[ $expected =~ $sha_pattern ]]", `${releaseChecksumKey("$version")}: no sha256sum line`),
        'actual=$(sha256sum "$work/release.tar.gz")',
        "actual=${actual%% *}",
        ...failIf(
            '[ "$actual" != "$expected" ]',
            `${releaseArtifactKey("$version")} has checksum $actual, ${releaseChecksumKey("$version")} says $expected: not unpacking it`,
        ),
        `printf '%s %s\\n' "$version" "$commit" > "$work/RELEASE"`,
    ];
}

/** Unpacks into MAGENTO_ROOT and refuses a release that cannot deploy without a database or that carries env.php. */
function unpackRelease(): string[] {
    const config = `${MAGENTO_ROOT}/app/etc/config.php`;
    return [
        `work=${RELEASE_WORK_DIR}`,
        `rm -rf ${MAGENTO_ROOT}`,
        `mkdir -p ${MAGENTO_ROOT}`,
        `tar -xzf "$work/release.tar.gz" -C ${MAGENTO_ROOT} --no-same-owner`,
        ...failUnless(`[ -f ${MAGENTO_ROOT}/bin/magento ]`, "the release has no bin/magento at its root"),
        // Static content deploys without a database only from the scopes and themes dumped into config.php
        // (https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/deployment/technical-details.html).
        ...failUnless(
            `grep -q "'themes'" ${config}`,
            "app/etc/config.php holds no themes: run bin/magento app:config:dump scopes themes before packaging the release",
        ),
        ...failIf(
            `[ -e ${MAGENTO_ROOT}/app/etc/env.php ]`,
            "the release carries app/etc/env.php: connections and secrets are rendered at boot, never baked into the image",
        ),
        `cp "$work/RELEASE" ${RELEASE_FILE}`,
        `chown -R ${MAGENTO_USER}:${MAGENTO_USER} ${MAGENTO_ROOT}`,
        'rm -rf "$work"',
    ];
}

/** setup:static-content:deploy for each storefront theme in its locales and for the admin, compact strategy (one
 *  copy of what locales share: 70 minutes became 15 for the estate), forced since the build is not in production
 *  mode yet (https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/cli/static-view/static-view-file-deployment.html,
 *  https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/cli/static-view/static-view-file-strategy.html). */
export function staticContentCommands(content: StaticContent): string[] {
    const deploy = (area: string, theme: string, locales: readonly string[]) =>
        asMagento(`setup:static-content:deploy -f -s compact --area ${area} --theme ${theme} ${locales.join(" ")}`);
    return [
        ...content.themes.map((t) => deploy("frontend", t.theme, t.locales)),
        deploy("adminhtml", ADMIN_THEME, content.adminLocales),
    ];
}

/** The image's app/etc/env.php: production mode and nothing else. Production mode is a setting of env.php
 *  (https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/cli/set-mode.html), and what
 *  `deploy:mode:set production --skip-compilation` would write; that command cannot run here: a Magento without an
 *  installed env.php offers only setup:* (di:compile and static content among them) and app:config:import
 *  (https://github.com/magento/magento2/blob/2.4-develop/setup/src/Magento/Setup/Console/CommandLoader.php,
 *  https://github.com/magento/magento2/blob/2.4-develop/app/code/Magento/Deploy/Console/CommandList.php). Boot's
 *  env.php replaces this one and keeps the mode. */
function productionMode(): string[] {
    const env = `${MAGENTO_ROOT}/app/etc/env.php`;
    return [`printf '%s\\n' '<?php' "return ['MAGE_MODE' => 'production'];" > ${env}`, `php -l ${env}`];
}

/** Code read-only for its owner too, as Adobe's production permissions say
 *  (https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/deployment/file-system-permissions.html):
 *  var/ stays writable (logs, reports); nothing is world-readable or -writable, nginx reads through the group. */
const READ_ONLY_CODE = [
    "vendor",
    "app/code",
    "app/etc",
    "lib",
    "pub/static",
    "generated",
    "var/view_preprocessed",
    "bin",
];

function release(args: ImageComponentsArgs): ImageComponent {
    return {
        name: "release",
        description: "The release CI uploaded, checked, compiled, its static content deployed, in production mode",
        document: {
            name: "release",
            description: `Bakes ${NEXT_RELEASE_KEY}'s release into ${MAGENTO_ROOT}: checksum first, then di:compile, static content (compact), production mode.`,
            schemaVersion: "1.0",
            parameters: [
                {
                    [ARTIFACTS_BUCKET_PARAMETER]: {
                        type: "string",
                        description: "The stack's artifacts bucket, holding releases/next.json and the releases",
                    },
                },
            ],
            phases: [
                {
                    name: "build",
                    steps: [
                        bash("FetchRelease", fetchRelease(args.region), 1800),
                        bash("UnpackRelease", unpackRelease(), 1800),
                        bash("CompileCode", [asMagento("setup:di:compile")], 3600),
                        bash("DeployStaticContent", staticContentCommands(args.staticContent), 5400),
                        bash("SetProductionMode", productionMode()),
                        bash("SetPermissions", [
                            `cd ${MAGENTO_ROOT}`,
                            `chown -R ${MAGENTO_USER}:${MAGENTO_USER} .`,
                            "chmod -R o-rwx,g-w .",
                            `for code in ${READ_ONLY_CODE.join(" ")}; do`,
                            '  if [ -e "$code" ]; then chmod -R u-w "$code"; fi',
                            "done",
                        ]),
                    ],
                },
                {
                    name: "validate",
                    steps: [bash("CheckRelease", releaseChecks())],
                },
            ],
        },
    };
}

/** What the baked release must show, after the build and on the test instance. */
function releaseChecks(): string[] {
    const stat = `${MAGENTO_ROOT}/pub/static`;
    return [
        ...failUnless(
            `grep -Eq '^[0-9A-Za-z][0-9A-Za-z._+-]* [0-9a-f]{7,40}$' ${RELEASE_FILE}`,
            `${RELEASE_FILE} does not say '<version> <commit>'`,
        ),
        ...failUnless(
            `[ -f ${stat}/deployed_version.txt ]`,
            "no static content deployed (pub/static/deployed_version.txt)",
        ),
        ...failIf(
            `[ ! -d ${stat} ] || [ -L ${stat} ]`,
            "pub/static must be a directory of the image, not a link to shared storage",
        ),
        ...failIf(
            `mountpoint -q ${stat}`,
            "pub/static is a mount point: it must be a directory of the image, never shared",
        ),
        ...failIf(`[ -z "$(ls -A ${MAGENTO_ROOT}/generated/code)" ]`, "no generated code (setup:di:compile)"),
        "# shellcheck disable=SC2016 # PHP code, its $ are PHP's",
        ...failUnless(
            `php -r '$c = include "${MAGENTO_ROOT}/app/etc/env.php"; exit(($c["MAGE_MODE"] ?? "") === "production" && !array_intersect_key($c, array_flip(["db", "crypt", "session", "cache", "queue"])) ? 0 : 1);'`,
            "app/etc/env.php must set production mode and hold no connection or key: boot renders those",
        ),
        ...failIf(
            `[ -n "$(find ${MAGENTO_ROOT} -perm -o+w ! -type l -print -quit)" ]`,
            "a file of the release is world-writable",
        ),
    ];
}

function webConfig(): ImageComponent {
    const cron = cronUnits();
    const p = WEB_CONFIG_PATHS;
    return {
        name: "web-config",
        description:
            "nginx from Magento's sample, the magento PHP-FPM pool sized at start, php.ini, cron units, all disabled",
        document: {
            name: "web-config",
            description: "Configures nginx and PHP-FPM for Magento and installs its cron units; boot enables them.",
            schemaVersion: "1.0",
            phases: [
                {
                    name: "build",
                    steps: [
                        files("WriteWebConfig", [
                            { path: p.nginxMain, content: nginxMainConfig(), permissions: "0644" },
                            { path: p.nginxServer, content: nginxServerConfig(), permissions: "0644" },
                            { path: p.fpmPool, content: fpmPool(), permissions: "0644" },
                            { path: p.phpIni, content: phpIni(), permissions: "0644" },
                            { path: p.fpmSizeScript, content: fpmSizeScript(), permissions: "0755" },
                            { path: p.fpmSizeDropIn, content: fpmSizeDropIn(), permissions: "0644" },
                            { path: p.fpmStopDropIn, content: fpmStopDropIn(), permissions: "0644" },
                            { path: p.cronService, content: cron.service, permissions: "0644" },
                            { path: p.cronTimer, content: cron.timer, permissions: "0644" },
                            { path: p.logRotate, content: logRotateConfig(), permissions: "0644" },
                        ]),
                        bash("InstallServices", [
                            `rm -f ${p.fpmStockPool}`,
                            `install -d -o ${MAGENTO_USER} -g ${MAGENTO_USER} -m 0750 ${p.logDir}`,
                            "systemctl daemon-reload",
                            // Installed, never enabled here: an image serving before boot rendered env.php would pass
                            // the health check with no database; boot enables the web units, and cron on the back
                            // office only (one cron runner).
                            `systemctl disable ${DISABLED_UNITS.join(" ")}`,
                        ]),
                    ],
                },
                { name: "validate", steps: [bash("CheckWebConfig", webConfigChecks())] },
            ],
        },
    };
}

/** The units the image ships disabled, which boot enables. */
const DISABLED_UNITS = [...WEB_UNITS, CRON_TIMER];

function imageTest(): ImageComponent {
    return {
        name: "image-test",
        description: "Proves the image on an instance launched from it: configuration, Magento, static content",
        document: {
            name: "image-test",
            description:
                "Test phase: nginx -t, php-fpm -t, bin/magento --version, static content in the image, nginx, php-fpm and cron off.",
            schemaVersion: "1.0",
            phases: [
                {
                    name: "test",
                    steps: [
                        bash("WebConfig", webConfigChecks()),
                        bash("Magento", [asMagento("--version")]),
                        bash("Release", releaseChecks()),
                        bash("ServicesDisabled", [
                            `for unit in ${DISABLED_UNITS.join(" ")}; do`,
                            '  state=$(systemctl is-enabled "$unit" || true)',
                            ...failUnless(
                                '[ "$state" = disabled ]',
                                "$unit is '$state': the image must ship it disabled, boot enables it once configured",
                            ).map((l) => `  ${l}`),
                            "done",
                        ]),
                    ],
                },
            ],
        },
    };
}

/** The recipe's components, in order. */
export function imageComponents(args: ImageComponentsArgs): ImageComponent[] {
    checkArgs(args);
    return [webStack(), release(args), webConfig(), imageTest()];
}

/** The YAML Image Builder takes in a component's `data`. */
export function renderComponent(document: ToeDocument): string {
    const text = YAML.stringify(document, { lineWidth: 0 });
    if (text.length > COMPONENT_DATA_MAX) {
        throw new Error(
            `component document '${document.name}' is ${text.length} characters: Image Builder takes at most ${COMPONENT_DATA_MAX} inline`,
        );
    }
    return text;
}
