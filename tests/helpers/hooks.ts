// Root hooks: the policy pack servers are shared by all specs and stopped once at the end.
import { closePacks } from "./packs";

export const mochaHooks = {
    afterAll: closePacks,
};
