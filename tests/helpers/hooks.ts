// Root hooks: the policy pack servers and the capture workers are shared by all specs and stopped once at the end.
import { closePacks } from "./packs";
import { closeWorkers } from "./stacks";

export const mochaHooks = {
    async afterAll(): Promise<void> {
        closeWorkers();
        await closePacks();
    },
};
