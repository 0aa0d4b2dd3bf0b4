// Entry for the "deno" export condition (see package.json "exports").
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/deno.js";
import { loadDefaultPack } from "../load/deno-pack.js";

export const { createWafer, init } = bindRuntime(loadModule, loadDefaultPack);
export * from "../public.js";
