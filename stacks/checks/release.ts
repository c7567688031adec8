// The release image's keys together (docs/release-image.md): what the stack that builds bakes (themes, locales), how
// it keeps images and failed builds, whom it shares them with; and StackConfig's release part.
import type { StaticContent } from "../../model/release";
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import { KMS_KEY_ARN } from "../schema";
import type { Concern, StackContext } from "./concern";

export interface ReleaseConfig {
    /** This stack has the image pipeline (preproduction); the other boots images promoted from it. */
    readonly builds: boolean;
    /** What the image's static content is deployed for. */
    readonly staticContent: StaticContent;
    /** A failed build's instance is kept (Image Builder's terminateInstanceOnFailure false); its logs are in S3 either way. */
    readonly keepFailedBuilds: boolean;
    /** Release images kept as rollback targets; older ones go with their snapshots. */
    readonly imagesKept: number;
    /** Accounts the built images are shared with. */
    readonly shareWithAccounts: readonly string[];
    /** Where this stack's promotions copy from: the building stack's account and image key; undefined: it promotes
     *  nothing (its runner refuses a promotion, saying which key to set). */
    readonly promotionSource: { readonly accountId: string; readonly keyArn: string } | undefined;
}

export interface ReleaseSettings {
    readonly release: ReleaseConfig;
}

export function release(v: Settings, ctx: StackContext): Concern<ReleaseSettings> {
    const problems: ConfigProblem[] = [];
    // The runner copies within its region (CopyImage's SourceRegion is the stack's: model/release-runner.ts).
    const [, keyRegion, keyAccount] = (v.releaseImageSourceKey && KMS_KEY_ARN.exec(v.releaseImageSourceKey)) || [];
    if (keyRegion !== undefined && ctx.region !== undefined && keyRegion !== ctx.region) {
        problems.push({
            path: qualified("releaseImageSourceKey"),
            message: `is a key in ${keyRegion}; this stack's runner promotes images of its own region (${ctx.region}) only`,
        });
    }
    const themes = v.storefrontThemes.map((t) => t.theme);
    themes.forEach((theme, i) => {
        if (themes.indexOf(theme) !== i) {
            problems.push({
                path: `${qualified("storefrontThemes")}[${i}]`,
                message: `${theme} is listed twice; give it once with all its locales`,
            });
        }
    });
    if (!v.releaseImageBuilds && v.releaseImageAccounts.length > 0) {
        problems.push({
            path: qualified("releaseImageAccounts"),
            message: `shares the images this stack builds, but ${qualified("releaseImageBuilds")} is false here: set it on the stack that builds, or remove it`,
        });
    }
    return {
        problems,
        config: () => ({
            release: {
                builds: v.releaseImageBuilds,
                staticContent: { themes: v.storefrontThemes, adminLocales: v.adminLocales },
                keepFailedBuilds: v.keepFailedBuilds,
                imagesKept: v.releaseImagesKept,
                shareWithAccounts: v.releaseImageAccounts,
                promotionSource:
                    v.releaseImageSourceKey === undefined
                        ? undefined
                        : { accountId: keyAccount, keyArn: v.releaseImageSourceKey },
            },
        }),
    };
}
