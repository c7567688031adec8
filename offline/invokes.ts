// Answers to the data-source calls (invokes) the program makes, as AWS would give them for the stack's region.
import { createHash } from "crypto";
import { ACCOUNT_ID, serviceLinkedRoleArn } from "./fakes";

/** The offline account has run Auto Scaling groups (so it holds that service-linked role), never an OpenSearch domain. */
export const ACCOUNT_SERVICE_LINKED_ROLES = ["autoscaling.amazonaws.com"];

/** What the offline account holds beyond the program's own resources. */
export interface OfflineWorld {
    /** A fresh stack: no release image built nor released yet (the first `up`). */
    readonly freshStack?: boolean;
    /** The runner's current record as written (its parameter's value); unset, RELEASED_VERSION of the candidate's
     *  default image (the stack runs what was last built). */
    readonly releaseRecord?: string;
    /** The image in the candidate parameter (a build the runner has not released); unset, the default one. */
    readonly candidateImage?: string;
    /** Built, never released: the candidate parameter exists, the record not. */
    readonly unreleased?: boolean;
}

/** The version the offline account's default record says a deployed stack runs. */
export const RELEASED_VERSION = "2.4.8-p3+1";
const RELEASED_COMMIT = "4f2c9e1";

/** A stack's own parameters: the candidate image (/imagebuilder/magento/<stack>/web-ami) and the runner's records
 *  (/magento-release/<stack>/current), with the values a deployed stack's hold. */
const CANDIDATE = /^\/imagebuilder\/magento\/([^/]+)\/web-ami$/;
const RECORD = /^\/magento-release\/([^/]+)\/current$/;

/** A deployed stack's own parameters under a path (none in a fresh stack's), by name. */
/** The version a deployed stack's side applications run, offline. */
const SIDE_APP_VERSION = "1.0.0";

function ownParameters(path: string, world: OfflineWorld): Record<string, string> {
    if (world.freshStack) {
        return {};
    }
    // A deployed stack's side applications run the release their operator named (infra/sideapps.ts reads it by path).
    if (/^\/magento-sideapps\/[^/]+\/[^/]+$/.test(path)) {
        return world.unreleased ? {} : { [`${path}/release`]: SIDE_APP_VERSION };
    }
    const stack = path.split("/").pop()!;
    const candidate = `/imagebuilder/magento/${stack}/web-ami`;
    const record =
        world.releaseRecord ??
        JSON.stringify({ version: RELEASED_VERSION, commit: RELEASED_COMMIT, imageId: amiFor(candidate) });
    const own: Record<string, string> = {
        [candidate]: world.candidateImage ?? amiFor(candidate),
        ...(world.unreleased ? {} : { [`/magento-release/${stack}/current`]: record }),
    };
    return Object.fromEntries(Object.entries(own).filter(([name]) => name.startsWith(`${path}/`)));
}

type Answer = (args: Record<string, unknown>, region: string, world?: OfflineWorld) => Record<string, unknown>;

/**
 * The account-level security services, as the provider answers for an account that runs them (the offline
 * account) and for one that does not (a fresh account): the reads fail there (GuardDuty's message is the provider's,
 * detector_data_source.go; Security Hub's stands for the API's refusal).
 */
export const SECURITY_SERVICES: Record<"enabled" | "disabled", Record<string, Answer>> = {
    enabled: {
        "aws:guardduty/getDetector:getDetector": (_, region) => ({
            id: "6ec2d3f0a1b2c3d4e5f60718293a4b5c",
            arn: `arn:aws:guardduty:${region}:${ACCOUNT_ID}:detector/6ec2d3f0a1b2c3d4e5f60718293a4b5c`,
            status: "ENABLED",
            findingPublishingFrequency: "SIX_HOURS",
            features: [],
            region,
            tags: {},
            serviceRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        }),
        "aws:securityhub/getEnabledStandards:getEnabledStandards": (_, region) => {
            const standardsSubscriptionArn = `arn:aws:securityhub:${region}:${ACCOUNT_ID}:subscription/aws-foundational-security-best-practices/v/1.0.0`;
            return {
                region,
                standardsSubscriptionArns: [standardsSubscriptionArn],
                standardsSubscriptions: [
                    {
                        standardsArn: `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
                        standardsSubscriptionArn,
                        standardsStatus: "READY",
                        standardsControlsUpdatable: "READY_FOR_UPDATES",
                        standardsInputs: {},
                        standardsStatusReasons: [],
                    },
                ],
            };
        },
    },
    disabled: {
        "aws:guardduty/getDetector:getDetector": () => {
            throw new Error("reading this account's single GuardDuty Detector: empty result");
        },
        "aws:securityhub/getEnabledStandards:getEnabledStandards": () => {
            throw new Error(
                `reading Security Hub Standards Subscriptions: InvalidAccessException: Account ${ACCOUNT_ID} is not subscribed to AWS Security Hub`,
            );
        },
    },
};

const INVOKES: Record<string, Answer> = {
    ...SECURITY_SERVICES.enabled,
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: ACCOUNT_ID,
        arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deployer/pulumi`,
        userId: "AROAEXAMPLEDEPLOYER:pulumi",
        id: ACCOUNT_ID,
    }),
    "aws:index/getRegion:getRegion": (_, region) => ({
        name: region,
        region,
        id: region,
        endpoint: `ec2.${region}.amazonaws.com`,
    }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    "aws:ssm/getParameter:getParameter": (args, _, world) => ({
        name: args.name,
        id: args.name,
        type: "String",
        arn: `arn:aws:ssm:eu-west-3::parameter${args.name}`,
        // The stack's own parameters as the world holds them; other AMI parameters (AWS's public ones, another
        // stack's) answer with an image id; others with a placeholder.
        value: ownValue(String(args.name), world!) ?? parameterValue(String(args.name)),
        version: 1,
        insecureValue: "",
        withDecryption: true,
    }),
    // A stack's own paths hold its candidate image and its release record, unless the stack is fresh; any other path
    // is empty, as AWS answers a path without parameters.
    "aws:ssm/getParametersByPath:getParametersByPath": (args, region, world) => {
        const path = String(args.path);
        const own = ownParameters(path, world!);
        const names = Object.keys(own);
        return {
            path,
            id: path,
            arns: names.map((n) => `arn:aws:ssm:${region}:${ACCOUNT_ID}:parameter${n}`),
            names,
            types: names.map(() => "String"),
            values: names.map((n) => own[n]),
            recursive: false,
            withDecryption: true,
        };
    },
    // A public zone that exists in the account (publicDns: route53), found by name.
    "aws:route53/getZone:getZone": (args) => {
        const zoneId = `Z0${createHash("sha256").update(String(args.name)).digest("hex").slice(0, 18).toUpperCase()}`;
        return {
            id: zoneId,
            zoneId,
            name: args.name,
            privateZone: false,
            arn: `arn:aws:route53:::hostedzone/${zoneId}`,
            nameServers: [
                "ns-311.awsdns-7.com",
                "ns-622.awsdns-14.net",
                "ns-933.awsdns-21.org",
                "ns-1244.awsdns-28.co.uk",
            ],
            resourceRecordSetCount: 2,
            callerReference: zoneId,
            comment: "",
            linkedServiceDescription: "",
            linkedServicePrincipal: "",
            primaryNameServer: "ns-311.awsdns-7.com",
            tags: {},
        };
    },
    // Roles under a path: the service-linked roles the account holds (the program adopts those, creates the others).
    "aws:iam/getRoles:getRoles": (args) => {
        const arns = ACCOUNT_SERVICE_LINKED_ROLES.map(serviceLinkedRoleArn).filter((arn) =>
            arn.includes(`:role${String(args.pathPrefix ?? "/")}`),
        );
        return { arns, names: arns.map((arn) => arn.split("/").pop()), id: ACCOUNT_ID, pathPrefix: args.pathPrefix };
    },
    // An Elastic IP the account already holds (an estate's kept address: magento:gatewayAllocationId...), by its
    // allocation id; its address is derived from the id, in a public range of the region's.
    "aws:ec2/getElasticIp:getElasticIp": (args, region) => {
        const id = String(args.id);
        const h = createHash("sha256").update(id).digest();
        const publicIp = `35.180.${h[0]}.${h[1]}`;
        return {
            id,
            arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:elastic-ip/${id}`,
            domain: "vpc",
            publicIp,
            publicDns: `ec2-${publicIp.replace(/\./g, "-")}.${region}.compute.amazonaws.com`,
            associationId: "",
            instanceId: "",
            networkInterfaceId: "",
            tags: {},
        };
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_, region) => ({
        names: ["a", "b", "c"].map((s) => `${region}${s}`),
        zoneIds: [1, 2, 3].map((n) => `${region.replace(/^(\w\w)-(\w)\w*-(\d)$/, "$1$2$3")}-az${n}`),
        state: "available",
        id: region,
    }),
};

/** A stack's own parameter, when `name` is one and the stack is deployed. */
function ownValue(name: string, world: OfflineWorld): string | undefined {
    const stack = CANDIDATE.exec(name)?.[1] ?? RECORD.exec(name)?.[1];
    return stack === undefined ? undefined : ownParameters(name.slice(0, name.lastIndexOf("/")), world)[name];
}

function parameterValue(name: string): string {
    return /(^|[/_-])ami($|[/_-])/.test(name) ? amiFor(name) : `offline:${name}`;
}

/** A stable image id per parameter name; AL2023's public parameter keeps the id tests already know. */
function amiFor(name: string): string {
    return name.startsWith("/aws/service/ami-")
        ? "ami-0a1b2c3d4e5f60718"
        : `ami-0${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
}

export function answerInvoke(
    token: string,
    args: Record<string, unknown>,
    region: string,
    world: OfflineWorld = {},
): Record<string, unknown> {
    const answer = INVOKES[token];
    if (!answer) {
        throw new Error(`the offline engine has no answer for the invoke ${token}; add one to offline/invokes.ts`);
    }
    return answer(args, region, world);
}
