// Entry for the "edge-light" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/edge-light.js";
import { loadDefaultPack } from "../load/inline-pack.js";

export const { createWafer, init } = bindRuntime(loadModule, loadDefaultPack);
export * from "../public.js";
