/**
 * Vercel Edge (edge-light): compiling Wasm from bytes is forbidden; the `?module` suffix
 * makes the bundler hand us a precompiled WebAssembly.Module.
 */
// @ts-ignore -- resolved by the Vercel Edge bundler to a WebAssembly.Module
import wasmModule from "./engine.wasm?module";

export async function loadModule(): Promise<WebAssembly.Module> {
  return wasmModule as WebAssembly.Module;
}
