// A web server boots a release image, never the bare OS: the estate's autoscaled servers came up from a stock image
// without the shop's static content, and images were baked and swapped in by hand after every release
// (docs/estate.md). The web tiers' launch templates say which image they boot (LAUNCH_IMAGE_TAG, docs/release-image.md):
// the release runner's record of the release in service, another parameter the configuration names, `pinned` (an AMI
// id in the stack's configuration), or `none` before the first release, when no group may launch from them. Whatever the tag says, the image is not one the stack's other
// servers (the operators' stock OS) or an image recipe's parent boots, and it is not resolved at launch.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LAUNCH_IMAGE_TAG, TIER_TAG, WEB_TIERS_SCHEMA } from "../../lib/contracts";
import { controls, RuleMetadata } from "../../lib/metadata";
import { dependsOn, ofType } from "../../lib/stack";
import {
    AUTOSCALING_GROUP,
    AUTOSCALING_SCHEDULE,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    IMAGEBUILDER_IMAGE_RECIPE,
} from "../../lib/types";
import { known, knownString, knownTags, NOT_KNOWN, read } from "../../lib/values";

/** A template that resolves its image at launch: AWS cannot roll an instance refresh of it back. */
const RESOLVE = "resolve:ssm:";
const ROLLBACK_URL = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html";
/** AWS's public parameters (latest Amazon Linux, Windows...): the stock OS, never a release. */
const PUBLIC_PARAMETERS = "/aws/service/";
/** EC2's AMI ids: ami- and 8 or 17 hexadecimal digits. */
const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** A parameter's name (hierarchical) or ARN (a parameter shared by another account). */
const PARAMETER = /^(?:\/[A-Za-z0-9_.\-/]+|arn:aws[a-z-]*:ssm:[^:]+:\d{12}:parameter\/\S+)$/;
const ALLOWED = `the release record's name (e.g. /magento-release/<stack>/current), another parameter's, "pinned" or "none"`;

interface Config {
    webTiers?: string[];
}

const tagOf = (r: PolicyResource, key: string) => knownTags(r.props).find(([k]) => k === key)?.[1];

/** The images the stack's other servers boot (its instances and launch templates outside the web tiers) and its image
 *  recipes' parents, each with who boots it. */
function stockImages(resources: readonly PolicyResource[], webTiers: readonly string[]): Map<string, string[]> {
    const images = new Map<string, string[]>();
    const add = (image: string | undefined, who: string) => {
        if (image !== undefined && AMI_ID.test(image)) {
            images.set(image, [...(images.get(image) ?? []), who]);
        }
    };
    for (const r of ofType(resources, EC2_INSTANCE, EC2_LAUNCH_TEMPLATE)) {
        if (!webTiers.includes(tagOf(r, TIER_TAG) ?? "")) {
            add(knownString(r.props, r.type === EC2_INSTANCE ? "ami" : "imageId"), r.name);
        }
    }
    for (const recipe of ofType(resources, IMAGEBUILDER_IMAGE_RECIPE)) {
        add(knownString(recipe.props, "parentImage"), `image recipe ${recipe.name}'s parent`);
    }
    return images;
}

/** The groups that launch from a template, directly or through a mixed instances policy. */
function groupsOf(template: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
    return ofType(resources, AUTOSCALING_GROUP).filter(
        (g) =>
            dependsOn(g, "launchTemplate").includes(template) ||
            dependsOn(g, "mixedInstancesPolicy").includes(template),
    );
}

/** With no release yet, no group may launch a server from the template, nor may a scheduled action raise it. */
function launchesWithoutRelease(template: PolicyResource, resources: readonly PolicyResource[]): string[] {
    return groupsOf(template, resources).flatMap((group) => {
        const max = known(group.props, "maxSize");
        const own = typeof max === "number" && max > 0 ? [`group ${group.name} has maxSize ${max}`] : [];
        const scheduled = ofType(resources, AUTOSCALING_SCHEDULE)
            .filter((s) => dependsOn(s, "autoscalingGroupName").includes(group))
            .filter((s) =>
                ["maxSize", "minSize", "desiredCapacity"].some((k) => {
                    const v = known(s.props, k);
                    return typeof v === "number" && v > 0;
                }),
            )
            .map((s) => `scheduled action ${s.name} raises group ${group.name} (maxSize ${known(s.props, "maxSize")})`);
        return [...own, ...scheduled];
    });
}

/** What is wrong with the image a template of the web tiers boots, pinned or read from the release record alike: an
 *  AMI id written in the template (not resolved at launch), and not the image of a server that runs no release. */
function imageProblems(template: PolicyResource, stock: ReadonlyMap<string, string[]>): string[] {
    const image = read(template.props, "imageId");
    if (image === NOT_KNOWN) {
        return []; // read from a parameter this preview does not know yet: the update decides
    }
    if (typeof image !== "string" || image === "") {
        return ["sets no imageId"];
    }
    if (image.startsWith(RESOLVE)) {
        const name = image.slice(RESOLVE.length);
        return [
            name.startsWith(PUBLIC_PARAMETERS)
                ? `resolves AWS's public parameter ${name} at launch: the stock OS, without the release`
                : `resolves its image from ${name} at launch: AWS cannot roll back an instance refresh of such a template (${ROLLBACK_URL}); write the image id the parameter holds (the program reads it at deploy time)`,
        ];
    }
    const problems: string[] = [];
    if (!AMI_ID.test(image)) {
        problems.push(`boots ${image}, which is not an AMI id (ami- and 8 or 17 hexadecimal digits)`);
    }
    const bootedBy = stock.get(image);
    if (bootedBy !== undefined) {
        problems.push(
            `boots ${image}, the image of ${bootedBy.join(", ")}: the stock OS, without Magento or its static content`,
        );
    }
    return problems;
}

/** What is wrong with one launch template of the web tiers. */
function templateProblems(
    template: PolicyResource,
    resources: readonly PolicyResource[],
    stock: ReadonlyMap<string, string[]>,
): string[] {
    const source = tagOf(template, LAUNCH_IMAGE_TAG);
    if (source === undefined || source === "") {
        return [`does not say which image it boots: tag it ${LAUNCH_IMAGE_TAG} with ${ALLOWED}`];
    }
    if (source === "none") {
        const launches = launchesWithoutRelease(template, resources);
        return launches.length === 0
            ? []
            : [
                  `boots no release yet (${LAUNCH_IMAGE_TAG}=none) but ${launches.join("; ")}: keep its groups at maxSize 0, without schedules, until the first release image exists`,
              ];
    }
    if (source !== "pinned" && !PARAMETER.test(source)) {
        return [`has ${LAUNCH_IMAGE_TAG}=${source}; allowed: ${ALLOWED}`];
    }
    if (source.startsWith(PUBLIC_PARAMETERS)) {
        return [`boots from AWS's public parameter ${source} (${LAUNCH_IMAGE_TAG}): the stock OS, without the release`];
    }
    return imageProblems(template, stock);
}

export const webBootsReleaseImage: StackValidationPolicy = {
    name: "web-boots-release-image",
    description:
        "Launch templates of the Magento web tiers boot a release image: they say where it comes from (magento:image-source), boot no other server's or recipe's base image, resolve nothing at launch, and launch nothing before the first release.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...WEB_TIERS_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const webTiers = args.getConfig<Config>().webTiers ?? WEB_TIERS_SCHEMA.webTiers.default;
        const stock = stockImages(args.resources, webTiers);
        for (const template of ofType(args.resources, EC2_LAUNCH_TEMPLATE)) {
            const tier = tagOf(template, TIER_TAG);
            if (tier === undefined || !webTiers.includes(tier)) {
                continue;
            }
            for (const problem of templateProblems(template, args.resources, stock)) {
                reportViolation(
                    `Launch template ${template.name} (${TIER_TAG}=${tier}) ${problem}. Web servers boot the release image the pipeline bakes (docs/release-image.md).`,
                    template.urn,
                );
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [
        EC2_LAUNCH_TEMPLATE,
        AUTOSCALING_GROUP,
        AUTOSCALING_SCHEDULE,
        EC2_INSTANCE,
        IMAGEBUILDER_IMAGE_RECIPE,
    ],
    decides:
        "Decides during preview from the web launch templates' Tier and image-source tags and imageId, the maxSize of the groups and schedules launching from them (property dependencies), and the images the other servers and the image recipes' parents boot.",
    remediation:
        "Build a release image with the image pipeline and point the web tiers' launch templates at it, tagged with magento:image-source; deploy the first release before the web tiers launch.",
    controls: controls({}),
    sources: [ROLLBACK_URL],
};
