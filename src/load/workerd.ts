/**
 * Cloudflare Workers (workerd): compiling Wasm from bytes is forbidden, so the bundle
 * imports engine.wasm as a module; wrangler and workerd hand us a WebAssembly.Module.
 */
// @ts-ignore -- resolved by the Workers bundler to a WebAssembly.Module
import wasmModule from "./engine.wasm";

export async function loadModule(): Promise<WebAssembly.Module> {
  return wasmModule as WebAssembly.Module;
}
