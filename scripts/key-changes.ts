// npm run key-changes [-- --stack prod] [--only KEY,...]
// What changing each configuration key does to a deployed stack, measured: the stack's update capture as the
// "deployed" export, then for each key one representative change planned against it (offline/plan/) and checked.
// Prints one markdown row per change: the resources created, updated, replaced and deleted (by type), and what the
// plan check refuses. The README's "Changing a deployed stack" table is read from this output.
import * as os from "os";
import { CommandContext, EXIT, parseArgs, runCommand } from "../offline/cli/args";
import { CaptureWorkers } from "../offline/capture-workers";
import { asLoadedDeployment, capturedResources, captureJob } from "../offline/engine";
import { checkPlan } from "../offline/plan/check";
import { planChange, PlanStep } from "../offline/plan/plan";
import { loadProject, loadStackSettings, stackFileWith } from "../offline/project";

type Changes = Readonly<Record<string, unknown>>;

/** One representative change per key, on prod's file (values valid for it). */
const CHANGES: readonly [label: string, changes: Changes][] = [
    ["vpcCidr", { "magento:vpcCidr": "10.30.0.0/16" }],
    [
        "availabilityZones reordered",
        {
            "magento:availabilityZones": ["eu-west-3b", "eu-west-3a", "eu-west-3c"],
            "magento:operationsAz": "eu-west-3a",
        },
    ],
    [
        "availabilityZones, first entry moved",
        { "magento:availabilityZones": ["eu-west-3b", "eu-west-3a", "eu-west-3c"] },
    ],
    ["operationsAz", { "magento:operationsAz": "eu-west-3b" }],
    ["privateSubnetCidrs of an existing AZ", { "magento:privateSubnetCidrs": { "eu-west-3a": "10.20.111.0/24" } }],
    ["natGateways perAz -> single", { "magento:natGateways": "single" }],
    ["flowLogRetentionDays", { "magento:flowLogRetentionDays": 180 }],
    ["domain", { "magento:domain": "example.net" }],
    ["internalDomain", { "magento:internalDomain": "prod.shop.internal" }],
    [
        "operatorCidrs (one added)",
        { "magento:operatorCidrs": ["203.0.113.0/28", "198.51.100.16/29", "192.0.2.64/27", "192.0.2.200/32"] },
    ],
    [
        "partnerCidrs (the partner moved outside operatorCidrs)",
        {
            "magento:partnerCidrs": ["192.0.2.77/32"],
            "magento:gatewayInternet": { ftp: ["192.0.2.77/32"], "ftp-passive": ["192.0.2.77/32"] },
        },
    ],
    [
        "partnerCidrs (one outside operatorCidrs added)",
        { "magento:partnerCidrs": ["203.0.113.10/32", "192.0.2.77/32"] },
    ],
    ["alarmEmail", { "magento:alarmEmail": "oncall@example.com" }],
    ["webInstanceType", { "magento:webInstanceType": "c7i.xlarge" }],
    ["webImage", { "magento:webImage": "ami-0b1c2d3e4f5a60789" }],
    ["webMinSize / webMaxSize", { "magento:webMinSize": 3, "magento:webMaxSize": 12 }],
    ["adminPath", { "magento:adminPath": "ops_9q2z" }],
    ["opsInstanceType (same architecture)", { "magento:opsInstanceType": "t3.medium" }],
    ["opsInstanceType (arm64)", { "magento:opsInstanceType": "t4g.small" }],
    ["opsAmiId", { "magento:opsAmiId": "ami-0fedcba9876543210" }],
    ["windowsInstanceType", { "magento:windowsInstanceType": "m6i.xlarge" }],
    ["dbInstanceClass", { "magento:dbInstanceClass": "db.r6g.2xlarge" }],
    ["dbAllocatedStorageGb", { "magento:dbAllocatedStorageGb": 200 }],
    ["dbBackupRetentionDays", { "magento:dbBackupRetentionDays": 21 }],
    ["applyImmediately", { "magento:applyImmediately": true }],
    ["cacheNodeType", { "magento:cacheNodeType": "cache.r7g.xlarge" }],
    ["cacheLayout split -> shared", { "magento:cacheLayout": "shared" }],
    ["searchInstanceType", { "magento:searchInstanceType": "r6g.xlarge.search" }],
    ["searchVolumeGb", { "magento:searchVolumeGb": 200 }],
    ["sharedStorage efs -> nfs", { "magento:sharedStorage": "nfs" }],
    ["sharedStorageTarget nfs", { "magento:sharedStorageTarget": "nfs" }],
    ["accessLogRetentionDays", { "magento:accessLogRetentionDays": 30 }],
    ["tempExpiryDays", { "magento:tempExpiryDays": 14 }],
    ["waf off", { "magento:waf": "off" }],
    ["originVerifyRotation +1", { "magento:originVerifyRotation": 1 }],
    ["cdnStaticOriginPath", { "magento:cdnStaticOriginPath": "/pub/static/frontend" }],
    ["owner", { "magento:owner": "platform-team" }],
];

/** "replace 3 (Instance 3)": the count of an operation and its types. */
function summary(steps: readonly PlanStep[], op: PlanStep["op"]): string {
    const of = steps.filter((s) => s.op === op);
    if (of.length === 0) {
        return "";
    }
    const byType = new Map<string, number>();
    for (const type of of.map((s) => s.type.split(":").pop()!)) {
        byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    return `${op} ${of.length} (${[...byType].map(([t, n]) => `${t} ${n}`).join(", ")})`;
}

async function main({ argv, cwd, out }: CommandContext): Promise<number> {
    const { flags } = parseArgs(argv, ["stack", "only"]);
    const stack = flags.get("stack")?.[0] ?? "prod";
    const only = flags.get("only")?.[0]?.split(",");
    const project = loadProject(cwd);
    const workers = new CaptureWorkers(project.root, os.availableParallelism());
    try {
        const capture = (file?: string) =>
            workers
                .run(captureJob(project, stack, loadStackSettings(project, stack, file), false))
                .then(capturedResources);
        const chosen = CHANGES.filter(([label]) => !only || only.some((o) => label.startsWith(o)));
        const before = capture();
        const afters = chosen.map(([, changes]) =>
            capture(stackFileWith(project.root, stack, changes)).catch((e: Error) => e),
        );
        const deployed = asLoadedDeployment(await before, project.name);
        out(`| change (${stack}) | plan | refused by the check |\n|---|---|---|`);
        for (const [i, [label]] of chosen.entries()) {
            const after = await afters[i];
            if (after instanceof Error) {
                out(`| ${label} | refused by validation: ${after.message.split("\n").slice(-1)[0].trim()} | |`);
                continue;
            }
            const steps = planChange(deployed, after, stack);
            const plan =
                (["create", "update", "replace", "delete"] as const)
                    .map((op) => summary(steps, op))
                    .filter(Boolean)
                    .join("; ") || "no change";
            const refused = checkPlan(steps, []).refusals.map((r) => r.step.name);
            out(
                `| ${label} | ${plan} | ${refused.length === 0 ? "" : `${refused.length}: ${refused.slice(0, 4).join(", ")}${refused.length > 4 ? ", ..." : ""}`} |`,
            );
        }
        return EXIT.ok;
    } finally {
        workers.close();
    }
}

runCommand(module, main);
