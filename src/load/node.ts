/**
 * Node (and Bun): read engine.wasm next to the bundle; if the file is missing (a bundler
 * dropped it), fall back to the inlined copy, which is only loaded in that case.
 *
 * Synchronous on purpose: for a module under 100 KB, `readFileSync` + `new
 * WebAssembly.Module` cost less than the event-loop round trips of `fs/promises` (which
 * reads through the thread pool) and an asynchronous compile — cold start is what counts.
 */
import { inlinedEngineBytes } from "./inlined-copies.js";
import { nodeFs } from "./node-fs.js";

export async function loadModule(): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = (await nodeFs()).readFileSync(new URL("./engine.wasm", import.meta.url)) as Uint8Array<ArrayBuffer>;
  } catch {
    bytes = await inlinedEngineBytes();
  }
  return new WebAssembly.Module(bytes);
}
