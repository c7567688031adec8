// The forces-replacement table the offline plan reads: known cases checked against the provider sources they were
// read from (file and commit in the table's origin, docs/replacements.md), every type the program creates either
// covered or listed as not known, every path one the pinned SDK declares, and the regenerator's Go reading.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    conditionalReplacement,
    forcesReplacement,
    knowsType,
    REPLACEMENTS,
    replacementPaths,
} from "../../offline/plan/forces-new";
import {
    AUTOSCALING_GROUP,
    EC2_CUSTOMER_GATEWAY,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_SECURITY_GROUP,
    EC2_SUBNET,
    EC2_VPN_CONNECTION,
    EFS_FILE_SYSTEM,
    ELASTICACHE_REPLICATION_GROUP,
    LB_LISTENER,
    LB_TARGET_GROUP,
    OPENSEARCH_DOMAIN,
    RANDOM_PASSWORD,
    RDS_INSTANCE,
    ROUTE53_ZONE,
    S3_BUCKET,
    VPC_SECURITY_GROUP_INGRESS_RULE,
} from "../../policies/lib/types";
import { programTypes, sdkDeclares } from "../../scripts/forces-new";
import { customizeDiffForceNew, frameworkAttributes, sdkAttributes } from "../../scripts/forces-new-go";
import { prefetch, ROOT, stackResources } from "../helpers/stacks";

prefetch(["prod"], ["preprod"]);

describe("the forces-replacement table (offline/plan/forces-new.data.json)", () => {
    it("names its sources: the repositories and commits it was read from, and the provider versions aimed at", () => {
        assert.match(
            REPLACEMENTS.source,
            /scripts\/forces-new\.ts over hashicorp\/terraform-provider-random@[0-9a-f]{40}/,
        );
        assert.match(REPLACEMENTS.providerVersion, /terraform-provider-aws/);
        assert.match(REPLACEMENTS.providerVersion, /terraform-provider-random v3\.9\.0/);
        for (const type of Object.keys(REPLACEMENTS.types)) {
            assert.match(REPLACEMENTS.origin[type] ?? "", /^(parsed|hand) .* at [0-9a-f]{40}/, `${type} has no origin`);
        }
    });

    // internal/service/ec2/vpc_subnet.go: cidr_block, availability_zone ForceNew; ipv6_cidr_block via customdiff.ForceNewIf.
    it("a subnet's CIDR block or AZ replaces it; its IPv6 block only when the provider decides so at plan time", () => {
        assert.ok(forcesReplacement(EC2_SUBNET, ["cidrBlock"]));
        assert.ok(forcesReplacement(EC2_SUBNET, ["availabilityZone"]));
        assert.ok(!forcesReplacement(EC2_SUBNET, ["mapPublicIpOnLaunch"]));
        assert.ok(!forcesReplacement(EC2_SUBNET, ["ipv6CidrBlock"]));
        assert.match(conditionalReplacement(EC2_SUBNET, ["ipv6CidrBlock"]) ?? "", /assignIpv6AddressOnCreation/);
    });

    // internal/service/rds/instance.go: identifier, kms_key_id ForceNew; instance_class, engine_version modified in place.
    it("the database is replaced by a new identifier or KMS key, not by a new class or engine version", () => {
        assert.ok(forcesReplacement(RDS_INSTANCE, ["identifier"]));
        assert.ok(forcesReplacement(RDS_INSTANCE, ["kmsKeyId"]));
        assert.ok(!forcesReplacement(RDS_INSTANCE, ["instanceClass"]));
        assert.ok(!forcesReplacement(RDS_INSTANCE, ["engineVersion"]));
    });

    // internal/service/elasticache/replication_group.go: replication_group_id ForceNew; node_type is not.
    it("a Redis group is replaced by a new id, not by a new node type", () => {
        assert.ok(forcesReplacement(ELASTICACHE_REPLICATION_GROUP, ["replicationGroupId"]));
        assert.ok(!forcesReplacement(ELASTICACHE_REPLICATION_GROUP, ["nodeType"]));
        // At-rest encryption replaces the group; transit encryption only below engine 7.0.5 (the review of this table).
        assert.ok(
            forcesReplacement(ELASTICACHE_REPLICATION_GROUP, ["atRestEncryptionEnabled"]) &&
                !forcesReplacement(ELASTICACHE_REPLICATION_GROUP, ["transitEncryptionEnabled"]),
        );
        assert.match(
            conditionalReplacement(ELASTICACHE_REPLICATION_GROUP, ["transitEncryptionEnabled"]) ?? "",
            /7\.0\.5/,
        );
    });

    // internal/service/ec2/ec2_instance.go: ami ForceNew; instance_type changed by stop, modify, start.
    it("a server is replaced by a new image, not by a new instance type", () => {
        assert.ok(forcesReplacement(EC2_INSTANCE, ["ami"]));
        assert.ok(!forcesReplacement(EC2_INSTANCE, ["instanceType"]));
    });

    it("the search domain is replaced by a new name; the shared file system by its encryption or key", () => {
        assert.ok(forcesReplacement(OPENSEARCH_DOMAIN, ["domainName"]));
        assert.ok(forcesReplacement(EFS_FILE_SYSTEM, ["kmsKeyId"]));
        assert.ok(forcesReplacement(EFS_FILE_SYSTEM, ["encrypted"]));
        assert.ok(!forcesReplacement(EFS_FILE_SYSTEM, ["throughputMode"]));
    });

    // ec2_instance.go: ebs_block_device's Elem fields are ForceNew; root_block_device's volume_size and volume_type are not.
    it("nested blocks: a data volume's size replaces the server, the root volume's size or type does not", () => {
        assert.ok(forcesReplacement(EC2_INSTANCE, ["ebsBlockDevices", 0, "volumeSize"]));
        assert.ok(forcesReplacement(EC2_INSTANCE, ["rootBlockDevice", "kmsKeyId"]));
        assert.ok(!forcesReplacement(EC2_INSTANCE, ["rootBlockDevice", "volumeSize"]));
        assert.ok(!forcesReplacement(EC2_INSTANCE, ["rootBlockDevice", "volumeType"]));
        assert.match(conditionalReplacement(EC2_INSTANCE, ["userData"]) ?? "", /userDataReplaceOnChange/);
    });

    // Plugin Framework: random_password's RequiresReplace() modifiers (parsed from terraform-provider-random v3.9.0),
    // aws_vpc_security_group_ingress_rule's security_group_id RequiresReplace and its ModifyPlan on the source type.
    it("Plugin Framework resources: a password's length replaces it, its keepers only when values are set", () => {
        const password = RANDOM_PASSWORD;
        assert.ok(forcesReplacement(password, ["length"]));
        assert.ok(!forcesReplacement(password, ["keepers", "rotation"]));
        assert.equal(conditionalReplacement(password, ["keepers", "rotation"]), "ifValuesNotNull");
        const rule = VPC_SECURITY_GROUP_INGRESS_RULE;
        assert.ok(forcesReplacement(rule, ["securityGroupId"]));
        assert.ok(!forcesReplacement(rule, ["fromPort"]));
        assert.match(conditionalReplacement(rule, ["cidrIpv4"]) ?? "", /source type/);
    });

    // The Terraform provider's own files, read at the commits in origin (docs/replacements.md).
    it("a new web AMI or instance type is a new launch template version, not a new template; a new name replaces it", () => {
        const template = EC2_LAUNCH_TEMPLATE;
        assert.ok(!forcesReplacement(template, ["imageId"]));
        assert.ok(!forcesReplacement(template, ["instanceType"]));
        assert.ok(!forcesReplacement(template, ["userData"]));
        assert.ok(forcesReplacement(template, ["name"]));
        const group = AUTOSCALING_GROUP;
        assert.ok(!forcesReplacement(group, ["launchTemplate", "version"]));
        assert.ok(!forcesReplacement(group, ["vpcZoneIdentifiers"]));
        assert.ok(forcesReplacement(group, ["name"]));
    });

    // elbv2/target_group.go: port, protocol, vpc_id ForceNew; the health check changes in place.
    it("a target group is replaced by a new port, protocol or VPC, not by its health check; a listener only by its load balancer", () => {
        const targets = LB_TARGET_GROUP;
        for (const input of ["port", "protocol", "vpcId", "name"]) {
            assert.ok(forcesReplacement(targets, [input]), input);
        }
        assert.ok(!forcesReplacement(targets, ["healthCheck", "path"]));
        assert.ok(!forcesReplacement(targets, ["deregistrationDelay"]));
        assert.ok(forcesReplacement(LB_LISTENER, ["loadBalancerArn"]));
        assert.ok(!forcesReplacement(LB_LISTENER, ["certificateArn"]));
    });

    // s3/bucket.go, route53/zone.go, vpc_security_group.go, vpnsite_customer_gateway.go.
    it("a bucket's or zone's name, a security group's description and a customer gateway's address replace them", () => {
        assert.ok(forcesReplacement(S3_BUCKET, ["bucket"]));
        assert.ok(forcesReplacement(ROUTE53_ZONE, ["name"]));
        assert.ok(!forcesReplacement(ROUTE53_ZONE, ["vpcs", 0, "vpcId"]));
        assert.ok(forcesReplacement(EC2_SECURITY_GROUP, ["description"]));
        assert.ok(forcesReplacement(EC2_CUSTOMER_GATEWAY, ["ipAddress"]));
        assert.ok(!forcesReplacement(EC2_VPN_CONNECTION, ["customerGatewayId"]));
        assert.ok(forcesReplacement(EC2_VPN_CONNECTION, ["staticRoutesOnly"]));
    });

    it("says 'not known' for a type it does not cover, rather than 'in place'", () => {
        const uncovered = "magento:web:LoadBalancer";
        assert.equal(replacementPaths(uncovered), undefined);
        assert.ok(!knowsType(uncovered));
        assert.ok(uncovered in REPLACEMENTS.notCovered);
        assert.ok(knowsType(EC2_SUBNET));
    });

    it("every path is a property the pinned SDK declares, nested blocks under Pulumi's (plural) names", () => {
        const undeclared = Object.entries(REPLACEMENTS.types).flatMap(([type, paths]) =>
            [...paths, ...Object.keys(REPLACEMENTS.conditional[type] ?? {})]
                .filter((p) => !sdkDeclares(ROOT, type, p))
                .map((p) => `${type} ${p}`),
        );
        assert.deepEqual(undeclared, []);
    });

    it("every type the program can create, in any variant of its configuration, is covered or listed as not known", () => {
        const listed = new Set([...Object.keys(REPLACEMENTS.types), ...Object.keys(REPLACEMENTS.notCovered)]);
        assert.deepEqual(
            programTypes(ROOT).filter((t) => !listed.has(t)),
            [],
        );
    });

    // Each file named in origin was read for its type; a type added to the program without one shows up here.
    it("covers every AWS type the program creates: only component, provider and stack types are not known", () => {
        assert.deepEqual(
            Object.keys(REPLACEMENTS.notCovered).filter((t) => t.startsWith("aws:")),
            [],
        );
    });

    it("docs/replacements.md shows every covered type with the commit it was read at", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs/replacements.md"), "utf8");
        const missing = Object.keys(REPLACEMENTS.types).filter((type) => {
            const commit = /at ([0-9a-f]{12})/.exec(REPLACEMENTS.origin[type])![1];
            return !doc.includes(`| \`${type.split(":")[1]}\` |`) || !doc.includes(commit);
        });
        assert.deepEqual(missing, []);
    });

    for (const stack of ["prod", "preprod"]) {
        it(`every type in the ${stack} export is covered or listed as not known`, async () => {
            const listed = new Set([...Object.keys(REPLACEMENTS.types), ...Object.keys(REPLACEMENTS.notCovered)]);
            const types = [...new Set((await stackResources(stack)).map((r) => r.type))];
            assert.deepEqual(
                types.filter((t) => !listed.has(t)),
                [],
            );
        });
    }
});

// Go written for these tests (not provider code), in the shapes the provider's schemas take.
const SDK_SCHEMA = `{
    names.AttrName: {
        Type:     schema.TypeString,
        Required: true,
        ForceNew: true,
    },
    "size": {
        Type:     schema.TypeInt,
        Optional: true, // ForceNew: true in a comment does not count
    },
    "disk": {
        Type:     schema.TypeList,
        Optional: true,
        Elem: &schema.Resource{
            Schema: map[string]*schema.Schema{
                "kind": {
                    Type:     schema.TypeString,
                    ForceNew: true,
                },
                "label": {
                    Type: schema.TypeString,
                },
            },
        },
    },
}`;

const FRAMEWORK_SCHEMA = `{
    Attributes: map[string]schema.Attribute{
        "owner": schema.StringAttribute{
            Required: true,
            PlanModifiers: []planmodifier.String{
                stringplanmodifier.RequiresReplace(),
            },
        },
        "note": schema.StringAttribute{
            Optional: true,
            PlanModifiers: []planmodifier.String{
                stringplanmodifier.RequiresReplaceIfConfigured(),
            },
        },
        "label": schema.StringAttribute{
            Optional: true,
        },
    },
    Blocks: map[string]schema.Block{
        "slot": schema.ListNestedBlock{
            NestedObject: schema.NestedBlockObject{
                Attributes: map[string]schema.Attribute{
                    "zone": schema.StringAttribute{
                        PlanModifiers: []planmodifier.String{
                            stringplanmodifier.RequiresReplace(),
                        },
                    },
                },
            },
        },
    },
}`;

describe("the regenerator's reading of Go schemas (scripts/forces-new-go.ts)", () => {
    const names = (key: string) => (({ "names.AttrName": "name" }) as Record<string, string>)[key];
    const replacing = (attributes: { path: string; replaces?: string }[]) =>
        Object.fromEntries(attributes.filter((a) => a.replaces).map((a) => [a.path, a.replaces]));

    it("SDKv2: ForceNew at the attribute's own level, nested blocks as block.attr, comments ignored", () => {
        const attributes = sdkAttributes(SDK_SCHEMA, names, () => undefined);
        assert.deepEqual(replacing(attributes), { name: "always", "disk.kind": "always" });
        assert.ok(attributes.find((a) => a.path === "disk")!.list);
    });

    it("SDKv2 CustomizeDiff: d.ForceNew and customdiff.ForceNewIf, list indices dropped, with the deciding function", () => {
        const source = `
func resourceThingCustomizeDiff(_ context.Context, diff *schema.ResourceDiff, meta any) error {
    if diff.HasChange("tenancy") {
        diff.ForceNew("tenancy")
    }
    return diff.ForceNew("slot.0.zone")
}

func resourceThing() *schema.Resource {
    return &schema.Resource{CustomizeDiff: customdiff.ForceNewIf(names.AttrName, func() bool { return true })}
}`;
        assert.deepEqual(Object.fromEntries(customizeDiffForceNew(source, names)), {
            tenancy: "resourceThingCustomizeDiff",
            "slot.zone": "resourceThingCustomizeDiff",
            name: "ForceNewIf in resourceThing",
        });
    });

    it("Plugin Framework: RequiresReplace always, RequiresReplaceIf... as a condition, nested blocks included", () => {
        const attributes = frameworkAttributes(FRAMEWORK_SCHEMA, names);
        assert.deepEqual(replacing(attributes), { owner: "always", note: "ifConfigured", "slot.zone": "always" });
        assert.ok(attributes.find((a) => a.path === "slot")!.list);
    });
});
