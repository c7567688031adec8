// The release image deploys static content once, compactly, into a directory of its own (docs/release-image.md). The
// estate regenerated it per store on live servers: 70 minutes, past the 1-hour deploy timeout, until the compact
// strategy cut it to 15; and pub/static on shared storage let one server's deploy wipe every server's CSS/JS
// (docs/estate.md). So an Image Builder component whose document runs setup:static-content:deploy names the compact
// strategy (Magento's default is quick), and no component puts pub/static on a share: no NFS/EFS mount on it or
// above it, no symlink in its place, no write of it onto a mounted share.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { commandSteps, Step } from "../../lib/awstoe";
import { controls, RuleMetadata } from "../../lib/metadata";
import {
    isStaticPath,
    normalPath,
    shareMountPoints,
    sharesStatic,
    STATIC,
    STATIC_STAYS_LOCAL,
} from "../../lib/shared-storage";
import { basename } from "../../lib/shell";
import { ofType } from "../../lib/stack";
import { IMAGEBUILDER_COMPONENT } from "../../lib/types";
import { knownString, NOT_KNOWN, read } from "../../lib/values";

// https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/cli/static-view/static-view-file-strategy.html
// ("Quick (default)"); the option is `--strategy`/`-s`, its value optional (Magento_Deploy's DeployStaticOptions).
const STRATEGIES_URL =
    "https://experienceleague.adobe.com/docs/commerce-operations/configuration-guide/cli/static-view/static-view-file-strategy.html";
const COMPACT = "compact";
const WHY_COMPACT =
    "Compact deploys what themes and locales share once instead of once per locale (the estate's deploy for every " +
    `store went from 70 minutes to 15 with it): write -s compact, --strategy compact or --strategy=compact (${STRATEGIES_URL}).`;
/** Short options of setup:static-content:deploy that take a value (the rest of the word, or the next word). */
const VALUE_SHORTCUTS = new Set(["s", "a", "t", "l", "j"]);

/** Symfony's abbreviations of the command name are accepted (s:s:d, setup:static:deploy): each part a prefix. */
function isDeployCommand(word: string): boolean {
    const parts = word.toLowerCase().split(":");
    const full = ["setup", "static-content", "deploy"];
    return parts.length === 3 && parts.every((p, i) => p !== "" && full[i].startsWith(p));
}

/** The arguments of setup:static-content:deploy when the words run it through bin/magento; undefined otherwise. */
function deployArguments(words: readonly string[]): string[] | undefined {
    const at = words.findIndex(isDeployCommand);
    if (at < 0) {
        return undefined;
    }
    const before = words.slice(0, at);
    const magento = before.map((w) => basename(w)).lastIndexOf("magento");
    return magento >= 0 && before.slice(magento + 1).every((w) => w.startsWith("-")) ? words.slice(at + 1) : undefined;
}

/** The strategy the arguments ask for, as Symfony's console reads them (the last one given wins); undefined when none
 *  is given, null when the option has no value. */
function strategyOf(args: readonly string[]): string | null | undefined {
    let strategy: string | null | undefined;
    const valueAfter = (i: number) => (args[i + 1] !== undefined && !args[i + 1].startsWith("-") ? args[i + 1] : null);
    for (let i = 0; i < args.length && args[i] !== "--"; i++) {
        const arg = args[i];
        if (arg === "--strategy") {
            strategy = valueAfter(i);
        } else if (arg.startsWith("--strategy=")) {
            strategy = arg.slice("--strategy=".length);
        } else if (/^-[^-]/.test(arg)) {
            const at = [...arg.slice(1)].findIndex((c) => VALUE_SHORTCUTS.has(c)) + 1;
            if (at > 0 && arg[at] === "s") {
                strategy = at + 1 < arg.length ? arg.slice(at + 1) : valueAfter(i);
            }
        }
    }
    return strategy;
}

function strategyProblem(args: readonly string[]): string | undefined {
    const strategy = strategyOf(args);
    if (strategy === COMPACT) {
        return undefined;
    }
    return strategy === undefined
        ? "no strategy, so Magento's default: quick"
        : strategy === null
          ? "-s/--strategy without a value"
          : `the strategy "${strategy}"`;
}

/** The link name of a symbolic `ln` (ln -s[f][n] target link), when the words run one. */
function symlinkName(words: readonly string[]): string | undefined {
    const at = words.findIndex((w) => basename(w) === "ln");
    const args = at < 0 ? [] : words.slice(at + 1);
    const symbolic = args.some((a) => a === "--symbolic" || /^-[a-zA-Z]*s/.test(a));
    const operands = args.filter((a) => !a.startsWith("-"));
    return symbolic && operands.length >= 2 ? operands[operands.length - 1] : undefined;
}

/** What puts pub/static on a share at `mountPoint`: the mount itself, or pub/static paths the steps name below it. */
function staticUnder(mountPoint: string, staticPaths: readonly string[]): string | undefined {
    if (isStaticPath(mountPoint) || (!mountPoint.startsWith("/") && sharesStatic(mountPoint))) {
        return `mounts a share on ${mountPoint}, which puts ${STATIC} on it`;
    }
    const below = staticPaths.find((p) => p.startsWith(`${mountPoint}/`));
    return below === undefined ? undefined : `mounts a share on ${mountPoint}, above ${below}`;
}

interface Component {
    readonly resource: PolicyResource;
    readonly steps: Step[];
}

/** Every mount, symlink and write of the stack's components that puts pub/static on shared storage. A mount in one
 *  component is there for the next ones of the same build, so mounts are gathered over all components. */
function sharingProblems(components: readonly Component[]): [PolicyResource, string][] {
    const all = components.flatMap((c) => c.steps.flatMap((s) => s.commands.map((words) => ({ c, s, words }))));
    const staticPaths = [
        ...new Set(
            all.flatMap(({ words }) =>
                words
                    .map(normalPath)
                    .filter((w) => w.startsWith("/") && isStaticPath(w))
                    .map((w) => w.slice(0, `${w}/`.indexOf(`/${STATIC}/`) + STATIC.length + 1)),
            ),
        ),
    ];
    const mounts = all.flatMap(({ c, s, words }) => shareMountPoints(words).map((m) => ({ c, s, at: normalPath(m) })));
    const found: [PolicyResource, string][] = [];
    for (const { c, s, at } of mounts) {
        const problem = staticUnder(at, staticPaths);
        if (problem !== undefined) {
            found.push([c.resource, `Image Builder component ${c.resource.name} (${s.where}) ${problem}.`]);
        }
    }
    for (const { c, s, words } of all) {
        const link = symlinkName(words);
        if (link !== undefined && isStaticPath(link)) {
            found.push([
                c.resource,
                `Image Builder component ${c.resource.name} (${s.where}) makes ${normalPath(link)} a symlink; ${STATIC} must be a directory of the image.`,
            ]);
        }
        // A write: pub/static named outside the share, and a path on it (cp, rsync, tar -C...); mounts are reported above.
        const on = (w: string, at: string) => w === at || w.startsWith(`${at}/`);
        const share = mounts.find(
            ({ at }) =>
                at.startsWith("/") &&
                words.some((w) => on(normalPath(w), at)) &&
                words.some((w) => isStaticPath(w) && !on(normalPath(w), at)),
        );
        if (share !== undefined && shareMountPoints(words).length === 0) {
            found.push([
                c.resource,
                `Image Builder component ${c.resource.name} (${s.where}) writes ${STATIC} onto the share mounted on ${share.at} (${words.join(" ")}).`,
            ]);
        }
    }
    return found;
}

export const releaseStaticContent: StackValidationPolicy = {
    name: "release-static-content",
    description:
        "Image Builder components deploy Magento's static content with the compact strategy, and never put pub/static on shared storage (mount, symlink, copy).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const components: Component[] = [];
        for (const resource of ofType(args.resources, IMAGEBUILDER_COMPONENT)) {
            const data = read(resource.props, "data");
            if (data === NOT_KNOWN) {
                continue; // computed from another resource's output: the update, which knows it, decides
            }
            if (typeof data !== "string" || data.trim() === "") {
                const uri = knownString(resource.props, "uri");
                reportViolation(
                    `Image Builder component ${resource.name} has no inline document${uri ? ` (its document is at ${uri})` : ""}: ` +
                        "give it `data` (the AWSTOE YAML) so the pack can check how it deploys static content.",
                    resource.urn,
                );
                continue;
            }
            const parsed = commandSteps(data);
            if ("problem" in parsed) {
                reportViolation(`Image Builder component ${resource.name}: ${parsed.problem}.`, resource.urn);
                continue;
            }
            components.push({ resource, steps: parsed.steps });
            for (const step of parsed.steps) {
                for (const words of step.commands) {
                    const deploy = deployArguments(words);
                    const problem = deploy === undefined ? undefined : strategyProblem(deploy);
                    if (problem !== undefined) {
                        reportViolation(
                            `Image Builder component ${resource.name} (${step.where}) deploys static content with ${problem} ` +
                                `(${words.join(" ")}). ${WHY_COMPACT}`,
                            resource.urn,
                        );
                    }
                }
            }
        }
        for (const [resource, problem] of sharingProblems(components)) {
            reportViolation(`${problem} ${STATIC_STAYS_LOCAL}`, resource.urn);
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: [IMAGEBUILDER_COMPONENT],
    decides:
        "Decides during preview from the components' inline AWSTOE documents (data): the ExecuteBash commands and ExecuteBinary arguments that run setup:static-content:deploy, mount NFS/EFS, symlink or copy pub/static.",
    remediation:
        "Deploy static content in the image build with setup:static-content:deploy -s compact and remove any step that mounts, links or copies pub/static onto shared storage.",
    controls: controls({}),
    sources: [STRATEGIES_URL, "https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html"],
};
