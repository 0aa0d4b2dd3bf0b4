/**
 * Instantiates the real build/engine.wasm for tests (built by test/support/global-setup.ts).
 * Each call returns a fresh instance, so tests never share Wasm state.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const wasmPath = fileURLToPath(new URL("../../build/engine.wasm", import.meta.url));
let cachedModule: WebAssembly.Module | undefined;

export function engineModule(): WebAssembly.Module {
  cachedModule ??= new WebAssembly.Module(readFileSync(wasmPath));
  return cachedModule;
}

export interface TestInstance {
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  bytes(): Uint8Array;
}

export function instantiateEngine(): TestInstance {
  const instance = new WebAssembly.Instance(engineModule(), {});
  const exports = instance.exports as Record<string, any>;
  const memory = exports.memory as WebAssembly.Memory;
  return { exports, memory, bytes: () => new Uint8Array(memory.buffer) };
}
