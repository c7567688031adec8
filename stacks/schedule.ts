// Time-based scaling entries of the stack file ("<cron> min=<n> max=<n>", UTC), parsed into scheduled actions.

export interface ScaleSchedule {
    /** Five-field cron expression, evaluated in UTC. */
    readonly recurrence: string;
    readonly minSize: number;
    readonly maxSize: number;
}

const CRON_FIELD = /^[0-9*,/-]+$/;
const ENTRY = /^(\S+ \S+ \S+ \S+ \S+) min=(\d+) max=(\d+)$/;

/** The scheduled action an entry describes, or the reason it is not one. */
export function parseScaleSchedule(entry: string): ScaleSchedule | string {
    const match = ENTRY.exec(entry.trim());
    if (!match || !match[1].split(" ").every((field) => CRON_FIELD.test(field))) {
        return "must be '<minute> <hour> <day> <month> <weekday> min=<n> max=<n>' (cron in UTC), such as '0 19 * * * min=1 max=1'";
    }
    const schedule = { recurrence: match[1], minSize: Number(match[2]), maxSize: Number(match[3]) };
    if (schedule.minSize > schedule.maxSize) {
        return `min=${schedule.minSize} exceeds max=${schedule.maxSize}`;
    }
    return schedule;
}
