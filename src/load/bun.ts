/**
 * Bun: engine.wasm from next to the bundle (bun-file.ts); if the file is missing (a bundler
 * dropped it), the inlined copy, which is only loaded in that case.
 */
import { readBesideBundle } from "./bun-file.js";

export async function loadModule(): Promise<WebAssembly.Module> {
  let bytes = await readBesideBundle(new URL("./engine.wasm", import.meta.url));
  if (!bytes) {
    // @ts-ignore -- built alongside this bundle by scripts/build.mjs
    bytes = ((await import("./engine-inline.js")) as { wasmBytes: Uint8Array<ArrayBuffer> }).wasmBytes;
  }
  return new WebAssembly.Module(bytes);
}
