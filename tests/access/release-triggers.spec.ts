// Who may start a release, by the IAM evaluator over the stack's own policies (prod's update capture): Rundeck's role
// may start this stack's release runner and follow its runs, and not another stack's runner or any other state machine,
// nor stop a run; web servers may not start releases.
import * as assert from "assert";
import { releaseRunnerArn } from "../../model/release";
import { accessModel, AccessModel } from "../../policies/lib/access/model";
import { decide } from "../../policies/lib/access/simulate";
import { stackView } from "../../offline/stack-view";
import { IAM_ROLE } from "../../policies/lib/types";
import { knownString } from "../../policies/lib/values";
import { prefetch, stackResources } from "../helpers/stacks";

const UPDATE = { preview: false };
prefetch(["prod", UPDATE]);

describe("release access: the Rundeck deploy job's role (prod)", () => {
    let model: AccessModel;
    let role: (tier: string) => string;
    let runner: (prefix: string) => string;
    before(async function () {
        this.timeout(300_000);
        const resources = stackView(await stackResources("prod", UPDATE));
        model = accessModel(resources);
        role = (tier) => {
            const r = resources.find((x) => x.type === IAM_ROLE && x.name === `magento-prod-${tier}-role`);
            const arn = r && knownString(r.props, "arn");
            assert.ok(arn, `no role magento-prod-${tier}-role`);
            return arn;
        };
        runner = (prefix) => releaseRunnerArn(model.region!, model.account!, prefix);
    });
    const allowed = async (principal: string, action: string, resource: string) =>
        (await decide(model, { principal, action, resource })) === "Allowed";

    it("may start prod's runner and follow its executions", async () => {
        assert.ok(await allowed(role("rundeck"), "states:StartExecution", runner("magento-prod")));
        const execution = `arn:aws:states:${model.region!}:${model.account!}:execution:magento-prod-release-runner:2-4-8-20261202`;
        assert.ok(await allowed(role("rundeck"), "states:DescribeExecution", execution));
    });

    it("may not start preprod's runner, another state machine, or stop a run", async () => {
        assert.ok(!(await allowed(role("rundeck"), "states:StartExecution", runner("magento-preprod"))));
        const other = `arn:aws:states:${model.region!}:${model.account!}:stateMachine:magento-prod-other`;
        assert.ok(!(await allowed(role("rundeck"), "states:StartExecution", other)));
        const execution = `arn:aws:states:${model.region!}:${model.account!}:execution:magento-prod-release-runner:x`;
        assert.ok(!(await allowed(role("rundeck"), "states:StopExecution", execution)));
        assert.ok(
            !(await allowed(
                role("rundeck"),
                "states:DescribeExecution",
                `arn:aws:states:${model.region!}:${model.account!}:execution:magento-preprod-release-runner:x`,
            )),
        );
    });

    it("no web server may start a release", async () => {
        for (const tier of ["web", "backoffice"]) {
            assert.ok(!(await allowed(role(tier), "states:StartExecution", runner("magento-prod"))), tier);
        }
    });
});
