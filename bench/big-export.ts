// A generated stack export of `count` resources in the shapes real exports have (components whose outputs hold
// resource references, secrets as ciphertext, tags, security groups with rules, servers with user data), about 2 KB
// each: 25,000 resources make the ~50 MB export the benchmark sends through policy:check.
import * as fs from "fs";
import { Deployment, SECRET_SIG, SIG_KEY, StateResource } from "../offline/state";

const REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const STACK = "urn:pulumi:scale::estate::pulumi:pulumi:Stack::estate-scale";
const PROVIDER = "urn:pulumi:scale::estate::pulumi:providers:aws::default_7_48_0";
const TAGS = { Environment: "production", Owner: "platform", CostCentre: "CC-4200", Stack: "scale" };

const hex = (i: number, width: number) => i.toString(16).padStart(width, "0");
const custom = (
    urn: string,
    type: string,
    id: string,
    parent: string,
    props: Record<string, unknown>,
    outputs: Record<string, unknown> = {},
): StateResource => ({
    urn,
    custom: true,
    id,
    type,
    parent,
    provider: `${PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
    inputs: props,
    outputs: { ...props, ...outputs, id },
    dependencies: [parent],
});

/** One service: a component, its security group, a rule, a server and a bucket (five resources). */
function service(i: number): StateResource[] {
    const name = `svc-${i}`;
    const component = `urn:pulumi:scale::estate::estate:app:Service::${name}`;
    const child = (type: string, suffix: string) =>
        `urn:pulumi:scale::estate::estate:app:Service$${type}::${name}-${suffix}`;
    const sgId = `sg-0${hex(i, 16)}`;
    const group = custom(
        child("aws:ec2/securityGroup:SecurityGroup", "sg"),
        "aws:ec2/securityGroup:SecurityGroup",
        sgId,
        component,
        {
            description: `Service ${name}`,
            vpcId: "vpc-0a1b2c3d4e5f60718",
            tags: { ...TAGS, Name: `${name}-sg` },
            ingress: [
                {
                    protocol: "tcp",
                    fromPort: 8080,
                    toPort: 8080,
                    cidrBlocks: ["10.20.0.0/16"],
                    description: "from the VPC",
                },
            ],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        },
        { arn: `arn:aws:ec2:eu-west-3:123456789012:security-group/${sgId}`, ownerId: "123456789012" },
    );
    const rule = custom(
        child("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https"),
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        `sgr-0${hex(i, 16)}`,
        component,
        {
            securityGroupId: sgId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "10.20.0.0/16",
            tags: TAGS,
        },
    );
    const instanceId = `i-0${hex(i, 16)}`;
    const server = custom(
        child("aws:ec2/instance:Instance", "vm"),
        "aws:ec2/instance:Instance",
        instanceId,
        component,
        {
            ami: "ami-0a1b2c3d4e5f60789",
            instanceType: "m6i.large",
            subnetId: `subnet-0${hex(i % 6, 16)}`,
            vpcSecurityGroupIds: [sgId],
            associatePublicIpAddress: false,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
            rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 30 },
            tags: { ...TAGS, Name: `${name}-vm` },
            userData:
                `#cloud-config\nwrite_files:\n  - path: /etc/service/${name}.env\n    content: |\n${"      SETTING_" + "X".repeat(40) + "=value\n".repeat(1)}`.repeat(
                    4,
                ),
        },
        { arn: `arn:aws:ec2:eu-west-3:123456789012:instance/${instanceId}`, privateIp: `10.20.${i % 250}.${i % 200}` },
    );
    server.propertyDependencies = { vpcSecurityGroupIds: [group.urn] };
    rule.propertyDependencies = { securityGroupId: [group.urn] };
    const bucketName = `${name}-data-${hex(i, 7)}`;
    const bucket = custom(
        child("aws:s3/bucket:Bucket", "data"),
        "aws:s3/bucket:Bucket",
        bucketName,
        component,
        { bucket: bucketName, tags: TAGS, forceDestroy: false },
        { arn: `arn:aws:s3:::${bucketName}`, bucketDomainName: `${bucketName}.s3.amazonaws.com` },
    );
    return [
        {
            urn: component,
            custom: false,
            type: "estate:app:Service",
            parent: STACK,
            dependencies: [],
            outputs: {
                securityGroup: { [SIG_KEY]: REF_SIG, urn: group.urn, id: sgId, packageVersion: "7.48.0" },
                server: { [SIG_KEY]: REF_SIG, urn: server.urn, id: instanceId, packageVersion: "7.48.0" },
                apiKey: { [SIG_KEY]: SECRET_SIG, ciphertext: `v1:${Buffer.from(`key-${i}`).toString("base64")}` },
            },
        },
        group,
        rule,
        server,
        bucket,
    ];
}

/** Writes the export of about `count` resources to `file`; returns its size in bytes. */
export function writeBigExport(file: string, count: number): number {
    const resources: StateResource[] = [
        { urn: STACK, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        {
            urn: PROVIDER,
            custom: true,
            id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            type: "pulumi:providers:aws",
            inputs: { region: "eu-west-3" },
            outputs: { region: "eu-west-3" },
        },
    ];
    for (let i = 0; resources.length < count; i++) {
        resources.push(...service(i));
    }
    const doc: Deployment = {
        version: 3,
        deployment: {
            manifest: { time: new Date(0).toISOString(), magic: "", version: "v3.270.0" },
            resources: resources.slice(0, count),
        },
    };
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    return fs.statSync(file).size;
}
