// no-shared-pub-static, asked over the analyzer protocol in each form pub/static can end up shared: an EFS access
// point, an NFS export, a server's SharedMounts tag (which decides in preview, when user data is still unknown), and
// an NFS/EFS mount in known user data.
import * as assert from "assert";
import { NFS_EXPORTS_TAG, SHARED_MOUNTS_TAG } from "../../../policies/lib/contracts";
import { StateResource } from "../../../offline/state";
import { EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, EFS_ACCESS_POINT } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const WHY = /pub\/static must stay on each instance: Magento flushes it on every static-content deploy/;

const base64 = (text: string) => Buffer.from(text).toString("base64");

function resource(type: string, name: string, props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("preprod");
    b.add(type, name, props);
    return b.resources;
}

const accessPoint = (path: string, tags: Record<string, string> = {}) => ({
    fileSystemId: UNKNOWN,
    rootDirectory: { path, creationInfo: { ownerUid: 33, ownerGid: 33, permissions: "0755" } },
    tags,
});

/** A web server's launch template: the EFS DNS name in its user data is unknown in preview, its tag is not. */
const webTemplate = (sharedMounts: string, userData: string = UNKNOWN) => ({
    imageId: UNKNOWN,
    instanceType: "c6i.xlarge",
    userData,
    tags: { Name: "web", [SHARED_MOUNTS_TAG]: sharedMounts },
});

describe("magento / no-shared-pub-static", () => {
    it("keeps: access points for media, the sitemap and exported orders", async () => {
        for (const path of ["/magento/media", "/magento/sitemap", "/magento/var/export"]) {
            assert.deepStrictEqual(
                await violations(
                    "no-shared-pub-static",
                    resource(EFS_ACCESS_POINT, "media-ap", accessPoint(path, { Name: "magento-media" })),
                ),
                [],
                path,
            );
        }
    });

    it("breaks: an access point whose path, name or tag designates static content", async () => {
        for (const path of ["/magento/static", "/pub/static", "/shared/static/"]) {
            const found = await violations(
                "no-shared-pub-static",
                resource(EFS_ACCESS_POINT, "shared-ap", accessPoint(path)),
            );
            assert.strictEqual(found.length, 1, path);
            assert.match(
                found[0],
                new RegExp(
                    `^mandatory: EFS access point shared-ap shares static content \\(rootDirectory\\.path ${path}\\)\\. `,
                ),
            );
            assert.match(found[0], WHY);
        }
        assert.match(
            (
                await violations(
                    "no-shared-pub-static",
                    resource(EFS_ACCESS_POINT, "magento-static-ap", accessPoint("/assets")),
                )
            )[0],
            /shares static content \(its name\)/,
        );
        assert.match(
            (
                await violations(
                    "no-shared-pub-static",
                    resource(EFS_ACCESS_POINT, "assets-ap", accessPoint("/assets", { Purpose: "Magento pub/static" })),
                )
            )[0],
            /shares static content \(tag Purpose=Magento pub\/static\)/,
        );
    });

    it("keeps an NFS server exporting media; breaks one exporting static content", async () => {
        const nfs = (exports: string) => ({
            ami: UNKNOWN,
            instanceType: "t3.small",
            tags: { Name: "nfs", [NFS_EXPORTS_TAG]: exports },
        });
        assert.deepStrictEqual(
            await violations(
                "no-shared-pub-static",
                resource(EC2_INSTANCE, "nfs", nfs("/exports/media,/exports/sitemap,/exports/export")),
            ),
            [],
        );
        const found = await violations(
            "no-shared-pub-static",
            resource(EC2_INSTANCE, "nfs", nfs("/exports/media, /exports/static")),
        );
        assert.match(found[0], /^mandatory: nfs exports static content over NFS \(NfsExports: \/exports\/static\)\. /);
    });

    it("decides from the SharedMounts tag while the user data is unknown: media, sitemap and exports pass", async () => {
        assert.deepStrictEqual(
            await violations(
                "no-shared-pub-static",
                resource(EC2_LAUNCH_TEMPLATE, "web-lt", webTemplate("pub/media,pub/sitemap,var/export")),
            ),
            [],
        );
    });

    it("breaks: SharedMounts lists pub/static, or pub above it, while the user data is unknown", async () => {
        const found = await violations(
            "no-shared-pub-static",
            resource(EC2_LAUNCH_TEMPLATE, "web-lt", webTemplate("pub/media,pub/static")),
        );
        assert.strictEqual(found.length, 1);
        assert.match(
            found[0],
            /^mandatory: web-lt mounts shared storage on pub\/static \(SharedMounts tag\), which puts pub\/static on it\. /,
        );
        assert.match(
            (
                await violations(
                    "no-shared-pub-static",
                    resource(EC2_INSTANCE, "backoffice", webTemplate("pub,var/export")),
                )
            )[0],
            /mounts shared storage on pub \(SharedMounts tag\)/,
        );
        const onInstances = {
            imageId: UNKNOWN,
            userData: UNKNOWN,
            tagSpecifications: [{ resourceType: "instance", tags: { [SHARED_MOUNTS_TAG]: "pub/static" } }],
        };
        assert.match(
            (await violations("no-shared-pub-static", resource(EC2_LAUNCH_TEMPLATE, "web-lt", onInstances)))[0],
            /mounts shared storage on pub\/static \(SharedMounts tag\)/,
        );
    });

    it("breaks: user data that mounts NFS/EFS on pub/static (fstab line, mount -t, cloud-init mounts:), base64 in a launch template", async () => {
        const fstab =
            "#!/bin/bash\necho 'fs-0abc.efs.eu-west-3.amazonaws.com:/ /var/www/magento/pub/static nfs4 nfsvers=4.1,_netdev 0 0' >> /etc/fstab\nmount -a";
        const found = await violations(
            "no-shared-pub-static",
            resource(EC2_INSTANCE, "web", { userData: fstab, tags: { [SHARED_MOUNTS_TAG]: "pub/media" } }),
        );
        assert.deepStrictEqual(
            found.map((m) => m.replace(/\. pub\/static must .*$/, ".")),
            ["mandatory: web mounts NFS/EFS on pub/static in its user data (line 2: /var/www/magento/pub/static)."],
        );
        const mountT = "mount -t efs -o tls,accesspoint=fsap-0123 fs-0abc:/ /var/www/magento/pub/static/";
        assert.match(
            (
                await violations(
                    "no-shared-pub-static",
                    resource(EC2_LAUNCH_TEMPLATE, "web-lt", { userData: base64(mountT) }),
                )
            )[0],
            /\(line 1: \/var\/www\/magento\/pub\/static\)/,
        );
        const cloudInit =
            '#cloud-config\nmounts:\n  - [ "nfs.internal:/exports/static", "/var/www/magento/pub/static", "nfs4", "defaults", "0", "0" ]\n';
        assert.match(
            (
                await violations(
                    "no-shared-pub-static",
                    resource(EC2_LAUNCH_TEMPLATE, "web-lt", { userData: base64(cloudInit) }),
                )
            )[0],
            /\(line 3: \/var\/www\/magento\/pub\/static\)/,
        );
        // As the program's cloud-config renders a mount: a block sequence, one field per line, named by its first line.
        const block =
            "#cloud-config\nmounts:\n  - - fs-0abc:/\n    - /var/www/magento/pub/media\n    - efs\n  - - fs-0abc:/\n    - /var/www/magento/pub/static\n    - efs\n";
        assert.match(
            (
                await violations(
                    "no-shared-pub-static",
                    resource(EC2_LAUNCH_TEMPLATE, "web-lt", { userData: base64(block) }),
                )
            )[0],
            /\(line 6: \/var\/www\/magento\/pub\/static\)/,
        );
    });

    it("keeps: user data that mounts pub/media over NFS and only creates pub/static locally", async () => {
        const script = [
            "#cloud-config",
            "mounts:",
            '  - [ "fs-0abc.efs.eu-west-3.amazonaws.com:/", "/var/www/magento/pub/media", "efs", "tls,_netdev", "0", "0" ]',
            "runcmd:",
            "  - mkdir -p /var/www/magento/pub/static",
            "  - mount --bind /opt/release/pub/static /var/www/magento/pub/static",
        ].join("\n");
        assert.deepStrictEqual(
            await violations(
                "no-shared-pub-static",
                resource(EC2_LAUNCH_TEMPLATE, "web-lt", webTemplate("pub/media", base64(script))),
            ),
            [],
        );
    });
});
