// The backup plan's keys together: production keeps at least 35 days of daily recovery points, and a weekly copy
// outlives the daily ones (or there is none); and StackConfig's part the backups read (components/data/backups.ts).
import type { ConfigProblem } from "../errors";
import { qualified, Settings } from "../keys";
import type { Concern } from "./concern";

/** Production's floor: a month of daily restores and a margin for finding a silent corruption late (issue 19). */
export const PRODUCTION_DAILY_RETENTION_DAYS = 35;

export interface BackupSettings {
    readonly backups: {
        readonly dailyRetentionDays: number;
        /** undefined: no weekly copy. */
        readonly weeklyRetentionDays: number | undefined;
    };
}

export function backups(v: Settings): Concern<BackupSettings> {
    const problems: ConfigProblem[] = [];
    const daily = v.backupDailyRetentionDays;
    const weekly = v.backupWeeklyRetentionDays;
    if (v.profile === "production" && daily < PRODUCTION_DAILY_RETENTION_DAYS) {
        problems.push({
            path: qualified("backupDailyRetentionDays"),
            message: `must be at least ${PRODUCTION_DAILY_RETENTION_DAYS} days in production (got ${daily}): a month of daily restores and a margin`,
        });
    }
    if (weekly > 0 && weekly <= daily) {
        problems.push({
            path: qualified("backupWeeklyRetentionDays"),
            message: `must exceed ${qualified("backupDailyRetentionDays")} (${daily}) for the weekly copy to outlive the daily ones (got ${weekly}); leave it unset for the profile's`,
        });
    }
    return {
        problems,
        config: () => ({
            backups: { dailyRetentionDays: daily, weeklyRetentionDays: weekly > 0 ? weekly : undefined },
        }),
    };
}
