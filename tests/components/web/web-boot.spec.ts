// What the web tiers' user data does at boot, read from both stacks' launch templates: the back office alone runs cron,
// no server runs `setup:*`, PHP-FPM renders env.php from the files boot writes, the renderer reads only what the
// stack's parameters and secrets give, no secret value is in the user data or the parameters, and it fits EC2's 16 KB.
import * as assert from "assert";
import * as YAML from "yaml";
import { CloudConfig, WriteFile } from "../../../components/compute/cloud-init";
import { AGENT_CONFIG } from "../../../components/compute/cloudwatch-agent";
import { ENV_RENDERER, envPhpScript, parameterEnvName, redisUsages } from "../../../components/web/env-php";
import { rdsCaBundle } from "../../../components/web/web-boot";
import { CRON_SERVICE, CRON_TIMER, FPM_RESERVED_EXTRA, FPM_SIZING_FILE } from "../../../model/release";
import { WEB_STACK_PACKAGES } from "../../../model/image-components";
import { USER_DATA_LIMIT } from "../../../policies/lib/user-data";
import { EC2_LAUNCH_TEMPLATE, SSM_PARAMETER } from "../../../policies/lib/types";
import { isSecret, StateResource } from "../../../offline/state";
import { named } from "../../helpers/reachability";
import { ofType, prefetch, stackResources } from "../../helpers/stacks";
import { userDataText } from "../../helpers/user-data";

const STACKS = ["prod", "preprod"] as const;
const UPDATE = { preview: false };

const config = (template: StateResource) => YAML.parse(userDataText(template)) as CloudConfig;
const tiers = async (stack: string) => {
    const r = await stackResources(stack, UPDATE);
    return {
        frontEnd: named(r, EC2_LAUNCH_TEMPLATE, "frontend-lt"),
        backOffice: named(r, EC2_LAUNCH_TEMPLATE, "backoffice-lt"),
    };
};
const commands = (c: CloudConfig) => (c.runcmd ?? []).map((step) => step.join(" "));
const file = (c: CloudConfig, path: string): WriteFile => {
    const found = (c.write_files ?? []).find((f) => f.path === path);
    assert.ok(found, `no ${path} in the user data`);
    return found;
};

/** Every plaintext a capture holds as a secret (generated passwords, tokens, the crypt key, secret versions). */
function secretValues(resources: readonly StateResource[]): string[] {
    const found: string[] = [];
    const walk = (node: unknown): void => {
        if (isSecret(node)) {
            const plaintext = (node as { plaintext?: string }).plaintext;
            if (plaintext !== undefined) {
                const value = JSON.parse(plaintext) as unknown;
                if (typeof value === "string" && value.length >= 16) {
                    found.push(value);
                } else {
                    walk(value);
                }
            }
        } else if (Array.isArray(node)) {
            node.forEach(walk);
        } else if (typeof node === "object" && node !== null) {
            Object.values(node).forEach(walk);
        }
    };
    resources.forEach((r) => walk(r.outputs));
    return found;
}

describe("web boot", () => {
    prefetch(...STACKS.map((s) => [s, UPDATE] as [string, typeof UPDATE]));

    for (const stack of STACKS) {
        it(`${stack}: the back office enables the image's cron timer, the front end masks it; nothing else tells them apart but their mounts and the front end's report to its launch hook`, async () => {
            const { frontEnd, backOffice } = await tiers(stack);
            const [front, back] = [config(frontEnd), config(backOffice)];
            assert.deepStrictEqual(
                commands(back).filter((c) => c.includes(CRON_TIMER)),
                [`systemctl enable --now ${CRON_TIMER}`],
            );
            assert.deepStrictEqual(
                commands(front).filter((c) => c.includes(CRON_TIMER)),
                [`systemctl mask --now ${CRON_TIMER} ${CRON_SERVICE}.service`],
            );
            // Cron, where it runs, is held to the shared folders (sitemaps, exports, resized images) and runs only
            // while PHP-FPM, active only once it rendered env.php, runs (the image's env.php exists before that).
            const cronDropIn = `/etc/systemd/system/${CRON_SERVICE}.service.d/mounts.conf`;
            assert.ok(!(front.write_files ?? []).some((f) => f.path === cronDropIn), "the front end runs no cron");
            assert.deepStrictEqual(
                file(back, cronDropIn)
                    .content.split("\n")
                    .filter((l) => /^(Requires|Assert|Requisite|After)/.test(l)),
                [
                    `RequiresMountsFor=${back.mounts!.map((m) => m[1]).join(" ")}`,
                    ...back.mounts!.map((m) => `AssertPathIsMountPoint=${m[1]}`),
                    "Requisite=php-fpm.service",
                    "After=php-fpm.service",
                ],
            );
            // The back office's pool keeps memory for cron's CLI runs; the front end's has all of it.
            assert.strictEqual(file(back, FPM_SIZING_FILE).content, `${FPM_RESERVED_EXTRA}=4096\n`);
            assert.ok(!(front.write_files ?? []).some((f) => f.path === FPM_SIZING_FILE));
            // Without the cron step and drop-in, the mounts (the order exports are the back office's) and the front
            // end's magento-ready (where its warm pool has a launch hook: warm-pool.spec.ts), the two are the same.
            const ready = (text: string) => text.includes("magento-ready");
            const common = (c: CloudConfig) => ({
                ...c,
                mounts: undefined,
                runcmd: (c.runcmd ?? []).filter((step) => !step.includes(CRON_TIMER) && !ready(step.join(" "))),
                write_files: (c.write_files ?? [])
                    .filter((f) => f.path !== cronDropIn && f.path !== FPM_SIZING_FILE && !ready(f.path))
                    .map((f) => (f.path.endsWith("/mounts.conf") ? { ...f, content: "(the tier's mounts)" } : f))
                    // Each tier ships to its own log group (cloudwatch-agent.spec.ts).
                    .map((f) => (f.path === AGENT_CONFIG ? { ...f, content: "(the tier's log group)" } : f)),
            });
            assert.deepStrictEqual(common(front), common(back));
        });

        it(`${stack}: no web server runs setup:* at boot (the release runner upgrades), nor any bin/magento command`, async () => {
            for (const template of Object.values(await tiers(stack))) {
                const text = userDataText(template);
                assert.doesNotMatch(text, /setup:[a-z]/, template.urn);
                assert.doesNotMatch(text, /\bbin\/magento(\s|$)/m, template.urn); // (sbin/magento-* are boot's own)
            }
        });

        it(`${stack}: PHP-FPM renders env.php before every start, with the renderer for the stack's Redis groups`, async () => {
            const r = await stackResources(stack, UPDATE);
            const usages = ofType(r, SSM_PARAMETER)
                .map((p) => new RegExp(`^/magento/${stack}/redis/([a-z]+)/host$`).exec(p.inputs!.name as string)?.[1])
                .filter((u): u is string => u !== undefined);
            for (const template of Object.values(await tiers(stack))) {
                const c = config(template);
                assert.strictEqual(file(c, ENV_RENDERER).content, envPhpScript(redisUsages(usages)));
                assert.strictEqual(
                    file(c, "/etc/systemd/system/php-fpm.service.d/env-php.conf").content,
                    `[Service]\n# env.php from the current parameters and secrets; a missing one keeps PHP-FPM down.\nExecStartPre=+${ENV_RENDERER}\n`,
                );
                // The image ships PHP-FPM and nginx disabled: boot starts them, enabled for later boots, once the
                // parameters, secrets, RDS's CA and the drop-ins are in place; that start is env.php's first render.
                const steps = commands(c);
                const ca = rdsCaBundle("eu-west-3");
                const start = steps.indexOf("systemctl enable --now php-fpm nginx");
                assert.ok(start >= 0, steps.join("\n"));
                for (const before of [
                    "/usr/local/sbin/magento-parameters",
                    "/usr/local/sbin/magento-secrets",
                    `curl -fsS --retry 5 --create-dirs -o ${ca.path} ${ca.url}`,
                    "systemctl daemon-reload",
                ]) {
                    assert.ok(
                        steps.indexOf(before) >= 0 && steps.indexOf(before) < start,
                        `${before}\n${steps.join("\n")}`,
                    );
                }
                assert.ok(!steps.some((s) => /\b(re|try-re)start\b.*php-fpm/.test(s)), steps.join("\n"));
                // PHP-FPM does not start without the CA its env.php points MySQL's TLS at (a failed download).
                assert.ok(
                    file(c, "/etc/systemd/system/php-fpm.service.d/mounts.conf").content.includes(
                        `\nAssertPathExists=${ca.path}\n`,
                    ),
                );
            }
        });

        it(`${stack}: the user data installs no packages: jq, which the secrets script needs, is in the image`, async () => {
            for (const template of Object.values(await tiers(stack))) {
                const c = config(template);
                assert.strictEqual(c.packages, undefined, template.urn);
                assert.match(file(c, "/usr/local/sbin/magento-secrets").content, /\bjq\b/);
            }
            assert.ok(WEB_STACK_PACKAGES.includes("jq"));
        });

        it(`${stack}: the renderer reads only what the stack's parameters and the secrets they name give`, async () => {
            const r = await stackResources(stack, UPDATE);
            const names = ofType(r, SSM_PARAMETER)
                .map((p) => p.inputs!.name as string)
                .filter((n) => n.startsWith(`/magento/${stack}/`))
                .map((n) => parameterEnvName(n.slice(`/magento/${stack}/`.length)));
            const script = file(config((await tiers(stack)).frontEnd), ENV_RENDERER).content;
            const read = (kind: string) =>
                [...script.matchAll(new RegExp(`\\$${kind}\\('([A-Z0-9_]+)'\\)`, "g"))].map((m) => m[1]);
            const missingParameters = read("param").filter((k) => !names.includes(k));
            assert.deepStrictEqual(missingParameters, []);
            // A secret's variables are <NAME> or <NAME>_<FIELD> for a parameter <NAME>_SECRET_ARN.
            const secretNames = names
                .filter((n) => n.endsWith("_SECRET_ARN"))
                .map((n) => n.replace(/_SECRET_ARN$/, ""));
            const unnamed = read("secret").filter((k) => !secretNames.some((s) => k === s || k.startsWith(`${s}_`)));
            assert.deepStrictEqual(unnamed, []);
            assert.ok(read("secret").includes("CRYPT_KEY") && names.includes("CRYPT_KEY_SECRET_ARN"));
        });

        it(`${stack}: no secret value is in the web tiers' user data or in any parameter`, async () => {
            const r = await stackResources(stack, UPDATE);
            const secrets = secretValues(r);
            assert.ok(secrets.length >= 5, `only ${secrets.length} secret values found to look for`);
            const texts = [
                ...Object.values(await tiers(stack)).map((t) => {
                    // A secret anywhere in it would make Pulumi mark the whole user data secret.
                    assert.ok(!isSecret(t.inputs!.userData), `${t.urn}: its user data is a secret`);
                    return userDataText(t);
                }),
                ...ofType(r, SSM_PARAMETER).map((p) => {
                    assert.strictEqual(typeof p.inputs!.insecureValue, "string", p.urn);
                    return p.inputs!.insecureValue as string;
                }),
            ];
            for (const text of texts) {
                assert.ok(
                    !secrets.some((s) => text.includes(s)),
                    "a secret value reached the user data or a parameter",
                );
            }
        });

        it(`${stack}: both tiers' user data fit EC2's 16 KB: as text while the document fits, gzip-compressed when not`, async () => {
            for (const template of Object.values(await tiers(stack))) {
                const bytes = Buffer.from(template.inputs!.userData as string, "base64");
                assert.ok(bytes.length <= USER_DATA_LIMIT, `${template.urn}: ${bytes.length} bytes`);
                const text = userDataText(template); // decompressed as cloud-init does
                const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
                assert.strictEqual(gzipped, Buffer.byteLength(text) > USER_DATA_LIMIT, template.urn);
                assert.ok(text.startsWith("#cloud-config\n"), template.urn);
            }
        });
    }
});
