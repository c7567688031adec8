// The validated configuration of one stack: the only configuration the program and its components see. Each part is
// declared, checked and built with its keys' concern in checks/.
import type { AddressSettings } from "./checks/addresses";
import type { BackupSettings } from "./checks/backups";
import type { BurstSettings } from "./checks/burst";
import type { DataSettings } from "./checks/data";
import type { EdgeSettings } from "./checks/edge";
import type { GatewaySettings } from "./checks/gateway";
import type { IdentitySettings } from "./checks/identity";
import type { LifecycleSettings } from "./checks/lifecycle";
import type { MonitoringSettings } from "./checks/monitoring";
import type { NetworkSettings } from "./checks/network";
import type { ReleaseSettings } from "./checks/release";
import type { ServerSettings } from "./checks/servers";

export type { KeptAddresses } from "./checks/addresses";
export type { DatabaseConfig } from "./checks/data";
export type { EdgeConfig } from "./checks/edge";
export type { NetworkConfig } from "./checks/network";
export type { ReleaseConfig } from "./checks/release";
export type { WebConfig } from "./checks/servers";

export interface StackConfig
    extends
        IdentitySettings,
        NetworkSettings,
        AddressSettings,
        GatewaySettings,
        MonitoringSettings,
        ServerSettings,
        BurstSettings,
        ReleaseSettings,
        DataSettings,
        BackupSettings,
        LifecycleSettings,
        EdgeSettings {}
