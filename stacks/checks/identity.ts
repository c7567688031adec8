// Which estate the stack is: its name (magento:estate or the stack's), profile and region, and the tags every
// resource carries; and StackConfig's part that every layer reads.
import { qualified, Settings } from "../keys";
import type { Profile } from "../profiles";
import { ESTATE_NAME } from "../schema";
import type { Concern, StackContext } from "./concern";

export interface IdentitySettings {
    /**
     * The estate's name (magento:estate, default the Pulumi stack's): every logical name, every physical name that
     * carries the stack's name and the Stack tag come from it, so `pulumi stack rename` changes none (docs/naming.md).
     */
    readonly stack: string;
    readonly region: string;
    readonly profile: Profile;
    /** True for the production profile: HA extras on. */
    readonly production: boolean;
    /** Tags every taggable resource carries. */
    readonly tags: Readonly<Record<string, string>>;
}

export function identity(v: Settings, ctx: StackContext): Concern<IdentitySettings> {
    // Names and the Stack tag derive from the estate, not the stack: a renamed stack keeps them (docs/naming.md).
    const estate = v.estate ?? ctx.stack;
    return {
        problems:
            v.estate === undefined && !ESTATE_NAME.test(ctx.stack)
                ? [
                      {
                          path: qualified("estate"),
                          message: `is required for stack '${ctx.stack}': the names derive from it, and a stack's name must then be 1 to 7 lower-case letters or digits, starting with a letter`,
                      },
                  ]
                : [],
        config: () => ({
            stack: estate,
            region: ctx.region!,
            profile: v.profile!,
            production: v.profile === "production",
            tags: {
                Project: "magento",
                Stack: estate, // what the session role and Rundeck's deploy policy scope by: it follows the names
                Environment: v.profile!,
                Owner: v.owner!,
                CostCentre: v.costCentre!,
            },
        }),
    };
}
