// Turns the raw key/value configuration of a stack into a StackConfig, or a ConfigError listing every problem: each
// key through its entry's schema (keys.ts), the profile's defaults for the keys left unset, then the checks across
// keys, by concern (checks/), each of which also builds its part of the StackConfig.
import { ConfigError, ConfigProblem, UNDECRYPTED_SECRET } from "./errors";
import {
    CONFIG_KEYS,
    ConfigKey,
    KEY_ENTRIES,
    KeyEntry,
    PROFILE_DEFAULTS,
    pulumiDefault,
    qualified,
    Settings,
} from "./keys";
import { addresses } from "./checks/addresses";
import { backups } from "./checks/backups";
import { burst } from "./checks/burst";
import type { StackContext } from "./checks/concern";
import { data } from "./checks/data";
import { edge } from "./checks/edge";
import { gateway } from "./checks/gateway";
import { identity } from "./checks/identity";
import { lifecycle } from "./checks/lifecycle";
import { monitoring } from "./checks/monitoring";
import { network } from "./checks/network";
import { release } from "./checks/release";
import { servers } from "./checks/servers";
import { sideApps } from "./checks/sideapps";
import { StackConfig } from "./stack-config";

/**
 * Keys whose value the program only passes on (a subscription endpoint, tags): offline, where a `secure:` value cannot
 * be decrypted, such a value may stay the placeholder. Every other key shapes what the program plans (subnets from
 * the VPC range, rules from the allow-list, names from the domain), so it must be known to run the program at all.
 */
const PASSED_THROUGH: readonly ConfigKey[] = ["alarmEmail", "owner", "costCentre"];

/** A value without its undecrypted parts: a whole secret has no known part, a list keeps its known items. */
function knownPart(value: unknown): unknown {
    return value === UNDECRYPTED_SECRET
        ? undefined
        : Array.isArray(value) && value.includes(UNDECRYPTED_SECRET)
          ? value.filter((v) => v !== UNDECRYPTED_SECRET)
          : value;
}

export function parseStackConfig(raw: Readonly<Record<string, unknown>>, ctx: StackContext): StackConfig {
    const problems: ConfigProblem[] = [];
    const parsed: Partial<Record<ConfigKey, unknown>> = {};

    for (const key of Object.keys(raw)) {
        if (!(key in CONFIG_KEYS)) {
            problems.push({
                path: qualified(key),
                message: `is not a configuration key of this project; allowed: ${Object.keys(CONFIG_KEYS).join(", ")}`,
            });
        }
    }
    for (const [key, entry] of KEY_ENTRIES) {
        const value = isZero(raw[key], entry) ? undefined : raw[key];
        if (value === undefined) {
            if (entry.defaults === "required") {
                problems.push({ path: qualified(key), message: `is required: ${entry.description}` });
            }
            continue;
        }
        const known = knownPart(value);
        if (known === undefined) {
            if (PASSED_THROUGH.includes(key)) {
                parsed[key] = value; // a secret string, unknown offline: kept as it reads, not validated
            } else {
                problems.push({
                    path: qualified(key),
                    message:
                        `is encrypted (secure:) and cannot be decrypted offline, but the program plans resources from it; ` +
                        `give it in plain text to the offline preview (--config-file), or keep encrypted only ${PASSED_THROUGH.map(qualified).join(", ")}`,
                });
            }
            continue;
        }
        const result = entry.schema.safeParse(known);
        if (result.success) {
            parsed[key] = result.data;
        } else {
            problems.push(
                ...result.error.issues.map((issue) => ({ path: keyPath(key, issue.path), message: issue.message })),
            );
        }
    }
    if (!ctx.region) {
        problems.push({
            path: "aws:region",
            message: "is required: the region the stack deploys to, such as eu-west-3",
        });
    }

    // A key left unset or refused takes its profile's default (production's while the profile is unknown).
    const settings = {
        ...PROFILE_DEFAULTS[(parsed.profile as Settings["profile"]) ?? "production"],
        ...parsed,
    } as Settings;
    const parts = {
        network: network(settings, ctx),
        addresses: addresses(settings),
        servers: servers(settings, ctx),
        burst: burst(settings),
        release: release(settings, ctx),
        gateway: gateway(settings),
        data: data(settings, ctx),
        backups: backups(settings),
        lifecycle: lifecycle(settings, ctx),
        monitoring: monitoring(settings, ctx),
        edge: edge(settings, ctx),
        identity: identity(settings, ctx),
        sideApps: sideApps(settings),
    };
    problems.push(...Object.values(parts).flatMap((part) => part.problems));
    if (problems.length > 0) {
        throw new ConfigError(ctx.stack, problems);
    }
    return {
        ...parts.identity.config(),
        ...parts.network.config(),
        ...parts.addresses.config(),
        ...parts.servers.config(),
        ...parts.burst.config(),
        ...parts.release.config(),
        ...parts.gateway.config(),
        ...parts.data.config(),
        ...parts.backups.config(),
        ...parts.lifecycle.config(),
        ...parts.monitoring.config(),
        ...parts.edge.config(),
        ...parts.sideApps.config(),
    };
}

/** An optional key left at its Pulumi.yaml default ("", 0, []) is unset: the profile decides. */
function isZero(value: unknown, entry: KeyEntry): boolean {
    const zero = pulumiDefault(entry);
    return zero !== undefined && JSON.stringify(value) === JSON.stringify(zero);
}

function keyPath(key: string, path: readonly PropertyKey[]): string {
    return qualified(key) + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}
