/**
 * Node (and Bun): read engine.wasm next to the bundle; if the file is missing (a bundler
 * dropped it), fall back to the inlined copy, which is only loaded in that case.
 */
export async function loadModule(): Promise<WebAssembly.Module> {
  try {
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(new URL("./engine.wasm", import.meta.url));
    return await WebAssembly.compile(bytes);
  } catch {
    // @ts-ignore -- built alongside this bundle by scripts/build.mjs
    const { wasmBytes } = (await import("./engine-inline.js")) as { wasmBytes: Uint8Array<ArrayBuffer> };
    return WebAssembly.compile(wasmBytes);
  }
}
