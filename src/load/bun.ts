/**
 * Bun: engine.wasm from next to the bundle (bun-file.ts); if the file is missing (a bundler
 * dropped it), the inlined copy, which is only loaded in that case.
 */
import { readBesideBundle } from "./bun-file.js";
import { inlinedEngineBytes } from "./inlined-copies.js";

export async function loadModule(): Promise<WebAssembly.Module> {
  const bytes = (await readBesideBundle(new URL("./engine.wasm", import.meta.url))) ?? (await inlinedEngineBytes());
  return new WebAssembly.Module(bytes);
}
