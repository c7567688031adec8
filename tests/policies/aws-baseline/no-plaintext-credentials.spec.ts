// no-plaintext-credentials, asked over the analyzer protocol: credentials the way scanners find them in user data
// (plain, base64, gzip), tags, Lambda environment variables and String parameters, and the near-misses that only
// say where a secret is kept. A value unknown in preview is skipped, never an advisory.
import * as assert from "assert";
import { gzipSync } from "zlib";
import { StateResource } from "../../../offline/state";
import {
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    LAMBDA_FUNCTION,
    S3_BUCKET,
    SSM_PARAMETER,
} from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const base64 = (text: string) => Buffer.from(text).toString("base64");

/** One resource of a prod stack. */
function resource(type: string, name: string, props: Record<string, unknown>): StateResource[] {
    return [new StackBuilder("prod").add(type, name, props)];
}

/** What the rule found in an instance's plain-text user data ("" when nothing). */
async function inUserData(script: string, config?: Record<string, unknown>): Promise<string> {
    const found = await violations(
        "no-plaintext-credentials",
        resource(EC2_INSTANCE, "web", { ami: UNKNOWN, instanceType: "t3.large", userData: script }),
        { config },
    );
    return found.map((m) => /\(([^)]*)\)\. Anyone/.exec(m)?.[1] ?? m).join(" | ");
}

/** A boot script that reads its secrets where they belong: each line names a secret without holding it. */
const NEAR_MISSES = [
    "#!/bin/bash",
    "TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600')",
    "DB_PASSWORD=$(aws ssm get-parameter --name /magento/prod/db-password --with-decryption --query Parameter.Value --output text)",
    "DB_PASSWORD_PARAM=/magento/prod/db-password",
    'export MYSQL_PWD="${DB_PASSWORD}"',
    "secret_arn=arn:aws:secretsmanager:eu-west-3:123456789012:secret:magento/db-AbCdEf",
    "api_key: '{{resolve:secretsmanager:magento/payments:SecretString:apiKey}}'",
    "password=DB_PASSWORD",
    "REDIS_URL=redis://:${REDIS_AUTH}@redis.internal:6379",
    "aws_access_key_id=AKIAIOSFODNN7EXAMPLE",
    "password=short",
].join("\n");

describe("aws-baseline / no-plaintext-credentials", () => {
    it("keeps: user data that reads secrets from SSM/Secrets Manager, variables and references (near-misses)", async () => {
        assert.strictEqual(await inUserData(NEAR_MISSES), "");
    });

    it("breaks: a password assigned a literal in user data, and Magento's installer given one on the command line", async () => {
        assert.strictEqual(
            await inUserData("#!/bin/bash\nexport DB_PASSWORD=Sup3rS3cretPass\n"),
            "line 2: a literal value assigned to DB_PASSWORD",
        );
        assert.strictEqual(
            await inUserData("bin/magento setup:install --db-host=db --db-password='Mag3nto!2024' --admin-user=admin"),
            "line 1: a literal value assigned to --db-password",
        );
        const envPhp =
            "cat > app/etc/env.php <<'PHP'\n'db' => ['connection' => ['default' => ['password' => 'Mag3ntoDbPass']]],\nPHP";
        assert.strictEqual(await inUserData(envPhp), "line 2: a literal value assigned to password");
        assert.strictEqual(
            await inUserData('echo \'{"api_token": "tok_9f8e7d6c5b4a"}\' > /etc/pim.json'),
            "line 1: a literal value assigned to api_token",
        );
        const found = await violations(
            "no-plaintext-credentials",
            resource(EC2_INSTANCE, "web", { userData: "DB_PASSWORD=Sup3rS3cretPass" }),
        );
        assert.deepStrictEqual(found, [
            "mandatory: Instance web has a plain-text credential in its user data (line 1: a literal value " +
                "assigned to DB_PASSWORD). Anyone who can describe the resource can read it: keep the secret in SSM Parameter Store " +
                "(SecureString) or Secrets Manager and read it at run time with the resource's role, passing only its name or ARN.",
        ]);
    });

    it("breaks: AWS keys, a private key block and passwords inside connection strings", async () => {
        assert.strictEqual(
            await inUserData("aws configure set aws_access_key_id AKIA2E0A8F3B244C9986"),
            "line 1: an AWS access key id",
        );
        assert.strictEqual(
            await inUserData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY"),
            "line 1: an AWS secret access key",
        );
        assert.strictEqual(
            await inUserData(
                "cat > /root/.ssh/id_rsa <<EOF\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\nEOF",
            ),
            "line 2: a private key",
        );
        assert.strictEqual(
            await inUserData(
                "DSN=mysql://magento:Pa55w0rd@db.internal:3306/magento\nREDIS=redis://:s3cr3tt0k3n@redis.internal:6379",
            ),
            "line 1: a password inside a mysql:// connection string; line 2: a password inside a redis:// connection string",
        );
    });

    it("breaks: a launch template's user data, decoded from base64 and from gzip", async () => {
        const plain = await violations(
            "no-plaintext-credentials",
            resource(EC2_LAUNCH_TEMPLATE, "web-lt", {
                imageId: UNKNOWN,
                userData: base64("#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n"),
            }),
        );
        assert.match(
            plain[0],
            /^mandatory: LaunchTemplate web-lt has a plain-text credential in its user data \(line 2: an AWS access key id\)/,
        );
        const gzipped = gzipSync(
            "#cloud-config\nwrite_files:\n  - path: /etc/magento/db\n    content: |\n      password: Sup3rS3cretPass\n",
        );
        const zipped = await violations(
            "no-plaintext-credentials",
            resource(EC2_LAUNCH_TEMPLATE, "web-lt", { userData: gzipped.toString("base64") }),
        );
        assert.match(zipped[0], /\(line 5: a literal value assigned to password\)/);
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(EC2_LAUNCH_TEMPLATE, "web-lt", { userData: base64(NEAR_MISSES) }),
            ),
            [],
        );
    });

    it("breaks: a secret in a tag, on any resource; a tag naming where the secret lives is fine", async () => {
        const found = await violations(
            "no-plaintext-credentials",
            resource(S3_BUCKET, "config", { tags: { Name: "config", DbPassword: "hunter2hunter2" } }),
        );
        assert.match(
            found[0],
            /^mandatory: Bucket config has a plain-text credential in its tags \(tag DbPassword: a literal secret\)/,
        );
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(S3_BUCKET, "config", { tags: { SecretArn: "arn:aws:secretsmanager:eu-west-3:1:secret:x" } }),
            ),
            [],
        );
    });

    it("breaks: a Lambda environment variable holding an API key; its ARN or parameter name is fine", async () => {
        const found = await violations(
            "no-plaintext-credentials",
            resource(LAMBDA_FUNCTION, "payments-cashout", {
                environment: { variables: { API_KEY: "sk_live_51Habcdefghijkl", STAGE: "prod" } },
            }),
        );
        assert.match(
            found[0],
            /^mandatory: Function payments-cashout has a plain-text credential in its environment \(variable API_KEY: a literal secret\)/,
        );
        const references = {
            DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-3:1:secret:db",
            DB_PASSWORD_PARAMETER: "/magento/prod/db-password",
            API_TOKEN: "${API_TOKEN}",
            TOKEN_ENDPOINT: "https://auth.example.com/oauth/token",
        };
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(LAMBDA_FUNCTION, "payments-cashout", { environment: { variables: references } }),
            ),
            [],
        );
    });

    it("breaks: a String parameter named for a password; a SecureString or a harmless String is fine", async () => {
        const found = await violations(
            "no-plaintext-credentials",
            resource(SSM_PARAMETER, "db-password", {
                name: "/magento/prod/db-password",
                type: "String",
                value: "Sup3rS3cretPass",
            }),
        );
        assert.match(
            found[0],
            /^mandatory: Parameter db-password has a plain-text credential in its value \(parameter \/magento\/prod\/db-password: a literal secret\)/,
        );
        const dsn = await violations(
            "no-plaintext-credentials",
            resource(SSM_PARAMETER, "dsn", {
                name: "/magento/prod/dsn",
                type: "String",
                insecureValue: "mysql://magento:Pa55w0rd@db:3306/m",
            }),
        );
        assert.match(dsn[0], /a password inside a mysql:\/\/ connection string/);
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(SSM_PARAMETER, "db-password", {
                    name: "/magento/prod/db-password",
                    type: "SecureString",
                    value: "Sup3rS3cretPass",
                }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(SSM_PARAMETER, "db-host", {
                    name: "/magento/prod/db-host",
                    type: "String",
                    value: "db.internal",
                }),
            ),
            [],
        );
    });

    it("skips what a preview does not know yet (user data embedding a DNS name, a tag from an output), without an advisory", async () => {
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(EC2_LAUNCH_TEMPLATE, "web-lt", { userData: UNKNOWN, tags: { Name: "web", Token: UNKNOWN } }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(EC2_INSTANCE, "web", { userData: UNKNOWN, tags: UNKNOWN }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(LAMBDA_FUNCTION, "cron", { environment: { variables: UNKNOWN } }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "no-plaintext-credentials",
                resource(SSM_PARAMETER, "p", { name: UNKNOWN, type: "String", value: UNKNOWN }),
            ),
            [],
        );
    });

    it("follows minSecretLength from the pack config", async () => {
        assert.strictEqual(await inUserData("password=pass1234"), "line 1: a literal value assigned to password");
        assert.strictEqual(await inUserData("password=pass1234", { minSecretLength: 12 }), "");
    });
});
