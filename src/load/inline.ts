/**
 * Browsers and unknown runtimes: an inlined copy of engine.wasm (base64), compiled from
 * bytes. Works wherever Wasm compilation from bytes is allowed. In the built package the
 * bytes are their own file (dist/engine-inline.js), imported on the first createWafer, so
 * an import of the entry does not decode them (see inline-pack.ts).
 */
export async function loadModule(): Promise<WebAssembly.Module> {
  const { wasmBytes } = await import("./inline-bytes.js");
  return WebAssembly.compile(wasmBytes as Uint8Array<ArrayBuffer>);
}
