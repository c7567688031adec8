// web-servers-share-media, asked over the analyzer protocol: web launch templates declare the media mount (known in
// preview) and, when their user data is known, mount it; other servers are not concerned.
import * as assert from "assert";
import { SHARED_MOUNTS_TAG } from "../../../policies/lib/contracts";
import { StateResource } from "../../../offline/state";
import { EC2_LAUNCH_TEMPLATE } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const base64 = (text: string) => Buffer.from(text).toString("base64");
const MOUNTS =
    '#cloud-config\nmounts:\n  - [ "fs-0123:/", /var/www/magento/pub/media, efs, "_netdev,tls,accesspoint=fsap-1", "0", "0" ]\n';

/** The same mount as the program's cloud-config renders it: a block sequence, one field per line. */
const BLOCK_MOUNTS =
    '#cloud-config\nmounts:\n  - - fs-0123:/\n    - /var/www/magento/pub/media\n    - efs\n    - _netdev,tls,accesspoint=fsap-1\n    - "0"\n    - "0"\n';

const template = (tags: Record<string, string>, userData: string = UNKNOWN) => ({ imageId: UNKNOWN, userData, tags });

function frontendTemplate(props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(EC2_LAUNCH_TEMPLATE, "frontend-lt", props);
    return b.resources;
}

describe("magento / web-servers-share-media", () => {
    it("keeps: a web template that declares pub/media, its user data unknown (preview) or mounting it", async () => {
        const tags = { Tier: "web", [SHARED_MOUNTS_TAG]: "pub/media,pub/sitemap,var/export" };
        assert.deepStrictEqual(await violations("web-servers-share-media", frontendTemplate(template(tags))), []);
        assert.deepStrictEqual(
            await violations("web-servers-share-media", frontendTemplate(template(tags, base64(MOUNTS)))),
            [],
        );
        assert.deepStrictEqual(
            await violations("web-servers-share-media", frontendTemplate(template(tags, base64(BLOCK_MOUNTS)))),
            [],
        );
    });

    it("breaks: a web template without the media mount", async () => {
        assert.deepStrictEqual(
            await violations(
                "web-servers-share-media",
                frontendTemplate(template({ Tier: "web", [SHARED_MOUNTS_TAG]: "pub/sitemap" })),
            ),
            [
                "mandatory: Web server frontend-lt (Tier=web) does not declare the shared pub/media mount (SharedMounts: pub/sitemap); mount pub/media from EFS/NFS on every web server, or product images diverge per server.",
            ],
        );
    });

    it("breaks: the tag declares pub/media but the known user data mounts nothing there", async () => {
        const found = await violations(
            "web-servers-share-media",
            frontendTemplate(
                template(
                    { Tier: "backoffice", [SHARED_MOUNTS_TAG]: "pub/media" },
                    base64("#cloud-config\nruncmd:\n  - [echo, hi]\n"),
                ),
            ),
        );
        assert.deepStrictEqual(found, [
            "mandatory: Web server frontend-lt declares SharedMounts=pub/media but its user data mounts nothing on pub/media.",
        ]);
    });

    it("does not apply to servers outside the web tiers", async () => {
        assert.deepStrictEqual(
            await violations("web-servers-share-media", frontendTemplate(template({ Tier: "rundeck" }))),
            [],
        );
    });
});
