// Entry for the "default" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/inline.js";
import { loadDefaultPack } from "../load/inline-pack.js";

export const { createWafer, init } = bindRuntime(loadModule, loadDefaultPack);
export * from "../public.js";
