// instance-roles-least-privilege, asked over the analyzer protocol.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { IAM_ROLE_POLICY_ATTACHMENT } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

function attachment(policyArn: string): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(IAM_ROLE_POLICY_ATTACHMENT, "web-ssm", { role: UNKNOWN, policyArn });
    return b.resources;
}

describe("aws-baseline / instance-roles-least-privilege", () => {
    it("keeps: a managed policy that grants no SSM reads, decided while the role is unknown", async () => {
        assert.deepStrictEqual(
            await violations(
                "instance-roles-least-privilege",
                attachment("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"),
            ),
            [],
        );
    });

    it("breaks: AmazonSSMManagedInstanceCore (every parameter of the account), and its older namesake", async () => {
        assert.deepStrictEqual(
            await violations(
                "instance-roles-least-privilege",
                attachment("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"),
            ),
            [
                "mandatory: web-ssm attaches AmazonSSMManagedInstanceCore, which allows ssm:GetParameter(s) on every parameter of the account; " +
                    "grant the SSM agent's actions (ssm:UpdateInstanceInformation, ssmmessages:*Channel, ec2messages:*) inline instead.",
            ],
        );
        assert.strictEqual(
            (
                await violations(
                    "instance-roles-least-privilege",
                    attachment("arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM"),
                )
            ).length,
            1,
        );
    });
});
