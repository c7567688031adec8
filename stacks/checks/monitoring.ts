// The alarms' keys together: a topic of their own region; and StackConfig's part the monitoring reads.
import type { AlarmThresholds } from "../../model/alarm-thresholds";
import { PROFILE_DEFAULTS, qualified, Settings } from "../keys";
import { SNS_TOPIC_ARN } from "../schema";
import type { Concern, StackContext } from "./concern";

export interface MonitoringSettings {
    readonly alarmEmail: string;
    /** An existing topic the alarms notify; undefined: the stack's own topic, alarmEmail subscribed. */
    readonly alarmTopicArn: string | undefined;
    /** The account's CloudTrail log group; undefined: no security metric filters (CloudTrail is account-level). */
    readonly cloudTrailLogGroup: string | undefined;
    /** Every alarm threshold: the stack's alarmThresholds over the profile's (ALARM_THRESHOLD_DEFAULTS). */
    readonly alarmThresholds: AlarmThresholds;
}

export function monitoring(v: Settings, ctx: StackContext): Concern<MonitoringSettings> {
    const topicRegion = v.alarmTopicArn === undefined ? undefined : SNS_TOPIC_ARN.exec(v.alarmTopicArn)?.[1];
    const wrongRegion = topicRegion !== undefined && ctx.region !== undefined && topicRegion !== ctx.region;
    return {
        problems: wrongRegion
            ? [
                  {
                      path: qualified("alarmTopicArn"),
                      message: `is a topic in ${topicRegion}; CloudWatch alarms in ${ctx.region} notify topics in ${ctx.region} only`,
                  },
              ]
            : [],
        config: () => ({
            alarmEmail: v.alarmEmail!,
            alarmTopicArn: v.alarmTopicArn,
            cloudTrailLogGroup: v.cloudTrailLogGroup,
            // A stack names the thresholds it changes; the profile's default names them all.
            alarmThresholds: {
                ...PROFILE_DEFAULTS[v.profile!].alarmThresholds,
                ...v.alarmThresholds,
            } as AlarmThresholds,
        }),
    };
}
