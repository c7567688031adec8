// Reads a Terraform provider resource's schema from its Go source, as text: which attributes force a new resource.
// SDKv2 marks them `ForceNew: true` (nested blocks inside `Elem: &schema.Resource{...}`), CustomizeDiff functions call
// `d.ForceNew(attr)` or `customdiff.ForceNewIf...`; the Plugin Framework uses the `RequiresReplace()` plan modifiers
// (`RequiresReplaceIf...` when conditional). Not a Go parser: balanced braces, string literals and comments skipped.

import * as fs from "fs";
import * as path from "path";

export interface Attribute {
    /** Terraform path, nested block names and attribute joined by dots. */
    readonly path: string;
    /** Its value is a list or set of more than one element (the Pulumi name is then plural). */
    readonly list: boolean;
    /** Undefined: changing it updates in place; "always", or a word saying when it forces a new resource. */
    readonly replaces?: string;
}

/** The index just past the brace that closes the one at `open`. */
export function closing(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === "\"" || c === "`") {
            const end = c === "`" ? text.indexOf("`", i + 1) : stringEnd(text, i);
            i = end < 0 ? text.length : end;
        } else if (c === "/" && text[i + 1] === "/") {
            const end = text.indexOf("\n", i);
            i = end < 0 ? text.length : end;
        } else if (c === "{") {
            depth++;
        } else if (c === "}" && --depth === 0) {
            return i + 1;
        }
    }
    throw new Error(`unbalanced braces from offset ${open}`);
}

function stringEnd(text: string, start: number): number {
    for (let i = start + 1; i < text.length; i++) {
        if (text[i] === "\\") {
            i++;
        } else if (text[i] === "\"") {
            return i;
        }
    }
    return -1;
}

/** The text of a Go function's body (with braces), or undefined. `name` may be `(r *x) Schema`. */
export function funcBody(text: string, name: string): string | undefined {
    const at = new RegExp(`\\nfunc\\s+${name.replace(/[()*]/g, (c) => `\\${c}`).replace(/\s+/g, "\\s*")}\\s*\\(`).exec(text);
    if (!at) {
        return undefined;
    }
    const open = text.indexOf("{", bodyStart(text, at.index + at[0].length - 1));
    return text.slice(open, closing(text, open));
}

/** Skips a parameter list and the result type (which may itself hold braces, e.g. `map[string]*schema.Schema`). */
function bodyStart(text: string, paren: number): number {
    let depth = 0;
    for (let i = paren; i < text.length; i++) {
        if (text[i] === "(") {
            depth++;
        } else if (text[i] === ")" && --depth === 0) {
            const line = text.slice(i + 1, text.indexOf("\n", i));
            return i + 1 + line.lastIndexOf("{");
        }
    }
    return text.length;
}

/** The entries of a Go map literal `{ key: value, ... }`: the key expression and the value's text. */
export function mapEntries(literal: string): { key: string; value: string }[] {
    const entries: { key: string; value: string }[] = [];
    const key = /\s*(?:\/\/[^\n]*\n\s*)*("[^"]+"|[A-Za-z_][\w.]*)\s*:\s*/y;
    let i = 1;
    while (i < literal.length - 1) {
        key.lastIndex = i;
        const m = key.exec(literal);
        if (!m) {
            break;
        }
        const start = key.lastIndex;
        const end = valueEnd(literal, start);
        entries.push({ key: m[1], value: literal.slice(start, end) });
        i = end + 1;
    }
    return entries;
}

/** Where a value inside a literal ends: the comma at its own depth. */
function valueEnd(text: string, start: number): number {
    for (let i = start; i < text.length; i++) {
        const c = text[i];
        if (c === "{") {
            i = closing(text, i) - 1;
        } else if (c === "(" || c === "[") {
            i = matching(text, i) - 1;
        } else if (c === "\"" || c === "`") {
            i = c === "`" ? text.indexOf("`", i + 1) : stringEnd(text, i);
        } else if (c === "," || c === "}") {
            return i;
        }
    }
    return text.length;
}

function matching(text: string, open: number): number {
    const [o, c] = text[open] === "(" ? ["(", ")"] : ["[", "]"];
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === "\"") {
            i = stringEnd(text, i);
        } else if (text[i] === o) {
            depth++;
        } else if (text[i] === c && --depth === 0) {
            return i + 1;
        }
    }
    return text.length;
}

/** The brace literal that follows the first match of `marker` in `text`, or undefined. */
export function literalAfter(text: string, marker: RegExp): string | undefined {
    const m = marker.exec(text);
    if (!m) {
        return undefined;
    }
    const open = text.indexOf("{", m.index + m[0].length - 1);
    return text.slice(open, closing(text, open));
}

/** `text` without the brace literals that follow `marker` (nested schemas), so their flags are not the parent's. */
function withoutNested(text: string, marker: RegExp): string {
    let out = text;
    for (let m = marker.exec(out); m; m = marker.exec(out)) {
        const open = out.indexOf("{", m.index + m[0].length - 1);
        out = out.slice(0, m.index) + out.slice(closing(out, open));
    }
    return out;
}

/** `text` without line comments (a flag named in a comment is not set). */
function withoutComments(text: string): string {
    return text.replace(/\/\/[^\n]*/g, "");
}

export type Names = (key: string) => string | undefined;

/** A key expression as a name: a string literal, or a constant `names` resolves (names.AttrCIDRBlock). */
function keyName(key: string, names: Names): string | undefined {
    const name = key.startsWith("\"") ? key.slice(1, -1) : names(key);
    return name?.replace(/\.\d+(?=\.|$)/g, ""); // "launch_template.0.version": list elements unindexed
}

const SDK_MAP = /(?:map\[string\]\*schema\.Schema\s*)\{/;
const SDK_ELEM = /Elem:\s*&schema\.Resource\s*\{/;

/**
 * The attributes of an SDKv2 schema map literal, nested blocks included. `resolve` turns a function name into the
 * schema map literal it returns (for `Elem: fooSchema()` and shared maps), when it can.
 */
export function sdkAttributes(map: string, names: Names, resolve: (fn: string) => string | undefined, prefix = ""): Attribute[] {
    return mapEntries(map).flatMap(({ key, value }) => {
        const name = keyName(key, names);
        if (!name || !value.trimStart().startsWith("{")) {
            return [];
        }
        const path = prefix + name;
        const own = withoutComments(withoutNested(value, SDK_ELEM));
        const list = /Type:\s*schema\.Type(List|Set)/.test(own) && !/MaxItems:\s*1\s*,/.test(own);
        const attribute: Attribute = { path, list, replaces: /ForceNew:\s*true/.test(own) ? "always" : undefined };
        return [attribute, ...sdkNested(value, names, resolve, `${path}.`)];
    });
}

function sdkNested(value: string, names: Names, resolve: (fn: string) => string | undefined, prefix: string): Attribute[] {
    const elem = literalAfter(value, SDK_ELEM);
    const called = /Elem:\s*(\w+)\(\)/.exec(value)?.[1];
    const resource = elem ?? (called ? resolve(called) : undefined);
    const map = resource && (literalAfter(resource, /Schema:\s*map\[string\]\*schema\.Schema\s*\{/) ?? mapCall(resource, resolve));
    return map ? sdkAttributes(map, names, resolve, prefix) : [];
}

/** `Schema: fooSchema(),` inside a resource literal: the map that function returns. */
function mapCall(resource: string, resolve: (fn: string) => string | undefined): string | undefined {
    const fn = /Schema:\s*(\w+)\(\)/.exec(resource)?.[1];
    return fn ? resolve(fn) : undefined;
}

/** SDKv2 CustomizeDiff calls that force a new resource: attribute name -> the function that decides (the condition). */
export function customizeDiffForceNew(source: string, names: Names): Map<string, string> {
    const found = new Map<string, string>();
    const funcs = [...source.matchAll(/\nfunc\s+(?:\([^)]*\)\s*)?(\w+)\s*\(/g)];
    const enclosing = (at: number) => funcs.filter((f) => f.index! < at).pop()?.[1] ?? "customizeDiff";
    for (const m of source.matchAll(/\.ForceNew\(\s*("[^"]+"|[\w.]+)\s*\)/g)) {
        const name = keyName(m[1], names);
        if (name) {
            found.set(name, enclosing(m.index!));
        }
    }
    for (const m of source.matchAll(/customdiff\.(ForceNewIf\w*)\(\s*("[^"]+"|[\w.]+)/g)) {
        const name = keyName(m[2], names);
        if (name) {
            found.set(name, `${m[1]} in ${enclosing(m.index!)}`);
        }
    }
    return found;
}

const PF_NESTED = /(?:NestedObject:\s*schema\.Nested(?:Block|Attribute)Object\s*\{|Attributes:\s*map\[string\]schema\.Attribute\s*\{|Blocks:\s*map\[string\]schema\.Block\s*\{)/g;

/** The attributes and blocks of a Plugin Framework schema (or nested object) literal `{ Attributes: ..., Blocks: ... }`. */
export function frameworkAttributes(object: string, names: Names, prefix = ""): Attribute[] {
    return mapEntries(object).filter(({ key }) => key === "Attributes" || key === "Blocks").flatMap(({ value }) => {
        const map = literalAfter(value, /map\[string\]schema\.(?:Attribute|Block)\s*\{/);
        return map ? mapEntries(map).flatMap((entry) => frameworkEntry(entry.key, entry.value, names, prefix)) : [];
    });
}

function frameworkEntry(key: string, value: string, names: Names, prefix: string): Attribute[] {
    const name = keyName(key, names);
    if (!name || !/^\s*schema\.\w+\s*\{/.test(value)) {
        return [];
    }
    const path = prefix + name;
    const own = withoutComments(withoutNested(value, new RegExp(PF_NESTED.source, "g")));
    const conditional = /RequiresReplaceIf(\w*)\(\s*(?:\w+\.)?(\w*)/.exec(own);
    const replaces = /RequiresReplace\(\)/.test(own) ? "always" : conditional ? `if${conditional[1] || ` ${conditional[2]}`}` : undefined;
    const list = /schema\.(List|Set)(Nested)?(Attribute|Block)\b/.test(value) && !/listvalidator\.SizeAtMost\(1\)/.test(own);
    const nested = literalAfter(value, /NestedObject:\s*schema\.Nested(?:Block|Attribute)Object\s*\{/);
    return [{ path, list, replaces }, ...(nested ? frameworkAttributes(nested, names, `${path}.`) : [])];
}

// ---- The regenerator: npm run forces-new -- --aws DIR[@COMMIT[@VERSION]] --random DIR[@COMMIT[@VERSION]]

/** Pulumi type token -> Terraform resource name, as pulumi-aws and pulumi-random map them (their resources.go). */
export const TERRAFORM_NAMES: Readonly<Record<string, string>> = {
    "aws:acm/certificate:Certificate": "aws_acm_certificate",
    "aws:acm/certificateValidation:CertificateValidation": "aws_acm_certificate_validation",
    "aws:autoscaling/group:Group": "aws_autoscaling_group",
    "aws:autoscaling/policy:Policy": "aws_autoscaling_policy",
    "aws:autoscaling/schedule:Schedule": "aws_autoscaling_schedule",
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
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "aws_s3_bucket_server_side_encryption_configuration",
    "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
    "aws:secretsmanager/secret:Secret": "aws_secretsmanager_secret",
    "aws:secretsmanager/secretVersion:SecretVersion": "aws_secretsmanager_secret_version",
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
    return ["pulumi:pulumi:Stack", "pulumi:providers:aws", "pulumi:providers:random", ...found].filter((t, i, all) => all.indexOf(t) === i).sort();
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
        const pkg = goFiles(path.dirname(file)).filter((f) => path.dirname(f) === path.dirname(file)).map((f) => fs.readFileSync(f, "utf8")).join("\n");
        const local = new Map([...pkg.matchAll(/\b(\w+)\s*=\s*"([a-z0-9_]+)"/g)].map((m) => [m[1], m[2]]));
        const names: Names = (key) => this.consts.get(key) ?? local.get(key);
        const text = fs.readFileSync(file, "utf8");
        const parsed = /@FrameworkResource|resource\.SchemaResponse/.test(text) ? framework(text, pkg, names) : sdk(text, pkg, names);
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
    const map = literalAfter(text, /Schema(?:Func)?:\s*(?:func\(\)\s*map\[string\]\*schema\.Schema\s*\{\s*return\s*)?map\[string\]\*schema\.Schema\s*\{/);
    const attributes = map ? sdkAttributes(map, names, resolve) : [];
    const conditions = customizeDiffForceNew(text, names);
    return attributes.map((a) => (a.replaces || !conditions.has(a.path) ? a : { ...a, replaces: conditions.get(a.path) }));
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
function PULUMI_ONLY(token: string): string {
    return token.startsWith("magento:") ? "component resource: its children carry the replacements"
        : token.startsWith("pulumi:providers:") ? "provider resource: a changed provider input replaces it only when the provider says so at run time"
        : token === "pulumi:pulumi:Stack" ? "the stack itself" : "no Terraform resource behind it";
}

function main(argv: readonly string[]): void {
    const root = path.resolve(__dirname, "..");
    const out = path.join(root, "offline/plan/forces-new.data.json");
    const previous: ForcesNewJson = JSON.parse(fs.readFileSync(out, "utf8"));
    const checkouts: Record<string, { checkout: Checkout; source: ProviderSource }> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const provider = argv[i].replace(/^--/, "");
        const [dir, commit, version] = (argv[i + 1] ?? "").split("@");
        if (!["aws", "random"].includes(provider) || !dir || !fs.existsSync(dir)) {
            throw new Error(`usage: forces-new --aws DIR[@COMMIT[@VERSION]] --random DIR[@COMMIT[@VERSION]] (got ${argv[i]} ${argv[i + 1]})`);
        }
        const repository = provider === "aws" ? "hashicorp/terraform-provider-aws" : "hashicorp/terraform-provider-random";
        checkouts[provider] = { checkout: new Checkout(dir), source: { repository, commit: commit ?? "unknown", version: version ?? "unknown" } };
    }
    const next: ForcesNewJson = { ...previous, sources: { ...previous.sources }, types: {}, conditional: {}, origin: {}, notCovered: {} };
    for (const token of programTypes(root)) {
        const provider = token.split(":")[0];
        const tfName = TERRAFORM_NAMES[token];
        const read = tfName && checkouts[provider]?.checkout.attributes(tfName);
        if (read) {
            const replacing = read.attributes.filter((a) => a.replaces);
            next.types[token] = replacing.filter((a) => a.replaces === "always").map((a) => pulumiPath(root, token, read.attributes, a.path)).sort();
            const conditional = replacing.filter((a) => a.replaces !== "always");
            if (conditional.length) {
                next.conditional[token] = Object.fromEntries(conditional.map((a) => [pulumiPath(root, token, read.attributes, a.path), a.replaces!]));
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
            next.notCovered[token] = tfName ? `${tfName} not read (no checkout given, or not found in it)` : PULUMI_ONLY(token);
        }
    }
    if (checkouts.aws) {
        next.providerVersion = Object.values(next.sources).map((s) => `${s.repository} ${s.version}`).join("; ");
    }
    next.source = `scripts/forces-new.ts over ${Object.values(next.sources).map((s) => `${s.repository}@${s.commit}`).join(", ")}`
        + "; entries marked hand in origin were read by hand at the file and commit they name";
    fs.writeFileSync(out, `${JSON.stringify(next, null, 2)}\n`);
    console.log(`${Object.keys(next.types).length} types, ${Object.keys(next.notCovered).length} not covered -> ${path.relative(root, out)}`);
}

if (require.main === module) {
    main(process.argv.slice(2));
}
