// Rundeck's login and TLS, applied at every first boot of a server (a rebuild included), from the RPM's documented
// files (docs/rundeck.md): realm.properties holds one user, admin, whose password is read from Secrets Manager (the
// package's admin:admin and user:user are gone); the UI serves HTTPS only, from a self-signed keystore generated once
// on the data volume (/etc/rundeck is bind-mounted from it), so a rebuilt server keeps its certificate.

/** Where the script is written and run from. */
export const SECURE_RUNDECK = "/usr/local/sbin/secure-rundeck";

/** The admin password's secret, by name: user data is a plain string, it cannot carry the secret's ARN. */
export function rundeckAdminSecretName(stack: string): string {
    return `magento/${stack}/rundeck-admin`;
}

/** The HTTPS port the RPM's profile gives Rundeck when RUNDECK_WITH_SSL is set (docs/rundeck.md). */
export const RUNDECK_PORT = 4443;

/** Certificate lifetime in days; renewal is by hand for now (docs/rundeck.md). */
const CERT_DAYS = 825;

/** Arguments: the admin secret's name, the region, the server's internal name. */
export function secureRundeckScript(): string {
    return [
        "#!/bin/sh",
        "# No default login and no plain HTTP: the one user's password from Secrets Manager, a keystore kept on the volume.",
        "set -eu",
        'secret="$1"; region="$2"; fqdn="$3"',
        "ssl=/etc/rundeck/ssl",
        "umask 077",
        "",
        'password=$(aws secretsmanager get-secret-value --region "$region" --secret-id "$secret" --query SecretString --output text)',
        // Jetty's HashLoginService format, "user: password,role...": the admin role is what admin.aclpolicy grants.
        'printf "admin: %s,user,admin\\n" "$password" > /etc/rundeck/realm.properties',
        "chown rundeck:rundeck /etc/rundeck/realm.properties",
        "",
        'if [ ! -f "$ssl/keystore" ]; then',
        // The store's password protects a file readable by rundeck only; generated here, it never leaves the server.
        "  store=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \\n')",
        "  export store # keytool reads it from the environment (:env), not from its command line, which ps shows",
        '  keytool -genkeypair -keystore "$ssl/keystore" -storetype PKCS12 -alias rundeck -keyalg RSA -keysize 3072 \\',
        `    -validity ${CERT_DAYS} -dname "CN=$fqdn" -ext "san=dns:$fqdn" -storepass:env store -keypass:env store`,
        '  cp "$ssl/keystore" "$ssl/truststore"',
        "  {",
        '    echo "keystore=$ssl/keystore"; echo "truststore=$ssl/truststore"',
        '    for name in keystore key truststore; do echo "$name.password=$store"; done',
        '  } > "$ssl/ssl.properties"',
        '  chown rundeck:rundeck "$ssl/keystore" "$ssl/truststore" "$ssl/ssl.properties"',
        "fi",
        "",
        // The RPM's profile adds -Drundeck.ssl.config and -Dserver.https.port when RUNDECK_WITH_SSL is set.
        "umask 022",
        `printf 'RUNDECK_WITH_SSL=true\\nRDECK_HTTPS_PORT=${RUNDECK_PORT}\\n' > /etc/sysconfig/rundeckd`,
        "",
    ].join("\n");
}
