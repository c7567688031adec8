// The servers' keys together: the Windows host on an x86_64 type, production's front-end floor and WAF; and
// StackConfig's instance types, images and the web tier.
import { architectureOf } from "../../model/architecture";
import type { ImageSource } from "../../model/images";
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import type { ScaleSchedule } from "../schedule";
import { releaseImageParameter } from "../../model/release";
import type { Concern, StackContext } from "./concern";

export interface WebConfig {
    /** The release image of the front-end and back-office servers. */
    readonly image: ImageSource;
    readonly minSize: number;
    readonly maxSize: number;
    readonly schedule: readonly ScaleSchedule[];
    /** Magento's admin front name: /<adminPath>/* is routed to the back office. */
    readonly adminPath: string;
    readonly waf: boolean;
}

export interface ServerSettings {
    readonly instanceTypes: { readonly web: string; readonly backOffice: string; readonly ops: string };
    /** Pinned AMI of the operations servers; undefined: the latest Amazon Linux 2023. */
    readonly opsAmiId: string | undefined;
    readonly web: WebConfig;
    /** The Windows host's instance type, and its pinned AMI (undefined: the latest Windows Server 2022 Base). */
    readonly windows: { readonly instanceType: string; readonly amiId: string | undefined };
}

export function servers(v: Settings, ctx: StackContext): Concern<ServerSettings> {
    const problems: ConfigProblem[] = [];
    if (architectureOf(v.windowsInstanceType) === "arm64") {
        problems.push({
            path: qualified("windowsInstanceType"),
            message: `${v.windowsInstanceType} is a Graviton (arm64) type; Windows Server runs on x86_64 types such as m6i.large`,
        });
    }
    problems.push(...checkWeb(v));
    return {
        problems,
        config: () => ({
            instanceTypes: { web: v.webInstanceType, backOffice: v.backOfficeInstanceType, ops: v.opsInstanceType },
            opsAmiId: v.opsAmiId,
            web: {
                // Unset: the stack's own release parameter, named by the estate as every parameter path is.
                image: v.webImage ?? { parameterName: releaseImageParameter(v.estate ?? ctx.stack) },
                minSize: v.webMinSize,
                maxSize: v.webMaxSize,
                schedule: v.webScaleSchedule,
                adminPath: v.adminPath!,
                waf: v.waf === "on",
            },
            windows: { instanceType: v.windowsInstanceType, amiId: v.windowsAmiId },
        }),
    };
}

/** Front-end capacity across keys: production keeps 2 servers in 2 AZs at all times, and its WAF. */
function checkWeb(v: Settings): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const [min, max] = [v.webMinSize, v.webMaxSize];
    const floor = v.profile === "production" ? 2 : 1;
    if (min < floor) {
        problems.push({
            path: qualified("webMinSize"),
            message: `must be at least ${floor} in production, so that losing an AZ or a server leaves the shop serving (got ${min})`,
        });
    }
    if (max < min) {
        problems.push({ path: qualified("webMaxSize"), message: `must be at least webMinSize (${min}), got ${max}` });
    }
    v.webScaleSchedule.forEach((entry, i) => {
        if (entry.minSize < floor) {
            problems.push({
                path: `${qualified("webScaleSchedule")}[${i}]`,
                message: `min=${entry.minSize} would take production below ${floor} front-end servers`,
            });
        }
    });
    if (v.profile === "production" && v.waf === "off") {
        problems.push({
            path: qualified("waf"),
            message:
                "cannot be off in production: the web ACL is what stands between the shop and bursts like the one that took an estate down",
        });
    }
    return problems;
}
