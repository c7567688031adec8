// What AWS would hand back after create, per resource type: realistic ids, ARNs and addresses, deterministic so
// exports and documentation do not churn. In preview the same keys are sent as unknown, as a real preview does.
import { createHash } from "crypto";

export const ACCOUNT_ID = "123456789012";

export interface FakeContext {
    readonly name: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    readonly region: string;
}

interface Fake {
    /** The id AWS gives the resource. */
    id(ctx: FakeContext): string;
    /** Outputs that only exist after create (keys also tell which outputs a preview cannot know). */
    outputs(ctx: FakeContext, id: string): Record<string, unknown>;
}

export function hex(ctx: FakeContext, length: number): string {
    return createHash("sha256").update(`${ctx.type}::${ctx.name}`).digest("hex").slice(0, length);
}

/** Physical name Pulumi's auto-naming gives: the logical name and seven random hex digits. */
function autoName(ctx: FakeContext): string {
    return (ctx.inputs.name as string | undefined) ?? `${ctx.name}-${hex(ctx, 7)}`;
}

/** EC2-style resources: `<prefix>-<17 hex>` ids and `arn:aws:ec2:<region>:<account>:<kind>/<id>`. */
function ec2(prefix: string, kind?: string, extra: (ctx: FakeContext, id: string) => Record<string, unknown> = () => ({})): Fake {
    return {
        id: (ctx) => `${prefix}-0${hex(ctx, 16)}`,
        outputs: (ctx, id) => ({
            ...(kind ? { arn: `arn:aws:ec2:${ctx.region}:${ACCOUNT_ID}:${kind}/${id}`, ownerId: ACCOUNT_ID } : {}),
            ...extra(ctx, id),
        }),
    };
}

function ipFrom(ctx: FakeContext, first: string): string {
    const h = hex(ctx, 4);
    return `${first}.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}`;
}

const FAKES: Record<string, Fake> = {
    "aws:ec2/vpc:Vpc": ec2("vpc", "vpc", (ctx) => ({
        defaultSecurityGroupId: `sg-0${hex(ctx, 15)}d`,
        defaultRouteTableId: `rtb-0${hex(ctx, 15)}d`,
        mainRouteTableId: `rtb-0${hex(ctx, 15)}d`,
        defaultNetworkAclId: `acl-0${hex(ctx, 15)}d`,
        dhcpOptionsId: `dopt-0${hex(ctx, 15)}d`,
    })),
    "aws:ec2/subnet:Subnet": ec2("subnet", "subnet", (ctx) => ({
        availabilityZoneId: `${ctx.region.replace(/^(\w\w)-(\w)\w*-(\d)$/, "$1$2$3")}-az${"abc".indexOf(String(ctx.inputs.availabilityZone).slice(-1)) + 1}`,
    })),
    "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
    "aws:ec2/eip:Eip": ec2("eipalloc", "elastic-ip", (ctx, id) => {
        const publicIp = ipFrom(ctx, "15.236");
        return { allocationId: id, publicIp, publicDns: `ec2-${publicIp.replace(/\./g, "-")}.${ctx.region}.compute.amazonaws.com` };
    }),
    "aws:ec2/natGateway:NatGateway": ec2("nat", undefined, (ctx) => ({
        networkInterfaceId: `eni-0${hex(ctx, 16)}`,
        publicIp: ipFrom(ctx, "13.38"),
    })),
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2("rtbassoc"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group", () => ({ name: "default" })),
    "aws:ec2/securityGroup:SecurityGroup": ec2("sg", "security-group", (ctx) => ({ name: autoName(ctx) })),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint", (ctx) => ({
        prefixListId: `pl-${hex(ctx, 8)}`,
        state: "available",
    })),
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
    "aws:cloudwatch/logGroup:LogGroup": {
        id: autoName,
        outputs: (ctx, id) => ({ name: id, arn: `arn:aws:logs:${ctx.region}:${ACCOUNT_ID}:log-group:${id}` }),
    },
    "aws:iam/role:Role": {
        id: autoName,
        outputs: (ctx, id) => ({
            name: id,
            arn: `arn:aws:iam::${ACCOUNT_ID}:role/${id}`,
            uniqueId: `AROA${hex(ctx, 17).toUpperCase()}`,
        }),
    },
    "aws:iam/rolePolicy:RolePolicy": {
        id: (ctx) => `${ctx.name}:${autoName(ctx)}`,
        outputs: (ctx) => ({ name: autoName(ctx) }),
    },
};

/** True when the engine knows what AWS returns for this type (tests keep every type the program uses covered). */
export function hasFake(type: string): boolean {
    return type in FAKES;
}

/** The id and after-create outputs of a resource; an unlisted type gets a name-based id and no extra outputs. */
export function fakeCreate(ctx: FakeContext): { id: string; outputs: Record<string, unknown> } {
    const fake = FAKES[ctx.type];
    if (!fake) {
        return { id: `${ctx.name}-${hex(ctx, 8)}`, outputs: {} };
    }
    const id = fake.id(ctx);
    return { id, outputs: fake.outputs(ctx, id) };
}

/** Names of the outputs a preview cannot know for this type. */
export function computedOutputKeys(ctx: FakeContext): string[] {
    return Object.keys(fakeCreate(ctx).outputs);
}
