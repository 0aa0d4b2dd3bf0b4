/**
 * Reference walker in TypeScript over the binary table (dfa-format.ts): the same loop as the
 * Wasm walker, for tests and for hosts without Wasm. Linear time, no allocation per byte.
 */
import { DFA_CLASS_MAP_OFFSET, DFA_FLAG_WIDE, DFA_TRANSITIONS_OFFSET, readDfaHeader } from "./dfa-format.js";

export interface DfaRunResult {
  matched: boolean;
  /** Bytes read before the walk stopped (≤ input length): the work counter. */
  consumed: number;
}

export function runDfaTable(table: Uint8Array, input: Uint8Array): DfaRunResult {
  const h = readDfaHeader(table);
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const wide = (h.flags & DFA_FLAG_WIDE) !== 0;
  const shift = wide ? 2 : 1;
  /** `s` is a byte offset into the transitions (a pre-multiplied state id). */
  const at = (s: number, cls: number): number => {
    const offset = DFA_TRANSITIONS_OFFSET + s + (cls << shift);
    return wide ? view.getUint32(offset, true) : view.getUint16(offset, true);
  };
  let s = h.start;
  if (s >= h.firstAccepting) return { matched: true, consumed: 0 };
  for (let i = 0; i < input.length; i++) {
    s = at(s, table[DFA_CLASS_MAP_OFFSET + input[i]]);
    if (s >= h.firstAccepting) return { matched: true, consumed: i + 1 };
    if (s === 0) return { matched: false, consumed: i + 1 };
  }
  s = at(s, h.eoiClass);
  return { matched: s >= h.firstAccepting, consumed: input.length };
}

export function dfaTableIsMatch(table: Uint8Array, input: Uint8Array | string): boolean {
  return runDfaTable(table, typeof input === "string" ? new TextEncoder().encode(input) : input).matched;
}
