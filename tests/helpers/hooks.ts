// Root hooks: the policy pack servers (the specs' and the commands') and the capture workers are shared by all specs
// and stopped once at the end; the captures learn when the specs start to run (what a test asks for from then on is needed now).
import { closeCommands } from "./cli";
import { closePacks } from "./packs";
import { closeWorkers, specsRunning } from "./stacks";

export const mochaHooks = {
    beforeAll(): void {
        specsRunning();
    },
    async afterAll(): Promise<void> {
        closeWorkers();
        closeCommands();
        await closePacks();
    },
};
