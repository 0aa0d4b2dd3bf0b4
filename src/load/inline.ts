/**
 * Deno, browsers and unknown runtimes: an inlined copy of engine.wasm (base64 in the bundle),
 * compiled from bytes. Works wherever Wasm compilation from bytes is allowed.
 */
// @ts-ignore -- esbuild's binary loader turns the file into a Uint8Array
import wasmBytes from "../../build/engine.wasm";

export async function loadModule(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(wasmBytes as Uint8Array<ArrayBuffer>);
}
