// The release image's keys (stacks/keys.ts, stacks/checks/release.ts) as a stack file writes them: defaults per
// profile, what each accepts, the checks across them, and webImage derived from the stack's release parameter.
import * as assert from "assert";
import { parse, problems } from "../helpers/stack-config";
import { KEY_ENTRIES, pulumiDefault, pulumiType } from "../../stacks/keys";

describe("release image keys", () => {
    it("production boots promoted images, keeps 10; preproduction builds them, keeps 5; both one theme in French", () => {
        const prod = parse({}).release;
        const preprod = parse(
            { profile: "preproduction", internalDomain: "preprod.example.internal" },
            "preprod",
        ).release;
        assert.deepStrictEqual(
            [prod.builds, prod.imagesKept, preprod.builds, preprod.imagesKept],
            [false, 10, true, 5],
        );
        for (const release of [prod, preprod]) {
            assert.deepStrictEqual(release.staticContent, {
                themes: [{ theme: "Magento/luma", locales: ["fr_FR"] }],
                adminLocales: ["en_US", "fr_FR"],
            });
            // A failed build's logs are in the logs bucket: its instance need not be kept to read them.
            assert.deepStrictEqual([release.keepFailedBuilds, release.shareWithAccounts], [false, []]);
        }
    });

    it("releaseImageSourceKey: the building stack's key by ARN, of this region; its account is where promotions copy from", () => {
        assert.strictEqual(parse({}).release.promotionSource, undefined);
        const key = "arn:aws:kms:eu-west-3:210987654321:key/2b7c9e41-5d3a-4f6b-8c1d-0e9f8a7b6c5d";
        assert.deepStrictEqual(parse({ releaseImageSourceKey: key }).release.promotionSource, {
            accountId: "210987654321",
            keyArn: key,
        });
        assert.deepStrictEqual(problems({ releaseImageSourceKey: "alias/magento-preprod-release-image" }), [
            "magento:releaseImageSourceKey: must be a KMS key ARN such as arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (the building stack's output releaseImageKeyArn)",
        ]);
        assert.deepStrictEqual(problems({ releaseImageSourceKey: key.replace("eu-west-3", "eu-west-1") }), [
            "magento:releaseImageSourceKey: is a key in eu-west-1; this stack's runner promotes images of its own region (eu-west-3) only",
        ]);
    });

    it("webImage unset is the stack's release parameter (named by the estate); an AMI id or another parameter as given", () => {
        assert.deepStrictEqual(parse({}).web.image, { parameterName: "/imagebuilder/magento/prod/web-ami" });
        assert.deepStrictEqual(parse({ estate: "shop" }).web.image, {
            parameterName: "/imagebuilder/magento/shop/web-ami",
        });
        assert.deepStrictEqual(parse({ webImage: "ami-0a1b2c3d4e5f60789" }).web.image, {
            amiId: "ami-0a1b2c3d4e5f60789",
        });
        assert.deepStrictEqual(parse({ webImage: "/shared/images/web" }).web.image, {
            parameterName: "/shared/images/web",
        });
    });

    it("an explicit value is kept whatever the default; a key that defaults to true is left out of Pulumi.yaml", () => {
        assert.strictEqual(parse({ keepFailedBuilds: true }).release.keepFailedBuilds, true);
        const preprod = parse({ profile: "preproduction", releaseImageBuilds: false }, "preprod");
        assert.strictEqual(preprod.release.builds, false);
        for (const key of ["releaseImageBuilds"]) {
            const [, entry] = KEY_ENTRIES.find(([k]) => k === key)!;
            assert.deepStrictEqual([pulumiType(entry), pulumiDefault(entry)], [undefined, undefined], key);
        }
    });

    it("refuses themes and locales Magento would not take, and fewer than two images kept, naming the key", () => {
        const found = problems({
            storefrontThemes: [{ theme: "luma", locales: ["fr-FR"] }],
            adminLocales: ["english"],
            releaseImagesKept: 1,
        });
        for (const expected of [
            /^magento:storefrontThemes\[0\]\.theme: must be a theme as Magento names it, such as Magento\/luma$/,
            /^magento:storefrontThemes\[0\]\.locales\[0\]: must be a locale such as fr_FR$/,
            /^magento:adminLocales\[0\]: must be a locale such as en_US$/,
            /^magento:releaseImagesKept: must be at least 2: the image in service and one to roll back to$/,
        ]) {
            assert.ok(
                found.some((p) => expected.test(p)),
                `${expected} in:\n${found.join("\n")}`,
            );
        }
    });

    it("a theme listed twice, and shared accounts on a stack that does not build, are refused with what to do", () => {
        const found = problems({
            storefrontThemes: [
                { theme: "Magento/luma", locales: ["fr_FR"] },
                { theme: "Magento/luma", locales: ["en_GB"] },
            ],
            releaseImageAccounts: ["210987654321"],
        });
        assert.ok(
            found.includes(
                "magento:storefrontThemes[1]: Magento/luma is listed twice; give it once with all its locales",
            ),
            found.join("\n"),
        );
        assert.ok(
            found.some((p) =>
                /^magento:releaseImageAccounts: shares the images this stack builds, but magento:releaseImageBuilds is false here/.test(
                    p,
                ),
            ),
            found.join("\n"),
        );
        assert.deepStrictEqual(
            problems({ releaseImageAccounts: ["2109876543"] }).filter((p) => p.includes("releaseImageAccounts[0]")),
            ["magento:releaseImageAccounts[0]: must be a 12-digit AWS account id"],
        );
    });
});
