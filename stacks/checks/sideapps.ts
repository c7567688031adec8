// The side applications' keys together: their listener rules must fit ELB's limits and their priorities before the
// shop's (model/side-apps.ts), which bounds the operators' allow-list their admin paths admit.
import { sideAppSourceCapacity } from "../../model/side-apps";
import { qualified, Settings } from "../keys";
import type { Concern } from "./concern";

/** Nothing of their own yet: their names follow the shop's domain, their servers the ops servers' type and image. */
export type SideAppSettings = Record<never, never>;

export function sideApps(v: Settings): Concern<SideAppSettings> {
    const sources = v.operatorCidrs?.length ?? 0;
    const capacity = sideAppSourceCapacity();
    return {
        problems:
            sources > capacity
                ? [
                      {
                          path: qualified("operatorCidrs"),
                          message:
                              `lists ${sources} ranges; the side applications' admin rules take at most ${capacity} ` +
                              "(ELB: 3 values a condition, 5 a rule; each application's rules come before the shop's, " +
                              "at priorities 1 to 19): merge ranges into wider ones",
                      },
                  ]
                : [],
        config: () => ({}),
    };
}
