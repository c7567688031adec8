// The release image's component documents: valid AWSTOE, every shell step strict and clean under shellcheck, the
// checksum refusing a tampered release before anything is unpacked, static content compact for every theme and
// locale, the image's checks failing on what they guard against, and nothing written to the shared folders.
import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { MAGENTO_SHARES } from "../../components/storage/shares";
import {
    ADMIN_THEME,
    ARTIFACTS_BUCKET_PARAMETER,
    COMPONENT_DATA_MAX,
    ImageComponent,
    imageComponents,
    ImageComponentsArgs,
    MAGENTO_PHP_EXTENSIONS,
    MAGENTO_UID,
    RELEASE_WORK_DIR,
    renderComponent,
    ToeStep,
} from "../../model/image-components";
import {
    CRON_TIMER,
    MAGENTO_ROOT,
    MAGENTO_USER,
    NEXT_RELEASE_KEY,
    RELEASE_VERSION,
    releaseArtifactKey,
    releaseChecksumKey,
    WEB_UNITS,
} from "../../model/release";
import { fpmStopDropIn, WEB_CONFIG_PATHS } from "../../model/web-config";
import { awstoeProblems } from "../helpers/awstoe";

const ARGS: ImageComponentsArgs = {
    staticContent: {
        themes: [
            { theme: "Vendor/shop", locales: ["fr_FR"] },
            { theme: "Vendor/kids", locales: ["fr_FR", "de_DE"] },
        ],
        adminLocales: ["en_US", "fr_FR"],
    },
    region: "eu-west-3",
};
/** The value the recipe gives the release's bucket parameter. */
const BUCKET = "magento-preprod-artifacts";
const components = imageComponents(ARGS);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "image-components-"));

function stepsOf(c: ImageComponent): { phase: string; step: ToeStep }[] {
    return c.document.phases.flatMap((p) => p.steps.map((step) => ({ phase: p.name, step })));
}
const allSteps = components.flatMap((c) => stepsOf(c).map((s) => ({ component: c.name, ...s })));

/** A shell step's commands, AWSTOE-style: one bash file, one command a line. */
function commandsOf(component: string, step: string): string[] {
    const found = allSteps.find((s) => s.component === component && s.step.name === step);
    assert.ok(found, `no step ${component}/${step}`);
    assert.strictEqual(found.step.action, "ExecuteBash");
    return [...found.step.inputs.commands];
}

function shellcheck(script: string): Promise<string> {
    return new Promise((resolve) => {
        const child = execFile("shellcheck", ["-s", "bash", "-"], { encoding: "utf8" }, (error, stdout, stderr) =>
            resolve(error ? `${stdout}${stderr}` || String(error) : ""),
        );
        child.stdin!.end(script);
    });
}

/** Runs lines as AWSTOE would (bash), with stubs first on PATH. */
function run(lines: readonly string[], env: Record<string, string> = {}, stubs?: string) {
    const result = spawnSync("bash", ["-c", lines.join("\n")], {
        encoding: "utf8",
        env: { ...process.env, ...env, PATH: `${stubs ? `${stubs}:` : ""}${process.env.PATH}` },
    });
    return { status: result.status, stderr: result.stderr };
}

/** An executable script in `dir`. */
function stub(dir: string, name: string, body: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), `#!/bin/bash\nset -euo pipefail\n${body}\n`, { mode: 0o755 });
}

describe("release image components", () => {
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the recipe runs the web stack, the release, the web configuration, then the test phase", () => {
        assert.deepStrictEqual(
            components.map((c) => [c.name, c.document.phases.map((p) => p.name)]),
            [
                ["web-stack", ["build", "validate"]],
                ["release", ["build", "validate"]],
                ["web-config", ["build", "validate"]],
                ["image-test", ["test"]],
            ],
        );
    });

    it("every document passes the AWSTOE schema and renders to YAML Image Builder accepts inline", () => {
        for (const c of components) {
            assert.deepStrictEqual(awstoeProblems(c.document), [], c.name);
            const text = renderComponent(c.document);
            assert.ok(text.length <= COMPONENT_DATA_MAX, `${c.name}: ${text.length} characters`);
            assert.deepStrictEqual(YAML.parse(text), JSON.parse(JSON.stringify(c.document)), `${c.name} round trip`);
            // AWSTOE resolves {{ ... }} in inputs as variables and chaining expressions: only the document's own
            // parameters may appear, and each of them is used.
            const declared = (c.document.parameters ?? []).flatMap((p) => Object.keys(p)).sort();
            const used = [...new Set([...text.matchAll(/\{\{\s*([^}\s]*)\s*\}\}/g)].map((m) => m[1]))].sort();
            assert.deepStrictEqual(used, declared, `${c.name}: variables used and declared`);
            assert.strictEqual(text.split("{{").length, text.split("}}").length, `${c.name}: unbalanced braces`);
        }
    });

    it("the AWSTOE schema refuses broken documents, naming what is wrong (the check is real)", () => {
        const doc = (steps: unknown[], phase = "build") => ({ schemaVersion: "1.0", phases: [{ name: phase, steps }] });
        const bash = { name: "Ok", action: "ExecuteBash", inputs: { commands: ["true"] } };
        const cases: [unknown, RegExp][] = [
            [{ phases: doc([bash]).phases }, /must have required property 'schemaVersion'/],
            [doc([bash], "deploy"), /\/phases\/0\/name: must be equal to one of the allowed values/],
            [
                doc([{ ...bash, action: "RunShell" }]),
                /\/phases\/0\/steps\/0\/action: must be equal to one of the allowed values/,
            ],
            [
                doc([{ name: "NoCommands", action: "ExecuteBash", inputs: {} }]),
                /inputs: must have required property 'commands'/,
            ],
            [doc([{ ...bash, timeoutSeconds: 0 }]), /timeoutSeconds/],
            [doc([{ ...bash, onFailure: "Retry" }]), /onFailure/],
            [
                doc([{ name: "Get", action: "S3Download", inputs: [{ source: "https://x/y", destination: "/y" }] }]),
                /source: must match pattern "\^s3:\/\/"/,
            ],
            [
                doc([{ name: "Write", action: "CreateFile", inputs: [{ path: "/x", permissions: 644 }] }]),
                /permissions: must be string/,
            ],
            [doc([bash, bash]), /phase build: step 'Ok' twice/],
            [doc([{ ...bash, shell: "zsh" }]), /unknown field 'shell'/],
        ];
        for (const [document, expected] of cases) {
            const problems = awstoeProblems(document);
            assert.ok(
                problems.some((p) => expected.test(p)),
                `${JSON.stringify(document)}\n  expected ${expected}\n  got ${problems.join("; ")}`,
            );
        }
    });

    it("every shell step fails on its first failing command and passes shellcheck", async () => {
        const bashSteps = allSteps.filter((s) => s.step.action === "ExecuteBash");
        assert.ok(bashSteps.length >= 12, `only ${bashSteps.length} shell steps`);
        for (const s of bashSteps) {
            assert.strictEqual(
                commandsOf(s.component, s.step.name)[0],
                "set -euo pipefail",
                `${s.component}/${s.step.name}`,
            );
        }
        const findings = await Promise.all(
            bashSteps.map((s) =>
                shellcheck(`#!/bin/bash\nset -euo pipefail\n${commandsOf(s.component, s.step.name).join("\n")}\n`),
            ),
        );
        bashSteps.forEach((s, i) =>
            assert.strictEqual(findings[i], "", `${s.component}/${s.step.name}:\n${findings[i]}`),
        );
        assert.match(await shellcheck("#!/bin/bash\nrm -rf $1/*\n"), /SC2115|SC2086/, "the check is real");
    });

    describe("the release's checksum, checked before anything is unpacked", () => {
        const s3 = path.join(tmp, "s3");
        const stubs = path.join(tmp, "bin");
        const work = path.join(tmp, "work");
        // The release step with its work folder here, and `aws s3 cp` copying from a local folder standing for the bucket.
        const fetch = commandsOf("release", "FetchRelease").map((l) =>
            l.split(RELEASE_WORK_DIR).join(work).split(`{{ ${ARTIFACTS_BUCKET_PARAMETER} }}`).join(BUCKET),
        );
        stub(
            stubs,
            "aws",
            [
                'echo "$*" >> "$STUB_S3/calls"',
                "src=${*: -2:1}",
                "dest=${*: -1}",
                `cp "$STUB_S3/\${src#s3://${BUCKET}/}" "$dest"`,
            ].join("\n"),
        );

        function publish(version: string, tarballBytes: string, checksumOf = tarballBytes): void {
            fs.rmSync(s3, { recursive: true, force: true });
            fs.mkdirSync(path.join(s3, "releases"), { recursive: true });
            fs.writeFileSync(path.join(s3, NEXT_RELEASE_KEY), JSON.stringify({ version, commit: "0123abc" }));
            fs.writeFileSync(path.join(s3, releaseArtifactKey(version)), tarballBytes);
            const sum = spawnSync("sha256sum", ["-"], { input: checksumOf, encoding: "utf8" }).stdout.split(" ")[0];
            fs.writeFileSync(path.join(s3, releaseChecksumKey(version)), `${sum}  ${version}.tar.gz\n`);
        }
        const fetchRelease = () => run(fetch, { STUB_S3: s3 }, stubs);

        it("the release CI uploaded is fetched, with what the image will say of itself", () => {
            publish("2026.12.1", "the real tarball");
            const result = fetchRelease();
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(fs.readFileSync(path.join(work, "RELEASE"), "utf8"), "2026.12.1 0123abc\n");
            assert.strictEqual(fs.readFileSync(path.join(work, "release.tar.gz"), "utf8"), "the real tarball");
        });

        it("a tarball that is not the one its checksum names fails the build", () => {
            publish("2026.12.1", "a tampered tarball", "the real tarball");
            const result = fetchRelease();
            assert.strictEqual(result.status, 1);
            assert.match(
                result.stderr,
                /releases\/2026\.12\.1\.tar\.gz has checksum [0-9a-f]{64}, .* says [0-9a-f]{64}: not unpacking it/,
            );
            assert.ok(!fs.existsSync(path.join(work, "RELEASE")), "RELEASE written for a refused release");
            // The unpack step is the next one: the build stops at this step, before tar ever reads the tarball.
            const release = components.find((c) => c.name === "release")!;
            const names = release.document.phases[0].steps.map((s) => s.name);
            assert.ok(names.indexOf("FetchRelease") < names.indexOf("UnpackRelease"));
            assert.ok(!fetch.some((l) => /(^|\s)tar\s/.test(l)), "the checking step unpacks nothing");
        });

        it("the build takes exactly the versions RELEASE_VERSION allows (bash reads the same pattern)", () => {
            for (const version of [
                "2026.12.1",
                "v1.2.3+build.5",
                "r_7-rc1",
                "-rc1",
                "a b",
                "1;reboot",
                "x".repeat(65),
            ]) {
                publish(version, "the real tarball");
                assert.strictEqual(fetchRelease().status === 0, RELEASE_VERSION.test(version), version);
            }
        });

        it("a version in next.json that is not a release version fails before any download", () => {
            publish("../../etc", "x");
            const result = fetchRelease();
            assert.strictEqual(result.status, 1);
            assert.match(result.stderr, /releases\/next\.json: version '\.\.\/\.\.\/etc' must be/);
            assert.deepStrictEqual(
                fs
                    .readFileSync(path.join(s3, "calls"), "utf8")
                    .trim()
                    .split("\n")
                    .map((c) => c.split(" ").at(-2)),
                [`s3://${BUCKET}/${NEXT_RELEASE_KEY}`],
            );
        });
    });

    it("static content deploys with the compact strategy for every storefront theme in its locales and for the admin", () => {
        const deploys = commandsOf("release", "DeployStaticContent")
            .slice(1)
            .map((c) => c.match(/bin\/magento setup:static-content:deploy (.*)$/)![1].split(" "));
        const deployed = deploys.flatMap((argv) => {
            assert.ok(argv.includes("-f"), `${argv.join(" ")}: -f (the build is not in production mode yet)`);
            assert.strictEqual(argv[argv.indexOf("-s") + 1], "compact", argv.join(" "));
            const area = argv[argv.indexOf("--area") + 1];
            const theme = argv[argv.indexOf("--theme") + 1];
            return argv.slice(argv.indexOf("--theme") + 2).map((locale) => `${area} ${theme} ${locale}`);
        });
        assert.deepStrictEqual(deployed.sort(), [
            "adminhtml Magento/backend en_US",
            "adminhtml Magento/backend fr_FR",
            "frontend Vendor/kids de_DE",
            "frontend Vendor/kids fr_FR",
            "frontend Vendor/shop fr_FR",
        ]);
        assert.strictEqual(ADMIN_THEME, "Magento/backend");
    });

    it("the release is compiled, then its static content deployed, then production mode set without recompiling", () => {
        const build = components.find((c) => c.name === "release")!.document.phases[0].steps.map((s) => s.name);
        assert.deepStrictEqual(build, [
            "FetchRelease",
            "UnpackRelease",
            "CompileCode",
            "DeployStaticContent",
            "SetProductionMode",
            "SetPermissions",
        ]);
        assert.match(
            commandsOf("release", "CompileCode")[1],
            /^runuser -u magento -- php .*bin\/magento setup:di:compile$/,
        );
        // Production mode is written into env.php (deploy:mode:set is not offered before an install): nothing else is.
        const root = path.join(tmp, "mode");
        fs.mkdirSync(path.join(root, "app/etc"), { recursive: true });
        const result = run(commandsOf("release", "SetProductionMode").map((l) => l.split(MAGENTO_ROOT).join(root)));
        assert.strictEqual(result.status, 0, result.stderr);
        const read = spawnSync("php", ["-r", `echo json_encode(include "${root}/app/etc/env.php");`], {
            encoding: "utf8",
        });
        assert.deepStrictEqual(JSON.parse(read.stdout), { MAGE_MODE: "production" });
    });

    it("no step writes to a shared folder or mounts anything: boot mounts pub/media and the others over the image", () => {
        const written = allSteps.flatMap(({ component, step }) =>
            step.action === "ExecuteBash"
                ? step.inputs.commands.map((c) => `${component}/${step.name}: ${c}`)
                : step.inputs.map((f) => `${component}/${step.name}: ${f.path}`),
        );
        for (const share of MAGENTO_SHARES) {
            assert.deepStrictEqual(
                written.filter((l) => l.includes(share.mountPath)),
                [],
                share.mountPath,
            );
        }
        assert.deepStrictEqual(
            written.filter((l) => /(^|[;&|]\s*|: )(mount|mount\.efs|mount\.nfs4?)\s/.test(l)),
            [],
        );
    });

    it("the image ships nginx, PHP-FPM and cron disabled: nothing serves before boot has rendered env.php", () => {
        const install = commandsOf("web-config", "InstallServices");
        assert.deepStrictEqual(
            install.filter((c) => c.startsWith("systemctl ") && c !== "systemctl daemon-reload"),
            [`systemctl disable ${[...WEB_UNITS, CRON_TIMER].join(" ")}`],
        );
        assert.deepStrictEqual(
            allSteps.flatMap(({ step }) =>
                step.action === "ExecuteBash"
                    ? step.inputs.commands.filter((c) => /systemctl\s.*\b(enable|start)\b/.test(c))
                    : [],
            ),
            [],
        );
        // PHP-FPM stops gracefully and its workers can write their error log (boot adds its own drop-ins beside).
        const written = allSteps.flatMap(({ step }) => (step.action === "CreateFile" ? step.inputs : []));
        assert.strictEqual(written.find((f) => f.path === WEB_CONFIG_PATHS.fpmStopDropIn)?.content, fpmStopDropIn());
        assert.ok(
            install.includes(`install -d -o ${MAGENTO_USER} -g ${MAGENTO_USER} -m 0750 ${WEB_CONFIG_PATHS.logDir}`),
            install.join("\n"),
        );
    });

    it("Magento's user has the uid and gid the shared folders' files carry", () => {
        for (const share of MAGENTO_SHARES.filter((s) => s.name !== "exports")) {
            assert.deepStrictEqual([share.uid, share.gid], [MAGENTO_UID, MAGENTO_UID], share.name);
        }
        assert.ok(commandsOf("web-stack", "CreateMagentoUser").some((c) => c.includes(`--uid ${MAGENTO_UID}`)));
    });

    describe("the image's own checks fail on what they guard against", () => {
        const root = path.join(tmp, "magento");
        const check = () => run(commandsOf("release", "CheckRelease").map((l) => l.split(MAGENTO_ROOT).join(root)));
        function tree(): void {
            fs.rmSync(root, { recursive: true, force: true });
            fs.mkdirSync(path.join(root, "pub/static"), { recursive: true });
            fs.mkdirSync(path.join(root, "generated/code/Magento"), { recursive: true });
            fs.writeFileSync(path.join(root, "pub/static/deployed_version.txt"), "1733130000");
            fs.writeFileSync(path.join(root, "RELEASE"), "2026.12.1 0123abc\n");
            fs.mkdirSync(path.join(root, "app/etc"), { recursive: true });
            // env.php as the build's own step writes it
            const mode = run(commandsOf("release", "SetProductionMode").map((l) => l.split(MAGENTO_ROOT).join(root)));
            assert.strictEqual(mode.status, 0, mode.stderr);
        }

        it("a baked release passes", () => {
            tree();
            const result = check();
            assert.strictEqual(result.status, 0, result.stderr);
        });

        const failures: [string, () => void, RegExp][] = [
            [
                "no static content",
                () => fs.rmSync(path.join(root, "pub/static/deployed_version.txt")),
                /no static content deployed/,
            ],
            [
                "pub/static a link to shared storage",
                () => {
                    fs.renameSync(path.join(root, "pub/static"), path.join(tmp, "shared-static"));
                    fs.symlinkSync(path.join(tmp, "shared-static"), path.join(root, "pub/static"));
                },
                /not a link to shared storage/,
            ],
            [
                "no generated code",
                () => fs.rmSync(path.join(root, "generated/code/Magento"), { recursive: true }),
                /no generated code/,
            ],
            [
                "a RELEASE without its commit",
                () => fs.writeFileSync(path.join(root, "RELEASE"), "2026.12.1\n"),
                /does not say/,
            ],
            ["a world-writable file", () => fs.chmodSync(path.join(root, "RELEASE"), 0o666), /world-writable/],
            [
                "an env.php not in production mode",
                () => fs.writeFileSync(path.join(root, "app/etc/env.php"), "<?php return [];"),
                /must set production mode/,
            ],
            [
                "an env.php holding a connection",
                () =>
                    fs.writeFileSync(
                        path.join(root, "app/etc/env.php"),
                        "<?php return ['MAGE_MODE' => 'production', 'db' => ['connection' => []]];",
                    ),
                /hold no connection or key/,
            ],
        ];
        for (const [what, breakIt, message] of failures) {
            it(`${what} fails the build`, () => {
                tree();
                breakIt();
                const result = check();
                fs.rmSync(path.join(tmp, "shared-static"), { recursive: true, force: true });
                assert.strictEqual(result.status, 1, what);
                assert.match(result.stderr, message);
            });
        }

        it("the test phase runs nginx -t, php-fpm -t, bin/magento --version and the release's checks on the new image", () => {
            const test = components.find((c) => c.name === "image-test")!;
            const lines = stepsOf(test).flatMap(({ step }) =>
                step.action === "ExecuteBash" ? step.inputs.commands : [],
            );
            for (const expected of [
                /^nginx -t$/,
                /^php-fpm -t$/,
                /bin\/magento --version$/,
                /mountpoint -q .*pub\/static;/,
            ]) {
                assert.ok(
                    lines.some((l) => expected.test(l)),
                    String(expected),
                );
            }
            assert.deepStrictEqual(commandsOf("image-test", "Release"), commandsOf("release", "CheckRelease"));
        });

        it("the test phase fails on an image that would start nginx, PHP-FPM or cron by itself, naming the unit", () => {
            const stubs = path.join(tmp, "systemctl-bin");
            // systemctl is-enabled as systemd answers: the state, non-zero unless enabled.
            stub(
                stubs,
                "systemctl",
                'if [[ " $STUB_ENABLED " == *" $2 "* ]]; then echo enabled; else echo disabled; exit 1; fi',
            );
            const disabled = (enabled: string) =>
                run(commandsOf("image-test", "ServicesDisabled"), { STUB_ENABLED: enabled }, stubs);
            assert.strictEqual(disabled("").status, 0, disabled("").stderr);
            for (const unit of [...WEB_UNITS, CRON_TIMER]) {
                const result = disabled(`other.service ${unit}`);
                assert.strictEqual(result.status, 1, unit);
                assert.match(
                    result.stderr,
                    new RegExp(`^${unit.replace(".", "\\.")} is 'enabled': the image must ship it disabled`, "m"),
                );
            }
        });

        it("the web configuration's check fails when Magento's user cannot write the pool's log directory", () => {
            const stubs = path.join(tmp, "web-check-bin");
            const here = path.join(tmp, "web-check");
            fs.mkdirSync(path.join(here, "log"), { recursive: true });
            stub(stubs, "nginx", "true");
            stub(stubs, "php-fpm", '[ "$FPM_MAX_CHILDREN" = 3 ]');
            // runuser -u <user> -- <command>: the command, unless the stub plays a user who cannot write.
            stub(stubs, "runuser", 'shift 3; [ -z "${STUB_UNWRITABLE:-}" ] && "$@"');
            stub(here, "magento-fpm-size", `echo FPM_MAX_CHILDREN=3 > ${here}/size.env`);
            const local = (l: string) =>
                l
                    .split(WEB_CONFIG_PATHS.fpmSizeScript)
                    .join(`${here}/magento-fpm-size`)
                    .split(WEB_CONFIG_PATHS.fpmSizeEnv)
                    .join(`${here}/size.env`)
                    .split(WEB_CONFIG_PATHS.logDir)
                    .join(`${here}/log`);
            const check = (unwritable: string) =>
                run(commandsOf("web-config", "CheckWebConfig").map(local), { STUB_UNWRITABLE: unwritable }, stubs);
            assert.strictEqual(check("").status, 0, check("").stderr);
            const refused = check("1");
            assert.strictEqual(refused.status, 1);
            assert.match(refused.stderr, new RegExp(`^${here}/log is not writable by ${MAGENTO_USER}:`, "m"));
        });

        it("a PHP without an extension Magento requires fails the build, naming it", () => {
            const stubs = path.join(tmp, "php-bin");
            const modules = path.join(tmp, "modules");
            stub(stubs, "php", 'case "$1" in -r) exit 0 ;; -m) cat "$STUB_MODULES" ;; esac');
            const phpM = (missing: string[]) =>
                fs.writeFileSync(
                    modules,
                    `[PHP Modules]\n${MAGENTO_PHP_EXTENSIONS.filter((e) => !missing.includes(e))
                        .map((e) => (e === "zend opcache" ? "Zend OPcache" : e === "simplexml" ? "SimpleXML" : e))
                        .join("\n")}\n\n[Zend Modules]\n`,
                );
            const checkPhp = () => run(commandsOf("web-stack", "CheckPhpExtensions"), { STUB_MODULES: modules }, stubs);
            phpM([]);
            assert.strictEqual(checkPhp().status, 0, checkPhp().stderr);
            phpM(["intl", "sodium", "zend opcache"]);
            const result = checkPhp();
            assert.strictEqual(result.status, 1);
            assert.match(result.stderr, /PHP lacks extensions Magento 2\.4\.8 requires: intl, sodium, zend opcache$/m);
        });
    });

    it("bad arguments are refused with what is allowed", () => {
        const refused = (changes: Partial<ImageComponentsArgs>) => {
            try {
                imageComponents({ ...ARGS, ...changes });
            } catch (e) {
                return (e as Error).message;
            }
            return "accepted";
        };
        assert.match(
            refused({ staticContent: { themes: [{ theme: "luma", locales: ["fr_FR"] }], adminLocales: ["en_US"] } }),
            /theme 'luma': a storefront theme as Vendor\/theme/,
        );
        assert.match(
            refused({
                staticContent: { themes: [{ theme: "Vendor/shop", locales: ["french"] }], adminLocales: ["en_US"] },
            }),
            /locale 'french': a Magento locale such as fr_FR/,
        );
        assert.match(
            refused({ staticContent: { themes: ARGS.staticContent.themes, adminLocales: [] } }),
            /adminLocales: at least one locale/,
        );
        assert.match(refused({ region: "paris" }), /region 'paris': an AWS region/);
    });
});
