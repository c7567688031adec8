// instance-roles-least-privilege, asked over the analyzer protocol.
import * as assert from "assert";
import { check, StackBuilder, UNKNOWN } from "../../helpers/packs";

async function violations(policyArn: string): Promise<string[]> {
    const b = new StackBuilder("prod");
    b.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "web-ssm", { role: UNKNOWN, policyArn });
    return (await check("aws-baseline", b.resources)).filter((d) => d.policy === "instance-roles-least-privilege").map((d) => `${d.level}: ${d.message.replace(`${d.description}\n`, "")}`);
}

describe("aws-baseline / instance-roles-least-privilege", () => {
    it("keeps: a managed policy that grants no SSM reads, decided while the role is unknown", async () => {
        assert.deepStrictEqual(await violations("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"), []);
    });

    it("breaks: AmazonSSMManagedInstanceCore (every parameter of the account), and its older namesake", async () => {
        assert.deepStrictEqual(await violations("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"), [
            "mandatory: web-ssm attaches AmazonSSMManagedInstanceCore, which allows ssm:GetParameter(s) on every parameter of the account; " +
            "grant the SSM agent's actions (ssm:UpdateInstanceInformation, ssmmessages:*Channel, ec2messages:*) inline instead.",
        ]);
        assert.strictEqual((await violations("arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM")).length, 1);
    });
});
