// The front end's timings in one place: the web group, its load balancer's target group and docs/burst.md (the time
// from a burst to new capacity, whose figures a test recomputes from these) all read them here.

/** Seconds a new server gets (boot, mounts, PHP warm-up) before failed health checks replace it. */
export const HEALTH_CHECK_GRACE_SECONDS = 300;

/** Seconds after a server enters service before its metrics count in the group's aggregated ones (target tracking's
 *  view of CPU and requests): a fresh PHP-FPM with an empty OPcache runs hot for its first minute or two. */
export const DEFAULT_INSTANCE_WARMUP_SECONDS = 120;

/** The target group's check: every 15 s, 2 passes to join, 3 failures (45 s) to leave. */
export const TARGET_HEALTH = { intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 };

/**
 * How long the launch hook (components/web/web-group.ts) waits for a server's boot to report before abandoning it:
 * a first boot reads the parameters and secrets, downloads RDS's CA bundle and mounts EFS, well inside 10 minutes; a
 * boot that has not reported by then is broken, and the group launches another instead of keeping it.
 */
export const LAUNCH_HOOK_TIMEOUT_SECONDS = 600;

/**
 * How long the load must stay above a target tracking policy's target before it scales out: its high alarm, which
 * AWS creates and owns, on 1-minute metrics (the template turns on detailed monitoring; 5-minute metrics would make
 * it slower: https://docs.aws.amazon.com/autoscaling/ec2/userguide/policy_creating.html). That alarm's 3 datapoints of
 * 1 minute are what AWS creates today, **unverified** in its documentation.
 */
export const SCALE_OUT_DETECTION_SECONDS = 3 * 60;

/** From a server's registration in the target group until the load balancer sends it requests. */
export const TARGET_HEALTHY_SECONDS = TARGET_HEALTH.healthyThreshold * TARGET_HEALTH.intervalSeconds;
