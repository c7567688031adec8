// The schemas of the burst keys (magento:webWarmPool, magento:webCampaigns), each value on its own; the checks
// across keys are checks/burst.ts's.
import { z } from "zod";
import type { CampaignWindow } from "../model/campaigns";
import { serverCount } from "./schema";

/** What the provider's startTime takes (YYYY-MM-DDThh:mm:ssZ); seconds optional here, and nothing but UTC. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;

const utcTime = z
    .string({ error: "must be a date and time in UTC such as 2026-11-27T07:00:00Z" })
    .regex(UTC_TIME, {
        error: "must be a date and time in UTC such as 2026-11-27T07:00:00Z (ISO 8601, ending in Z)",
        abort: true,
    })
    // Date.parse rolls 30 February over into March: the date must read back as written.
    .refine((v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().slice(0, 16) === v.slice(0, 16), {
        error: "is not a date that exists",
    });

export const campaignWindows = z.array(
    z.strictObject(
        {
            name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
                error: "must be lower-case letters, digits and hyphens (at most 40), such as black-friday-2026: it names the window's scheduled actions",
            }),
            start: utcTime,
            end: utcTime,
            minSize: serverCount,
        },
        { error: "must be an object {name, start, end, minSize}" },
    ),
) satisfies z.ZodType<CampaignWindow[]>;

/** Warm servers: 0 is the Pulumi.yaml zero, the profile's choice (keys.ts), so production always keeps some. */
export const warmPoolSize = z
    .number({ error: "must be a number of servers" })
    .int()
    .min(0, { error: "must be 0 (none) or more" })
    .max(100, { error: "must be at most 100" });
