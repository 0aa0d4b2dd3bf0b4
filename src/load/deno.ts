/**
 * Deno: engine.wasm from next to the bundle when readable (see deno-file.ts), else the
 * inlined copy, which is only loaded in that case. Compiled asynchronously: Deno validates
 * the module off the main thread.
 */
import { readBesideBundle } from "./deno-file.js";

export async function loadModule(): Promise<WebAssembly.Module> {
  let bytes = readBesideBundle(new URL("./engine.wasm", import.meta.url)) as Uint8Array<ArrayBuffer> | undefined;
  if (!bytes) {
    // @ts-ignore -- built alongside this bundle by scripts/build.mjs
    bytes = ((await import("./engine-inline.js")) as { wasmBytes: Uint8Array<ArrayBuffer> }).wasmBytes;
  }
  return WebAssembly.compile(bytes);
}
