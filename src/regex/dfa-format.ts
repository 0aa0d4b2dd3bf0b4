/**
 * Stage 5: DFA → compact binary table that the Wasm walker (assembly/matcher/dfa.ts) reads in
 * place, with no parsing. Little-endian, 4-byte aligned.
 *
 *   offset  size  field
 *   0       u32   magic 0x41464457 ("WDFA")
 *   4       u16   version (1)
 *   6       u16   flags: bit 0 WIDE (transitions are u32, else u16), bit 1 NEEDS_CONFIRM,
 *                 bit 2 ANCHORED_START (informational)
 *   8       u32   state count
 *   12      u32   class count (byte classes + 1 end-of-input class)
 *   16      u32   start state for position 0, pre-multiplied
 *   20      u32   start state for any other position, pre-multiplied (equal to the former:
 *                 the engine always runs from position 0; kept so the format can grow)
 *   24      u32   first accepting state, pre-multiplied: state ≥ this ⇔ matched
 *   28      u32   end-of-input class index (= class count − 1)
 *   32      u8[256] class map: byte → class
 *   288     transitions, state-major, entry size E = 2 (u16) or 4 (u32, flag WIDE):
 *           entry at byte offset (s·classCount + c)·E holds the next state pre-multiplied,
 *           i.e. next·classCount·E — the byte offset of the next state's row. u16 is used
 *           when (states−1)·classCount·2 ≤ 65535. State 0 is DEAD (its row is all 0); the
 *           accepting states come last and are absorbing.
 *   …       zero padding to a multiple of 4
 *
 * Pre-multiplied ids make the walker's step `s = load(trans + s + class[byte]·E)`: the only
 * work on the state's dependency chain is one add and one load (the class lookup and shift
 * depend on the input byte only, so the CPU computes them ahead).
 * Size: 288 + states × classes × E bytes.
 */
import type { Dfa } from "./dfa.js";

export const DFA_MAGIC = 0x41464457;
export const DFA_VERSION = 1;
export const DFA_FLAG_WIDE = 1;
export const DFA_FLAG_NEEDS_CONFIRM = 2;
export const DFA_FLAG_ANCHORED_START = 4;
export const DFA_HEADER_BYTES = 32;
export const DFA_CLASS_MAP_OFFSET = 32;
export const DFA_TRANSITIONS_OFFSET = 288;

export interface DfaTableOptions {
  needsConfirm?: boolean;
  anchoredStart?: boolean;
}

export function serializeDfa(dfa: Dfa, options: DfaTableOptions = {}): Uint8Array {
  const { stateCount, classCount } = dfa;
  const wide = (stateCount - 1) * classCount * 2 > 0xffff;
  const entry = wide ? 4 : 2;
  const rowBytes = classCount * entry;
  const raw = DFA_TRANSITIONS_OFFSET + stateCount * classCount * entry;
  const total = (raw + 3) & ~3;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let flags = 0;
  if (wide) flags |= DFA_FLAG_WIDE;
  if (options.needsConfirm) flags |= DFA_FLAG_NEEDS_CONFIRM;
  if (options.anchoredStart) flags |= DFA_FLAG_ANCHORED_START;
  view.setUint32(0, DFA_MAGIC, true);
  view.setUint16(4, DFA_VERSION, true);
  view.setUint16(6, flags, true);
  view.setUint32(8, stateCount, true);
  view.setUint32(12, classCount, true);
  view.setUint32(16, dfa.start * rowBytes, true);
  view.setUint32(20, dfa.start * rowBytes, true);
  view.setUint32(24, dfa.firstAccepting * rowBytes, true);
  view.setUint32(28, classCount - 1, true);
  bytes.set(dfa.classMap, DFA_CLASS_MAP_OFFSET);
  for (let i = 0; i < dfa.trans.length; i++) {
    const value = dfa.trans[i] * rowBytes;
    if (wide) view.setUint32(DFA_TRANSITIONS_OFFSET + i * 4, value, true);
    else view.setUint16(DFA_TRANSITIONS_OFFSET + i * 2, value, true);
  }
  return bytes;
}

export interface DfaTableHeader {
  version: number;
  flags: number;
  stateCount: number;
  classCount: number;
  start: number;
  startOther: number;
  firstAccepting: number;
  eoiClass: number;
}

/** Reads and validates the header (the Wasm walker trusts the pack loader to have done this). */
export function readDfaHeader(table: Uint8Array): DfaTableHeader {
  if (table.length < DFA_TRANSITIONS_OFFSET) throw new Error("DFA table is truncated (no header)");
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  if (view.getUint32(0, true) !== DFA_MAGIC) throw new Error("not a DFA table (bad magic)");
  const version = view.getUint16(4, true);
  if (version !== DFA_VERSION) throw new Error(`DFA table version ${version} is not supported`);
  const header: DfaTableHeader = {
    version,
    flags: view.getUint16(6, true),
    stateCount: view.getUint32(8, true),
    classCount: view.getUint32(12, true),
    start: view.getUint32(16, true),
    startOther: view.getUint32(20, true),
    firstAccepting: view.getUint32(24, true),
    eoiClass: view.getUint32(28, true),
  };
  const entry = header.flags & DFA_FLAG_WIDE ? 4 : 2;
  if (table.length < DFA_TRANSITIONS_OFFSET + header.stateCount * header.classCount * entry) {
    throw new Error("DFA table is truncated (transitions)");
  }
  return header;
}

export const DFA_COMPACT_VERSION = 2;

/**
 * The form a pack image carries: the same header and class map, state *ids* instead of
 * pre-multiplied offsets (version 2; start, other start and first accepting are ids too), one
 * byte per entry when there are ≤ 256 states, else two (flag WIDE). The engine validates the
 * ids and derives the pre-multiplied table at activation (assembly/matcher/dfa-derive.ts), so
 * the walker's fast form costs Wasm memory, not image bytes: about half the bytes per table.
 */
export function compactDfaTable(table: Uint8Array): Uint8Array {
  const h = readDfaHeader(table);
  const src = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const rowBytes = h.classCount * (h.flags & DFA_FLAG_WIDE ? 4 : 2);
  const wide = h.stateCount > 256;
  const cells = h.stateCount * h.classCount;
  const bytes = new Uint8Array((DFA_TRANSITIONS_OFFSET + cells * (wide ? 2 : 1) + 3) & ~3);
  const view = new DataView(bytes.buffer);
  bytes.set(table.subarray(0, DFA_TRANSITIONS_OFFSET));
  view.setUint16(4, DFA_COMPACT_VERSION, true);
  view.setUint16(6, (h.flags & ~DFA_FLAG_WIDE) | (wide ? DFA_FLAG_WIDE : 0), true);
  view.setUint32(16, h.start / rowBytes, true);
  view.setUint32(20, h.startOther / rowBytes, true);
  view.setUint32(24, h.firstAccepting / rowBytes, true);
  for (let i = 0; i < cells; i++) {
    const next = (h.flags & DFA_FLAG_WIDE ? src.getUint32(DFA_TRANSITIONS_OFFSET + i * 4, true) : src.getUint16(DFA_TRANSITIONS_OFFSET + i * 2, true)) / rowBytes;
    if (wide) view.setUint16(DFA_TRANSITIONS_OFFSET + i * 2, next, true);
    else bytes[DFA_TRANSITIONS_OFFSET + i] = next;
  }
  return bytes;
}
