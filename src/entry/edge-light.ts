// Entry for the "edge-light" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/edge-light.js";

export const { createWafer, init } = bindRuntime(loadModule);
export * from "../public.js";
