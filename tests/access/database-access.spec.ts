// Operators' database sessions as an operator and an intruder meet them, by the IAM evaluator over the stack's own
// policies (the update capture, realistic ARNs): the database operator role, assumed with MFA, forwards a port only
// through Rundeck (the tier the database admits), only with the stack's fixed-host documents, and signs in only as
// the read-only user; the shell operator role cannot forward at all; the documents reach one host and port each.
import * as assert from "assert";
import { accessModel, AccessModel } from "../../policies/lib/access/model";
import { decide } from "../../policies/lib/access/simulate";
import { StackResource } from "../../policies/lib/stack";
import { IAM_ROLE, RDS_INSTANCE, SSM_DOCUMENT } from "../../policies/lib/types";
import { knownString } from "../../policies/lib/values";
import { stackView } from "../../offline/stack-view";
import { ACCOUNT_ID } from "../../offline/fakes";
import { OPERATOR_DB_USER } from "../../components/operations/database-access";
import { prefetch, stackResources } from "../helpers/stacks";

prefetch(["prod", { preview: false }]);

const REGION = "eu-west-3";
const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:instance/i-0abc`;
/** AWS's own documents have no account in their ARN; the evaluator's resource types need one, and the policies
 *  name the stack's documents by full ARN, so the account does not change the decision. */
const AWS_DOCUMENT = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:document/${name}`;

describe("database access: prod", () => {
    let resources: StackResource[];
    let model: AccessModel;
    const named = (type: string, name: string) => {
        const r = resources.find((x) => x.type === type && x.name === name);
        assert.ok(r, `no ${type} ${name}`);
        return r;
    };
    const arn = (type: string, name: string) => knownString(named(type, name).props, "arn")!;
    let operator: string;
    let document: string;
    before(async function () {
        this.timeout(300_000);
        resources = stackView(await stackResources("prod", { preview: false }));
        model = accessModel(resources);
        operator = arn(IAM_ROLE, "magento-prod-db-access-operator");
        document = arn(SSM_DOCUMENT, "magento-prod-db-access-shop");
    });

    const start = (principal: string, resource: string, tier: string, stack = "prod") =>
        decide(model, {
            principal,
            action: "ssm:StartSession",
            resource,
            context: {
                "ssm:resourceTag/Stack": stack,
                "ssm:resourceTag/Tier": tier,
                "ssm:SessionDocumentAccessCheck": "true",
            },
        });

    it("the shop's document forwards to the database's endpoint and port only; the local port is the operator's", () => {
        const content = JSON.parse(knownString(named(SSM_DOCUMENT, "magento-prod-db-access-shop").props, "content")!);
        const db = named(RDS_INSTANCE, "magento-prod-mysql-db");
        assert.strictEqual(content.sessionType, "Port");
        assert.deepStrictEqual(content.properties, {
            type: "LocalPortForwarding",
            host: knownString(db.props, "address"),
            portNumber: "3306",
            localPortNumber: "{{ localPortNumber }}",
        });
        assert.deepStrictEqual(Object.keys(content.parameters), ["localPortNumber"]);
        assert.strictEqual(db.props.iamDatabaseAuthenticationEnabled, true);
    });

    it("the operator forwards only through this stack's Rundeck, only with the stack's document", async () => {
        assert.strictEqual(await start(operator, INSTANCE, "rundeck"), "Allowed");
        assert.strictEqual(await start(operator, document, "rundeck"), "Allowed");
        assert.strictEqual(await start(operator, INSTANCE, "web"), "ImplicitlyDenied", "a web server");
        assert.strictEqual(await start(operator, INSTANCE, "rundeck", "preprod"), "ImplicitlyDenied", "another stack");
        for (const name of [
            "AWS-StartPortForwardingSessionToRemoteHost",
            "AWS-StartPortForwardingSession",
            "SSM-SessionManagerRunShell",
        ]) {
            assert.strictEqual(await start(operator, AWS_DOCUMENT(name), "rundeck"), "ImplicitlyDenied", name);
        }
        assert.strictEqual(
            await start(operator, arn(SSM_DOCUMENT, "magento-prod-sessions-preferences"), "rundeck"),
            "ImplicitlyDenied",
            "a shell",
        );
    });

    it("the operator signs in as the read-only user of the shop's database, no other user, no secret", async () => {
        const db = named(RDS_INSTANCE, "magento-prod-mysql-db");
        const user = (name: string, resourceId = knownString(db.props, "resourceId")) =>
            `arn:aws:rds-db:${REGION}:${ACCOUNT_ID}:dbuser:${resourceId}/${name}`;
        const connect = (resource: string) =>
            decide(model, { principal: operator, action: "rds-db:connect", resource });
        assert.strictEqual(await connect(user(OPERATOR_DB_USER)), "Allowed");
        for (const other of ["admin", "magento_a", "magento_b"]) {
            assert.strictEqual(await connect(user(other)), "ImplicitlyDenied", other);
        }
        const sideapps = named(RDS_INSTANCE, "magento-prod-sideapps-db");
        assert.strictEqual(
            await connect(user(OPERATOR_DB_USER, knownString(sideapps.props, "resourceId"))),
            "ImplicitlyDenied",
        );
        for (const action of [
            "secretsmanager:GetSecretValue",
            "ssm:SendCommand",
            "rds:ModifyDBInstance",
            "iam:PassRole",
        ]) {
            assert.strictEqual(
                await decide(model, { principal: operator, action, resource: "*" }),
                "ImplicitlyDenied",
                action,
            );
        }
    });

    it("the shell operator cannot forward a port to the database, nor connect to it", async () => {
        const shell = arn(IAM_ROLE, "magento-prod-sessions-operator");
        assert.strictEqual(await start(shell, document, "rundeck"), "ImplicitlyDenied");
        assert.strictEqual(
            await start(shell, AWS_DOCUMENT("AWS-StartPortForwardingSessionToRemoteHost"), "rundeck"),
            "ImplicitlyDenied",
        );
        assert.strictEqual(
            await decide(model, { principal: shell, action: "rds-db:connect", resource: "*" }),
            "ImplicitlyDenied",
        );
    });
});
