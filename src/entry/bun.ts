// Entry for the "bun" export condition (see package.json "exports"): Node's, but reading
// its files with Bun.file (src/load/bun-file.ts).
import { bindRuntime } from "../core.js";
import { loadModule } from "../load/bun.js";
import { loadDefaultPack } from "../load/bun-pack.js";

export const { createWafer, init } = bindRuntime(loadModule, loadDefaultPack);
export * from "../public.js";
