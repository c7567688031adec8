// Answers to the data-source calls (invokes) the program makes, as AWS would give them for the stack's region.
import { createHash } from "crypto";
import { ACCOUNT_ID, serviceLinkedRoleArn } from "./fakes";

/** The offline account has run Auto Scaling groups (so it holds that service-linked role), never an OpenSearch domain. */
export const ACCOUNT_SERVICE_LINKED_ROLES = ["autoscaling.amazonaws.com"];

/** What the offline account holds beyond the program's own resources. */
export interface OfflineWorld {
    /** A fresh stack: no release image parameter written yet (the first `up` before any image is built). */
    readonly freshStack?: boolean;
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
    "aws:ssm/getParameter:getParameter": (args) => ({
        name: args.name,
        id: args.name,
        type: "String",
        arn: `arn:aws:ssm:eu-west-3::parameter${args.name}`,
        // AMI parameters (AWS's public ones, an image pipeline's) answer with an image id; others with a placeholder.
        value: /(^|[/_-])ami($|[/_-])/.test(String(args.name)) ? amiFor(String(args.name)) : `offline:${args.name}`,
        version: 1,
        insecureValue: "",
        withDecryption: true,
    }),
    // A stack's release path (/imagebuilder/magento/<stack>) holds the image parameter the pipeline (or a promotion) wrote, unless the stack is fresh;
    // any other path is empty, as AWS answers a path without parameters.
    "aws:ssm/getParametersByPath:getParametersByPath": (args, region, world) => {
        const path = String(args.path);
        const names = /^\/imagebuilder\/magento\/[^/]+$/.test(path) && !world?.freshStack ? [`${path}/web-ami`] : [];
        return {
            path,
            id: path,
            arns: names.map((n) => `arn:aws:ssm:${region}:${ACCOUNT_ID}:parameter${n}`),
            names,
            types: names.map(() => "String"),
            values: names.map(amiFor),
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
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_, region) => ({
        names: ["a", "b", "c"].map((s) => `${region}${s}`),
        zoneIds: [1, 2, 3].map((n) => `${region.replace(/^(\w\w)-(\w)\w*-(\d)$/, "$1$2$3")}-az${n}`),
        state: "available",
        id: region,
    }),
};

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
