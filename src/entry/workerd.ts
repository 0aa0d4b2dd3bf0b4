// Entry for the "workerd" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/workerd.js";

export const { createWafer, init } = bindRuntime(loadModule);
export * from "../public.js";
