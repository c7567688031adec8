// The forces-replacement table's regenerator: `npm run forces-new -- --aws DIR[@COMMIT[@VERSION]] --random DIR[...]`
// reads each resource type the program creates from provider checkouts (scripts/forces-new-go.ts), names its paths
// as the pinned Pulumi SDK does, and writes offline/plan/forces-new.data.json. How and from what: docs/replacements.md.
import * as fs from "fs";
import * as path from "path";
import {
    Attribute,
    customizeDiffForceNew,
    frameworkAttributes,
    funcBody,
    literalAfter,
    Names,
    SDK_MAP,
    sdkAttributes,
} from "./forces-new-go";

/** Pulumi type token -> Terraform resource name, as pulumi-aws and pulumi-random map them (their resources.go). */
export const TERRAFORM_NAMES: Readonly<Record<string, string>> = {
    "aws:acm/certificate:Certificate": "aws_acm_certificate",
    "aws:acm/certificateValidation:CertificateValidation": "aws_acm_certificate_validation",
    "aws:autoscaling/group:Group": "aws_autoscaling_group",
    "aws:autoscaling/lifecycleHook:LifecycleHook": "aws_autoscaling_lifecycle_hook",
    "aws:autoscaling/policy:Policy": "aws_autoscaling_policy",
    "aws:autoscaling/schedule:Schedule": "aws_autoscaling_schedule",
    "aws:backup/plan:Plan": "aws_backup_plan",
    "aws:backup/selection:Selection": "aws_backup_selection",
    "aws:backup/vault:Vault": "aws_backup_vault",
    "aws:backup/vaultPolicy:VaultPolicy": "aws_backup_vault_policy",
    "aws:cloudfront/distribution:Distribution": "aws_cloudfront_distribution",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": "aws_cloudfront_response_headers_policy",
    "aws:cloudwatch/dashboard:Dashboard": "aws_cloudwatch_dashboard",
    "aws:cloudwatch/logDelivery:LogDelivery": "aws_cloudwatch_log_delivery",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": "aws_cloudwatch_log_delivery_destination",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": "aws_cloudwatch_log_delivery_source",
    "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": "aws_cloudwatch_log_metric_filter",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "aws_cloudwatch_log_resource_policy",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "aws_cloudwatch_metric_alarm",
    "aws:ebs/volume:Volume": "aws_ebs_volume",
    "aws:ec2/customerGateway:CustomerGateway": "aws_customer_gateway",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "aws_default_security_group",
    "aws:ec2/eip:Eip": "aws_eip",
    "aws:ec2/eipAssociation:EipAssociation": "aws_eip_association",
    "aws:ec2/flowLog:FlowLog": "aws_flow_log",
    "aws:ec2/instance:Instance": "aws_instance",
    "aws:ec2/internetGateway:InternetGateway": "aws_internet_gateway",
    "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
    "aws:ec2/natGateway:NatGateway": "aws_nat_gateway",
    "aws:ec2/routeTable:RouteTable": "aws_route_table",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "aws_route_table_association",
    "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
    "aws:ec2/subnet:Subnet": "aws_subnet",
    "aws:ec2/volumeAttachment:VolumeAttachment": "aws_volume_attachment",
    "aws:ec2/vpc:Vpc": "aws_vpc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "aws_vpc_endpoint",
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": "aws_vpc_endpoint_policy",
    "aws:ec2/vpnConnection:VpnConnection": "aws_vpn_connection",
    "aws:ec2/vpnConnectionRoute:VpnConnectionRoute": "aws_vpn_connection_route",
    "aws:ec2/vpnGateway:VpnGateway": "aws_vpn_gateway",
    "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": "aws_vpn_gateway_route_propagation",
    "aws:efs/accessPoint:AccessPoint": "aws_efs_access_point",
    "aws:efs/backupPolicy:BackupPolicy": "aws_efs_backup_policy",
    "aws:efs/fileSystem:FileSystem": "aws_efs_file_system",
    "aws:efs/fileSystemPolicy:FileSystemPolicy": "aws_efs_file_system_policy",
    "aws:efs/mountTarget:MountTarget": "aws_efs_mount_target",
    "aws:elasticache/parameterGroup:ParameterGroup": "aws_elasticache_parameter_group",
    "aws:elasticache/replicationGroup:ReplicationGroup": "aws_elasticache_replication_group",
    "aws:elasticache/subnetGroup:SubnetGroup": "aws_elasticache_subnet_group",
    "aws:iam/instanceProfile:InstanceProfile": "aws_iam_instance_profile",
    "aws:iam/role:Role": "aws_iam_role",
    "aws:iam/rolePolicy:RolePolicy": "aws_iam_role_policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "aws_iam_role_policy_attachment",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": "aws_iam_service_linked_role",
    "aws:imagebuilder/component:Component": "aws_imagebuilder_component",
    "aws:imagebuilder/distributionConfiguration:DistributionConfiguration":
        "aws_imagebuilder_distribution_configuration",
    "aws:imagebuilder/imagePipeline:ImagePipeline": "aws_imagebuilder_image_pipeline",
    "aws:imagebuilder/imageRecipe:ImageRecipe": "aws_imagebuilder_image_recipe",
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration":
        "aws_imagebuilder_infrastructure_configuration",
    "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy": "aws_imagebuilder_lifecycle_policy",
    "aws:kms/alias:Alias": "aws_kms_alias",
    "aws:kms/key:Key": "aws_kms_key",
    "aws:lb/listener:Listener": "aws_lb_listener",
    "aws:lb/listenerCertificate:ListenerCertificate": "aws_lb_listener_certificate",
    "aws:lb/listenerRule:ListenerRule": "aws_lb_listener_rule",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:lb/targetGroup:TargetGroup": "aws_lb_target_group",
    "aws:opensearch/domain:Domain": "aws_opensearch_domain",
    "aws:rds/instance:Instance": "aws_db_instance",
    "aws:rds/optionGroup:OptionGroup": "aws_db_option_group",
    "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
    "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
    "aws:route53/record:Record": "aws_route53_record",
    "aws:route53/zone:Zone": "aws_route53_zone",
    "aws:s3/bucket:Bucket": "aws_s3_bucket",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "aws_s3_bucket_lifecycle_configuration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "aws_s3_bucket_ownership_controls",
    "aws:s3/bucketPolicy:BucketPolicy": "aws_s3_bucket_policy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "aws_s3_bucket_public_access_block",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        "aws_s3_bucket_server_side_encryption_configuration",
    "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
    "aws:secretsmanager/secret:Secret": "aws_secretsmanager_secret",
    "aws:secretsmanager/secretVersion:SecretVersion": "aws_secretsmanager_secret_version",
    "aws:sfn/stateMachine:StateMachine": "aws_sfn_state_machine",
    "aws:sns/topic:Topic": "aws_sns_topic",
    "aws:sns/topicPolicy:TopicPolicy": "aws_sns_topic_policy",
    "aws:sns/topicSubscription:TopicSubscription": "aws_sns_topic_subscription",
    "aws:ssm/document:Document": "aws_ssm_document",
    "aws:ssm/parameter:Parameter": "aws_ssm_parameter",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "aws_vpc_security_group_egress_rule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "aws_vpc_security_group_ingress_rule",
    "aws:wafv2/ipSet:IpSet": "aws_wafv2_ip_set",
    "aws:wafv2/webAcl:WebAcl": "aws_wafv2_web_acl",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "aws_wafv2_web_acl_association",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "aws_wafv2_web_acl_logging_configuration",
    "random:index/randomPassword:RandomPassword": "random_password",
};

/** The resource types the program creates (`new aws.x.Y(` / `new random.Y(` in components/ and infra/), as tokens. */
export function programTypes(root: string): string[] {
    const sources = ["components", "infra"].flatMap((dir) => goFiles(path.join(root, dir), ".ts"));
    const found = new Set<string>();
    for (const file of sources) {
        for (const m of fs.readFileSync(file, "utf8").matchAll(/new (aws|random)\.(?:(\w+)\.)?([A-Z]\w*)\(/g)) {
            found.add(m[3] === "Provider" ? `pulumi:providers:${m[1]}` : sdkToken(root, m[1], m[2], m[3]));
        }
        for (const m of fs.readFileSync(file, "utf8").matchAll(/super\("(magento:[^"]+)"/g)) {
            found.add(m[1]);
        }
    }
    return ["pulumi:pulumi:Stack", "pulumi:providers:aws", "pulumi:providers:random", ...found]
        .filter((t, i, all) => all.indexOf(t) === i)
        .sort();
}

function sdkToken(root: string, pkg: string, mod: string | undefined, cls: string): string {
    const file = path.join(root, "node_modules/@pulumi", pkg, mod ?? "", `${cls[0].toLowerCase()}${cls.slice(1)}.js`);
    const token = /__pulumiType = '([^']+)'/.exec(fs.readFileSync(file, "utf8"))?.[1];
    if (!token) {
        throw new Error(`no type token in ${file}`);
    }
    return token;
}

function goFiles(dir: string, ext = ".go"): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? goFiles(p, ext) : p.endsWith(ext) && !p.endsWith(`_test${ext}`) ? [p] : [];
    });
}

/** A provider checkout: the resource files by Terraform name (their `@SDKResource`/`@FrameworkResource` annotation). */
class Checkout {
    private readonly files = new Map<string, string>();
    private readonly consts = new Map<string, string>();

    constructor(readonly dir: string) {
        for (const file of goFiles(path.join(dir, "internal"))) {
            const text = fs.readFileSync(file, "utf8");
            for (const m of text.matchAll(/@(?:SDK|Framework)Resource\("(\w+)"/g)) {
                this.files.set(m[1], file);
            }
        }
        const names = path.join(dir, "names/attr_consts_gen.go");
        if (fs.existsSync(names)) {
            for (const m of fs.readFileSync(names, "utf8").matchAll(/(Attr\w+)\s*=\s*"(\w+)"/g)) {
                this.consts.set(`names.${m[1]}`, m[2]);
            }
        }
    }

    /** The attributes of a Terraform resource, or undefined when the checkout has no such resource. */
    attributes(tfName: string): { file: string; attributes: Attribute[] } | undefined {
        const file = this.files.get(tfName) ?? this.randomFile(tfName);
        if (!file) {
            return undefined;
        }
        const pkg = goFiles(path.dirname(file))
            .filter((f) => path.dirname(f) === path.dirname(file))
            .map((f) => fs.readFileSync(f, "utf8"))
            .join("\n");
        const local = new Map([...pkg.matchAll(/\b(\w+)\s*=\s*"([a-z0-9_]+)"/g)].map((m) => [m[1], m[2]]));
        const names: Names = (key) => this.consts.get(key) ?? local.get(key);
        const text = fs.readFileSync(file, "utf8");
        const parsed = /@FrameworkResource|resource\.SchemaResponse/.test(text)
            ? framework(text, pkg, names)
            : sdk(text, pkg, names);
        return { file: path.relative(this.dir, file), attributes: parsed };
    }

    /** terraform-provider-random registers no annotations: its files are named resource_<name>.go. */
    private randomFile(tfName: string): string | undefined {
        const file = path.join(this.dir, "internal/provider", `resource_${tfName.replace(/^random_/, "")}.go`);
        return fs.existsSync(file) ? file : undefined;
    }
}

function sdk(text: string, pkg: string, names: Names): Attribute[] {
    const resolve = (fn: string) => {
        const body = funcBody(pkg, fn);
        return body && (literalAfter(body, /&schema\.Resource\s*\{/) ?? literalAfter(body, SDK_MAP));
    };
    const map = literalAfter(
        text,
        /Schema(?:Func)?:\s*(?:func\(\)\s*map\[string\]\*schema\.Schema\s*\{\s*return\s*)?map\[string\]\*schema\.Schema\s*\{/,
    );
    const attributes = map ? sdkAttributes(map, names, resolve) : [];
    const conditions = customizeDiffForceNew(text, names);
    return attributes.map((a) =>
        a.replaces || !conditions.has(a.path) ? a : { ...a, replaces: conditions.get(a.path) },
    );
}

function framework(text: string, pkg: string, names: Names): Attribute[] {
    const method = /\nfunc\s+\((\w+\s+\*?\w+)\)\s+Schema\(/.exec(text);
    const body = method ? funcBody(text, `(${method[1]}) Schema`) : undefined;
    const called = body && /resp\.Schema\s*=\s*(\w+)\(/.exec(body)?.[1];
    const schema = literalAfter((called ? funcBody(pkg, called) : body) ?? "", /schema\.Schema\s*\{/);
    return schema ? frameworkAttributes(schema, names) : [];
}

/** Pulumi's name for a Terraform path: camelCase, lists plural, the candidate the pinned SDK declares at that place. */
export function pulumiPath(root: string, token: string, attributes: readonly Attribute[], tfPath: string): string {
    const segments = tfPath.split(".");
    const names: string[] = [];
    segments.forEach((segment, i) => {
        const list = attributes.find((a) => a.path === segments.slice(0, i + 1).join("."))?.list ?? false;
        const camel = segment.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
        const plurals = [`${camel}s`, `${camel}es`, camel.replace(/y$/, "ies")];
        const candidates = list ? [...plurals, camel] : [camel, ...plurals];
        names.push(candidates.find((c) => sdkDeclares(root, token, [...names, c].join("."))) ?? camel);
    });
    return names.join(".");
}

const declarations = new Map<string, string>();

function declarationFile(file: string): string {
    if (!declarations.has(file)) {
        declarations.set(file, fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
    }
    return declarations.get(file)!;
}

/** The members of `interface name {` in a declaration text (after `from`): member name -> its type text. */
function members(text: string, name: string, from = 0): Map<string, string> | undefined {
    const at = text.slice(from).search(new RegExp(`\\n(\\s*)(export )?interface ${name} \\{`));
    if (at < 0) {
        return undefined;
    }
    const head = /\n(\s*)(?:export )?interface \w+ \{/.exec(text.slice(from + at))!;
    const indent = head[1];
    const body = text.slice(from + at + head[0].length, text.indexOf(`\n${indent}}`, from + at + head[0].length));
    return new Map([...body.matchAll(new RegExp(`^${indent}    (\\w+)\\??: (.*)$`, "gm"))].map((m) => [m[1], m[2]]));
}

/** True when the SDK the program pins declares `path` (Pulumi names, dots) as an input of the type. */
export function sdkDeclares(root: string, token: string, property: string): boolean {
    const [pkg, mod, cls] = token.split(":");
    const [dir, file] = mod.split("/");
    const base = path.join(root, "node_modules/@pulumi", pkg);
    let scope = members(declarationFile(path.join(base, dir === "index" ? "" : dir, `${file}.d.ts`)), `${cls}Args`);
    const inputs = declarationFile(path.join(base, "types/input.d.ts"));
    const segments = property.split(".");
    for (const [i, segment] of segments.entries()) {
        const type = scope?.get(segment);
        if (type === undefined) {
            return false;
        }
        const nested = /inputs\.(\w+)\.(\w+)/.exec(type);
        if (i < segments.length - 1) {
            const namespace = nested ? inputs.indexOf(`namespace ${nested[1]} {`) : -1;
            scope = nested && namespace >= 0 ? members(inputs, nested[2], namespace) : undefined;
        }
    }
    return true;
}

export interface ProviderSource {
    readonly repository: string;
    readonly commit: string;
    readonly version: string;
}

export interface ForcesNewJson {
    source: string;
    providerVersion: string;
    sources: Record<string, ProviderSource>;
    types: Record<string, string[]>;
    conditional: Record<string, Record<string, string>>;
    origin: Record<string, string>;
    notCovered: Record<string, string>;
}

/** Why a type has no Terraform resource behind it: the plan says "not known" for it. */
function pulumiOnlyReason(token: string): string {
    return token.startsWith("magento:")
        ? "component resource: its children carry the replacements"
        : token.startsWith("pulumi:providers:")
          ? "provider resource: a changed provider input replaces it only when the provider says so at run time"
          : token === "pulumi:pulumi:Stack"
            ? "the stack itself"
            : "no Terraform resource behind it";
}

function main(argv: readonly string[]): void {
    const root = path.resolve(__dirname, "..");
    const out = path.join(root, "offline/plan/forces-new.data.json");
    const previous = JSON.parse(fs.readFileSync(out, "utf8")) as ForcesNewJson;
    const checkouts: Record<string, { checkout: Checkout; source: ProviderSource }> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const provider = argv[i].replace(/^--/, "");
        const [dir, commit, version] = (argv[i + 1] ?? "").split("@");
        if (!["aws", "random"].includes(provider) || !dir || !fs.existsSync(dir)) {
            throw new Error(
                `usage: forces-new --aws DIR[@COMMIT[@VERSION]] --random DIR[@COMMIT[@VERSION]] (got ${argv[i]} ${argv[i + 1]})`,
            );
        }
        const repository =
            provider === "aws" ? "hashicorp/terraform-provider-aws" : "hashicorp/terraform-provider-random";
        checkouts[provider] = {
            checkout: new Checkout(dir),
            source: { repository, commit: commit ?? "unknown", version: version ?? "unknown" },
        };
    }
    const next: ForcesNewJson = {
        ...previous,
        sources: { ...previous.sources },
        types: {},
        conditional: {},
        origin: {},
        notCovered: {},
    };
    for (const token of programTypes(root)) {
        const provider = token.split(":")[0];
        const tfName = TERRAFORM_NAMES[token];
        const read = tfName && checkouts[provider]?.checkout.attributes(tfName);
        if (read) {
            const replacing = read.attributes.filter((a) => a.replaces);
            next.types[token] = replacing
                .filter((a) => a.replaces === "always")
                .map((a) => pulumiPath(root, token, read.attributes, a.path))
                .sort();
            const conditional = replacing.filter((a) => a.replaces !== "always");
            if (conditional.length) {
                next.conditional[token] = Object.fromEntries(
                    conditional.map((a) => [pulumiPath(root, token, read.attributes, a.path), a.replaces!]),
                );
            }
            next.origin[token] = `parsed ${tfName} from ${read.file} at ${checkouts[provider].source.commit}`;
            next.sources[provider] = checkouts[provider].source;
        } else if (previous.types[token] && previous.origin?.[token]?.startsWith("hand")) {
            next.types[token] = previous.types[token];
            next.origin[token] = previous.origin[token];
            if (previous.conditional?.[token]) {
                next.conditional[token] = previous.conditional[token];
            }
        } else {
            next.notCovered[token] = tfName
                ? `${tfName} not read (no checkout given, or not found in it)`
                : pulumiOnlyReason(token);
        }
    }
    if (checkouts.aws) {
        next.providerVersion = Object.values(next.sources)
            .map((s) => `${s.repository} ${s.version}`)
            .join("; ");
    }
    next.source =
        `scripts/forces-new.ts over ${Object.values(next.sources)
            .map((s) => `${s.repository}@${s.commit}`)
            .join(", ")}` + "; entries marked hand in origin were read by hand at the file and commit they name";
    fs.writeFileSync(out, `${JSON.stringify(next, null, 2)}\n`);
    console.log(
        `${Object.keys(next.types).length} types, ${Object.keys(next.notCovered).length} not covered -> ${path.relative(root, out)}`,
    );
}

if (require.main === module) {
    main(process.argv.slice(2));
}
