/**
 * Deno: engine.wasm from next to the bundle when readable (see deno-file.ts), else the
 * inlined copy, which is only loaded in that case. Compiled asynchronously: Deno validates
 * the module off the main thread.
 */
import { readBesideBundle } from "./deno-file.js";
import { inlinedEngineBytes } from "./inlined-copies.js";

export async function loadModule(): Promise<WebAssembly.Module> {
  const bytes = (readBesideBundle(new URL("./engine.wasm", import.meta.url)) as Uint8Array<ArrayBuffer> | undefined) ?? (await inlinedEngineBytes());
  return WebAssembly.compile(bytes);
}
