// Entry for the "default" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/inline.js";

export const { createWafer, init } = bindRuntime(loadModule);
export * from "../public.js";
