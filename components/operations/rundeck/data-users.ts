// The release's setup step for the data tier, run on Rundeck (the tier that already runs releases and is root on
// every Magento server; docs/data-access.md): it creates the users Magento connects as, as the data services' masters
// (MySQL's by its RDS-managed secret, OpenSearch's as an IAM role it assumes), and rotates their passwords with AWS's
// alternating-users strategy. Idempotent: `setup` creates what is missing and leaves working passwords alone;
// `rotate` gives the user that is not current a new password and makes it current, so servers still holding the
// other one keep connecting until they re-read the secret (web-boot.ts does every 15 minutes).
import { WriteFile } from "../../compute/cloud-init";
import { OPERATOR_DB_USER } from "../database-access";

/** Where the script is installed; `magento-data-users setup` is the release job's step. */
export const DATA_USERS = "/usr/local/sbin/magento-data-users";
/** What the script reads: plain names, since user data cannot carry the ARNs of resources created with it. */
export const DATA_USERS_CONFIG = "/etc/magento-data-users.conf";

/**
 * Magento's own installer checks these privileges on its schema before it installs
 * (https://github.com/magento/magento2/blob/2.4-develop/setup/src/Magento/Setup/Validator/DbValidator.php); Adobe's
 * guide grants ALL on the schema, which adds nothing Magento uses. No global privilege, no other schema, no GRANT.
 */
export const MAGENTO_DB_PRIVILEGES = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "DROP",
    "REFERENCES",
    "INDEX",
    "ALTER",
    "CREATE TEMPORARY TABLES",
    "LOCK TABLES",
    "EXECUTE",
    "CREATE VIEW",
    "SHOW VIEW",
    "CREATE ROUTINE",
    "ALTER ROUTINE",
    "EVENT",
    "TRIGGER",
] as const;

/**
 * What operators may read in Magento's schema through their forwarded port (docs/database-access.md): SELECT on these
 * tables, reviewed for troubleshooting orders, catalogue, stock, indexers and jobs, nothing schema-wide. Left out on
 * purpose: credentials and tokens (admin_user, its sessions and password history, oauth_*, integration,
 * jwt_auth_revoked, customer_entity's password hashes and reset tokens, core_config_data's API keys and payment
 * credentials), payment and vault tables, customer accounts and carts, and queued payloads (queue_message,
 * magento_operation: an asynchronous API call's body). Names as in Magento 2.4's db_schema.xml; one a release lacks is
 * skipped, one it adds is granted by the next setup.
 */
export const OPERATOR_READABLE_TABLES = [
    // Orders and their fulfilment (the order's addresses and e-mail are customer data operators support orders with).
    "sales_order",
    "sales_order_grid",
    "sales_order_item",
    "sales_order_address",
    "sales_order_status",
    "sales_order_status_state",
    "sales_order_status_history",
    "sales_invoice",
    "sales_invoice_item",
    "sales_invoice_grid",
    "sales_shipment",
    "sales_shipment_item",
    "sales_shipment_track",
    "sales_shipment_grid",
    "sales_creditmemo",
    "sales_creditmemo_item",
    "sales_creditmemo_grid",
    // Catalogue and its attributes.
    "catalog_product_entity",
    "catalog_product_entity_datetime",
    "catalog_product_entity_decimal",
    "catalog_product_entity_int",
    "catalog_product_entity_text",
    "catalog_product_entity_varchar",
    "catalog_product_website",
    "catalog_category_entity",
    "catalog_category_entity_int",
    "catalog_category_entity_varchar",
    "catalog_category_product",
    "eav_attribute",
    "eav_attribute_set",
    "eav_entity_type",
    "url_rewrite",
    // Stock.
    "cataloginventory_stock_item",
    "inventory_source",
    "inventory_source_item",
    "inventory_stock",
    "inventory_reservation",
    // Stores, jobs, indexers, schema state.
    "store",
    "store_group",
    "store_website",
    "cron_schedule",
    "indexer_state",
    "mview_state",
    "queue_message_status",
    "magento_bulk",
    "setup_module",
    "patch_list",
] as const;

/** The two users that alternate, in MySQL and in OpenSearch alike. */
export const APP_USERS = ["magento_a", "magento_b"] as const;

export interface DataUsersConfig {
    readonly region: string;
    /** The shop database's Name tag: the script finds its endpoint and RDS-managed master secret by it. */
    readonly databaseNameTag: string;
    /** Magento's schema. */
    readonly schema: string;
    /** The secret Magento's database credentials are kept in (AppCredentials). */
    readonly databaseSecretName: string;
    readonly searchDomain: string;
    /** The Name tag of the search domain's internal master credentials (GeneratedSecret): the bootstrap, retired. */
    readonly searchMasterTag: string;
    /** The role the job signs its search requests as, the domain's master by role mapping (Search.adminRoleName). */
    readonly searchAdminRole: string;
    readonly searchSecretName: string;
    /** Magento's index prefix: its search user may use the indices named <prefix>_* only. */
    readonly indexPrefix: string;
}

/** The script's configuration, KEY=value lines it sources; every value a plain name the shell reads as written. */
export function dataUsersConfigFile(config: DataUsersConfig): WriteFile {
    const lines = Object.entries(config).map(([key, value]: [string, string]) => {
        if (!/^[A-Za-z0-9._/!-]+$/.test(value)) {
            throw new Error(`data users configuration ${key} '${value}' has characters a shell would need quoted`);
        }
        return `${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}=${value}`;
    });
    return { path: DATA_USERS_CONFIG, permissions: "0644", content: `${lines.join("\n")}\n` };
}

/** Search role: what Magento's client does with its own indices (read, write, create, alias, delete old ones) and the
 *  cluster health and bulk calls it makes; nothing on other indices or on the security plugin. */
const SEARCH_ROLE =
    '{cluster_permissions: ["cluster_composite_ops", "cluster_monitor"], index_permissions: [{index_patterns: [$p], allowed_actions: ["indices_all"]}]}';

/**
 * Audit logging inside the security plugin, which OpenSearch Service publishes to the domain's AUDIT_LOGS group
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html). Request bodies are not
 * logged: the security API's carry passwords.
 */
const AUDIT_CONFIG = JSON.stringify({
    enabled: true,
    audit: {
        enable_rest: true,
        enable_transport: false,
        resolve_indices: true,
        log_request_body: false,
        exclude_sensitive_headers: true,
        disabled_rest_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"],
        disabled_transport_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"],
        ignore_users: [],
        ignore_requests: [],
    },
    compliance: {
        enabled: true,
        internal_config: true,
        external_config: false,
        read_metadata_only: true,
        write_metadata_only: true,
        read_ignore_users: [],
        write_ignore_users: [],
        read_watched_fields: {},
        write_watched_indices: [],
    },
});

/**
 * The operators' read-only user, signed in with IAM auth tokens instead of a stored secret: SELECT on each reviewed
 * table the schema has, the schema-wide grant of earlier releases and any table since dropped from the list revoked
 * (REVOKE IF EXISTS: a warning, not an error, for a privilege not held: https://dev.mysql.com/doc/refman/8.4/en/revoke.html).
 * The tables are matched here, not in SQL, so that the grant's scope is this script's. Needs mysql_master, $SCHEMA
 * and $work.
 */
export function operatorGrantLines(): string[] {
    const user = `'${OPERATOR_DB_USER}'@'%%'`;
    const tables = (query: string) => `mysql_master --skip-column-names -e "${query}"`;
    return [
        "# Operators' read-only user: SELECT on the reviewed tables only (docs/database-access.md).",
        `printf '%s\\n' ${OPERATOR_READABLE_TABLES.join(" ")} > "$work/operator-tables"`,
        `printf "CREATE USER IF NOT EXISTS ${user} IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;\\nREVOKE IF EXISTS SELECT, SHOW VIEW ON \\\`%s\\\`.* FROM ${user};\\n" "$SCHEMA" | mysql_master`,
        `${tables("SELECT table_name FROM information_schema.tables WHERE table_schema = '$SCHEMA'")} |`,
        `  { grep -Fx -f "$work/operator-tables" || true; } |`,
        `  while read -r table; do printf "GRANT SELECT ON \\\`%s\\\`.\\\`%s\\\` TO ${user};\\n" "$SCHEMA" "$table"; done | mysql_master`,
        `${tables(`SELECT table_name FROM mysql.tables_priv WHERE user = '${OPERATOR_DB_USER}' AND db = '$SCHEMA'`)} |`,
        `  { grep -Fxv -f "$work/operator-tables" || true; } |`,
        `  while read -r table; do printf "REVOKE IF EXISTS SELECT ON \\\`%s\\\`.\\\`%s\\\` FROM ${user};\\n" "$SCHEMA" "$table"; done | mysql_master`,
    ];
}

export function dataUsersScript(): string {
    const [a, b] = APP_USERS;
    return [
        "#!/bin/bash",
        "# setup: create Magento's MySQL and OpenSearch users (idempotent); rotate: new password for the user not current.",
        "set -euo pipefail",
        'action="${1:-}"',
        'case "$action" in setup|rotate) ;; *) echo "usage: $0 setup|rotate" >&2; exit 2 ;; esac',
        `# shellcheck source=/dev/null`,
        `. ${DATA_USERS_CONFIG}`,
        "umask 077",
        "work=$(mktemp -d)",
        "trap 'rm -rf \"$work\"' EXIT",
        "",
        'sm() { aws --region "$REGION" --output text secretsmanager "$@"; }',
        "# The current value of a secret, empty while the setup job has not written it.",
        'current() { sm get-secret-value --secret-id "$1" --query SecretString 2>/dev/null || true; }',
        'field() { jq -r --arg k "$2" \'.[$k] // empty\' <<<"$1"; }',
        `other() { if [ "$1" = ${a} ]; then echo ${b}; else echo ${a}; fi; }`,
        "# 40 hex digits, then one of each class OpenSearch's password policy asks for; nothing a shell or env file quotes.",
        "new_password() { printf '%s-Aa1' \"$(openssl rand -hex 20)\"; }",
        "# Values reach jq through its environment, never its arguments (any local user reads a process's arguments).",
        "store() {",
        '  U="$2" P="$3" jq -n \'{username: env.U, password: env.P}\' > "$work/value.json"',
        '  sm put-secret-value --secret-id "$1" --secret-string "file://$work/value.json" > /dev/null',
        "}",
        "",
        "# MySQL, over TLS checked against RDS's CA bundle for the region, as the RDS-managed master user.",
        'read -r db_host db_port master_arn < <(aws --region "$REGION" --output text rds describe-db-instances \\',
        "  --query \"DBInstances[?TagList[?Key=='Name' && Value=='$DATABASE_NAME_TAG']] | [0].[Endpoint.Address, Endpoint.Port, MasterUserSecret.SecretArn]\")",
        "ca=/etc/pki/rds/$REGION-bundle.pem",
        'if [ ! -s "$ca" ]; then',
        '  mkdir -p "$(dirname "$ca")"',
        '  curl -fsS --retry 5 -o "$ca" "https://truststore.pki.rds.amazonaws.com/$REGION/$REGION-bundle.pem"',
        "fi",
        'need() { if [ -z "$2" ] || [ "$2" = None ]; then echo "$1: not found" >&2; exit 1; fi; }',
        'need "database tagged Name=$DATABASE_NAME_TAG" "$master_arn"',
        'master=$(current "$master_arn")',
        'need "its master credentials" "$master"',
        "# An option file, not the command line (ps shows that): MySQL reads \\\\ as a backslash, and # only outside quotes.",
        'password=$(field "$master" password)',
        "printf '[client]\\nuser=%s\\npassword=\"%s\"\\nhost=%s\\nport=%s\\nssl-ca=%s\\nssl-verify-server-cert\\n' \\",
        '  "$(field "$master" username)" "${password//\\\\/\\\\\\\\}" "$db_host" "$db_port" "$ca" > "$work/my.cnf"',
        'mysql_master() { mysql --defaults-extra-file="$work/my.cnf" --batch; }',
        `for user in ${a} ${b}; do`,
        "  # A new user gets a password nobody knows; the block below sets the one the secret holds.",
        `  printf "CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY '%s' REQUIRE SSL;\\nALTER USER '%s'@'%%' REQUIRE SSL;\\nGRANT ${MAGENTO_DB_PRIVILEGES.join(", ")} ON \\\`%s\\\`.* TO '%s'@'%%';\\n" \\`,
        '    "$user" "$(new_password)" "$user" "$SCHEMA" "$user" | mysql_master',
        "done",
        ...operatorGrantLines(),
        'db_user=$(field "$(current "$DATABASE_SECRET_NAME")" username)',
        'if [ -z "$db_user" ] || [ "$action" = rotate ]; then',
        `  next=${a}; [ -z "$db_user" ] || next=$(other "$db_user")`,
        "  password=$(new_password)",
        `  printf "ALTER USER '%s'@'%%' IDENTIFIED BY '%s';\\n" "$next" "$password" | mysql_master`,
        '  store "$DATABASE_SECRET_NAME" "$next" "$password"',
        "fi",
        "",
        "# OpenSearch, through the security plugin's REST API, signed with SigV4 as the admin role: the domain's master by",
        "# role mapping. The internal master (its password in Pulumi state) maps that role once and is then retired.",
        'endpoint=$(aws --region "$REGION" --output text opensearch describe-domain --domain-name "$SEARCH_DOMAIN" --query "DomainStatus.Endpoints.vpc")',
        'need "search domain $SEARCH_DOMAIN" "$endpoint"',
        'admin_arn="arn:aws:iam::$(aws --output text sts get-caller-identity --query Account):role/$SEARCH_ADMIN_ROLE"',
        'read -r key_id key_secret key_token < <(aws --region "$REGION" --output text sts assume-role --role-arn "$admin_arn" \\',
        '  --role-session-name magento-data-users --query "Credentials.[AccessKeyId, SecretAccessKey, SessionToken]")',
        'need "credentials of $admin_arn" "$key_token"',
        "# Credentials in curl config files, never on a command line.",
        'printf \'aws-sigv4 = "aws:amz:%s:es"\\nuser = "%s:%s"\\nheader = "x-amz-security-token: %s"\\n\' \\',
        '  "$REGION" "$key_id" "$key_secret" "$key_token" > "$work/admin.curl"',
        'search_master_arn=$(sm list-secrets --filters Key=tag-key,Values=Name Key=tag-value,Values="$SEARCH_MASTER_TAG" --query "SecretList[0].ARN")',
        'need "secret tagged Name=$SEARCH_MASTER_TAG" "$search_master_arn"',
        'search_master=$(current "$search_master_arn")',
        'printf \'user = "%s:%s"\\n\' "$(field "$search_master" username)" "$(field "$search_master" password)" > "$work/master.curl"',
        "# call admin|master METHOD PATH [curl options]: a request to the security plugin as the admin role or the internal master.",
        "call() {",
        '  curl -fsS --config "$work/$1.curl" -H "Content-Type: application/json" -X "$2" "https://$endpoint/_plugins/_security/$3" "${@:4}"',
        "}",
        'api() { call admin "$1" "api/$2" "${@:3}" > /dev/null; }',
        "if ! api GET rolesmapping/security_manager 2>/dev/null; then",
        "  # PUT replaces a mapping: keep its users and backend roles, add the admin role.",
        "  for role in all_access security_manager; do",
        '    call master GET "api/rolesmapping/$role" > "$work/current.json"',
        '    jq --arg r "$role" --arg a "$admin_arn" \'.[$r] | {backend_roles: ((.backend_roles // []) + [$a] | unique), hosts: (.hosts // []), users: (.users // [])}\' \\',
        '      "$work/current.json" > "$work/master-mapping.json"',
        '    call master PUT "api/rolesmapping/$role" --data-binary "@$work/master-mapping.json" > /dev/null',
        "  done",
        "fi",
        "api GET rolesmapping/security_manager # the admin role is master now; set -e stops here if not",
        "# The password in Pulumi state opens nothing once changed to one nobody keeps (again, if an update set it back).",
        "if call master GET authinfo > /dev/null 2>&1; then",
        '  C="$(field "$search_master" password)" P="$(new_password)" jq -n \'{current_password: env.C, password: env.P}\' > "$work/account.json"',
        "  # Not fatal: Magento's users below matter more than retiring it; unverified on OpenSearch Service (docs/data-access.md).",
        '  call master PUT api/account --data-binary "@$work/account.json" > /dev/null ||',
        '    echo "magento-data-users: the search master\'s bootstrap password could not be changed and still opens the domain: change it (docs/data-access.md)" >&2',
        "fi",
        `jq -n --arg p "\${INDEX_PREFIX}_*" '${SEARCH_ROLE}' > "$work/role.json"`,
        'api PUT roles/magento --data-binary "@$work/role.json"',
        `for user in ${a} ${b}; do`,
        '  if ! api GET "internalusers/$user"; then',
        '    P="$(new_password)" jq -n \'{password: env.P}\' > "$work/user.json"',
        '    api PUT "internalusers/$user" --data-binary "@$work/user.json"',
        "  fi",
        "done",
        `printf '{"users": ["${a}", "${b}"]}' > "$work/mapping.json"`,
        'api PUT rolesmapping/magento --data-binary "@$work/mapping.json"',
        `printf '%s' '${AUDIT_CONFIG}' > "$work/audit.json"`,
        'api PUT audit/config --data-binary "@$work/audit.json"',
        'search_user=$(field "$(current "$SEARCH_SECRET_NAME")" username)',
        'if [ -z "$search_user" ] || [ "$action" = rotate ]; then',
        `  next=${a}; [ -z "$search_user" ] || next=$(other "$search_user")`,
        "  password=$(new_password)",
        '  P="$password" jq -n \'{password: env.P}\' > "$work/user.json"',
        '  api PUT "internalusers/$next" --data-binary "@$work/user.json"',
        '  store "$SEARCH_SECRET_NAME" "$next" "$password"',
        "fi",
        "",
    ].join("\n");
}

/** Monthly rotation: far longer than the servers' 15-minute re-read, so the user replaced is never one still in use. */
export function rotationUnits(): WriteFile[] {
    return [
        {
            path: "/etc/systemd/system/magento-data-users-rotate.service",
            permissions: "0644",
            content: `[Unit]\nDescription=Rotate the passwords Magento connects to MySQL and OpenSearch with\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nType=oneshot\nExecStart=${DATA_USERS} rotate\n`,
        },
        {
            path: "/etc/systemd/system/magento-data-users-rotate.timer",
            permissions: "0644",
            content:
                "[Unit]\nDescription=Monthly rotation of Magento's data credentials\n\n[Timer]\nOnCalendar=monthly\nRandomizedDelaySec=1h\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n",
        },
    ];
}
