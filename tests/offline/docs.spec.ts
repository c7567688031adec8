// The generated documentation: what is committed under docs/ is what the code generates now (so it cannot go stale),
// and each stack's architecture diagram renders in a real browser (Debian's headless Chromium), is not blank, and
// names every tier the stack runs, and the backup vault.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { generateDocs, STACKS } from "../../offline/docs/generate";
import { AUTOSCALING_GROUP, EC2_INSTANCE } from "../../policies/lib/types";
import { ofType, ROOT, stackResources } from "../helpers/stacks";

const CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

function chromium(args: string[]): string {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-"));
    try {
        return execFileSync("chromium", [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args], {
            encoding: "utf8",
            timeout: 60_000,
            stdio: ["ignore", "pipe", "ignore"],
        });
    } finally {
        fs.rmSync(profile, { recursive: true, force: true });
    }
}

/** Share of pixels that are not (near) white in a screenshot. */
function inkRatio(png: PNG): number {
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i] < 235 || png.data[i + 1] < 235 || png.data[i + 2] < 235) {
            ink++;
        }
    }
    return ink / (png.width * png.height);
}

/** The Tier tag of every server and group in the stack: what the diagram must name. */
function tiers(resources: Awaited<ReturnType<typeof stackResources>>): string[] {
    const instances = ofType(resources, EC2_INSTANCE).map((i) => (i.inputs!.tags as Record<string, string>).Tier);
    const groups = ofType(resources, AUTOSCALING_GROUP).map(
        (g) => (g.inputs!.tags as { key: string; value: string }[]).find((t) => t.key === "Tier")!.value,
    );
    return [...new Set([...instances, ...groups])].sort();
}

/** Each group's own name, without the stack's prefix: the side applications share a Tier tag, not a name. */
function groupNames(resources: Awaited<ReturnType<typeof stackResources>>): string[] {
    return ofType(resources, AUTOSCALING_GROUP).map((g) =>
        g.urn
            .split("::")
            .pop()!
            .replace(/^magento-\w+-/, "")
            .replace(/-asg$/, ""),
    );
}

describe("generated documentation", () => {
    it("docs/ holds what `npm run docs` generates now", async () => {
        for (const [file, content] of await generateDocs((stack) => stackResources(stack))) {
            const committed = path.join(ROOT, file);
            assert.ok(fs.existsSync(committed), `${file} is missing: run npm run docs`);
            assert.strictEqual(fs.readFileSync(committed, "utf8"), content, `${file} is stale: run npm run docs`);
        }
    });

    it("the architecture diagrams render in Chromium, are not blank, and name every tier and group each stack runs", async () => {
        // One page with both stacks' diagrams: one browser start for the picture, one for the rendered text.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-"));
        const page = path.join(dir, "diagrams.html");
        fs.writeFileSync(
            page,
            `<html><body style="margin:0">${STACKS.map((s) => `<div id="${s}"><img src="file://${path.join(ROOT, "docs", s, "architecture.svg")}" width="1280"></div>`).join("")}</body></html>`,
        );
        chromium([`--screenshot=${path.join(dir, "shot.png")}`, "--window-size=1280,1400", `file://${page}`]);
        const ratio = inkRatio(PNG.sync.read(fs.readFileSync(path.join(dir, "shot.png"))));
        assert.ok(ratio > 0.05 && ratio < 0.9, `ink ratio ${ratio.toFixed(3)}: blank or a solid fill`);

        for (const stack of STACKS) {
            const rendered = chromium([
                "--dump-dom",
                `file://${path.join(ROOT, "docs", stack, "architecture.svg")}`,
            ]).replace(/<[^>]+>/g, " ");
            const expected = [
                ...tiers(await stackResources(stack)),
                ...groupNames(await stackResources(stack)),
                "load balancer",
                "cloudfront",
                "NAT gateway",
                "database",
                "redis",
                "opensearch",
                `AWS Backup vault magento-${stack}-backups`,
            ];
            for (const name of expected) {
                assert.ok(rendered.includes(name), `the ${stack} diagram does not name ${name}`);
            }
        }
    });
});
