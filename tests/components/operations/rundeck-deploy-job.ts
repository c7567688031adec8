// A stack's Rundeck deploy job as its parameter holds it, parsed (the deploy job's spec and the three-triggers spec).
import * as assert from "assert";
import * as YAML from "yaml";
import { deployJobParameter } from "../../../components/operations/rundeck/deploy-job-loader";
import { StateResource } from "../../../offline/state";
import { SSM_PARAMETER } from "../../../policies/lib/types";
import { ofType, stackResources } from "../../helpers/stacks";

/** An update's capture: the account id, hence the runner's ARN, is known. */
export const APPLIED = { preview: false };

export interface RundeckJob {
    name: string;
    group: string;
    uuid: string;
    description: string;
    loglevel: string;
    multipleExecutions: boolean;
    options: { name: string; regex?: string; values?: string[]; value?: string; enforced?: boolean }[];
    sequence: { keepgoing: boolean; strategy: string; commands: { script?: string; exec?: string }[] };
}

/** The job YAML a stack's parameter holds, parsed, with the parameter. */
export async function deployJobOf(stack: string): Promise<{ parameter: StateResource; jobs: RundeckJob[] }> {
    const r = await stackResources(stack, APPLIED);
    const parameter = ofType(r, SSM_PARAMETER).find((p) => p.inputs!.name === deployJobParameter(stack))!;
    assert.ok(parameter, `${stack}: no ${deployJobParameter(stack)}`);
    return { parameter, jobs: YAML.parse(parameter.inputs!.insecureValue as string) as RundeckJob[] };
}
