// Entry for the "node" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/node.js";
import { loadDefaultPack } from "../load/node-pack.js";

export const { createWafer, init } = bindRuntime(loadModule, loadDefaultPack);
export * from "../public.js";
