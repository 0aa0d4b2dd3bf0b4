// Entry for the "node" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/node.js";

export const { createWafer, init } = bindRuntime(loadModule);
export * from "../public.js";
