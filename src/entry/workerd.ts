// Entry for the "workerd" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/workerd.js";
import { loadDefaultPack } from "../load/workerd-pack.js";

export const { createWafer, init } = bindRuntime(loadModule, loadDefaultPack);
export * from "../public.js";
