// What servers run at boot, checked by the real tools from Debian (installed by .ci/run): every cloud-config passes
// `cloud-init schema`, every shell script `shellcheck`.
import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { WriteFile } from "../../components/compute/cloud-init";
import { PREPROD_NFS } from "../fixtures/stacks";
import { prefetch } from "../helpers/stacks";
import { linuxUserData as userData } from "../helpers/user-data";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "generated-config-"));

/** `cloud-init schema` on one document (it takes one per run; runs go side by side). */
function cloudInitSchema(document: string): Promise<{ ok: boolean; output: string }> {
    const file = path.join(tmp, `user-data-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, document);
    return new Promise((resolve) => {
        execFile("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" }, (error, stdout, stderr) =>
            resolve({ ok: error === null, output: `${stdout}${stderr}` }),
        );
    });
}

/** shellcheck in the dialect the script's shebang names (sh or bash); its findings, empty when it passes. */
function shellcheck(script: string): Promise<string> {
    return new Promise((resolve) => {
        const child = execFile("shellcheck", ["-"], { encoding: "utf8" }, (error, stdout, stderr) =>
            resolve(error ? `${stdout}${stderr}` || String(error) : ""),
        );
        child.stdin!.end(script);
    });
}

/** What systemd-analyze verify says of a unit made of a drop-in and a trivial service (empty when it has nothing to say). */
function systemdVerify(dropIn: string): string {
    const unit = path.join(tmp, `drop-in-${Math.random().toString(36).slice(2)}.service`);
    fs.writeFileSync(unit, `${dropIn}\n[Service]\nExecStart=/bin/true\n`);
    const result = spawnSync("systemd-analyze", ["verify", "--man=no", unit], { encoding: "utf8" });
    // Commands the server installs (nft) and the image's units (AL2023's php-fpm.service; Debian names its own
    // php8.2-fpm) are missing here: those complaints are about this machine, not the unit.
    return `${result.stdout}${result.stderr}`
        .split("\n")
        .filter(
            (l) =>
                l !== "" &&
                !/Command \S+ is not executable: No such file/.test(l) &&
                !/Unit (php-fpm|nginx)\.service not found/.test(l),
        )
        .join("\n");
}

describe("generated server configuration", () => {
    prefetch(["preprod", { changes: PREPROD_NFS }], ["prod", { preview: false }]);

    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("cloud-init schema rejects a broken document (the check is real)", async () => {
        assert.strictEqual((await cloudInitSchema("#cloud-config\nruncmd: 42\n")).ok, false);
    });

    it("every Linux server's user data is a valid cloud-config", async () => {
        const documents = await userData();
        assert.deepStrictEqual(
            documents.map((d) => d.urn.split("::").pop()).sort(),
            [
                "backoffice-lt",
                "cashout-lt",
                "frontend-lt",
                "haproxy-server-instance",
                "openvpn-server-instance",
                "orders-lt",
                "pim-lt",
                "rundeck-server-instance",
                "shared-server-instance",
            ]
                .map((n) => `magento-preprod-${n}`)
                .concat(
                    [
                        "backoffice-lt",
                        "cashout-lt",
                        "frontend-lt",
                        "haproxy-server-instance",
                        "openvpn-server-instance",
                        "orders-lt",
                        "pim-lt",
                        "rundeck-server-instance",
                    ].map((n) => `magento-prod-${n}`),
                ),
        );
        const results = await Promise.all(documents.map((d) => cloudInitSchema(d.text)));
        documents.forEach(({ urn }, i) => assert.ok(results[i].ok, `${urn}:\n${results[i].output}`));
    });

    it("every shell script a server writes passes shellcheck", async () => {
        const scripts = (await userData())
            .flatMap(({ text }) => (YAML.parse(text) as { write_files?: WriteFile[] }).write_files ?? [])
            .filter((f) => f.content.startsWith("#!/bin/sh") || f.content.startsWith("#!/bin/bash"));
        assert.ok(scripts.length >= 4, `only ${scripts.length} scripts found to check`); // prepare-volumes, install-packages, openvpn-pki-fetch, same-user
        const findings = await Promise.all(scripts.map((f) => shellcheck(f.content)));
        scripts.forEach((f, i) => assert.strictEqual(findings[i], "", `${f.path}:\n${findings[i]}`));
    });

    it("every systemd drop-in a server writes is read by systemd-analyze verify without a complaint", async () => {
        const dropIns = (await userData())
            .flatMap(({ text }) => (YAML.parse(text) as { write_files?: WriteFile[] }).write_files ?? [])
            .filter((f) => /^\/etc\/systemd\/system\/[^/]+\.service\.d\/[^/]+\.conf$/.test(f.path));
        assert.deepStrictEqual([...new Set(dropIns.map((f) => f.path.split("/")[4]))].sort(), [
            "amazon-cloudwatch-agent.service.d",
            "magento-cron.service.d",
            "nfs-server.service.d",
            "nginx.service.d",
            "openvpn-server@magento.service.d",
            "php-fpm.service.d",
            "rundeckd.service.d",
        ]);
        for (const f of dropIns) {
            assert.strictEqual(systemdVerify(f.content), "", `${f.path}:\n${f.content}`);
        }
        assert.match(systemdVerify("[Unit]\nRequiresMountFor=/srv\n"), /Unknown key/, "the check is real");
    });

    it("shellcheck rejects a script with an unquoted expansion (the check is real)", async () => {
        assert.match(await shellcheck("#!/bin/sh\nrm -rf $1/*\n"), /SC2115|SC2086/);
    });
});
