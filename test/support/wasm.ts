/**
 * Instantiates the real engine for tests (built by test/support/global-setup.ts): its testing
 * build, build/engine-testing.wasm, which is engine.wasm plus entry points into single stages
 * (assembly/testing.ts). Each call returns a fresh instance, so tests never share Wasm state.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ArenaHost } from "../../src/engine/arena-writer.js";

const wasmPath = fileURLToPath(new URL("../../build/engine-testing.wasm", import.meta.url));
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

/**
 * A fresh engine configured for an ArenaWriter with these limits (tests of the writer: it
 * decodes form-urlencoded values through the engine, assembly/form-decode.ts).
 */
export function arenaEngine(limits: { maxFields: number; maxTotalBytes: number }): { host: ArenaHost; memory: WebAssembly.Memory; arenaPtr: number; descPtr: number } {
  const { exports, memory } = instantiateEngine();
  if (exports.configure(limits.maxTotalBytes, limits.maxFields, 1 << 16, 4096, 32 + 16 * 64) !== 0) throw new Error("configure failed");
  return { host: exports as unknown as ArenaHost, memory, arenaPtr: exports.arenaPtr(), descPtr: exports.descPtr() };
}
