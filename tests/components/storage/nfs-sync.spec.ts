// The estate's NFS shares copied into EFS by DataSync while it moves in (docs/migration.md, "Moving the shared files"):
// a task per share from the estate's export, read through its agent, into the share's access point over TLS; EFS
// admits DataSync's interfaces and nothing else new; both packs accept the stack; without the key nothing of it exists.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { TIER_TAG } from "../../../policies/lib/contracts";
import { EFS_ACCESS_POINT, EFS_MOUNT_TARGET, VPC_SECURITY_GROUP_INGRESS_RULE } from "../../../policies/lib/types";
import { PROD_NFS_SOURCE } from "../../fixtures/stacks";
import { check } from "../../helpers/packs";
import { ofType, prefetch, stackResources, via } from "../../helpers/stacks";

const SOURCE = PROD_NFS_SOURCE["magento:nfsSource"] as { server: string; exportPath: string; agentArn: string };
const COPYING = { changes: PROD_NFS_SOURCE };
const NFS = "aws:datasync/nfsLocation:NfsLocation";
const EFS = "aws:datasync/efsLocation:EfsLocation";
const TASK = "aws:datasync/task:Task";
const share = (r: StateResource) => (r.inputs!.tags as Record<string, string>).Share;

describe("the estate's NFS shares copied into EFS", function () {
    this.timeout(300_000);
    prefetch(["prod", COPYING], ["prod"]);

    it("a task per share, from the estate's export through its agent into the share's access point over TLS, deleting nothing", async () => {
        const r = await stackResources("prod", COPYING);
        const tasks = ofType(r, TASK);
        assert.deepStrictEqual(tasks.map(share).sort(), ["exports", "media", "sitemap"]);
        const paths = Object.fromEntries(
            ofType(r, NFS).map((l) => [share(l), [l.inputs!.serverHostname, l.inputs!.subdirectory]]),
        );
        assert.deepStrictEqual(paths, {
            media: [SOURCE.server, "/export/magento/pub/media"],
            sitemap: [SOURCE.server, "/export/magento/pub/sitemap"],
            exports: [SOURCE.server, "/export/magento/var/export"],
        });
        assert.ok(
            ofType(r, NFS).every(
                (l) => JSON.stringify(l.inputs!.onPremConfig) === JSON.stringify({ agentArns: [SOURCE.agentArn] }),
            ),
        );
        for (const location of ofType(r, EFS)) {
            assert.strictEqual(location.inputs!.inTransitEncryption, "TLS1_2");
            const [point] = via(r, location, "accessPointArn");
            assert.ok(
                point.type === EFS_ACCESS_POINT &&
                    share(location) === (point.inputs!.tags as Record<string, string>).Share,
            );
        }
        for (const task of tasks) {
            const options = task.inputs!.options as Record<string, string>;
            assert.deepStrictEqual(
                [options.preserveDeletedFiles, options.verifyMode],
                ["PRESERVE", "ONLY_FILES_TRANSFERRED"],
            );
            assert.deepStrictEqual(
                via(r, task, "sourceLocationArn").map((l) => [l.type, share(l)]),
                [[NFS, share(task)]],
            );
        }
        // Each EFS location waits for every mount target (DataSync needs one in its subnet's AZ).
        const mountTargets = ofType(r, EFS_MOUNT_TARGET).map((m) => m.urn);
        assert.ok(mountTargets.length >= 3);
        for (const location of ofType(r, EFS)) {
            assert.deepStrictEqual(
                mountTargets.filter((m) => !(location.dependencies ?? []).includes(m)),
                [],
                `${location.urn} is created before a mount target`,
            );
        }
        // EFS admits DataSync's group on 2049, a group of the datasync tier.
        const fromCopy = ofType(r, VPC_SECURITY_GROUP_INGRESS_RULE).filter((x) => x.urn.endsWith("-from-datasync"));
        assert.strictEqual(fromCopy.length, 1);
        assert.deepStrictEqual([fromCopy[0].inputs!.fromPort, fromCopy[0].inputs!.toPort], [2049, 2049]);
        const [group] = via(r, fromCopy[0], "referencedSecurityGroupId");
        assert.strictEqual((group.inputs!.tags as Record<string, string>)[TIER_TAG], "datasync");
        // Without the key, none of it.
        const plain = await stackResources("prod");
        assert.deepStrictEqual(
            [NFS, EFS, TASK].flatMap((t) => ofType(plain, t)),
            [],
        );
    });

    it("both packs accept the stack while it copies (EFS's reachability admits the datasync tier)", async () => {
        const r = await stackResources("prod", COPYING);
        for (const pack of ["magento", "aws-baseline"]) {
            const mandatory = (await check(pack, r)).filter((d) => d.level === "mandatory");
            assert.deepStrictEqual(
                mandatory.map((d) => `${d.policy}: ${d.message}`),
                [],
                pack,
            );
        }
    });
});
