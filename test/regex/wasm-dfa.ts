/**
 * Runs DFA tables through the real Wasm walker (build/engine.wasm, `dfaMatch`): the table goes
 * to the engine's second scratch buffer, the input to the first.
 */
import { instantiateEngine, type TestInstance } from "../support/wasm.js";

export const WASM_SCRATCH_BYTES = 2 << 20;

export interface WasmDfa {
  isMatch(table: Uint8Array, input: Uint8Array): boolean;
  /** Bytes the walker consumed during the last call (its work counter). */
  lastConsumed(): number;
}

export function wasmDfa(): WasmDfa {
  const engine: TestInstance = instantiateEngine();
  const e = engine.exports;
  if (e.configure(1 << 20, 1024, WASM_SCRATCH_BYTES, 1024, 4096) !== 0) throw new Error("configure failed");
  const tablePtr = e.scratch2Ptr() as number;
  const inputPtr = e.scratchPtr() as number;
  let lastTable: Uint8Array | undefined;
  return {
    isMatch(table, input) {
      if (table.length > WASM_SCRATCH_BYTES || input.length > WASM_SCRATCH_BYTES) throw new Error("too large for scratch");
      const mem = engine.bytes();
      if (lastTable !== table) {
        mem.set(table, tablePtr);
        lastTable = table;
      }
      mem.set(input, inputPtr);
      return e.dfaMatch(tablePtr, inputPtr, input.length) === 1;
    },
    lastConsumed() {
      return e.dfaLastConsumed() as number;
    },
  };
}
